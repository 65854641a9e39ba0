"""«Электронный дом» house polls and informings (SPEC §6): applications, questions, participation.

Participation is anonymous by construction. Who took part is one table
(:class:`HousePollParticipant`: poll and user, unique — that is what makes taking part once-only);
what was answered is another (:class:`HousePollResponse` with its :class:`HousePollChoice` rows:
the options or the rating, the optional apartment number and comment). A response carries no user
id and no time, and its key is random rather than a sequence (on SQLite the table has no rowid
either), so neither a column nor the order of keys joins a response to a person.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class HousePoll(SQLModel, table=True):
    """An initiator's application for a house: a poll («опрос») or an informing («информирование»).

    Lifecycle: filed → on moderation until ``moderation_due_at`` (5 working days) → approved
    (open between ``starts_at`` and ``ends_at``) or refused with reasons → after the end its
    final results are published once in «Новости» (``results_published_at``).
    """

    __table_args__ = (
        CheckConstraint("kind IN ('poll', 'informing')", name="ck_housepoll_kind"),
        CheckConstraint("decision IN ('', 'approved', 'refused')", name="ck_housepoll_decision"),
        CheckConstraint(
            "participants_count >= 0 AND likes >= 0 AND dislikes >= 0", name="ck_housepoll_counters"
        ),
        Index("ix_housepoll_queue", "decision", "moderation_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", index=True)
    # «poll» or «informing».
    kind: str = Field(max_length=10)
    title: str = Field(max_length=300)
    # The informing's text; for a poll an optional introduction.
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The audience: keys of ag_app.domain.house_polls.AUDIENCES joined by «,» in that order.
    audience: str = Field(max_length=60)
    starts_at: datetime = instant()
    ends_at: datetime = instant(index=True)
    initiator_id: int = Field(foreign_key="user.id", index=True)
    # The key of ag_app.domain.house_polls.INITIATOR_ROLES the initiator applied as.
    initiator_role: str = Field(max_length=30)
    filed_at: datetime = instant()
    # When the moderator's decision is due (the Moscow midnight after the 5th working day).
    moderation_due_at: datetime = instant()
    # "" while on moderation, then «approved» or «refused».
    decision: str = Field(default="", max_length=10)
    decided_at: datetime | None = instant(nullable=True, default=None)
    moderator_id: int | None = Field(default=None, foreign_key="user.id")
    # Keys of ag_app.domain.house_polls.REFUSAL_REASONS joined by «,» (refused applications only).
    refusal_reasons: str = Field(default="", max_length=300)
    # People who took part, and an informing's ratings; incremented in the participation's transaction.
    participants_count: int = 0
    likes: int = 0
    dislikes: int = 0
    # Set once when the final results went to «Новости».
    results_published_at: datetime | None = instant(nullable=True, default=None)


class HousePollQuestion(SQLModel, table=True):
    """A question of a house poll, answered in ``position`` order (from 1)."""

    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="housepoll.id")
    position: int
    text: str = Field(max_length=1000)
    # «single» or «multiple».
    kind: str = Field(default="single", max_length=10)


class HousePollOption(SQLModel, table=True):
    """An answer option of a house poll question, in ``position`` order (from 1)."""

    __table_args__ = (
        UniqueConstraint("question_id", "position"),
        CheckConstraint("votes >= 0", name="ck_housepolloption_votes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="housepollquestion.id")
    position: int
    text: str = Field(max_length=500)
    # Participants who chose it; incremented in the participation's transaction (equals a recount
    # of HousePollChoice), so results are read without scanning the responses.
    votes: int = 0


class HousePollParticipant(SQLModel, table=True):
    """That a user took part in a house poll — nothing about what they answered, and no time.

    The unique key makes a second participation impossible under any concurrency.
    """

    __table_args__ = (UniqueConstraint("poll_id", "user_id", name="uq_housepollparticipant_poll_user"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="housepoll.id")
    user_id: int = Field(foreign_key="user.id", index=True)


class HousePollResponse(SQLModel, table=True):
    """What one participant answered, without who or when (SPEC §6.4, §14).

    ``id`` is random (not a sequence); the apartment number and the comment are seen only by the
    initiator.
    """

    __table_args__ = (
        CheckConstraint("rating IN ('', 'like', 'dislike')", name="ck_housepollresponse_rating"),
        {"sqlite_with_rowid": False},
    )

    # 32 random hex digits.
    id: str = Field(primary_key=True, max_length=32)
    poll_id: int = Field(foreign_key="housepoll.id", index=True)
    # An informing's «like» / «dislike»; "" for a poll (its answers are HousePollChoice rows).
    rating: str = Field(default="", max_length=10)
    # Optional, as the participant wrote it; "" when not given.
    apartment: str = Field(default="", max_length=10)
    comment: str = Field(default="", max_length=1000)


class HousePollChoice(SQLModel, table=True):
    """One chosen option of a response (a multiple-choice answer has several rows)."""

    __table_args__ = ({"sqlite_with_rowid": False},)

    response_id: str = Field(foreign_key="housepollresponse.id", primary_key=True, max_length=32)
    option_id: int = Field(foreign_key="housepolloption.id", primary_key=True, index=True)
