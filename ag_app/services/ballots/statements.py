"""Hot-path statements of the ballot path, built once: the voter, the poll and its questions in one
read, the ballot's inserts and the poll's counter."""

from collections import namedtuple

from sqlalchemy import JSON, bindparam, delete, exists, insert, or_, true, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from ag_app.db import HotStatement
from ag_app.domain.polls import QuestionSpec
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
from ag_app.services.polls.results import questions_from_rows

# The voter's home: the residence address, else the registration address.
_HOME_HOUSE = (
    core_select(UserAddress.house_id)
    # Two comparisons rather than IN: an IN list is re-rendered on every execution.
    .where(
        UserAddress.user_id == User.id,
        or_(UserAddress.kind == "residence", UserAddress.kind == "registration"),
    )
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


class _JsonRows(FunctionElement):
    """An aggregate: the group's rows as a JSON array of arrays (SQLite ``json_group_array``,
    PostgreSQL ``json_agg``), so a one-to-many read needs one result row."""

    type = JSON()
    inherit_cache = True


@compiles(_JsonRows, "sqlite")
def _json_rows_sqlite(element: _JsonRows, compiler: SQLCompiler, **kw: object) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(_JsonRows, "postgresql")
def _json_rows_postgresql(element: _JsonRows, compiler: SQLCompiler, **kw: object) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


# A question-and-option row of the read below; sorted in Python into display order.
_QuestionRow = namedtuple(
    "_QuestionRow",
    "question_position question_id question_text kind max_choices option_position option_id option_text "
    "is_own_text is_exclusive",
)


_QUESTIONS_JSON = (
    core_select(
        _JsonRows(
            Question.position,
            Question.id,
            Question.text,
            Question.kind,
            Question.max_choices,
            Option.position,
            Option.id,
            Option.text,
            Option.is_own_text,
            Option.is_exclusive,
        )
    )
    .select_from(Question)
    .outerjoin(Option, Option.question_id == Question.id)
    .where(Question.poll_id == Poll.id)
    .correlate(Poll)
    .scalar_subquery()
)


def _questions_of(questions_json: list | None) -> list[QuestionSpec]:
    """The poll's questions from the JSON rows of :data:`_QUESTIONS_JSON`, in display order."""
    rows = [_QuestionRow(*item) for item in questions_json or [] if item[1] is not None]
    rows.sort(key=lambda r: (r.question_position, r.question_id, r.option_position or 0, r.option_id or 0))
    return questions_from_rows(rows)


# Hot-path statement, built once: reads in one round trip and one row the voter (row locked:
# ``SELECT … FOR UPDATE OF user`` on PostgreSQL; SQLite transactions already hold the write lock,
# as with access.lock_user), the poll without its long texts, whether the voter already has a
# ballot in it, whether a saved draft exists, and the questions with their options as JSON.
_VOTER_POLL_QUESTIONS = HotStatement(
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
        _QUESTIONS_JSON.label("questions"),
    )
    .select_from(User)
    .join(Poll, true())
    .where(User.id == bindparam("p_user"), Poll.id == bindparam("p_poll"))
    .with_for_update(of=User)
)


_USER_EXISTS = core_select(User.id).where(User.id == bindparam("p_user"))


_BALLOT_COLUMNS = [
    "poll_id",
    "user_id",
    "completed_at",
    "number_region",
    "receipt",
    "age_band",
    "gender",
    "district_id",
    "okrug_id",
    "tallied",
]


_INSERT_ANSWERS = HotStatement(
    insert(BallotAnswer).values(
        {c: bindparam(c) for c in ("ballot_id", "question_id", "option_id", "own_text")}
    )
)


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
    .returning(Poll.id)
)


# ``INSERT … ON CONFLICT DO NOTHING RETURNING id``: no row comes back when the ballot exists. The
# unique key (poll, user) decides even between racing transactions; one statement instead of a
# savepoint around the insert (SQLite; PostgreSQL writes everything in one statement).
_INSERT_BALLOT = HotStatement(
    sqlite_insert(Ballot)
    .values({column: bindparam(column) for column in _BALLOT_COLUMNS})
    .on_conflict_do_nothing()
    .returning(Ballot.id)
)


_COUNT_BALLOT_HOT = HotStatement(_COUNT_BALLOT)
