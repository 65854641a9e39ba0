"""The staff poll form: limits, cleaning and every problem at once; pure."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import LEVEL_NAMES
from ag_app.domain.polls.rules import (
    CHILD_AGE_MAX,
    DETAILS_LIMIT,
    EXPERT_NAME_LIMIT,
    EXPERT_TEXT_LIMIT,
    EXPERT_TITLE_LIMIT,
    IMAGE_URL_LIMIT,
    KINDS,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    OPTION_TEXT_LIMIT,
    POINTS_MAX,
    QUESTION_TEXT_LIMIT,
    SCOPES,
    SUMMARY_LIMIT,
    TITLE_LIMIT,
    children_age_bounds,
    default_points,
)
from ag_app.domain.text import clean_text

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
