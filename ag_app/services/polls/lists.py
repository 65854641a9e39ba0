"""Lists residents and guests browse: polls, the user's past polls and «Новости»."""

from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.polls import STATE_NAMES, Voter, territory_matches, voter_places
from ag_app.models import Ballot, BallotAnswer, NewsItem, Option, Poll, Question
from ag_app.services.access import active_user
from ag_app.services.polls.eligibility import (
    _actor,
    _summary_fields,
    audience_of,
    is_poll_staff,
    load_territories,
    state_of,
    user_places,
)
from ag_app.services.polls.views import NewsView, PastAnswer, PastPoll, PollSummary
from ag_app.services.snapshots import Snapshot

NEWS_PAGE_MAX = 100


@reads
def list_polls(
    session: Session, *, actor_id: int | None, status: str = "active", now: datetime
) -> list[PollSummary]:
    """Published polls the actor may see, newest first.

    ``status``: «active» — open for voting now; «closed» — finished (with or without published
    results); «all» — every published poll including scheduled ones. Guests see city-wide polls
    only; residents also the territorial polls of their addresses (and those they voted in); staff
    see every published poll (what guests see is the same for all: a copy a few seconds old).
    """
    if actor_id is None:
        return _guest_polls.get(status, lambda: _read_polls(session, None, status, as_utc(now)))
    return _read_polls(session, actor_id, status, as_utc(now))


def _read_polls(session: Session, actor_id: int | None, status: str, now: datetime) -> list[PollSummary]:
    user = _actor(session, actor_id)
    staff = is_poll_staff(session, user)
    query = select(Poll).options(defer(Poll.details)).where(Poll.published_at.is_not(None))
    if status == "active":
        query = query.where(Poll.closed_at.is_(None), Poll.ends_at > now, Poll.starts_at <= now)
    elif status == "closed":
        query = query.where(or_(Poll.closed_at.is_not(None), Poll.ends_at <= now))
    if user is None:
        query = query.where(Poll.scope == "city")
    polls = session.exec(query.order_by(Poll.starts_at.desc(), Poll.id.desc())).all()
    wanted = {"active": {"active"}, "closed": {"closed", "results"}}.get(status, set(STATE_NAMES) - {"draft"})
    polls = [p for p in polls if state_of(p, now) in wanted]
    territories = load_territories(session, polls)
    voted: set[int] = set()
    if user is not None and polls:
        voted = set(
            session.exec(
                select(Ballot.poll_id).where(
                    Ballot.user_id == user.id, Ballot.poll_id.in_([p.id for p in polls])
                )
            ).all()
        )
    if user is not None and not staff and any(p.scope == "territorial" for p in polls):
        home, work, _ = user_places(session, user.id)
        voter = Voter(level=1, home=home, work=work)

        def matches(poll: Poll) -> bool:
            audience = audience_of(poll, territories[poll.id])
            return territory_matches(audience, voter_places(audience, voter))

        polls = [p for p in polls if p.scope != "territorial" or p.id in voted or matches(p)]
    return [PollSummary(**_summary_fields(p, territories[p.id], voted=p.id in voted, now=now)) for p in polls]


@reads
def my_past_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[PastPoll]:
    """The polls the user completed, newest first, with every option and the user's own answers marked
    and each ballot's receipt code."""
    user = active_user(session, actor_id)
    ballots = session.exec(
        select(Ballot.id, Ballot.poll_id, Ballot.completed_at, Poll, Ballot.receipt)
        .join(Poll, Poll.id == Ballot.poll_id)
        .where(Ballot.user_id == user.id)
        .order_by(Ballot.completed_at.desc(), Ballot.id.desc())
    ).all()
    if not ballots:
        return []
    poll_ids = [poll_id for _, poll_id, _, _, _ in ballots]
    questions = session.exec(
        select(Question.id, Question.poll_id, Question.text)
        .where(Question.poll_id.in_(poll_ids))
        .order_by(Question.poll_id, Question.position, Question.id)
    ).all()
    options = session.exec(
        select(Option.id, Option.question_id, Option.text)
        .join(Question, Question.id == Option.question_id)
        .where(Question.poll_id.in_(poll_ids))
        .order_by(Option.question_id, Option.position, Option.id)
    ).all()
    chosen_rows = session.exec(
        select(BallotAnswer.option_id, BallotAnswer.question_id, BallotAnswer.own_text).where(
            BallotAnswer.ballot_id.in_([ballot_id for ballot_id, _, _, _, _ in ballots])
        )
    ).all()
    chosen = {option_id for option_id, _, _ in chosen_rows}
    own_text = {question_id: text for _, question_id, text in chosen_rows if text}
    options_of: dict[int, list[tuple[str, bool]]] = {}
    for option_id, question_id, text in options:
        options_of.setdefault(question_id, []).append((text, option_id in chosen))
    questions_of: dict[int, list[PastAnswer]] = {}
    for question_id, poll_id, text in questions:
        questions_of.setdefault(poll_id, []).append(
            PastAnswer(
                text=text, options=options_of.get(question_id, []), own_text=own_text.get(question_id, "")
            )
        )
    return [
        PastPoll(
            poll_id=poll.id,
            title=poll.title,
            completed_at=as_utc(completed_at),
            points=poll.points,
            questions=questions_of.get(poll.id, []),
            state=state_of(poll, now),
            receipt=receipt,
        )
        for _, _, completed_at, poll, receipt in ballots
    ]


# News and the polls a guest sees are the same for every visitor: read at most once per this many
# seconds per worker.
PUBLIC_LIST_SECONDS = 5.0


_news = Snapshot[list[NewsView]](PUBLIC_LIST_SECONDS)


_guest_polls = Snapshot[list[PollSummary]](PUBLIC_LIST_SECONDS)


@reads
def list_news(session: Session, *, limit: int = 20, offset: int = 0) -> list[NewsView]:
    """«Новости», newest first (results, decisions, campaign news); ``limit`` is capped at 100."""
    limit = max(1, min(limit, NEWS_PAGE_MAX))
    return _news.get((limit, offset), lambda: _read_news(session, limit, max(offset, 0)))


def _read_news(session: Session, limit: int, offset: int) -> list[NewsView]:
    rows = session.exec(
        select(NewsItem)
        .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [NewsView(n.id, n.kind, n.title, n.body, n.poll_id, as_utc(n.published_at)) for n in rows]
