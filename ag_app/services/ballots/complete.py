"""Completing a ballot in one transaction: the voter locked, eligibility and answers checked, the
ballot written, points credited and the poll's counter moved."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ARRAY, Integer, Row, Select, Text, bindparam, exists, func, insert, true, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlmodel import Session

from ag_app.db import HotStatement
from ag_app.domain.clock import moscow_date
from ag_app.domain.demographics import age_band
from ag_app.domain.errors import Conflict, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.polls import AnswerInput, QuestionSpec, validate_answers, why_cannot_vote
from ag_app.domain.receipts import receipt_code
from ag_app.models import Ballot, BallotAnswer, PointEntry, Poll, User
from ag_app.services import ledger
from ag_app.services.ballots.statements import (
    _BALLOT_COLUMNS,
    _COUNT_BALLOT,
    _COUNT_BALLOT_HOT,
    _DELETE_DRAFT,
    _INSERT_ANSWERS,
    _INSERT_BALLOT,
    _USER_EXISTS,
    _VOTER_POLL_QUESTIONS,
    _questions_of,
)
from ag_app.services.polls.eligibility import audience_of, is_poll_staff, load_territories, load_voter
from ag_app.services.polls.results import results_from_counts
from ag_app.services.polls.views import PollResults
from ag_app.services.results_cache import OwnBallot, poll_counts
from ag_app.settings import get_settings


@dataclass(frozen=True)
class BallotOutcome:
    """A completed ballot: its id, the points credited and the intermediate results (None if hidden)."""

    ballot_id: int
    points_credited: int
    results: PollResults | None


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
    return get_settings().require_secret().encode()


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
    rows = _VOTER_POLL_QUESTIONS.rows(connection, {"p_user": actor_id, "p_poll": poll_id})
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
    return voter, row, _questions_of(row.questions)


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
    The intermediate results come from the aggregates at most a second old, with this ballot
    counted (see :mod:`ag_app.services.results_cache`); ``with_results=False`` skips them (for
    callers that show them separately).

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
    own_options = {o.id for q in questions for o in q.options if o.is_own_text}
    choices = [
        (answer.question_id, option_id, answer.own_text if option_id in own_options else "")
        for answer in clean
        for option_id in answer.option_ids
    ]
    ballot = {
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
    }
    credit = {
        "amount": poll.points,
        "reason": "poll",
        "ref": f"poll:{poll.id}",
        "description": f"Голосование «{poll.title}»",
    }
    # The results shown after voting: read before this ballot is written (so the reading holds
    # committed ballots only, and on PostgreSQL no poll row lock is held meanwhile), then this
    # ballot is added.
    shown = with_results and not poll.hide_intermediate
    own_text_questions = {o.id: q.id for q in questions for o in q.options if o.is_own_text}
    before = poll_counts(session, poll.id, own_text_questions) if shown else None
    write = _write_postgresql if connection.dialect.name == "postgresql" else _write_generic
    ballot_id, credited, counted = write(session, ballot, choices, credit)
    if ballot_id is None:
        raise Conflict("poll.already_voted")
    if not counted:
        raise NotAllowed("poll.closed_meanwhile")
    if poll.has_draft:
        connection.execute(_DELETE_DRAFT, {"p_poll": poll.id, "p_user": voter.id})
    results = None
    if before is not None:
        mine = OwnBallot(ballot_id, voter.phone_region, answers=tuple(choices), uncommitted=True)
        results = results_from_counts(questions, before.with_ballot(mine), final=False)
    return BallotOutcome(ballot_id=ballot_id, points_credited=poll.points if credited else 0, results=results)


# What a ballot writes: (ballot id or None when the voter already has one, points credited, counted).
_Written = tuple[int | None, bool, bool]


def _write_generic(
    session: Session, ballot: dict, choices: list[tuple[int, int, str]], credit: dict
) -> _Written:
    """Write the ballot, its answers, the credit and the counter statement by statement (SQLite)."""
    connection = session.connection()
    inserted = _INSERT_BALLOT.rows(connection, ballot)
    if not inserted:
        return None, False, False
    ballot_id = inserted[0].id
    _INSERT_ANSWERS.many(
        connection,
        [{"ballot_id": ballot_id, "question_id": q, "option_id": o, "own_text": t} for q, o, t in choices],
    )
    credited = ledger.credit(session, user_id=ballot["user_id"], now=ballot["completed_at"], **credit)
    counted = bool(_COUNT_BALLOT_HOT.rows(connection, {"p_poll": ballot["poll_id"]}))
    return ballot_id, credited, counted


def _write_postgresql(
    session: Session, ballot: dict, choices: list[tuple[int, int, str]], credit: dict
) -> _Written:
    """The same writes in one statement (one round trip) of data-modifying CTEs (PostgreSQL).

    The answers, the ledger row and the counter are written only when the ballot row was inserted;
    the balances only when the ledger row was (the same rules as ``ledger.credit``).
    """
    questions, options, texts = (
        (list(column) for column in zip(*choices, strict=True)) if choices else ([], [], [])
    )
    values = {**ballot, **credit, "created_at": ballot["completed_at"]}
    values |= {"question_ids": questions, "option_ids": options, "own_texts": texts}
    # Parameters are prefixed: SQLAlchemy would take a parameter named like a column of an
    # UPDATE target (e.g. «created_at») as an extra SET clause.
    params = {"p_poll": ballot["poll_id"]} | {f"v_{k}": v for k, v in values.items()}
    (row,) = _POSTGRESQL_WRITE.rows(session.connection(), params)
    return row.ballot_id, row.credited, row.counted


def _postgresql_write_statement() -> Select:
    """``WITH new_ballot AS (INSERT … ON CONFLICT DO NOTHING RETURNING id), answers, entry, balance,
    counted SELECT …`` — see :func:`_write_postgresql`."""
    new_ballot = (
        postgresql_insert(Ballot)
        .values({column: bindparam(f"v_{column}") for column in _BALLOT_COLUMNS})
        .on_conflict_do_nothing()
        .returning(Ballot.id)
        .cte("new_ballot")
    )
    choice = (
        func.unnest(
            bindparam("v_question_ids", type_=ARRAY(Integer)),
            bindparam("v_option_ids", type_=ARRAY(Integer)),
            bindparam("v_own_texts", type_=ARRAY(Text)),
        )
        .table_valued("question_id", "option_id", "own_text")
        .render_derived(name="choice")
    )
    answers = (
        insert(BallotAnswer)
        .from_select(
            ["ballot_id", "question_id", "option_id", "own_text"],
            core_select(new_ballot.c.id, choice.c.question_id, choice.c.option_id, choice.c.own_text)
            .select_from(new_ballot)
            .join(choice, true()),
        )
        .cte("answers")
    )
    entry_columns = ["user_id", "amount", "reason", "ref", "description", "created_at"]
    entry = (
        postgresql_insert(PointEntry)
        .from_select(
            entry_columns,
            core_select(
                *(
                    bindparam(f"v_{column}", type_=PointEntry.__table__.c[column].type)
                    for column in entry_columns
                )
            ).select_from(new_ballot),
        )
        .on_conflict_do_nothing()
        .returning(PointEntry.id)
        .cte("entry")
    )
    balance = (
        update(User)
        .where(User.id == bindparam("v_user_id"), exists(core_select(entry.c.id)))
        .values(ledger.balance_changes(bindparam("v_amount"), bindparam("v_created_at")))
        .cte("balance")
    )
    counted = _COUNT_BALLOT.where(exists(core_select(new_ballot.c.id))).returning(Poll.id).cte("counted")
    return core_select(
        core_select(new_ballot.c.id).scalar_subquery().label("ballot_id"),
        exists(core_select(entry.c.id)).label("credited"),
        exists(core_select(counted.c.id)).label("counted"),
    ).add_cte(answers, balance)


_POSTGRESQL_WRITE = HotStatement(_postgresql_write_statement())
