"""City and district polls, their questions, ballots, decisions."""

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
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
    """A completed ballot; the unique key makes a second ballot impossible under any concurrency."""

    __table_args__ = (UniqueConstraint("poll_id", "user_id", name="uq_ballot_poll_user"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    completed_at: datetime = instant()
    # «moscow» or «other», from the voter's phone number at voting time.
    number_region: str = Field(default="other", max_length=10)


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


class PollDecision(SQLModel, table=True):
    """A decision taken on a poll's result and its implementation status."""

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    # «adopted» («Решение принято») or «implemented» («Реализовано»).
    status: str = Field(default="adopted", max_length=12)
    created_at: datetime = instant()
    implemented_at: datetime | None = instant(nullable=True, default=None)
