"""Statistics of polls (SPEC §5.4): dimensions, their keys and labels, and small-cell suppression.

A poll's ballots are counted per *dimension value* («key»): the whole poll («all», key ""), the
voter's age band («age»), gender, okrug and district (ids as text, "" unknown), the Moscow hour
(«hour», "0".."23") and Moscow date («day», ISO) of voting, and the number region («region»,
«moscow»/«other»). Every count of a breakdown is a *cell*; cells below :data:`MIN_CELL` are
suppressed so that nobody can be identified.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache

from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.demographics import AGE_BANDS, GENDERS, UNKNOWN

DIMENSIONS: tuple[str, ...] = ("all", "age", "gender", "okrug", "district", "hour", "day", "region")
# The dimensions a breakdown can be asked for («all» is the poll as a whole).
BREAKDOWNS: tuple[str, ...] = ("day", "hour", "age", "gender", "okrug", "district", "region")
# The API's name of the number-region dimension.
ALIASES = {"number_region": "region"}
MIN_CELL = 5
SUPPRESSED = "<5"

DIMENSION_NAMES = {
    "all": "Все участники",
    "age": "Возраст",
    "gender": "Пол",
    "okrug": "Округ",
    "district": "Район",
    "hour": "Час голосования",
    "day": "День голосования",
    "region": "Номер телефона",
}
REGION_NAMES = {"moscow": "Московский номер", "other": "Номер другого региона"}
UNKNOWN_PLACE = "Не указан"


def dimension_of(by: str) -> str | None:
    """The dimension named by an API/URL parameter (``number_region`` = «region»), None if unknown."""
    name = ALIASES.get(by, by)
    return name if name in BREAKDOWNS else None


def hour_bucket(moment: datetime) -> str:
    """The UTC hour an instant falls in, as the database groups it: ``YYYY-MM-DD HH``."""
    return as_utc(moment).strftime("%Y-%m-%d %H")


@cache
def bucket_keys(bucket: str) -> tuple[str, str]:
    """The Moscow hour key ("0".."23") and Moscow day key (ISO date) of a UTC hour bucket.

    Read by slicing (``strptime`` would cost more than the rest of serving a poll's statistics:
    every breakdown row of the pending ballots carries a bucket) and cached, as a poll has few.
    """
    year, month, day, hour = int(bucket[0:4]), int(bucket[5:7]), int(bucket[8:10]), int(bucket[11:13])
    start = datetime(year, month, day, hour, tzinfo=UTC).astimezone(MOSCOW)
    return str(start.hour), start.date().isoformat()


def hour_key(moment: datetime) -> str:
    """The Moscow hour of day of an instant, "0".."23"."""
    return str(as_utc(moment).astimezone(MOSCOW).hour)


def day_key(moment: datetime) -> str:
    """The Moscow date of an instant, ISO ``YYYY-MM-DD``."""
    return as_utc(moment).astimezone(MOSCOW).date().isoformat()


def hour_label(key: str) -> str:
    """«09:00» for hour key "9"."""
    return f"{int(key):02d}:00"


def day_label(key: str) -> str:
    """«20.11.2026» for day key "2026-11-20"."""
    return date.fromisoformat(key).strftime("%d.%m.%Y")


_AGE_ORDER = {label: i for i, (label, _) in enumerate(AGE_BANDS)}
_GENDER_ORDER = {"male": 0, "female": 1, UNKNOWN: 2}
_REGION_ORDER = {"moscow": 0, "other": 1}


def order_keys(dimension: str, keys: Iterable[str], names: dict[str, str] | None = None) -> list[str]:
    """Keys of a dimension in display order.

    Age bands youngest first, unknown last; male, female, unknown; hours and days in time order;
    Moscow before other numbers; okrugs and districts by name (``names``), unknown last.
    """
    unique = set(keys)
    last = len(_AGE_ORDER) + 1
    sort_key: Callable[[str], tuple]
    if dimension == "age":
        sort_key = lambda k: (_AGE_ORDER.get(k, last),)  # noqa: E731
    elif dimension == "gender":
        sort_key = lambda k: (_GENDER_ORDER.get(k, 3), k)  # noqa: E731
    elif dimension == "hour":
        sort_key = lambda k: (int(k),)  # noqa: E731
    elif dimension == "region":
        sort_key = lambda k: (_REGION_ORDER.get(k, 2), k)  # noqa: E731
    elif dimension in ("okrug", "district"):
        known = names or {}
        sort_key = lambda k: (k == UNKNOWN, known.get(k, k))  # noqa: E731
    else:
        sort_key = lambda k: (k,)  # noqa: E731
    return sorted(unique, key=sort_key)


def key_label(dimension: str, key: str, names: dict[str, str] | None = None) -> str:
    """The Russian label of a dimension value («18–24», «мужской», «09:00», «20.11.2026», «Арбат»…)."""
    if dimension == "all":
        return DIMENSION_NAMES["all"]
    if dimension == "age":
        return key or "Возраст не указан"
    if dimension == "gender":
        return GENDERS.get(key, key)
    if dimension == "hour":
        return hour_label(key)
    if dimension == "day":
        return day_label(key)
    if dimension == "region":
        return REGION_NAMES.get(key, key)
    if key == UNKNOWN:
        return UNKNOWN_PLACE
    return (names or {}).get(key, key)


def suppress(values: Sequence[int], groups: Iterable[Sequence[int]]) -> list[bool]:
    """Which cells to hide: primary suppression of small cells plus complementary suppression.

    Rule: a cell below :data:`MIN_CELL` (zero included) is suppressed. ``groups`` list the cells
    (indices into ``values``) tied by a published sum — e.g. the ballots of every age band and the
    poll's total, or the options of a single-choice question within one age band and that band's
    ballots. A group with exactly one suppressed cell would let anyone recompute it by subtraction,
    so the smallest other visible cell of that group (the first on a tie) is suppressed too; this
    repeats until no group has exactly one hidden cell. A suppressed cell is never shown, and no
    hidden value can be derived from one published sum.

    Returns:
        One flag per value: True = suppressed.
    """
    hidden = [value < MIN_CELL for value in values]
    lines = [list(group) for group in groups if len(group) > 1]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[i] for i in line) != 1:
                continue
            visible = [i for i in line if not hidden[i]]
            if visible:
                hidden[min(visible, key=lambda i: (values[i], line.index(i)))] = True
                changed = True
    return hidden


@dataclass(frozen=True)
class Breakdown:
    """A breakdown before suppression: per key the ballots and, per option, the choices.

    ``options[o][k]`` counts the ballots of key ``keys[k]`` that chose option ``o``; ``single[o]``
    tells whether option ``o`` belongs to a single-choice question (whose options of one key add up
    to that key's ballots), ``question_of[o]`` the question index of option ``o``. The poll's total
    and the option totals are the published results and are not suppressed here.
    """

    keys: tuple[str, ...]
    ballots: tuple[int, ...]
    options: tuple[tuple[int, ...], ...]
    question_of: tuple[int, ...]
    single: tuple[bool, ...]


@dataclass(frozen=True)
class Suppressed:
    """A breakdown as published: every cell, or None where suppressed."""

    ballots: tuple[int | None, ...]
    options: tuple[tuple[int | None, ...], ...]


def suppress_breakdown(data: Breakdown) -> Suppressed:
    """Apply :func:`suppress` to a breakdown with every sum a reader knows.

    Known sums (the published results): the ballots of all keys add up to the poll's ballots; an
    option over all keys adds up to the option's total; the options of a single-choice question
    within one key add up to that key's ballots (so that key's ballot cell joins the group).
    """
    n_keys = len(data.keys)
    values = [*data.ballots]
    for row in data.options:
        values.extend(row)
    ballot_i = list(range(n_keys))

    def cell(o: int, k: int) -> int:
        return n_keys + o * n_keys + k

    groups: list[list[int]] = [ballot_i]
    groups += [[cell(o, k) for k in range(n_keys)] for o in range(len(data.options))]
    questions: dict[int, list[int]] = {}
    for o in range(len(data.options)):
        if data.single[o]:
            questions.setdefault(data.question_of[o], []).append(o)
    for opts in questions.values():
        groups += [[ballot_i[k], *(cell(o, k) for o in opts)] for k in range(n_keys)]
    hidden = suppress(values, groups)

    def shown(i: int) -> int | None:
        return None if hidden[i] else values[i]

    return Suppressed(
        ballots=tuple(shown(i) for i in ballot_i),
        options=tuple(tuple(shown(cell(o, k)) for k in range(n_keys)) for o in range(len(data.options))),
    )


def shown_count(value: int | None, *, grouped: bool = True) -> str:
    """A published count as text: the number (digits grouped, «4 824», unless ``grouped`` is off
    for a machine file), or «<5» when suppressed."""
    if value is None:
        return SUPPRESSED
    return numfmt.num(value) if grouped else str(value)


def published_counts(values: Sequence[int], groups: Iterable[Sequence[int]] = ()) -> list[str]:
    """Counts as a public page shows them: each number, or «<5» where :func:`suppress` hides it.

    ``groups`` are the cells tied by a published sum (see :func:`suppress`).
    """
    hidden = suppress(values, groups)
    return [SUPPRESSED if hide else numfmt.num(value) for value, hide in zip(values, hidden, strict=True)]
