"""Final results of finished house polls published in «Новости» (a job)."""

from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain import numfmt
from ag_app.domain.house_polls import RATINGS
from ag_app.domain.stats import SUPPRESSED, published_counts
from ag_app.models import HousePoll, HousePollParticipant, NewsItem
from ag_app.services.house_polls._common import _addresses, _locked, _questions, _results, _status_of
from ag_app.services.house_polls.views import NEWS_TITLE_LIMIT, PUBLISH_BATCH, HousePollResults
from ag_app.services.notifications import notify


def _news_title(poll: HousePoll) -> str:
    prefix = "Итоги опроса" if poll.kind == "poll" else "Итоги информирования"
    text = f"{prefix} «{poll.title}»"
    if len(text) <= NEWS_TITLE_LIMIT:
        return text
    return f"{prefix} «{poll.title[: NEWS_TITLE_LIMIT - len(prefix) - 4]}…»"


def _lead_in(question: str) -> str:
    """A question as the lead-in of its answers: «Вопрос:», but «Нужен ли шлагбаум?» as it is (no «?:»)."""
    text = question.rstrip().rstrip(":")
    return text if text.endswith(("?", "!", "…")) else f"{text}:"


def _news_body(poll: HousePoll, address: str, results: HousePollResults) -> str:
    """The public «Новости» text: every count under 5 is «<5» (SPEC §5.4), with its percent hidden.

    The options of a question that add up to the participants form one group with them, as do
    «Нравится» / «Не нравится», so no hidden count can be recovered by subtraction.
    """
    values = [results.participants, results.likes, results.dislikes]
    groups: list[list[int]] = []
    if results.likes + results.dislikes == results.participants:
        groups.append([0, 1, 2])
    spans: list[range] = []
    for question in results.questions:
        start = len(values)
        values.extend(o.count for o in question.options)
        spans.append(range(start, len(values)))
        if sum(o.count for o in question.options) == results.participants:
            groups.append([0, *spans[-1]])
    shown = published_counts(values, groups)
    lines = [f"Дом: {address}.", f"Приняли участие: {shown[0]}."]
    if poll.kind == "informing":
        lines.append(f"{RATINGS['like']}: {shown[1]}; {RATINGS['dislike']}: {shown[2]}.")
    for number, (question, span) in enumerate(zip(results.questions, spans, strict=True), start=1):
        answers = "; ".join(
            f"«{o.text}» — {shown[i]}" + ("" if shown[i] == SUPPRESSED else f" ({numfmt.percent(o.percent)})")
            for o, i in zip(question.options, span, strict=True)
        )
        lines.append(f"{number}. {_lead_in(question.text)} {answers}.")
    return "\n".join(lines)


def _publish_results(session: Session, poll_id: int, now: datetime) -> bool:
    """Publish one finished poll's final results in «Новости» and tell its participants; once
    (the row lock and ``results_published_at`` make a second call do nothing)."""
    poll = _locked(session, poll_id)
    if (
        poll.results_published_at is not None
        or poll.decision != "approved"
        or _status_of(poll, now) != "finished"
    ):
        return False
    results = _results(session, poll, _questions(session, poll.id), now)
    address = _addresses(session, [poll.house_id]).get(poll.house_id, "")
    session.add(
        NewsItem(
            kind="results", title=_news_title(poll), body=_news_body(poll, address, results), published_at=now
        )
    )
    poll.results_published_at = now
    session.add(poll)
    participants = session.exec(
        select(HousePollParticipant.user_id).where(HousePollParticipant.poll_id == poll.id)
    ).all()
    for user_id in participants:
        notify(
            session,
            user_id=user_id,
            title=_news_title(poll),
            body="Итоги опубликованы в «Новостях».",
            link=f"/house/polls/{poll.id}",
            now=now,
            topic="results",
        )
    session.flush()
    return True


def publish_finished_results(session: Session, *, now: datetime, limit: int = PUBLISH_BATCH) -> int:
    """Publish the final results of approved house polls that have ended (a periodic job step;
    idempotent); returns how many were published."""
    due = session.exec(
        select(HousePoll.id)
        .where(
            HousePoll.decision == "approved",
            col(HousePoll.results_published_at).is_(None),
            col(HousePoll.ends_at) <= now,
        )
        .order_by(col(HousePoll.ends_at), col(HousePoll.id))
        .limit(limit)
    ).all()
    return sum(_publish_results(session, poll_id, now) for poll_id in due)
