"""Limits of the renovation vote and the read-only views (DTOs) its pages and the API show."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ag_app.i18n import statuses

# Registry roles that may vote for an apartment (SPEC §8.1).
VOTER_ROLES = frozenset({"owner", "social_tenant"})


TITLE_LIMIT = 300


QUESTION_LIMIT = 1000


REASON_LIMIT = 500


# Houses a staff member may put into one vote.
HOUSES_LIMIT = 10000


# Houses an address lookup returns.
LOOKUP_LIMIT = 20


ADDRESS_MIN = 3


CHECK_PATH = "/renovation/check"


CAMPAIGN_STATES = statuses("renovation_campaign")


@dataclass(frozen=True)
class CampaignView:
    """A house vote as staff and residents see it."""

    id: int
    title: str
    question: str
    starts_at: datetime
    ends_at: datetime
    # «scheduled», «open» or «closed».
    state: str
    state_name: str
    houses: int


@dataclass(frozen=True)
class HouseOption:
    """A registry house that has apartments (for the staff form and the in-person entry)."""

    id: int
    address: str
    apartments: int


@dataclass(frozen=True)
class CastOutcome:
    """What casting or entering a vote did; ``check_code`` is shown once (empty while pending)."""

    ballot_id: int
    status: str
    status_name: str
    verification_due: datetime
    check_code: str


@dataclass(frozen=True)
class ApartmentBallot:
    """One apartment of a resident in a vote, with the resident's own vote for it if any."""

    premise_id: int
    apartment: str
    role: str
    voted: bool
    choice: str
    status: str
    # «на проверке», «учтён», «не учтён: …».
    status_text: str
    verification_due: datetime | None
    # Last four digits of the check code («…9012»), empty until verified.
    check_code_tail: str


@dataclass(frozen=True)
class ResidentCampaign:
    """A vote in one of the resident's houses, with their apartments there."""

    campaign: CampaignView
    house_id: int
    address: str
    apartments: list[ApartmentBallot]


@dataclass(frozen=True)
class HouseHit:
    """A house found by address, in a vote."""

    campaign_id: int
    campaign_title: str
    campaign_state: str
    house_id: int
    address: str
    district: str


@dataclass(frozen=True)
class HouseResult:
    """The result of a house in a vote (SPEC §8.3); no personal data."""

    campaign_id: int
    campaign_title: str
    question: str
    campaign_state: str
    house_id: int
    address: str
    district: str
    total_apartments: int
    voted: int
    # voted / total apartments, in per cent (one decimal).
    turnout_percent: float
    for_apartments: int
    against_apartments: int
    split: int
    silent: int
    silent_for: int
    silent_against: int
    counted: int
    total_for: int
    total_against: int
    # total «за» / counted apartments, in per cent (one decimal).
    for_percent: float
    # When the vote ends: until then the figures are preliminary.
    ends_at: datetime
    # True until the vote has ended: the figures may still change and the vote decides nothing yet.
    preliminary: bool
    # What the vote decided; None while it is preliminary.
    included_by_vote: bool | None
    # The meeting decision that overrides the vote, if staff entered one.
    meeting_protocol: str
    meeting_for_votes: Decimal | None
    meeting_total_votes: Decimal | None
    # The house's decision: the meeting's when entered (it holds whatever the vote gives), else the
    # vote's once it has ended; None while there is none yet.
    included: bool | None
    # «vote», «meeting», or None while there is no decision yet.
    decision_source: str | None
    decision_text: str


@dataclass(frozen=True)
class CheckView:
    """How a vote was counted, as anyone holding its check code sees it (no personal data)."""

    campaign_title: str
    question: str
    address: str
    apartment: str
    choice: str
    channel: str
    cast_at: datetime
    status: str
    counted: bool
    explanation: str
    decision_text: str


@dataclass(frozen=True)
class QueueItem:
    """A vote waiting for a moderator, with what the verification needs to compare (staff only)."""

    ballot_id: int
    campaign_title: str
    address: str
    apartment: str
    channel: str
    cast_at: datetime
    verification_due: datetime
    overdue: bool
    # The account's name and the registry row's name (or «нет в реестре»).
    voter_name: str
    registry_name: str
    registry_role: str


@dataclass(frozen=True)
class HolderOption:
    """A registry owner or social tenant of an apartment, for staff entering an in-person vote."""

    holder_id: int
    apartment: str
    role: str
    name: str
