"""General meetings of owners («ОСС», SPEC §7): the register of enabled houses, meetings, agendas,
owners' decisions and the audit log of rejected decisions.

An owner is the registry person (``PremiseHolder.person_ref``) within the house, whichever channel
their decision came through: the unique key (question, owner) makes a second decision on a
question impossible under any concurrency — online or on paper, whichever arrives first counts.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class MeetingHouse(SQLModel, table=True):
    """A house in the register of houses enabled for online meetings (SPEC §7.1).

    Staff add a house once its first (paper) meeting chose the platform and the housing inspection
    accepted that meeting's protocol.
    """

    id: int | None = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", unique=True)
    # The housing inspection's reference of the accepted protocol, e.g. «МЖИ № 12-345/26 от 01.10.2026».
    inspection_protocol: str = Field(max_length=200)
    recorded_by: int = Field(foreign_key="user.id")
    recorded_at: datetime = instant()


class Meeting(SQLModel, table=True):
    """An owners' meeting held online in an enabled house (SPEC §7.2–7.7).

    Whether voting is open follows from the period (``ag_app.domain.meetings.meeting_state``);
    ``status`` records the one transition that is not a matter of time: the protocol was made.
    """

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_meeting_period"),
        CheckConstraint("starts_at > notified_at", name="ck_meeting_notice"),
    )

    id: int | None = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", index=True)
    initiator_id: int = Field(foreign_key="user.id", index=True)
    # «owner» or «management_company» (ag_app.domain.meetings.INITIATOR_ROLES).
    initiator_kind: str = Field(max_length=20)
    notified_at: datetime = instant()
    starts_at: datetime = instant()
    ends_at: datetime = instant()
    # Where owners hand in paper decisions.
    in_person_address: str = Field(max_length=500)
    # «announced» (filed, owners notified) or «protocol» (after the end, the protocol is made).
    status: str = Field(default="announced", max_length=20)
    # SHA-256 of the protocol PDF ("" until it is made).
    protocol_sha256: str = Field(default="", max_length=64)
    protocol_generated_at: datetime | None = instant(nullable=True, default=None)


class MeetingProtocol(SQLModel, table=True):
    """The protocol PDF of a finished meeting, exactly the bytes whose SHA-256 the meeting shows."""

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MeetingQuestion(SQLModel, table=True):
    """An agenda question with its topic and adoption threshold (SPEC §7.2, §7.5)."""

    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    # 1, 2, … in agenda order.
    position: int
    text: str = Field(max_length=1000)
    # A key of ag_app.domain.meetings.TOPICS.
    topic: str = Field(max_length=30)
    # A key of ag_app.domain.meetings.THRESHOLDS.
    threshold: str = Field(max_length=30)


class MeetingDecision(SQLModel, table=True):
    """An owner's decision on one agenda question, online or entered from paper (SPEC §7.3)."""

    __table_args__ = (
        UniqueConstraint("question_id", "owner_ref"),
        CheckConstraint("choice IN ('for', 'against', 'abstain')", name="ck_meetingdecision_choice"),
        CheckConstraint("channel IN ('online', 'paper')", name="ck_meetingdecision_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    question_id: int = Field(foreign_key="meetingquestion.id")
    # The registry person (PremiseHolder.person_ref) owning premises in the meeting's house.
    owner_ref: str = Field(max_length=64)
    # «for», «against» or «abstain».
    choice: str = Field(max_length=10)
    # «online» (the owner in the app) or «paper» (entered by staff from a handed-in decision).
    channel: str = Field(max_length=10)
    # SHA-256 of the paper decision's scan ("" online).
    scan_sha256: str = Field(default="", max_length=64)
    # The owner's account online, the staff member on paper.
    entered_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant()


class MeetingRejection(SQLModel, table=True):
    """The audit log of refused decisions: a later decision of an owner who already decided."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    question_id: int = Field(foreign_key="meetingquestion.id")
    owner_ref: str = Field(max_length=64)
    # The channel of the refused decision: «online» or «paper».
    channel: str = Field(max_length=10)
    # The refused choice as given.
    choice: str = Field(max_length=10)
    # An ag_app.i18n key, e.g. «meeting.already_decided».
    reason: str = Field(max_length=60)
    scan_sha256: str = Field(default="", max_length=64)
    entered_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant()
