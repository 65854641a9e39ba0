"""Names and limits of general meetings and the read-only views (DTOs) their pages and the API show."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ag_app.i18n import statuses

INSPECTION_LIMIT = 200


CHANNELS = {"online": "электронно", "paper": "на бумаге"}


STATE_NAMES = statuses("meeting", heading=True)


@dataclass(frozen=True)
class EnabledHouse:
    """A house of the register of houses enabled for online meetings."""

    house_id: int
    address: str
    district: str
    inspection_protocol: str
    recorded_at: datetime


@dataclass(frozen=True)
class FilingHouse:
    """A house of the user's, and whether (or why not) they may file a meeting there."""

    house_id: int
    address: str
    # «owner» or «management_company» when the user may file, "" otherwise.
    initiator_kind: str
    cannot_file_reason: str


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting in a list: house, period and state."""

    id: int
    house_id: int
    address: str
    starts_at: datetime
    ends_at: datetime
    state: str
    state_name: str
    questions: int


@dataclass(frozen=True)
class QuestionMeter:
    """One agenda question's live count in m² (exact values rounded to 0.01 for display)."""

    question_id: int
    number: int
    text: str
    topic: str
    threshold: str
    threshold_name: str
    for_m2: Decimal
    against_m2: Decimal
    abstain_m2: Decimal
    # m² of «За» still needed to adopt the question (0 when adopted).
    needed_m2: Decimal
    adopted: bool
    # False when even «За» from every owner who has not answered would not adopt it.
    possible: bool


@dataclass(frozen=True)
class MeetingMeter:
    """The live meter (SPEC §7.6): votes collected, the quorum line and each question's need.

    Aggregates only: no owner is named.
    """

    meeting_id: int
    state: str
    total_m2: Decimal
    participating_m2: Decimal
    # Half of all votes: the quorum needs more than this.
    quorum_line_m2: Decimal
    quorum: bool
    quorum_needed_m2: Decimal
    # How many owners returned at least one decision.
    owners_voted: int
    # How many decisions are stored (grows with every accepted decision).
    decisions: int
    questions: tuple[QuestionMeter, ...]


@dataclass(frozen=True)
class MeetingView:
    """A meeting page: the facts, the live meter, the viewer's own decisions and rights."""

    id: int
    house_id: int
    address: str
    district: str
    initiator_kind: str
    notified_at: datetime
    starts_at: datetime
    ends_at: datetime
    in_person_address: str
    state: str
    state_name: str
    meter: MeetingMeter
    can_vote: bool
    cannot_vote_reason: str
    # The viewer's decisions so far by question id («for» / «against» / «abstain»).
    my_decisions: dict[int, str]
    protocol_sha256: str
    protocol_generated_at: datetime | None


@dataclass(frozen=True)
class RefusedDecision:
    """A decision that was not accepted, with the Russian reason."""

    question_id: int
    number: int
    reason: str


@dataclass(frozen=True)
class DecisionOutcome:
    """What happened to the decisions given: accepted question ids and refused ones."""

    accepted: tuple[int, ...]
    refused: tuple[RefusedDecision, ...]


@dataclass(frozen=True)
class PremiseOwner:
    """An owner of a premise as staff see it when entering a paper decision (name from the registry)."""

    person_ref: str
    name: str
    share: str


@dataclass(frozen=True)
class RejectionView:
    """A row of the audit log of refused decisions (for staff)."""

    created_at: datetime
    owner_ref: str
    question_number: int
    channel: str
    choice: str
    reason: str
    scan_sha256: str
    entered_by: str


@dataclass(frozen=True)
class RegistryHouse:
    """A house with premises in the registry, and whether it is already in the register."""

    house_id: int
    address: str
    premises: int
    enabled: bool
