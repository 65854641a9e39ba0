"""Rules of the receipt contest «Любимый город» (SPEC §11): receipts, periods, points, rating.

Pure functions only. A receipt is read from the QR string printed on every Russian fiscal receipt
(``t=20261207T1830&s=1234.50&fn=…&i=…&fp=…&n=1``); it is identified by the fiscal drive (``fn``),
the fiscal document number (``i``) and the fiscal sign (``fp``). A receipt counts in the Moscow
calendar month of its purchase, and only if it was saved in that same month. The rating orders
participants by points, then by who reached their total first, then by the earlier last receipt,
then by the earlier registration, then by the smaller participant number — never at random.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import InvalidInput
from ag_app.domain.form_check import FormCheck

# ----------------------------------------------------------------------------------------- receipts

# Longest QR string accepted (real ones are under 100 characters).
QR_MAX_LENGTH = 512
# Operation types of a fiscal receipt (the ``n`` field): only a sale takes part.
SALE = 1
OPERATIONS = {
    1: "приход (продажа)",
    2: "возврат прихода",
    3: "расход",
    4: "возврат расхода",
}
_FIELDS = ("t", "s", "fn", "i", "fp", "n")
# The message of a malformed value, per field.
_FIELD_ERROR = {
    "t": "contest.qr_time_invalid",
    "s": "contest.qr_sum_invalid",
    "fn": "contest.qr_fn_invalid",
    "i": "contest.qr_fd_invalid",
    "fp": "contest.qr_fp_invalid",
    "n": "contest.qr_n_invalid",
}
_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?$")
_ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")
# Up to 9 999 999,99 ₽: the sum in kopecks fits an INTEGER column.
_SUM = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")
_FN = re.compile(r"^\d{16}$")
_NUMBER = re.compile(r"^\d{1,10}$")
# Fiscal document numbers and signs are unsigned 32-bit numbers.
_UINT32_MAX = 2**32 - 1
# Years of purchases and periods: none counts before 2000 (year 1 would not even convert to UTC),
# and a period needs the month after it to exist.
_FIRST_YEAR, _LAST_YEAR = 2000, 9998


@dataclass(frozen=True)
class ReceiptQR:
    """The fiscal data of one receipt as read from its QR code."""

    purchased_at: datetime  # aware, Europe/Moscow
    amount_kopecks: int
    fn: str  # fiscal drive number, 16 digits
    fd: str  # fiscal document number (the ``i`` field)
    fp: str  # fiscal sign
    operation: int  # 1 sale, 2 sale refund, 3 expense, 4 expense refund

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a receipt across all accounts."""
        return (self.fn, self.fd, self.fp)

    def qr(self) -> str:
        """The canonical QR string of this receipt."""
        rub, kop = divmod(self.amount_kopecks, 100)
        return (
            f"t={self.purchased_at.astimezone(MOSCOW):%Y%m%dT%H%M%S}&s={rub}.{kop:02d}"
            f"&fn={self.fn}&i={self.fd}&fp={self.fp}&n={self.operation}"
        )


def _purchase_time(raw: str) -> datetime:
    match = _TIME.match(raw) or _ISO_TIME.match(raw)
    if match is None:
        raise InvalidInput("contest.qr_time_invalid")
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    second = int(match.group(6) or 0)
    if year < _FIRST_YEAR:
        raise InvalidInput("contest.qr_time_invalid")
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=MOSCOW)
    except ValueError:
        raise InvalidInput("contest.qr_time_invalid") from None


def _amount(raw: str) -> int:
    match = _SUM.match(raw)
    if match is None:
        raise InvalidInput("contest.qr_sum_invalid")
    kopecks = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if kopecks == 0:
        raise InvalidInput("contest.qr_sum_zero")
    return kopecks


def _fiscal_number(raw: str, key: str) -> str:
    if _NUMBER.match(raw) is None or not 0 < int(raw) <= _UINT32_MAX:
        raise InvalidInput(key)
    return str(int(raw))


def parse_receipt_fields(fields: Mapping[str, object]) -> ReceiptQR:
    """A receipt from its six fields (``t``, ``s``, ``fn``, ``i``, ``fp``, ``n``) as strings.

    ``t`` is ``YYYYMMDDTHHMM`` with optional seconds (or ``YYYY-MM-DDTHH:MM[:SS]`` from a form),
    Moscow time; ``s`` is roubles with up to two decimals (point or comma).

    Raises:
        InvalidInput: a field is missing, not text or malformed; the sum is zero.
    """
    values: dict[str, str] = {}
    for name in _FIELDS:
        raw = fields.get(name)
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str) or not raw.strip():
            raise InvalidInput("contest.qr_field_missing", field=name)
        text = raw.strip()
        if not text.isascii():
            raise InvalidInput(_FIELD_ERROR[name])
        values[name] = text
    if _FN.match(values["fn"]) is None:
        raise InvalidInput("contest.qr_fn_invalid")
    if values["n"] not in {str(code) for code in OPERATIONS}:
        raise InvalidInput("contest.qr_n_invalid")
    return ReceiptQR(
        purchased_at=_purchase_time(values["t"]),
        amount_kopecks=_amount(values["s"]),
        fn=values["fn"],
        fd=_fiscal_number(values["i"], "contest.qr_fd_invalid"),
        fp=_fiscal_number(values["fp"], "contest.qr_fp_invalid"),
        operation=int(values["n"]),
    )


# The receipt typed by hand: form field → QR field (the operation is always a sale).
TYPED_FIELDS = {"t": "t", "s": "s", "fn": "fn", "fd": "i", "fp": "fp"}


def _typed(raw: str | None, field: str) -> str:
    """A typed value: trimmed ASCII text; blank, unreadable or non-ASCII is the field's own refusal."""
    if raw is None or not raw.strip() or not raw.strip().isascii():
        raise InvalidInput(_FIELD_ERROR[field])
    return raw.strip()


def _drive(raw: str) -> str:
    if _FN.match(raw) is None:
        raise InvalidInput("contest.qr_fn_invalid")
    return raw


def parse_typed_receipt(values: Mapping[str, str | None]) -> ReceiptQR:
    """A sale typed field by field (form fields t, s, fn, fd, fp of :data:`TYPED_FIELDS`; None is a
    value the form could not read), every field checked at once.

    One bad field keeps its own sentence; several are refused together
    («contest.receipt_fields_problems»), each named so the page marks it.
    """
    checks = FormCheck()
    when = checks.run("t", lambda: _purchase_time(_typed(values.get("t"), "t")))
    amount = checks.run("s", lambda: _amount(_typed(values.get("s"), "s")))
    drive = checks.run("fn", lambda: _drive(_typed(values.get("fn"), "fn")))
    fd = checks.run("fd", lambda: _fiscal_number(_typed(values.get("fd"), "i"), "contest.qr_fd_invalid"))
    fp = checks.run("fp", lambda: _fiscal_number(_typed(values.get("fp"), "fp"), "contest.qr_fp_invalid"))
    checks.done("contest.receipt_fields_problems")
    assert when is not None and amount is not None and drive and fd and fp  # every check passed
    return ReceiptQR(purchased_at=when, amount_kopecks=amount, fn=drive, fd=fd, fp=fp, operation=SALE)


def parse_receipt_qr(text: str) -> ReceiptQR:
    """A receipt from its QR string; fields in any order, unknown fields ignored.

    Raises:
        InvalidInput: empty or over-long text, a repeated or missing field, a malformed value.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("contest.qr_empty")
    text = text.strip()
    if len(text) > QR_MAX_LENGTH:
        raise InvalidInput("contest.qr_too_long", limit=QR_MAX_LENGTH)
    # A scanner may hand over a whole link; the fields are its query string.
    if "?" in text:
        text = text.rsplit("?", 1)[1]
    fields: dict[str, str] = {}
    for part in text.split("&"):
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep or name not in _FIELDS:
            continue
        if name in fields:
            raise InvalidInput("contest.qr_field_repeated", field=name)
        fields[name] = value
    return parse_receipt_fields(fields)


def refuse_operation(operation: int) -> None:
    """Only a sale (``n=1``) takes part; a refund or an expense is refused with its name."""
    if operation != SALE:
        raise InvalidInput("contest.not_a_sale", operation=OPERATIONS.get(operation, str(operation)))


# ------------------------------------------------------------------------------------------- periods


# Month names as a period is titled («Конкурс чеков — декабрь 2026»).
MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def period_of(moment: datetime) -> tuple[int, int]:
    """(year, month) of the Moscow calendar month of an instant."""
    local = as_utc(moment).astimezone(MOSCOW)
    return local.year, local.month


def period_label(year: int, month: int) -> str:
    """``YYYY-MM``: how a period is stored and named in URLs."""
    return f"{year:04d}-{month:02d}"


def parse_period(raw: str) -> tuple[int, int]:
    """(year, month) from ``YYYY-MM``; raises InvalidInput otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", raw.strip()) if isinstance(raw, str) else None
    if (
        match is None
        or not 1 <= int(match.group(2)) <= 12
        or not _FIRST_YEAR <= int(match.group(1)) <= _LAST_YEAR
    ):
        raise InvalidInput("contest.period_invalid")
    return int(match.group(1)), int(match.group(2))


def period_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """UTC instants of 00:00:00 on the 1st of the month in Moscow and of the next month's start."""
    start = datetime(year, month, 1, tzinfo=MOSCOW)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=MOSCOW)
    return start.astimezone(UTC), end.astimezone(UTC)


def in_contest_period(purchased_at: datetime, saved_at: datetime, year: int, month: int) -> bool:
    """Whether a receipt bought at ``purchased_at`` and saved at ``saved_at`` counts in the month.

    Both instants must fall in the Moscow month (00:00:00 on the 1st to 23:59:59 on the last day)
    and the purchase cannot be later than the saving.
    """
    start, end = period_bounds(year, month)
    bought, saved = as_utc(purchased_at), as_utc(saved_at)
    return start <= bought <= saved < end


def refuse_out_of_period(purchased_at: datetime, saved_at: datetime) -> None:
    """Refuse a receipt that cannot count in the month it is saved in, with the reason."""
    if as_utc(purchased_at) > as_utc(saved_at):
        raise InvalidInput("contest.receipt_future")
    if period_of(purchased_at) != period_of(saved_at):
        raise InvalidInput("contest.receipt_other_month")


def period_ended(year: int, month: int, now: datetime) -> bool:
    """Whether the month is over in Moscow."""
    return as_utc(now) >= period_bounds(year, month)[1]


def time_left(year: int, month: int, now: datetime) -> timedelta:
    """Time until the end of the month (zero once it has ended)."""
    return max(period_bounds(year, month)[1] - as_utc(now), timedelta(0))


def _plural(number: int, one: str, few: str, many: str) -> str:
    tail = number % 100
    if 11 <= tail <= 14:
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(number % 10, many)


def time_left_text(year: int, month: int, now: datetime) -> str:
    """«До конца месяца: 3 дня 5 часов» (Moscow); «Период завершён» once it is over."""
    left = time_left(year, month, now)
    if left <= timedelta(0):
        return "Период завершён"
    days, seconds = left.days, left.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    parts = []
    if days:
        parts.append(f"{days} {_plural(days, 'день', 'дня', 'дней')}")
    if hours or days:
        parts.append(f"{hours} {_plural(hours, 'час', 'часа', 'часов')}")
    if not days:
        parts.append(f"{minutes} {_plural(minutes, 'минута', 'минуты', 'минут')}")
    return "До конца месяца: " + " ".join(parts)


# -------------------------------------------------------------------------------------------- points

POINTS_ORDINARY = 1
POINTS_FUEL = 10
FUEL = "fuel"
# Seller categories of the registry; an unknown seller has none and counts as ordinary.
CATEGORIES = {
    "fuel": "АЗС",
    "grocery": "Продукты",
    "pharmacy": "Аптеки",
    "cafe": "Кафе и рестораны",
    "clothes": "Одежда и обувь",
    "electronics": "Электроника",
    "home": "Товары для дома",
    "other": "Прочее",
}


def receipt_points(category: str | None) -> int:
    """10 points for a fuel-station receipt, 1 for any other (an unknown seller included)."""
    return POINTS_FUEL if category == FUEL else POINTS_ORDINARY


@dataclass(frozen=True)
class Conditions:
    """Who and what a contest counts; an empty set means «no restriction» on that axis."""

    categories: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    partner_inns: frozenset[str] = frozenset()
    okrugs: frozenset[int] = frozenset()

    def counts(self, *, category: str | None, region: str, inn: str, okrug: int | None) -> bool:
        """Whether a receipt of a seller (category, region, INN) by a participant of ``okrug`` counts."""
        return (
            (not self.categories or category in self.categories)
            and (not self.regions or region in self.regions)
            and (not self.partner_inns or inn in self.partner_inns)
            and (not self.okrugs or okrug in self.okrugs)
        )

    @property
    def general(self) -> bool:
        """The general contest has no restriction at all."""
        return not (self.categories or self.regions or self.partner_inns or self.okrugs)


def parse_inn(raw: str) -> str:
    """An INN of a legal entity (10 digits) or an individual entrepreneur (12 digits)."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) in (10, 12)):
        raise InvalidInput("contest.inn_invalid")
    return text


# ------------------------------------------------------------------------------------------- review


@dataclass(frozen=True)
class ReviewRules:
    """When a new receipt goes «на проверке» instead of counting at once (per contest)."""

    # More than this many receipts of one participant bought on one Moscow day.
    daily_limit: int = 50
    # This many receipts or more from one fiscal drive by one participant within the window.
    split_count: int = 5
    split_minutes: int = 10


def review_reason(rules: ReviewRules, *, same_day: int, same_drive_window: int) -> str | None:
    """«daily» or «split» when the new receipt must be reviewed, else None.

    ``same_day``: the participant's other receipts bought on the same Moscow day;
    ``same_drive_window``: their other receipts from the same fiscal drive bought within
    ``split_minutes`` of this one.
    """
    if same_day >= rules.daily_limit:
        return "daily"
    if same_drive_window + 1 >= rules.split_count:
        return "split"
    return None


# -------------------------------------------------------------------------------------------- rating


@dataclass(frozen=True)
class Standing:
    """A participant's position data in one contest."""

    participant_id: int
    points: int
    # When the current total was reached: the latest acceptance or re-scoring among counted receipts.
    reached_at: datetime
    # Purchase time of the participant's last counted receipt.
    last_receipt_at: datetime
    registered_at: datetime


def rank_key(standing: Standing) -> tuple:
    """Sort key of the rating: most points, then earlier reached, last receipt, registration, number."""
    return (
        -standing.points,
        as_utc(standing.reached_at),
        as_utc(standing.last_receipt_at),
        as_utc(standing.registered_at),
        standing.participant_id,
    )


def rank(standings: Iterable[Standing]) -> list[Standing]:
    """The rating: a total order that never depends on the input order or on chance."""
    return sorted(standings, key=rank_key)


@dataclass(frozen=True)
class CountedReceipt:
    """One receipt as it counts for a participant in a contest."""

    points: int
    # When it started counting with these points: its acceptance or its last re-scoring.
    counted_at: datetime
    purchased_at: datetime


def with_receipt(
    standing: Standing | None, participant_id: int, registered_at: datetime, receipt: CountedReceipt
) -> Standing:
    """The standing after one more receipt starts counting (the incremental form of standing_of)."""
    if standing is None:
        return standing_of(participant_id, registered_at, [receipt])  # type: ignore[return-value]
    return Standing(
        participant_id=participant_id,
        points=standing.points + receipt.points,
        reached_at=max(as_utc(standing.reached_at), as_utc(receipt.counted_at)),
        last_receipt_at=max(as_utc(standing.last_receipt_at), as_utc(receipt.purchased_at)),
        registered_at=as_utc(standing.registered_at),
    )


def standing_of(
    participant_id: int, registered_at: datetime, receipts: Iterable[CountedReceipt]
) -> Standing | None:
    """A participant's standing from their counted receipts (None without any).

    Points only add up, so the current total was reached when the last of these receipts started
    counting; this is what a full recount and every incremental update both arrive at.
    """
    counted = list(receipts)
    if not counted:
        return None
    return Standing(
        participant_id=participant_id,
        points=sum(receipt.points for receipt in counted),
        reached_at=max(as_utc(receipt.counted_at) for receipt in counted),
        last_receipt_at=max(as_utc(receipt.purchased_at) for receipt in counted),
        registered_at=as_utc(registered_at),
    )


def points_to_next_place(mine: int, above: int) -> int:
    """Points needed to pass the participant right above: they keep a tie (they reached it first)."""
    return max(above - mine, 0) + 1


# ------------------------------------------------------------------------------------ prizes, names

# Prizes of the general monthly contest, roubles by place.
GENERAL_PRIZES = (2000, 1500, 1000, 500, 300)
# A winner claims the prize within one calendar month of publication.
CLAIM_MONTHS = 1
ADULT_AGE = 18


def short_name(first_name: str, last_name: str) -> str:
    """«Анна С.»: the first name and the initial of the last name; «Участник» without a first name."""
    first = first_name.strip()
    if not first:
        return "Участник"
    last = last_name.strip()
    return f"{first} {last[0].upper()}." if last else first


def mask_email(email: str) -> str:
    """«a***@mail.ru»: the first character of the mailbox and the domain; "" without an e-mail."""
    local, at, domain = email.strip().partition("@")
    if not at or not local or not domain:
        return ""
    return f"{local[0]}***@{domain}"


def prize_for(place: int, prizes: tuple[int, ...]) -> int:
    """The prize in roubles for a place of the final rating (0 beyond the prize table)."""
    return prizes[place - 1] if 1 <= place <= len(prizes) else 0
