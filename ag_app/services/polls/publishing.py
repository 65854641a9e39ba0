"""Staff publish a poll's final results and its decisions, each with a news item."""

from datetime import datetime

from sqlmodel import Session, select

from ag_app.domain import numfmt
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.poll_actions import PollAction, allows
from ag_app.domain.polls import DECISION_STATUSES, STATE_NAMES
from ag_app.domain.roles import Capability
from ag_app.domain.stats import published_counts
from ag_app.domain.text import clean_text
from ag_app.models import NewsItem, Poll, PollDecision
from ag_app.services.access import require
from ag_app.services.polls.eligibility import state_of
from ag_app.services.polls.results import count_results, load_questions
from ag_app.services.polls.staff import _locked_poll
from ag_app.services.polls.views import PollResults

DECISION_TEXT_LIMIT = 5000


NEWS_TITLE_LIMIT = 300


def _news_title(prefix: str, title: str) -> str:
    """``prefix «title»`` cut to the news title column."""
    text = f"{prefix} «{title}»"
    if len(text) <= NEWS_TITLE_LIMIT:
        return text
    room = NEWS_TITLE_LIMIT - len(prefix) - 4
    return f"{prefix} «{title[:room]}…»"


def _results_text(results: PollResults) -> str:
    """A short Russian summary of final results for «Новости»; counts under 5 are «<5» (SPEC §5.4)."""
    ballots, moscow, other = published_counts(
        [results.ballots, results.moscow_ballots, results.other_ballots], [[0, 1, 2]]
    )
    lines = [f"Проголосовали: {ballots} (московские номера — {moscow}, другие — {other})."]
    for number, question in enumerate(results.questions, start=1):
        if not question.options or question.answered == 0:
            continue
        top = max(question.options, key=lambda o: (o.count, -o.id))
        lines.append(f"{number}. {question.text} — «{top.text}»: {numfmt.percent(top.percent)}.")
    return "\n".join(lines)


def publish_results(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Publish the final results of a finished poll; they appear in «Новости».

    Raises:
        Conflict: the poll is still open, not published, or its results are already published.
    """
    require(session, actor_id, Capability.POLLS_MANAGE)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state in ("scheduled", "active"):
        raise Conflict("poll.not_ended")
    if not allows(state, PollAction.PUBLISH_RESULTS):
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    results = count_results(session, poll.id, load_questions(session, poll.id), final=True)
    poll.results_published_at = now
    session.add(poll)
    session.add(
        NewsItem(
            kind="results",
            title=_news_title("Итоги голосования", poll.title),
            body=_results_text(results),
            poll_id=poll.id,
            published_at=now,
        )
    )
    session.flush()


def _check_decision(text: str, status: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise InvalidInput("poll.decision_required")
    if len(cleaned) > DECISION_TEXT_LIMIT:
        raise InvalidInput("poll.decision_too_long", limit=DECISION_TEXT_LIMIT)
    if status not in DECISION_STATUSES:
        raise InvalidInput("poll.decision_status_invalid")
    return cleaned


def add_decision(
    session: Session, *, actor_id: int | None, poll_id: int, text: str, status: str = "adopted", now: datetime
) -> int:
    """Record a decision taken on a finished poll's result (SPEC §2.6); it appears in «Новости».

    ``status`` is «adopted» («Решение принято») or «implemented» («Реализовано»).

    Raises:
        Conflict: the poll has not finished yet.
    """
    require(session, actor_id, Capability.POLLS_MANAGE)
    text = _check_decision(text, status)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if not allows(state, PollAction.DECIDE):
        raise Conflict("poll.not_ended")
    decision = PollDecision(
        poll_id=poll.id,
        text=text,
        status=status,
        created_at=now,
        implemented_at=now if status == "implemented" else None,
    )
    session.add(decision)
    session.add(
        NewsItem(
            kind="decision",
            title=_news_title("Решение по итогам голосования", poll.title),
            body=text,
            poll_id=poll.id,
            published_at=now,
        )
    )
    session.flush()
    return decision.id


def set_decision_status(
    session: Session, *, actor_id: int | None, decision_id: int, status: str, now: datetime
) -> None:
    """Change a decision's status; «implemented» stamps the date and announces it in «Новости»."""
    require(session, actor_id, Capability.POLLS_MANAGE)
    if status not in DECISION_STATUSES:
        raise InvalidInput("poll.decision_status_invalid")
    decision = session.exec(
        select(PollDecision).where(PollDecision.id == decision_id).with_for_update()
    ).first()
    if decision is None:
        raise NotFound("poll.decision_not_found")
    if decision.status == status:
        return
    decision.status = status
    decision.implemented_at = now if status == "implemented" else None
    session.add(decision)
    if status == "implemented":
        poll = session.get(Poll, decision.poll_id)
        session.add(
            NewsItem(
                kind="decision",
                title=_news_title("Решение реализовано:", poll.title),
                body=decision.text,
                poll_id=poll.id,
                published_at=now,
            )
        )
    session.flush()
