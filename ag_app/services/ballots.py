"""Completing a ballot (SPEC §2.4) and saving progress.

A ballot is completed in one transaction: the voter's row is locked, eligibility and answers are
checked, the ballot and its answers are written, the poll's points are credited once and the
poll's ballot counter is incremented. The ballot carries its receipt code and the voter's age
band, gender and home district at voting time. The unique key (poll, user) makes a second ballot
impossible under any concurrency; the statements are plain Core inserts/updates to keep the hot
path lean.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Insert, Row, bindparam, delete, exists, insert, true, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.demographics import age_band
from ag_app.domain.errors import Conflict, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.polls import AnswerInput, QuestionSpec, validate_answers, why_cannot_vote
from ag_app.domain.receipts import receipt_code
from ag_app.models import (
    Ballot,
    BallotAnswer,
    BallotDraft,
    District,
    House,
    Option,
    Poll,
    Question,
    User,
    UserAddress,
)
from ag_app.services import ledger
from ag_app.services.access import active_user
from ag_app.services.polls import (
    QUESTION_COLUMNS,
    QUESTION_ORDER,
    PollResults,
    audience_of,
    count_results,
    is_poll_staff,
    load_territories,
    load_voter,
    questions_from_rows,
)
from ag_app.settings import get_settings

__all__ = ["AnswerInput", "BallotOutcome", "complete_ballot", "get_draft", "save_draft"]


@dataclass(frozen=True)
class BallotOutcome:
    """A completed ballot: its id, the points credited and the intermediate results (None if hidden)."""

    ballot_id: int
    points_credited: int
    results: PollResults | None


# The voter's home: the residence address, else the registration address.
_HOME_HOUSE = (
    core_select(UserAddress.house_id)
    .where(UserAddress.user_id == User.id, UserAddress.kind.in_(("residence", "registration")))
    .order_by(UserAddress.kind == "registration")
    .limit(1)
    # Nested two levels deep: automatic correlation would not reach the voter's row.
    .correlate(User)
    .scalar_subquery()
)
_HOME_DISTRICT = core_select(House.district_id).where(House.id == _HOME_HOUSE).scalar_subquery()
_HOME_OKRUG = (
    core_select(District.okrug_id)
    .join(House, House.district_id == District.id)
    .where(House.id == _HOME_HOUSE)
    .scalar_subquery()
)

# Hot-path statements, built once. The first reads, in one round trip, the voter (row locked:
# ``SELECT … FOR UPDATE OF user`` on PostgreSQL; SQLite transactions already hold the write lock,
# as with access.lock_user), the poll without its long texts, whether the voter already has a
# ballot in it, whether a saved draft exists, and the questions with their options (one row per
# option).
_VOTER_POLL_QUESTIONS = (
    core_select(
        User.id.label("voter_id"),
        User.deactivated_at,
        User.phone_region,
        User.identity_verified_at,
        User.birth_date,
        User.gender,
        _HOME_DISTRICT.label("home_district_id"),
        _HOME_OKRUG.label("home_okrug_id"),
        Poll.id,
        Poll.title,
        Poll.scope,
        Poll.points,
        Poll.min_level,
        Poll.include_work_address,
        Poll.children_age_min,
        Poll.children_age_max,
        Poll.starts_at,
        Poll.ends_at,
        Poll.published_at,
        Poll.closed_at,
        Poll.results_published_at,
        Poll.hide_intermediate,
        exists().where(Ballot.poll_id == Poll.id, Ballot.user_id == User.id).label("voted"),
        exists().where(BallotDraft.poll_id == Poll.id, BallotDraft.user_id == User.id).label("has_draft"),
        *QUESTION_COLUMNS,
    )
    .select_from(User)
    .join(Poll, true())
    .outerjoin(Question, Question.poll_id == Poll.id)
    .outerjoin(Option, Option.question_id == Question.id)
    .where(User.id == bindparam("p_user"), Poll.id == bindparam("p_poll"))
    .order_by(*QUESTION_ORDER)
    .with_for_update(of=User)
)
_USER_EXISTS = core_select(User.id).where(User.id == bindparam("p_user"))
# RETURNING makes SQLAlchemy send all answers of a ballot as one multi-row INSERT.
_INSERT_ANSWERS = insert(BallotAnswer).returning(BallotAnswer.id)
_DELETE_DRAFT = delete(BallotDraft).where(
    BallotDraft.poll_id == bindparam("p_poll"), BallotDraft.user_id == bindparam("p_user")
)
# Counts the ballot only while the poll is still open: on PostgreSQL the row lock makes a ballot that
# raced with «Закрыть досрочно» / «Опубликовать итоги» see the closed poll and roll back.
_COUNT_BALLOT = (
    update(Poll)
    .where(
        Poll.id == bindparam("p_poll"),
        Poll.closed_at.is_(None),
        Poll.results_published_at.is_(None),
        Poll.sealed_at.is_(None),
    )
    .values(ballots_count=Poll.ballots_count + 1)
)


@dataclass(frozen=True)
class _Voter:
    """The acting user as the ballot rules need them."""

    id: int
    phone_region: str
    identity_verified_at: datetime | None
    birth_date: date | None
    gender: str
    district_id: int | None
    okrug_id: int | None


def _secret() -> bytes:
    return get_settings().secret_key.encode()


@cache
def _insert_ballot(dialect: str) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: no row comes back when the ballot exists.

    The unique key (poll, user) decides even between racing transactions; one statement instead of
    a savepoint around the insert.
    """
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return dialect_insert(Ballot).on_conflict_do_nothing().returning(Ballot.id)


def _open_poll_for(
    session: Session, *, actor_id: int | None, poll_id: int, now: datetime
) -> tuple[_Voter, Row, list[QuestionSpec]]:
    """Lock the voter, load the poll and its questions, refuse when the voter may not vote now.

    Returns the voter, the poll row and the questions. Drafts are hidden (NotFound) from everybody
    but staff, who get «not published»; a second ballot is a Conflict; other reasons are
    NotAllowed with the reason. Only the queries the poll's rules need are run (a city poll for
    everybody: one).
    """
    if actor_id is None:
        raise NotAuthenticated("auth.required")
    connection = session.connection()
    rows = connection.execute(_VOTER_POLL_QUESTIONS, {"p_user": actor_id, "p_poll": poll_id}).all()
    if not rows:
        if connection.execute(_USER_EXISTS, {"p_user": actor_id}).first() is None:
            raise NotAuthenticated("auth.required")
        raise NotFound("poll.not_found")
    row = rows[0]
    if row.deactivated_at is not None:
        raise NotAllowed("auth.deactivated")
    voter = _Voter(
        row.voter_id,
        row.phone_region,
        row.identity_verified_at,
        row.birth_date,
        row.gender,
        row.home_district_id,
        row.home_okrug_id,
    )
    if row.published_at is None and not is_poll_staff(session, voter):
        raise NotFound("poll.not_found")
    territory = load_territories(session, [row])[row.id]
    facts = load_voter(session, voter, row, voted=bool(row.voted))
    refusal = why_cannot_vote(audience_of(row, territory), facts, now=now)
    if refusal is not None:
        if refusal.key == "poll.already_voted":
            raise Conflict(refusal.key)
        raise NotAllowed(refusal.key, **refusal.params)
    return voter, row, questions_from_rows(rows)


def complete_ballot(
    session: Session,
    *,
    actor_id: int | None,
    poll_id: int,
    answers: list[AnswerInput],
    now: datetime,
    with_results: bool = True,
) -> BallotOutcome:
    """Complete the actor's ballot («Завершить голосование»): final, once, with the poll's points.

    Every question must be answered by the rules of :func:`ag_app.domain.polls.validate_answers`.
    The ballot records the region of the voter's phone number for the Moscow / other split; the
    saved draft is deleted; the poll's counter is incremented in the database (``ballots_count + 1``).
    ``with_results=False`` skips counting the intermediate results (for callers that show them
    separately).

    Raises:
        NotAuthenticated: a guest.
        NotFound: no such (published) poll.
        NotAllowed: the voter may not vote in this poll now (the message says why).
        Conflict: the voter has already voted («poll.already_voted»), even when two requests race.
        InvalidInput: an answer is missing or invalid.
    """
    voter, poll, questions = _open_poll_for(session, actor_id=actor_id, poll_id=poll_id, now=now)
    clean = validate_answers(questions, answers)
    connection = session.connection()
    ballot_id = connection.execute(
        _insert_ballot(connection.dialect.name),
        {
            "poll_id": poll.id,
            "user_id": voter.id,
            "completed_at": now,
            "number_region": voter.phone_region,
            "receipt": receipt_code(_secret(), poll.id, voter.id),
            "age_band": age_band(voter.birth_date, moscow_date(now)),
            "gender": voter.gender,
            "district_id": voter.district_id,
            "okrug_id": voter.okrug_id,
            "tallied": False,
        },
    ).scalar()
    if ballot_id is None:
        raise Conflict("poll.already_voted")
    own_options = {o.id for q in questions for o in q.options if o.is_own_text}
    rows = [
        {
            "ballot_id": ballot_id,
            "question_id": answer.question_id,
            "option_id": option_id,
            "own_text": answer.own_text if option_id in own_options else "",
        }
        for answer in clean
        for option_id in answer.option_ids
    ]
    if rows:
        connection.execute(_INSERT_ANSWERS, rows)
    credited = ledger.credit(
        session,
        user_id=voter.id,
        amount=poll.points,
        reason="poll",
        ref=f"poll:{poll.id}",
        description=f"Голосование «{poll.title}»",
        now=now,
    )
    if poll.has_draft:
        connection.execute(_DELETE_DRAFT, {"p_poll": poll.id, "p_user": voter.id})
    if connection.execute(_COUNT_BALLOT, {"p_poll": poll.id}).rowcount != 1:
        raise NotAllowed("poll.closed_meanwhile")
    results = None
    if with_results and not poll.hide_intermediate:
        results = count_results(session, poll.id, questions, final=False)
    return BallotOutcome(ballot_id=ballot_id, points_credited=poll.points if credited else 0, results=results)


def save_draft(
    session: Session, *, actor_id: int | None, poll_id: int, answers: list[AnswerInput], now: datetime
) -> None:
    """Save unfinished answers (they count for nothing until the ballot is completed).

    Answers are checked like a ballot except that questions may still be unanswered.
    """
    user, poll, questions = _open_poll_for(session, actor_id=actor_id, poll_id=poll_id, now=now)
    clean = validate_answers(questions, answers, complete=False)
    payload = json.dumps(
        {str(a.question_id): {"option_ids": a.option_ids, "own_text": a.own_text} for a in clean},
        ensure_ascii=False,
    )
    draft = session.exec(
        select(BallotDraft).where(BallotDraft.poll_id == poll.id, BallotDraft.user_id == user.id)
    ).first()
    if draft is None:
        draft = BallotDraft(poll_id=poll.id, user_id=user.id, answers_json=payload, updated_at=now)
    else:
        draft.answers_json = payload
        draft.updated_at = now
    session.add(draft)
    session.flush()


def get_draft(session: Session, *, actor_id: int | None, poll_id: int) -> list[AnswerInput]:
    """The saved unfinished answers of the actor in a poll (empty when nothing is saved)."""
    user = active_user(session, actor_id)
    raw = session.exec(
        select(BallotDraft.answers_json).where(BallotDraft.poll_id == poll_id, BallotDraft.user_id == user.id)
    ).first()
    if not raw:
        return []
    data = json.loads(raw)
    return [
        AnswerInput(
            question_id=int(question_id),
            option_ids=[int(o) for o in answer.get("option_ids", [])],
            own_text=str(answer.get("own_text", "")),
        )
        for question_id, answer in data.items()
    ]
