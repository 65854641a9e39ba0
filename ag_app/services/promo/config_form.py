"""The staff form of a campaign's configuration: Moscow wall-clock text in, :class:`CampaignConfig` out.

Every instant is typed as «ДД.ММ.ГГГГ ЧЧ:ММ» in Moscow time. A start («начало») is the instant
itself; a deadline is typed as its last included minute, the way the order words it: «до 23:59
5 сентября» is «05.09.2026 23:59» and becomes the exclusive end 6 September 00:00 (``moscow_until``).
The draw windows are one line each: «последняя минута окна; срок розыгрыша; призы». Every problem
of the form is listed at once and nothing is saved; :func:`form_of` is the inverse that prefills
the edit form.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import InvalidInput
from ag_app.domain.promo import Schedule, moscow_until, parse_prizes, prizes_spec, schedule_problem
from ag_app.i18n import message
from ag_app.services.promo.campaigns import VOTE_SOURCES, CampaignConfig

# The campaign's own instants: (field name, Russian label, is a deadline typed as its last minute).
INSTANTS: tuple[tuple[str, str, bool], ...] = (
    ("info_starts_at", "Начало информирования", False),
    ("info_ends_at", "Информирование до", True),
    ("eligibility_at", "Право на участие — на", True),
    ("opt_out_ends_at", "Отказ от участия до", True),
    ("opt_in_ends_at", "Отмена отказа до", True),
    ("category_opens_at", "Начало регистрации в категориях", False),
    ("category_ends_at", "Регистрация в категориях до", True),
    ("activation_ends_at", "Активация кодов до", True),
    ("exchange_starts_at", "Начало обмена баллов", False),
    ("exchange_ends_at", "Обмен баллов до", True),
    ("use_ends_at", "Использование поощрений до", True),
)
# The texts and amounts: (field name, Russian label).
TEXTS = (("slug", "Короткое имя"), ("title", "Название"), ("summary", "Описание"), ("prize_rules", "Правила"))
AMOUNTS: tuple[tuple[str, str, int], ...] = (
    ("extra_prize", "Дополнительный приз, баллов", 10_000_000),
    ("category_discount", "Скидка розыгрыша в категории, баллов", 10_000_000),
    ("category_winners", "Победителей в каждой категории", 100_000),
)
WINDOWS = "windows"
VOTE_SOURCE = "vote_source"
VOTE_POLL = "vote_poll_id"
# Form limits: a short name fits the column, a text is at most a few pages.
SLUG_LIMIT = 40
TITLE_LIMIT = 200
TEXT_LIMIT = 10_000
WINDOWS_LIMIT = 100

_MOMENT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FORMAT = "%d.%m.%Y %H:%M"


class ConfigFormError(InvalidInput):
    """The form is refused as a whole; ``problems`` are its Russian sentences, one per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("promo.form_problems", count=len(self.problems), problems=" ".join(self.problems))


def _moment(text: str) -> tuple[date, int, int] | None:
    """(day, hour, minute) of «ДД.ММ.ГГГГ ЧЧ:ММ», or None when it is not a real date and time."""
    found = _MOMENT.match(" ".join(text.split()))
    if not found:
        return None
    day, month, year, hh, mm = (int(part) for part in found.groups())
    try:
        time(hh, mm)
        return date(year, month, day), hh, mm
    except ValueError:
        return None


def parse_instant(text: str, *, deadline: bool) -> datetime | None:
    """The aware UTC instant of a Moscow «ДД.ММ.ГГГГ ЧЧ:ММ»; a deadline's last minute gives the exclusive end."""
    parsed = _moment(text)
    if parsed is None:
        return None
    day, hh, mm = parsed
    if deadline:
        return moscow_until(day, hh, mm)
    return datetime.combine(day, time(hh, mm), tzinfo=MOSCOW).astimezone(UTC)


def instant_text(moment: datetime, *, deadline: bool) -> str:
    """The inverse of :func:`parse_instant`: a deadline shows its last included minute."""
    local = as_utc(moment).astimezone(MOSCOW)
    if deadline:
        local -= timedelta(minutes=1)
    return local.strftime(_FORMAT)


def _amount(raw: str) -> int | None:
    digits = raw.replace(" ", "").replace("\u00a0", "").strip()
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


def _windows(raw: str, problems: list[str]) -> tuple[list[datetime], list[datetime], list[str]]:
    """The windows' exclusive ends, draws due and canonical prize specs (problems appended)."""
    ends: list[datetime] = []
    dues: list[datetime] = []
    specs: list[str] = []
    lines = [(number, line) for number, line in enumerate(raw.splitlines(), start=1) if line.strip()]
    if not lines:
        problems.append(message("promo.form_windows_required"))
    if len(lines) > WINDOWS_LIMIT:
        problems.append(message("promo.form_windows_too_many", limit=WINDOWS_LIMIT))
        return ends, dues, specs
    for number, line in lines:
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3:
            problems.append(message("promo.form_window_parts", line=number))
            continue
        end = parse_instant(parts[0], deadline=True)
        due = parse_instant(parts[1], deadline=False)
        if end is None:
            problems.append(message("promo.form_window_end", line=number))
        if due is None:
            problems.append(message("promo.form_window_due", line=number))
        try:
            spec = prizes_spec(parse_prizes(parts[2]))
        except InvalidInput as error:
            problems.append(message("promo.form_window_prizes", line=number, reason=str(error).rstrip(".")))
            spec = None
        if end is not None and due is not None and spec is not None:
            ends.append(end)
            dues.append(due)
            specs.append(spec)
    return ends, dues, specs


def config_from_form(fields: Mapping[str, str]) -> CampaignConfig:
    """The configuration a submitted staff form describes, or :class:`ConfigFormError` listing every problem.

    Checks what the form alone can tell: formats, ranges, the schedule's order (the first ordering
    problem, once every instant reads), the prizes of each window and the vote source. The poll's
    existence, the short name's uniqueness and frozen draws are checked when saving.
    """

    def text(name: str) -> str:
        value = fields.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    problems: list[str] = []
    slug, title = text("slug"), text("title")
    if not slug or not title:
        problems.append(message("promo.form_names_required"))
    if slug and (len(slug) > SLUG_LIMIT or not _SLUG.match(slug)):
        problems.append(message("promo.form_slug", limit=SLUG_LIMIT))
    if len(title) > TITLE_LIMIT:
        problems.append(message("promo.form_too_long", label="Название", limit=TITLE_LIMIT))
    for name, label in TEXTS[2:]:
        if len(text(name)) > TEXT_LIMIT:
            problems.append(message("promo.form_too_long", label=label, limit=TEXT_LIMIT))

    instants: dict[str, datetime] = {}
    for name, label, deadline in INSTANTS:
        moment = parse_instant(text(name), deadline=deadline)
        if moment is None:
            problems.append(message("promo.form_instant", label=label))
        else:
            instants[name] = moment
    before = len(problems)
    ends, dues, specs = _windows(text(WINDOWS), problems)
    # The schedule's order is checked only once every instant and every window line reads.
    readable = len(instants) == len(INSTANTS) and len(problems) == before

    amounts: dict[str, int] = {}
    for name, label, high in AMOUNTS:
        value = _amount(text(name))
        if value is None or value > high:
            problems.append(message("promo.form_amount", label=label, high=numfmt.num(high)))
        else:
            amounts[name] = value

    source, poll_id = text(VOTE_SOURCE), None
    if source not in VOTE_SOURCES:
        problems.append(message("promo.config_vote_source_bad"))
    elif source == "poll":
        poll_id = _amount(text(VOTE_POLL))
        if not poll_id:
            problems.append(message("promo.config_poll_unknown"))

    schedule = None
    if readable and ends:
        schedule = Schedule(**instants, window_ends=tuple(ends), draws_due=tuple(dues))
        problem = schedule_problem(schedule)
        if problem is not None:
            problems.append(message(problem))
    if problems or schedule is None:
        raise ConfigFormError(problems)
    return CampaignConfig(
        slug=slug,
        title=title,
        summary=text("summary"),
        prize_rules=text("prize_rules"),
        schedule=schedule,
        window_prizes=tuple(specs),
        extra_prize=amounts["extra_prize"],
        category_discount=amounts["category_discount"],
        category_winners=amounts["category_winners"],
        vote_source=source,
        vote_poll_id=poll_id,
    )


def form_of(config: CampaignConfig) -> dict[str, str]:
    """The staff form's fields for a configuration (what :func:`config_from_form` reads back)."""
    s = config.schedule
    windows = "\n".join(
        f"{instant_text(end, deadline=True)}; {instant_text(due, deadline=False)}; {spec}"
        for end, due, spec in zip(s.window_ends, s.draws_due, config.window_prizes, strict=True)
    )
    return {
        "slug": config.slug,
        "title": config.title,
        "summary": config.summary,
        "prize_rules": config.prize_rules,
        **{name: instant_text(getattr(s, name), deadline=deadline) for name, _, deadline in INSTANTS},
        WINDOWS: windows,
        **{name: str(getattr(config, name)) for name, _, _ in AMOUNTS},
        VOTE_SOURCE: config.vote_source,
        VOTE_POLL: str(config.vote_poll_id) if config.vote_poll_id is not None else "",
    }


def blank_form() -> dict[str, str]:
    """The form of a new campaign: the order's amounts, vote facts from the voting system's file."""
    return {
        **{name: "" for name, _ in TEXTS},
        **{name: "" for name, _, _ in INSTANTS},
        WINDOWS: "",
        "extra_prize": "1000",
        "category_discount": "15000",
        "category_winners": "1",
        VOTE_SOURCE: "import",
        VOTE_POLL: "",
    }
