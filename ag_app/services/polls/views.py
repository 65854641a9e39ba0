"""What the poll pages and the API show: the read-only views (DTOs) of polls, results, decisions and news."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PollSummary:
    """A poll in a list."""

    id: int
    title: str
    summary: str
    image_url: str
    scope: str
    # «Весь город» or the okrugs/districts, e.g. «ЦАО, Раменки».
    territory: str
    points: int
    starts_at: datetime
    ends_at: datetime
    state: str
    ballots_count: int
    voted: bool
    # The state in words, e.g. «идёт», «завершено».
    state_name: str = ""


@dataclass(frozen=True)
class ExpertView:
    """An expert opinion."""

    name: str
    title: str
    text: str


@dataclass(frozen=True)
class OptionView:
    """An answer option."""

    id: int
    text: str
    is_own_text: bool
    is_exclusive: bool


@dataclass(frozen=True)
class QuestionView:
    """A question with its options in order; ``position`` counts from 1."""

    id: int
    position: int
    text: str
    kind: str
    max_choices: int
    allows_own_text: bool
    options: list[OptionView]


@dataclass(frozen=True)
class OptionResult:
    """Votes for an option; ``percent`` of the ballots that answered the question (also per region)."""

    id: int
    text: str
    count: int
    percent: float
    moscow: int
    other: int
    moscow_percent: float = 0.0
    other_percent: float = 0.0


@dataclass(frozen=True)
class QuestionResult:
    """Results of a question; ``own_texts`` are the newest «Свой вариант» answers."""

    id: int
    text: str
    answered: int
    options: list[OptionResult]
    own_texts: list[str]


@dataclass(frozen=True)
class PollResults:
    """Results of a poll, overall and split by Moscow / other phone numbers."""

    ballots: int
    moscow_ballots: int
    other_ballots: int
    questions: list[QuestionResult]
    # Final (published by staff) rather than intermediate.
    final: bool = False


@dataclass(frozen=True)
class DecisionView:
    """A decision taken on a poll's result."""

    id: int
    text: str
    status: str
    status_name: str
    created_at: datetime
    implemented_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class PollDetail(PollSummary):
    """A poll page: the summary fields plus texts, questions, the user's situation and results."""

    details: str
    experts: list[ExpertView]
    questions: list[QuestionView]
    can_vote: bool
    cannot_vote_reason: str
    results: PollResults | None
    results_final: bool
    decisions: list[DecisionView]
    hide_intermediate: bool = False
    min_level: int = 1
    children_age_min: int | None = None
    children_age_max: int | None = None
    include_work_address: bool = False
    published_at: datetime | None = None
    okrug_ids: list[int] | None = None
    district_ids: list[int] | None = None


@dataclass(frozen=True)
class PastAnswer:
    """A question of a past poll with every option and whether the user chose it."""

    text: str
    options: list[tuple[str, bool]]
    own_text: str


@dataclass(frozen=True)
class PastPoll:
    """A poll the user completed («Прошедшие»)."""

    poll_id: int
    title: str
    completed_at: datetime
    points: int
    questions: list[PastAnswer]
    state: str = ""
    # The ballot's receipt code (SPEC §5.2): finds the ballot's row in the poll's open data.
    receipt: str = ""


@dataclass(frozen=True)
class NewsView:
    """An item of «Новости»."""

    id: int
    kind: str
    title: str
    body: str
    poll_id: int | None
    published_at: datetime


@dataclass(frozen=True)
class Territory:
    """The okrugs and districts of a territorial poll and how they read."""

    okrug_ids: frozenset[int]
    district_ids: frozenset[int]
    text: str


CITY_TERRITORY = Territory(frozenset(), frozenset(), "Весь город")
