"""City and district polls, their questions, ballots, decisions."""

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class Poll(SQLModel, table=True):
    """A city-wide or territorial poll created by city staff.

    Lifecycle: draft → published (open between ``starts_at`` and ``ends_at``) → closed (at
    ``ends_at`` or earlier by staff) → results published.
    """

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    summary: str = Field(default="", max_length=1000)
    # «Подробнее» text.
    details: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    image_url: str = Field(default="", max_length=500)
    # «city» or «territorial»; territorial polls list their okrugs/districts in PollTerritory.
    scope: str = Field(default="city", max_length=12)
    # Also match the user's work address (registration and residence always match).
    include_work_address: bool = False
    min_level: int = 1
    # Audience filter: the voter has a child of an age in [children_age_min, children_age_max].
    children_age_min: int | None = None
    children_age_max: int | None = None
    starts_at: datetime = instant(index=True)
    ends_at: datetime = instant(index=True)
    points: int = 20
    hide_intermediate: bool = False
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant()
    published_at: datetime | None = instant(nullable=True, default=None)
    # Set when staff close the poll before ``ends_at``.
    closed_at: datetime | None = instant(nullable=True, default=None)
    results_published_at: datetime | None = instant(nullable=True, default=None)
    # Completed ballots; incremented in the ballot's transaction.
    ballots_count: int = 0
    # Set when the open data of the closed poll is sealed (PollSeal); no ballot is counted afterwards.
    sealed_at: datetime | None = instant(nullable=True, default=None)


class PollTerritory(SQLModel, table=True):
    """One okrug or district a territorial poll is held in (exactly one of the ids is set)."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    okrug_id: int | None = Field(default=None, foreign_key="okrug.id")
    district_id: int | None = Field(default=None, foreign_key="district.id")


class ExpertOpinion(SQLModel, table=True):
    """An expert's opinion shown with the poll."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int = 0
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))


class Question(SQLModel, table=True):
    """A question of a poll, answered in ``position`` order."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    text: str = Field(max_length=1000)
    # «single» or «multiple».
    kind: str = Field(default="single", max_length=10)
    # For multiple choice: the most options one may pick.
    max_choices: int = 1


class Option(SQLModel, table=True):
    """An answer option; ``is_own_text`` marks «Свой вариант», ``is_exclusive`` «Затрудняюсь ответить»."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    position: int
    text: str = Field(max_length=500)
    is_own_text: bool = False
    # Cannot be combined with other options (e.g. «Затрудняюсь ответить», «Мне не интересно»).
    is_exclusive: bool = False


class Ballot(SQLModel, table=True):
    """A completed ballot; the unique key makes a second ballot impossible under any concurrency.

    The voter's age band, gender, okrug and district are copied at voting time: open data and
    statistics are built from the ballot alone, never from the users table.
    """

    __table_args__ = (
        UniqueConstraint("poll_id", "user_id", name="uq_ballot_poll_user"),
        UniqueConstraint("poll_id", "receipt", name="uq_ballot_poll_receipt"),
        Index(
            "ix_ballot_untallied",
            "poll_id",
            "id",
            sqlite_where=text("NOT tallied"),
            postgresql_where=text("NOT tallied"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique key (poll_id, user_id) serves lookups by poll.
    poll_id: int = Field(foreign_key="poll.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    completed_at: datetime = instant()
    # «moscow» or «other», from the voter's phone number at voting time.
    number_region: str = Field(default="other", max_length=10)
    # Receipt code (SPEC §5.2): HMAC of (poll, user) under the server secret, unlinkable across polls.
    receipt: str = Field(max_length=20)
    # ag_app.domain.demographics.age_band at voting time; "" when the birth date is not given.
    age_band: str = Field(default="", max_length=10)
    # «male» / «female» / "" as in the profile at voting time.
    gender: str = Field(default="", max_length=10)
    # District and okrug of the residence address (else registration) at voting time.
    okrug_id: int | None = Field(default=None, foreign_key="okrug.id")
    district_id: int | None = Field(default=None, foreign_key="district.id")
    # Folded into PollStat (statistics aggregates); the partial index finds the ballots still to fold.
    tallied: bool = False


class BallotAnswer(SQLModel, table=True):
    """One chosen option of a ballot (a multiple-choice answer has several rows)."""

    __table_args__ = (Index("ix_ballotanswer_option", "option_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True)
    question_id: int = Field(foreign_key="question.id")
    option_id: int = Field(foreign_key="option.id")
    own_text: str = Field(default="", max_length=500)


class BallotDraft(SQLModel, table=True):
    """Saved progress of an unfinished ballot (counts for nothing until completed)."""

    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    # JSON: {question_id: {"option_ids": [...], "own_text": "..."}}.
    answers_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    updated_at: datetime = instant()


class PollStat(SQLModel, table=True):
    """An incrementally maintained statistics cell: ballots of a poll with one dimension value.

    ``dimension`` is one of ag_app.domain.stats.DIMENSIONS («all», «age», «gender», «okrug»,
    «district», «hour», «day», «region»), ``key`` its value; ``option_id`` 0 counts ballots,
    otherwise the ballots that chose that option.
    """

    __table_args__ = (UniqueConstraint("poll_id", "dimension", "key", "option_id", name="uq_pollstat_cell"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id")
    dimension: str = Field(max_length=10)
    key: str = Field(max_length=20)
    option_id: int = 0
    count: int = 0


class PollSeal(SQLModel, table=True):
    """The seal of a closed poll's open data (SPEC §5.3): row count, final chain hash, totals."""

    poll_id: int = Field(foreign_key="poll.id", primary_key=True)
    rows: int
    final_hash: str = Field(max_length=64)
    # JSON of ag_app.domain.opendata totals: {"ballots": N, "questions": {column: {option: count}}}.
    totals_json: str = Field(sa_column=Column(Text, nullable=False))
    sealed_at: datetime = instant()


class PollSealCheckpoint(SQLModel, table=True):
    """Where the sealed chain stands at every ``CHECKPOINT_EVERY``-th row (rows 1, K + 1, 2K + 1, …).

    A page of the open data or one receipt's row is rebuilt from the nearest checkpoint before it
    (at most K rows hashed), however many rows the poll has.
    """

    __table_args__ = (Index("ix_pollsealcheckpoint_receipt", "poll_id", "receipt"),)

    poll_id: int = Field(foreign_key="poll.id", primary_key=True)
    # The row number (from 1) in receipt order.
    row: int = Field(primary_key=True)
    receipt: str = Field(max_length=20)
    # The hash of the row before (GENESIS for row 1).
    prev_hash: str = Field(max_length=64)


class PollDecision(SQLModel, table=True):
    """A decision taken on a poll's result and its implementation status."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    # «adopted» («Решение принято») or «implemented» («Реализовано»).
    status: str = Field(default="adopted", max_length=12)
    created_at: datetime = instant()
    implemented_at: datetime | None = instant(nullable=True, default=None)
