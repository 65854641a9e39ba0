"""Limits and the read-only views (DTOs) of house polls; no view carries a user id, name or phone."""

from dataclasses import dataclass
from datetime import datetime

# Profile address kinds that tie a user to a house (SPEC §6.4; a work address does not).
HOME_ADDRESS_KINDS = ("property", "registration", "residence")


NEWS_TITLE_LIMIT = 300


# Finished polls whose results one job run publishes at most.
PUBLISH_BATCH = 100


@dataclass(frozen=True)
class HouseChoice:
    """A house the user may file an application for, and as whom (names of their initiator roles)."""

    house_id: int
    address: str
    roles: list[str]
    role_names: list[str]


@dataclass(frozen=True)
class OptionView:
    """An answer option of a house poll question."""

    id: int
    text: str


@dataclass(frozen=True)
class QuestionView:
    """A question with its options in order; ``position`` counts from 1."""

    id: int
    position: int
    text: str
    kind: str
    options: list[OptionView]


@dataclass(frozen=True)
class OptionResult:
    """How many participants chose an option, and their share in percent."""

    id: int
    text: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionResult:
    """Results of one question of a poll."""

    id: int
    text: str
    options: list[OptionResult]


@dataclass(frozen=True)
class HousePollResults:
    """Results: per question for a poll, «Нравится» / «Не нравится» for an informing.

    ``final`` once the period is over.
    """

    participants: int
    questions: list[QuestionResult]
    likes: int
    dislikes: int
    final: bool


@dataclass(frozen=True)
class HousePollSummary:
    """A house poll or informing in a resident's list."""

    id: int
    house_id: int
    address: str
    kind: str
    kind_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_name: str
    participated: bool
    participants: int


@dataclass(frozen=True, kw_only=True)
class HousePollDetail(HousePollSummary):
    """A house poll's page: texts, questions, whether the user may take part, visible results."""

    message: str
    audience_names: list[str]
    questions: list[QuestionView]
    can_participate: bool
    cannot_participate_reason: str
    results: HousePollResults | None


@dataclass(frozen=True)
class ParticipantNote:
    """An apartment number and/or a comment a participant left for the initiator — never who."""

    apartment: str
    comment: str


@dataclass(frozen=True)
class ModerationItem:
    """An application waiting for the moderator, with its deadline (``overdue`` once it passed)."""

    id: int
    address: str
    kind: str
    kind_name: str
    title: str
    message: str
    audience_names: list[str]
    questions: list[QuestionView]
    starts_at: datetime
    ends_at: datetime
    initiator_role_name: str
    filed_at: datetime
    due_at: datetime
    overdue: bool
    # False when the production calendar of the deadline's year is not loaded (weekends only).
    calendar_known: bool


@dataclass(frozen=True)
class InitiatorApplication:
    """One of the initiator's applications: status, refusal reasons, and for approved ones the
    results, the number of participants and the apartments and comments (never who)."""

    id: int
    address: str
    kind: str
    kind_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_name: str
    filed_at: datetime
    due_at: datetime
    decided_at: datetime | None
    refusal_reasons: list[str]
    participants: int
    results: HousePollResults | None
    notes: list[ParticipantNote]


@dataclass(frozen=True)
class ParticipationOutcome:
    """Taking part succeeded; the intermediate results are shown at once (SPEC §6.4)."""

    results: HousePollResults
