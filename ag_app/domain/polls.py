"""Rules of city and district polls (SPEC §2): lifecycle, who may vote, ballot checks, tallies.

Everything here is pure: times come in as parameters, nothing touches the database.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import LEVEL_NAMES
from ag_app.domain.text import clean_text
from ag_app.i18n import statuses

# SPEC §3.2: default points for completing a poll.
POINTS_CITY = 20
POINTS_TERRITORIAL = 5
POINTS_MAX = 1000
# SPEC §2.2: «Свой вариант» is at most 500 characters.
OWN_TEXT_LIMIT = 500
# SPEC §1.4: district/okrug polls need level 2 («стандартный»).
TERRITORIAL_MIN_LEVEL = 2
CHILD_AGE_MAX = 18

SCOPES = ("city", "territorial")
KINDS = ("single", "multiple")
STATES = ("draft", "scheduled", "active", "closed", "results")
# How a state reads after «голосование …» in messages and lists.
STATE_NAMES = statuses("poll")
DECISION_STATUSES = statuses("decision", heading=True)

# Address kinds that always place a voter in a territory (work only when the poll says so).
HOME_KINDS = ("registration", "residence")

# Limits of the staff form (mirroring the column sizes of ag_app.models.polls).
TITLE_LIMIT = 300
SUMMARY_LIMIT = 1000
DETAILS_LIMIT = 20000
IMAGE_URL_LIMIT = 500
EXPERT_NAME_LIMIT = 200
EXPERT_TITLE_LIMIT = 300
EXPERT_TEXT_LIMIT = 5000
QUESTION_TEXT_LIMIT = 1000
OPTION_TEXT_LIMIT = 500
MAX_QUESTIONS = 30
MAX_OPTIONS = 30


def default_points(scope: str) -> int:
    """Points for completing a poll unless staff set them: 20 city-wide, 5 territorial."""
    return POINTS_TERRITORIAL if scope == "territorial" else POINTS_CITY


def poll_state(
    *,
    published_at: datetime | None,
    closed_at: datetime | None,
    results_published_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> str:
    """The lifecycle state of a poll at ``now``.

    Unpublished polls are drafts. A published poll is «scheduled» before its start, «active» from
    its start (inclusive) until its end (exclusive) unless staff closed it early, then «closed»;
    once final results are published it is «results».
    """
    if published_at is None:
        return "draft"
    if results_published_at is not None:
        return "results"
    if closed_at is not None and as_utc(closed_at) <= as_utc(now):
        return "closed"
    if as_utc(now) >= as_utc(ends_at):
        return "closed"
    if as_utc(now) < as_utc(starts_at):
        return "scheduled"
    return "active"


def format_moscow(moment: datetime) -> str:
    """An instant as Moscow wall time for messages, e.g. «20.11.2026 в 12:00 (мск)»."""
    local = as_utc(moment).astimezone(MOSCOW)
    return f"{local:%d.%m.%Y} в {local:%H:%M} (мск)"


def children_age_bounds(age_min: int | None, age_max: int | None) -> tuple[int, int] | None:
    """The children filter as an inclusive age range, or None when the poll has no such filter.

    One missing bound means "from 0" or "up to 18".
    """
    if age_min is None and age_max is None:
        return None
    return (0 if age_min is None else age_min, CHILD_AGE_MAX if age_max is None else age_max)


def has_child_of_age(child_birth_years: Iterable[int], *, year: int, low: int, high: int) -> bool:
    """Whether a child's age in ``year`` (``year - birth_year``) is within ``[low, high]``."""
    return any(low <= year - birth_year <= high for birth_year in child_birth_years)


@dataclass(frozen=True)
class Place:
    """Where an address lies: its district and the district's okrug."""

    district_id: int
    okrug_id: int


@dataclass(frozen=True)
class Voter:
    """What eligibility needs to know about a logged-in user."""

    level: int
    # Places of the registration and residence addresses.
    home: tuple[Place, ...] = ()
    # Place of the work address, if any.
    work: Place | None = None
    child_birth_years: tuple[int, ...] = ()
    has_voted: bool = False


@dataclass(frozen=True)
class Audience:
    """Who a poll is for and when it is open (the poll's side of eligibility)."""

    starts_at: datetime
    ends_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    results_published_at: datetime | None = None
    scope: str = "city"
    okrug_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    # Human-readable territory for the refusal message, e.g. «район Арбат, ЗАО».
    territory: str = ""
    include_work_address: bool = False
    min_level: int = 1
    children_age_min: int | None = None
    children_age_max: int | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a user cannot vote: an :mod:`ag_app.i18n` key and its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


def required_level(audience: Audience) -> int:
    """The identification level a poll needs: its own minimum, and at least 2 for territorial polls."""
    if audience.scope == "territorial":
        return max(audience.min_level, TERRITORIAL_MIN_LEVEL)
    return audience.min_level


def voter_places(audience: Audience, voter: Voter) -> tuple[Place, ...]:
    """The voter's places that count for this poll: registration and residence, plus work if allowed."""
    if audience.include_work_address and voter.work is not None:
        return (*voter.home, voter.work)
    return voter.home


def territory_matches(audience: Audience, places: Iterable[Place]) -> bool:
    """Whether one of ``places`` lies in one of the poll's districts or okrugs (city-wide: always)."""
    if audience.scope != "territorial":
        return True
    return any(p.district_id in audience.district_ids or p.okrug_id in audience.okrug_ids for p in places)


def why_cannot_vote(audience: Audience, voter: Voter | None, *, now: datetime) -> Refusal | None:
    """The first reason a user may not vote in a poll now, or None when they may.

    Checked in this order: the poll is published; it has started (the message names the Moscow
    start time); it has not finished; the user is logged in (``voter`` None is a guest); they have
    not voted yet; a territorial poll needs a registration or residence address (or work, when the
    poll includes work addresses); the identification level is high enough (territorial polls need
    at least 2); one of those addresses lies in the poll's districts/okrugs; the children filter —
    the user has a child whose age in the poll's Moscow start year is within the range.
    """
    state = poll_state(
        published_at=audience.published_at,
        closed_at=audience.closed_at,
        results_published_at=audience.results_published_at,
        starts_at=audience.starts_at,
        ends_at=audience.ends_at,
        now=now,
    )
    if state == "draft":
        return Refusal("poll.not_published")
    if state == "scheduled":
        return Refusal("poll.not_started", {"at": format_moscow(audience.starts_at)})
    if state in ("closed", "results"):
        finished = min(as_utc(m) for m in (audience.closed_at, audience.ends_at) if m is not None)
        return Refusal("poll.finished", {"at": format_moscow(finished)})
    if voter is None:
        return Refusal("auth.required")
    if voter.has_voted:
        return Refusal("poll.already_voted")
    places = voter_places(audience, voter)
    if audience.scope == "territorial" and not places:
        return Refusal("poll.no_address")
    level = required_level(audience)
    if voter.level < level:
        return Refusal("poll.level_required", {"level": level, "name": LEVEL_NAMES.get(level, "")})
    if not territory_matches(audience, places):
        return Refusal("poll.territory_mismatch", {"territory": audience.territory})
    bounds = children_age_bounds(audience.children_age_min, audience.children_age_max)
    if bounds is not None:
        year = moscow_date(audience.starts_at).year
        if not has_child_of_age(voter.child_birth_years, year=year, low=bounds[0], high=bounds[1]):
            return Refusal("poll.children_required", {"low": bounds[0], "high": bounds[1]})
    return None


# ----------------------------------------------------------------------------------------------
# Ballots


@dataclass(frozen=True)
class OptionSpec:
    """An answer option as the rules see it."""

    id: int
    text: str
    is_own_text: bool = False
    is_exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the rules see it; ``options`` in display order."""

    id: int
    text: str
    kind: str = "single"
    max_choices: int = 1
    options: tuple[OptionSpec, ...] = ()


@dataclass(frozen=True)
class AnswerInput:
    """The user's answer to one question: chosen option ids and the «Свой вариант» text."""

    question_id: int
    option_ids: list[int] = field(default_factory=list)
    own_text: str = ""


def validate_answers(
    questions: Sequence[QuestionSpec],
    answers: Sequence[AnswerInput],
    own_text_limit: int = OWN_TEXT_LIMIT,
    *,
    complete: bool = True,
) -> list[AnswerInput]:
    """Check a ballot and return it normalised, one answer per question in question order.

    Rules: every answer names a question of this poll, at most once; every question is answered
    (with ``complete=False``, for saved progress, unanswered questions are allowed); a single-choice
    question takes exactly one option, a multiple-choice one at least one and at most
    ``max_choices``; options must belong to their question; an exclusive option («Затрудняюсь
    ответить», «Мне не интересно») is not combined with others; «Свой вариант» needs a non-blank
    text of at most ``own_text_limit`` characters (after stripping), and text is refused when that
    option is not chosen. Repeated option ids count once.

    Raises:
        InvalidInput: with the key of the first broken rule, naming the question number.
    """
    by_id = {q.id: (number, q) for number, q in enumerate(questions, start=1)}
    given: dict[int, AnswerInput] = {}
    for answer in answers:
        if answer.question_id not in by_id:
            raise InvalidInput("poll.question_foreign")
        number = by_id[answer.question_id][0]
        if answer.question_id in given:
            raise InvalidInput("poll.answer_duplicate", number=number)
        given[answer.question_id] = answer
    result: list[AnswerInput] = []
    for number, question in enumerate(questions, start=1):
        answer = given.get(question.id)
        chosen = list(dict.fromkeys(answer.option_ids)) if answer is not None else []
        own_text = clean_text(answer.own_text) if answer is not None else ""
        if not chosen and not own_text:
            if complete:
                raise InvalidInput("poll.answer_required", number=number, text=question.text)
            continue
        options = {o.id: o for o in question.options}
        for option_id in chosen:
            if option_id not in options:
                raise InvalidInput("poll.option_foreign", number=number)
        own_chosen = any(options[o].is_own_text for o in chosen)
        if own_text and not own_chosen:
            if any(o.is_own_text for o in question.options):
                raise InvalidInput("poll.own_text_option_not_chosen", number=number)
            raise InvalidInput("poll.own_text_not_allowed", number=number)
        if question.kind == "single" and len(chosen) > 1:
            raise InvalidInput("poll.single_choice", number=number)
        if question.kind == "multiple" and len(chosen) > question.max_choices:
            raise InvalidInput("poll.too_many_choices", number=number, limit=question.max_choices)
        if len(chosen) > 1:
            for option_id in chosen:
                if options[option_id].is_exclusive:
                    raise InvalidInput("poll.exclusive_option", text=options[option_id].text, number=number)
        if own_chosen and complete and not own_text:
            raise InvalidInput("poll.own_text_required", number=number)
        if len(own_text) > own_text_limit:
            raise InvalidInput("poll.own_text_too_long", number=number, limit=own_text_limit)
        result.append(AnswerInput(question_id=question.id, option_ids=chosen, own_text=own_text))
    return result


# ----------------------------------------------------------------------------------------------
# Staff input


@dataclass(frozen=True)
class OptionInput:
    """An option typed by staff."""

    text: str
    is_own_text: bool = False
    is_exclusive: bool = False


@dataclass(frozen=True)
class QuestionInput:
    """A question typed by staff; ``max_choices`` matters for multiple choice only."""

    text: str
    kind: str = "single"
    max_choices: int = 1
    options: list[OptionInput] = field(default_factory=list)


@dataclass(frozen=True)
class ExpertInput:
    """An expert opinion: name, position and text."""

    name: str
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class PollInput:
    """Everything staff enter for a poll (SPEC §2.1); ``points`` None means the default by scope."""

    title: str
    starts_at: datetime
    ends_at: datetime
    summary: str = ""
    details: str = ""
    image_url: str = ""
    scope: str = "city"
    okrug_ids: list[int] = field(default_factory=list)
    district_ids: list[int] = field(default_factory=list)
    include_work_address: bool = False
    min_level: int = 1
    children_age_min: int | None = None
    children_age_max: int | None = None
    points: int | None = None
    hide_intermediate: bool = False
    experts: list[ExpertInput] = field(default_factory=list)
    questions: list[QuestionInput] = field(default_factory=list)


def _limited(value: str, *, field_name: str, limit: int) -> str:
    cleaned = clean_text(value)
    if len(cleaned) > limit:
        raise InvalidInput("poll.field_too_long", field=field_name, limit=limit)
    return cleaned


def _clean_question(number: int, question: QuestionInput) -> QuestionInput:
    text = clean_text(question.text)
    if not text:
        raise InvalidInput("poll.question_text_required", number=number)
    text = _limited(text, field_name=f"Вопрос {number}", limit=QUESTION_TEXT_LIMIT)
    if question.kind not in KINDS:
        raise InvalidInput("poll.kind_invalid", number=number)
    if len(question.options) < 2:
        raise InvalidInput("poll.options_required", number=number)
    if len(question.options) > MAX_OPTIONS:
        raise InvalidInput("poll.too_many_options", number=number, limit=MAX_OPTIONS)
    options: list[OptionInput] = []
    for option in question.options:
        option_text = clean_text(option.text)
        if not option_text:
            raise InvalidInput("poll.option_text_required", number=number)
        option_text = _limited(
            option_text, field_name=f"Вариант ответа в вопросе {number}", limit=OPTION_TEXT_LIMIT
        )
        options.append(replace(option, text=option_text))
    if sum(o.is_own_text for o in options) > 1:
        raise InvalidInput("poll.own_option_duplicate", number=number)
    max_choices = 1
    if question.kind == "multiple":
        max_choices = question.max_choices
        if not 1 <= max_choices <= len(options):
            raise InvalidInput("poll.max_choices_invalid", number=number, limit=len(options))
    return QuestionInput(text=text, kind=question.kind, max_choices=max_choices, options=options)


class PollProblems(InvalidInput):
    """Every broken rule of a poll form at once; ``problems`` are (form field, refusal) pairs.

    A single problem keeps its own key and sentence; several read as one «poll.form_problems»
    sentence listing them all. ``fields`` names the form fields to mark, in form order.
    """

    def __init__(self, problems: Sequence[tuple[str, InvalidInput]]) -> None:
        self.problems = list(problems)
        self.fields = list(dict.fromkeys(name for name, _ in self.problems))
        if len(self.problems) == 1:
            only = self.problems[0][1]
            super().__init__(only.key, **only.params)
        else:
            super().__init__(
                "poll.form_problems",
                count=len(self.problems),
                problems=" ".join(str(error) for _, error in self.problems),
            )


class _Problems:
    """Collects refusals per form field instead of stopping at the first one."""

    def __init__(self, prior: Sequence[tuple[str, InvalidInput]]) -> None:
        self.items: list[tuple[str, InvalidInput]] = list(prior)

    def add(self, name: str, error: InvalidInput) -> None:
        self.items.append((name, error))

    def has(self, *names: str) -> bool:
        return any(name in names for name, _ in self.items)

    def text(self, name: str, value: str, *, label: str, limit: int) -> str:
        try:
            return _limited(value, field_name=label, limit=limit)
        except InvalidInput as error:
            self.add(name, error)
            return value


def validate_poll(data: PollInput, *, prior: Sequence[tuple[str, InvalidInput]] = ()) -> PollInput:
    """Check what staff entered and return it cleaned (texts stripped, defaults filled).

    Rules: a title is required; texts fit their columns; an image link starts with «/» or
    «https://»; the end is after the start; 1 to 30 questions, each with a text and 2 to 30
    options with texts, at most one «Свой вариант»; multiple choice allows 1 to the number of
    options; points are 0–1000 (None → 20 city-wide, 5 territorial); a territorial poll names at
    least one okrug or district (a city-wide one names none); children ages are 0–18 with
    «от» ≤ «до»; the minimum level is 1–3; an expert opinion has a name and a text.
    Every rule is checked: ``prior`` are problems the form already found while reading its
    inputs (a field named there, e.g. «starts», is not checked again).

    Raises:
        PollProblems: listing every broken rule with the form field it concerns.
    """
    found = _Problems(prior)
    title = clean_text(data.title)
    if not title:
        found.add("title", InvalidInput("poll.title_required"))
    title = found.text("title", title, label="Название", limit=TITLE_LIMIT)
    summary = found.text("summary", data.summary, label="Краткое описание", limit=SUMMARY_LIMIT)
    details = found.text("details", data.details, label="Подробнее", limit=DETAILS_LIMIT)
    image_url = found.text("image_url", data.image_url, label="Изображение", limit=IMAGE_URL_LIMIT)
    if image_url and not (image_url.startswith("https://") or image_url.startswith("/")):
        found.add("image_url", InvalidInput("poll.image_invalid"))
    if not found.has("starts", "ends") and as_utc(data.ends_at) <= as_utc(data.starts_at):
        found.add("ends", InvalidInput("poll.dates_order"))
    if data.scope not in SCOPES:
        found.add("scope", InvalidInput("poll.scope_invalid"))
    okrug_ids = sorted(set(data.okrug_ids)) if data.scope == "territorial" else []
    district_ids = sorted(set(data.district_ids)) if data.scope == "territorial" else []
    if data.scope == "territorial" and not (okrug_ids or district_ids):
        found.add("scope", InvalidInput("poll.territory_required"))
    if not found.has("min_level") and data.min_level not in LEVEL_NAMES:
        found.add("min_level", InvalidInput("poll.min_level_invalid"))
    bounds = None
    if not found.has("age_min", "age_max"):
        bounds = children_age_bounds(data.children_age_min, data.children_age_max)
        if bounds is not None and not 0 <= bounds[0] <= bounds[1] <= CHILD_AGE_MAX:
            found.add("age_min", InvalidInput("poll.children_ages_invalid"))
    points = default_points(data.scope) if data.points is None else data.points
    if not found.has("points") and not 0 <= points <= POINTS_MAX:
        found.add("points", InvalidInput("poll.points_invalid"))
    experts: list[ExpertInput] = []
    for number, expert in enumerate(data.experts, start=1):
        name_ = f"expert-{number}"
        name = found.text(name_, expert.name, label="Имя эксперта", limit=EXPERT_NAME_LIMIT)
        text = found.text(name_, expert.text, label="Мнение эксперта", limit=EXPERT_TEXT_LIMIT)
        if not name or not text:
            found.add(name_, InvalidInput("poll.expert_required"))
        title_ = found.text(name_, expert.title, label="Должность эксперта", limit=EXPERT_TITLE_LIMIT)
        experts.append(ExpertInput(name=name, title=title_, text=text))
    if not data.questions:
        found.add("questions", InvalidInput("poll.questions_required"))
    if len(data.questions) > MAX_QUESTIONS:
        found.add("questions", InvalidInput("poll.too_many_questions", limit=MAX_QUESTIONS))
    questions: list[QuestionInput] = []
    for number, question in enumerate(data.questions, start=1):
        name_ = f"question-{number}"
        if found.has(name_):
            continue
        try:
            questions.append(_clean_question(number, question))
        except InvalidInput as error:
            found.add(name_, error)
    if found.items:
        raise PollProblems(found.items)
    return replace(
        data,
        title=title,
        summary=summary,
        details=details,
        image_url=image_url,
        okrug_ids=okrug_ids,
        district_ids=district_ids,
        children_age_min=None if bounds is None else bounds[0],
        children_age_max=None if bounds is None else bounds[1],
        points=points,
        experts=experts,
        questions=questions,
    )


# ----------------------------------------------------------------------------------------------
# Tally


@dataclass(frozen=True)
class OptionTally:
    """Votes for one option: overall and by phone-number region, with percents of answered ballots."""

    option_id: int
    text: str
    count: int
    percent: float
    moscow: int
    other: int
    moscow_percent: float
    other_percent: float


@dataclass(frozen=True)
class QuestionTally:
    """Results of one question; ``answered`` counts the ballots that answered it."""

    question_id: int
    text: str
    answered: int
    answered_moscow: int
    answered_other: int
    options: tuple[OptionTally, ...]


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, rounded half up to one decimal (0 when nobody answered)."""
    if whole <= 0:
        return 0.0
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def tally(
    questions: Sequence[QuestionSpec],
    counts: Iterable[tuple[int, str, int]],
    answered: Mapping[tuple[int, str], int],
) -> list[QuestionTally]:
    """Count the results of a poll from grouped ballot answers.

    ``counts`` holds ``(option_id, region, n)`` rows — how many ballots of phone region «moscow» or
    «other» chose the option; ``answered`` maps ``(question_id, region)`` to the number of ballots
    that answered the question. An option's percent is its count over the ballots that answered
    its question (a multiple-choice question can sum to more than 100 %), rounded to 0.1.
    """
    per_option: dict[int, dict[str, int]] = {}
    for option_id, region, n in counts:
        slot = per_option.setdefault(option_id, {"moscow": 0, "other": 0})
        slot["moscow" if region == "moscow" else "other"] += n
    result = []
    for question in questions:
        moscow_answered = answered.get((question.id, "moscow"), 0)
        other_answered = answered.get((question.id, "other"), 0)
        total_answered = moscow_answered + other_answered
        options = []
        for option in question.options:
            slot = per_option.get(option.id, {"moscow": 0, "other": 0})
            count = slot["moscow"] + slot["other"]
            options.append(
                OptionTally(
                    option_id=option.id,
                    text=option.text,
                    count=count,
                    percent=percent(count, total_answered),
                    moscow=slot["moscow"],
                    other=slot["other"],
                    moscow_percent=percent(slot["moscow"], moscow_answered),
                    other_percent=percent(slot["other"], other_answered),
                )
            )
        result.append(
            QuestionTally(
                question_id=question.id,
                text=question.text,
                answered=total_answered,
                answered_moscow=moscow_answered,
                answered_other=other_answered,
                options=tuple(options),
            )
        )
    return result


def toggle_choice(
    selected: list[str], option: str, checked: bool, *, exclusive: set[str], limit: int
) -> list[str] | None:
    """The choices of a multiple-choice question after ticking or unticking ``option``.

    An exclusive option («Затрудняюсь ответить») replaces every other choice and is dropped when
    another option is ticked. Ticking more than ``limit`` options gives None (refused; the
    service checks the same rule again on completion).
    """
    if not checked:
        return [i for i in selected if i != option]
    if option in exclusive:
        return [option]
    chosen = [i for i in selected if i not in exclusive and i != option]
    if len(chosen) >= limit:
        return None
    return [*chosen, option]
