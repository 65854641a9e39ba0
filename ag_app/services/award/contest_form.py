"""The operator's form of a contest: text fields in, :class:`ContestConfig` out, every problem at once.

The application period is typed in Moscow wall-clock time «ДД.ММ.ГГГГ ЧЧ:ММ»: the start is the
instant itself, the end is typed as its last included minute («до 23:59 30.09.2026» is
«30.09.2026 23:59») and stored as the exclusive UTC instant right after it. Tasks and criteria are
one line each, fields separated by «|», the free description last (it may itself hold «|»):

* task: «номер | название | лимит команд (пусто — без лимита) | премия 1 | премия 2 | премия 3 | описание»;
* criterion: «номер | название | максимальный балл | описание».

Prizes are roubles with kopecks allowed («150 000», «1 000,50») and become kopecks.
:func:`form_of` is the inverse that prefills the edit form.
"""

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.i18n import message
from ag_app.services.award.contests import (
    CRITERIA_LIMIT,
    TASKS_LIMIT,
    YEAR_MAX,
    YEAR_MIN,
    ContestConfig,
    ContestProblems,
    CriterionSpec,
    TaskSpec,
    config_problems,
)

FIELDS = ("year", "title", "description", "opens", "closes", "tasks", "criteria")
# The form is not read at all beyond these lengths (a page of text per task at most).
FIELD_LIMIT = 200_000
_MOMENT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})$")
_RUBLES = re.compile(r"^(\d{1,9})(?:[.,](\d{1,2}))?$")
_NUMBER = re.compile(r"^\d{1,4}$")
_FORMAT = "%d.%m.%Y %H:%M"


def parse_moment(text: str, *, deadline: bool) -> datetime | None:
    """The aware UTC instant of a Moscow «ДД.ММ.ГГГГ ЧЧ:ММ» (a deadline's last minute gives the
    exclusive end), or None when it is not a real date and time."""
    found = _MOMENT.match(" ".join(text.split()))
    if not found:
        return None
    day, month, year, hh, mm = (int(part) for part in found.groups())
    try:
        local = datetime.combine(date(year, month, day), time(hh, mm), tzinfo=MOSCOW)
    except ValueError:
        return None
    if deadline:
        local += timedelta(minutes=1)
    return local.astimezone(UTC)


def moment_text(moment: datetime, *, deadline: bool) -> str:
    """The inverse of :func:`parse_moment`: a deadline shows its last included minute."""
    local = as_utc(moment).astimezone(MOSCOW)
    if deadline:
        local -= timedelta(minutes=1)
    return local.strftime(_FORMAT)


def parse_rubles(text: str) -> int | None:
    """Kopecks of «150 000», «1 000,5» or «99.99» roubles; None when it is not such an amount."""
    digits = text.replace(" ", "").replace("\u00a0", "").strip()
    found = _RUBLES.match(digits)
    if not found:
        return None
    rubles, kopecks = found.groups()
    return int(rubles) * 100 + int((kopecks or "0").ljust(2, "0"))


def rubles_text(kopecks: int) -> str:
    """The inverse of :func:`parse_rubles`: «150000» or «1000,50»."""
    rubles, rest = divmod(kopecks, 100)
    return f"{rubles},{rest:02d}" if rest else str(rubles)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if _NUMBER.match(text) else None


def _lines(raw: str) -> list[tuple[int, str]]:
    return [(number, line) for number, line in enumerate(raw.splitlines(), start=1) if line.strip()]


def _tasks(raw: str, problems: list[str]) -> list[TaskSpec]:
    tasks: list[TaskSpec] = []
    lines = _lines(raw)
    if len(lines) > TASKS_LIMIT:
        problems.append(message("award.contest_tasks_too_many", limit=TASKS_LIMIT))
        return tasks
    for line_no, line in lines:
        parts = [part.strip() for part in line.split("|", 6)]
        if len(parts) < 6:
            problems.append(message("award.form_task_parts", line=line_no))
            continue
        number, cap_text = _number(parts[0]), parts[2]
        cap = _number(cap_text) if cap_text else None
        prizes = [parse_rubles(part) for part in parts[3:6]]
        bad = False
        if number is None:
            problems.append(message("award.form_task_number", line=line_no))
            bad = True
        if cap_text and (cap is None or cap < 1):
            problems.append(message("award.form_task_cap", line=line_no))
            bad = True
        if any(prize is None for prize in prizes):
            problems.append(message("award.form_task_prizes", line=line_no))
            bad = True
        if not bad:
            description = parts[6] if len(parts) > 6 else ""
            tasks.append(TaskSpec(number, parts[1], description, cap, tuple(prizes)))
    return tasks


def _criteria(raw: str, problems: list[str]) -> list[CriterionSpec]:
    criteria: list[CriterionSpec] = []
    lines = _lines(raw)
    if len(lines) > CRITERIA_LIMIT:
        problems.append(message("award.contest_criteria_too_many", limit=CRITERIA_LIMIT))
        return criteria
    for line_no, line in lines:
        parts = [part.strip() for part in line.split("|", 3)]
        if len(parts) < 3:
            problems.append(message("award.form_criterion_parts", line=line_no))
            continue
        number, maximum = _number(parts[0]), _number(parts[2])
        if number is None or maximum is None:
            problems.append(message("award.form_criterion_numbers", line=line_no))
            continue
        criteria.append(CriterionSpec(number, parts[1], maximum, parts[3] if len(parts) > 3 else ""))
    return criteria


def config_from_form(fields: Mapping[str, object]) -> ContestConfig:
    """The configuration a submitted form describes, or :class:`ContestProblems` listing every problem.

    The year's uniqueness and what teams and sheets already committed are checked when saving.
    """

    def text(name: str) -> str:
        value = fields.get(name, "")
        return value.strip() if isinstance(value, str) and len(value) <= FIELD_LIMIT else ""

    problems: list[str] = []
    year = _number(text("year"))
    if year is None:
        problems.append(message("award.form_year"))
    opens = parse_moment(text("opens"), deadline=False)
    closes = parse_moment(text("closes"), deadline=True)
    if opens is None:
        problems.append(message("award.form_moment", label="Начало приёма заявок"))
    if closes is None:
        problems.append(message("award.form_moment", label="Приём заявок до"))
    tasks = _tasks(text("tasks"), problems)
    criteria = _criteria(text("criteria"), problems)
    config = ContestConfig(
        year=year or 0,
        title=text("title"),
        description=text("description"),
        apply_opens_at=opens or datetime(2000, 1, 1, tzinfo=UTC),
        apply_closes_at=closes or datetime(2100, 1, 1, tzinfo=UTC),
        tasks=tuple(tasks),
        criteria=tuple(criteria),
    )
    # The configuration's own checks, minus those already reported by the form for a missing part.
    for problem in config_problems(config):
        if year is None and problem == message("award.contest_year", low=YEAR_MIN, high=YEAR_MAX):
            continue
        if (opens is None or closes is None) and problem == message("award.contest_period"):
            continue
        if problem not in problems:
            problems.append(problem)
    if problems:
        raise ContestProblems(problems)
    return config


def form_of(config: ContestConfig) -> dict[str, str]:
    """The form's fields for a configuration (what :func:`config_from_form` reads back)."""
    tasks = "\n".join(
        " | ".join(
            [
                str(t.number),
                t.title,
                "" if t.team_cap is None else str(t.team_cap),
                *(rubles_text(p) for p in t.prizes),
                " ".join(t.description.split()),
            ]
        )
        for t in config.tasks
    )
    criteria = "\n".join(
        f"{c.number} | {c.name} | {c.max_score} | {' '.join(c.description.split())}" for c in config.criteria
    )
    return {
        "year": str(config.year),
        "title": config.title,
        "description": config.description,
        "opens": moment_text(config.apply_opens_at, deadline=False),
        "closes": moment_text(config.apply_closes_at, deadline=True),
        "tasks": tasks,
        "criteria": criteria,
    }


def blank_form(year: int) -> dict[str, str]:
    """The form of a new contest of ``year``."""
    return {name: "" for name in FIELDS} | {"year": str(year)}
