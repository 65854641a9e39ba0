"""The promo campaign «#ВыбираемВместе» (SPEC §10): pure rules, no I/O.

Draw windows and deadlines, the auditable draw (commitment, seed, public entropy, ranking by SHA-256),
extra prizes, categories, pseudonymous keys, prize specs, the published files and the vote-file parser.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from ag_app.domain.clock import MOSCOW
from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.identity import is_valid_snils
from ag_app.domain.phone import normalize_phone
from ag_app.i18n import message, statuses

EXTRA_PRIZE = 1000
EXTRA_PRIZE_AGE = 60

CATEGORIES: dict[str, str] = {
    "sport": "Спорт",
    "travel": "Путешествия и культура",
    "home": "Техника для дома",
}

KEY_PATTERN = re.compile(r"^[0-9a-f]{20}$")
KEY_LENGTH = 20
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
SEED_BYTES = 32
_RANK_BATCH = 20_000

PRIZE_VALUE_MAX = 10_000_000
PRIZE_COUNT_MAX = 10_000_000

WINNERS_HEADER = "key;prize"


# --- draw windows --------------------------------------------------------------------------------


def draw_window(vote_at: datetime, window_ends: Sequence[datetime]) -> int | None:
    """Index of the first window whose (exclusive) end is strictly after ``vote_at``; None after the last.

    ``window_ends`` are aware and ascending; a vote exactly at an end belongs to the next window.
    """
    low, high = 0, len(window_ends)
    while low < high:  # bisect_right on aware datetimes of any time zone
        middle = (low + high) // 2
        if window_ends[middle] <= vote_at:
            low = middle + 1
        else:
            high = middle
    return low if low < len(window_ends) else None


# --- the draw --------------------------------------------------------------------------------------


def new_seed() -> bytes:
    """A fresh secret seed: 32 random bytes from :mod:`secrets`."""
    return secrets.token_bytes(SEED_BYTES)


def commitment(seed: bytes) -> str:
    """The published commitment: lowercase hex SHA-256 of the seed."""
    return hashlib.sha256(seed).hexdigest()


def normalise_entropy(entropy: str) -> str:
    """Public randomness as published: whitespace runs collapsed to one space, ends stripped."""
    return " ".join((entropy or "").split())


def effective_seed(seed: bytes, entropy: str) -> bytes:
    """The seed when ``entropy`` is blank, else SHA-256(seed ‖ 0x00 ‖ normalised entropy in UTF-8).

    The entropy (RFC 3797 style, e.g. «12 31 4 7 45 1») is published after the window closed, so
    nobody knew the final seed before the participant list was frozen.
    """
    text = normalise_entropy(entropy)
    if not text:
        return seed
    return hashlib.sha256(seed + b"\0" + text.encode("utf-8")).digest()


def rank_keys(seed: bytes, unique_keys: Iterable[str], count: int) -> list[str]:
    """The ``count`` keys with the smallest SHA-256(seed ‖ 0x00 ‖ key), ties by key, best first.

    The keys are scored a batch at a time; only those below the ``count``-th best score so far are
    kept, and the kept ones are cut back to ``count`` whenever they pass twice that (a list of
    millions is never held, and most keys are dropped by one comparison).
    """
    if count <= 0:
        return []
    base = hashlib.sha256(seed + b"\0")

    def score(key: str) -> bytes:
        digest = base.copy()
        digest.update(key.encode("utf-8"))
        return digest.digest()

    keys = iter(unique_keys)
    best: list[tuple[bytes, str]] = []
    cutoff: tuple[bytes, str] | None = None
    while batch := list(islice(keys, _RANK_BATCH)):
        scored = [(score(key), key) for key in batch]
        best.extend(scored if cutoff is None else [item for item in scored if item < cutoff])
        if len(best) >= 2 * count or cutoff is None and len(best) >= count:
            best.sort()
            del best[count:]
            cutoff = best[-1]
    best.sort()
    return [key for _, key in best[:count]]


def draw_winners(seed: bytes, participants: Collection[str], prizes: Sequence[int]) -> dict[str, int]:
    """Participant key → prize value: a deterministic function of (seed, set of keys, multiset of prizes).

    Participants are ranked by SHA-256(seed ‖ 0x00 ‖ key) ascending (ties by key); rank 0 gets the
    largest prize, rank 1 the next, … until prizes or participants run out. Every participant is
    equally likely to get any rank (no modulo anywhere); duplicates count once; order is irrelevant.
    """
    unique = participants if isinstance(participants, set | frozenset) else set(participants)
    ordered_prizes = sorted(prizes, reverse=True)
    winners = rank_keys(seed, unique, min(len(ordered_prizes), len(unique)))
    return dict(zip(winners, ordered_prizes, strict=False))


def extra_prize(*, won_main: bool, first_online_vote: bool, age_on_vote_day: int) -> int:
    """1 000 prize points for an online participant without a main prize who voted online for the first
    time or was 60 or older on the vote day — once, even when both apply; otherwise 0."""
    if won_main:
        return 0
    return EXTRA_PRIZE if first_online_vote or age_on_vote_day >= EXTRA_PRIZE_AGE else 0


def check_category(slug: str) -> str:
    """The slug of a known category draw («sport», «travel», «home»); anything else is refused."""
    if slug not in CATEGORIES:
        raise InvalidInput("promo.category_unknown")
    return slug


# --- keys and codes --------------------------------------------------------------------------------


def pseudonym(secret: bytes, user_id: int) -> str:
    """The key published in lists: first 20 hex chars of HMAC-SHA256(secret, str(user_id)).

    It reveals no code, phone or name; only the platform (holding ``secret``) can link it to a person.
    """
    return hmac.new(secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()[:KEY_LENGTH]


def pseudonyms(secret: bytes, user_ids: Iterable[int]) -> list[str]:
    """:func:`pseudonym` of many users at once (the HMAC key is set up once, then copied)."""
    base = hmac.new(secret, digestmod=hashlib.sha256)
    keys = []
    for user_id in user_ids:
        mac = base.copy()
        mac.update(str(user_id).encode("ascii"))
        keys.append(mac.hexdigest()[:KEY_LENGTH])
    return keys


def new_code() -> str:
    """A citizen's unique campaign code: 10 characters of an alphabet without look-alikes (no 0/O, 1/I)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# Each random byte's low five bits pick a letter: 256 is a multiple of the alphabet's 32 letters, so
# every letter is equally likely (as with ``secrets.choice``), at one system-random read per batch.
_CODE_LETTERS = bytes(ord(CODE_ALPHABET[byte % len(CODE_ALPHABET)]) for byte in range(256))
assert 256 % len(CODE_ALPHABET) == 0


def new_codes(count: int) -> list[str]:
    """``count`` codes as by :func:`new_code`, drawn at once from the system's random source."""
    letters = secrets.token_bytes(count * CODE_LENGTH).translate(_CODE_LETTERS).decode("ascii")
    return [letters[i : i + CODE_LENGTH] for i in range(0, count * CODE_LENGTH, CODE_LENGTH)]


# --- prize specs -----------------------------------------------------------------------------------

_PRIZE_PART = re.compile(r"^(\d{1,9})\s*[xXхХ×*]\s*(\d{1,9})$")


def parse_prizes(spec: str) -> list[int]:
    """The prize values of «5000x10,3000x20,1000x70» (largest first); «х» (Cyrillic) is accepted as x.

    Values and counts are positive integers up to 10 000 000, the total count at most 10 000 000;
    a malformed part is refused with a message naming it.
    """
    text = (spec or "").strip()
    if not text:
        raise InvalidInput("promo.prizes_empty")
    groups: list[tuple[int, int]] = []
    total = 0
    for raw in text.split(","):
        part = raw.strip()
        match = _PRIZE_PART.match(part)
        if not match:
            raise InvalidInput("promo.prizes_bad", part=part)
        value, count = int(match.group(1)), int(match.group(2))
        if not 1 <= value <= PRIZE_VALUE_MAX or not 1 <= count <= PRIZE_COUNT_MAX:
            raise InvalidInput("promo.prizes_range", part=part, limit="10 000 000")
        total += count
        if total > PRIZE_COUNT_MAX:
            raise InvalidInput("promo.prizes_too_many", limit="10 000 000")
        groups.append((value, count))
    prizes = [value for value, count in groups for _ in range(count)]
    prizes.sort(reverse=True)
    return prizes


def prizes_spec(prizes: Iterable[int]) -> str:
    """The canonical spec of a prize list: values descending, equal values grouped («5000x2,1000x3»)."""
    counts: dict[int, int] = {}
    for value in prizes:
        counts[value] = counts.get(value, 0) + 1
    return ",".join(f"{value}x{counts[value]}" for value in sorted(counts, reverse=True))


# --- published files -------------------------------------------------------------------------------


def participants_lines(keys: Iterable[str]) -> Iterator[bytes]:
    """The published participant list: sorted unique keys, one per line, each ending with "\\n"."""
    for key in sorted(set(keys)):
        if not KEY_PATTERN.match(key):
            raise InvalidInput("promo.key_invalid")
        yield (key + "\n").encode("ascii")


def list_digest(keys: Iterable[str]) -> tuple[str, int]:
    """SHA-256 (hex) of exactly the bytes of :func:`participants_lines` and the number of keys."""
    digest = hashlib.sha256()
    count = 0
    for line in participants_lines(keys):
        digest.update(line)
        count += 1
    return digest.hexdigest(), count


def winners_lines(winners: Mapping[str, int]) -> Iterator[bytes]:
    """The published result: the header «key;prize», then «key;prize» rows sorted by key."""
    yield (WINNERS_HEADER + "\n").encode("ascii")
    for key in sorted(winners):
        yield f"{key};{winners[key]}\n".encode("ascii")


# --- schedule --------------------------------------------------------------------------------------

PHASES = ("before", "info", "opt_out", "draws", "activation", "exchange", "finished")
PHASE_NAMES: dict[str, str] = statuses("promo_phase")


def moscow_until(day: date, hh: int, mm: int) -> datetime:
    """The exclusive UTC instant right after the whole Moscow minute hh:mm of ``day``.

    «до 23:59 5 сентября» → 6 September 00:00 MSK; «до 20:00» → 20:01:00 MSK.
    """
    start = datetime.combine(day, time(hh, mm), tzinfo=MOSCOW)
    return (start + timedelta(minutes=1)).astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """The instants of a campaign, aware UTC; every «…_ends_at» is exclusive."""

    info_starts_at: datetime
    info_ends_at: datetime
    eligibility_at: datetime
    opt_out_ends_at: datetime
    opt_in_ends_at: datetime
    window_ends: tuple[datetime, ...]
    draws_due: tuple[datetime, ...]
    category_opens_at: datetime
    category_ends_at: datetime
    activation_ends_at: datetime
    exchange_starts_at: datetime
    exchange_ends_at: datetime
    use_ends_at: datetime


def _ascending(instants: Sequence[datetime]) -> bool:
    return all(a < b for a, b in zip(instants, instants[1:], strict=False))


def schedule_problem(s: Schedule) -> str | None:
    """The catalogue key of the first ordering problem of a schedule, or None when it is consistent."""
    singles = (
        s.info_starts_at,
        s.info_ends_at,
        s.eligibility_at,
        s.opt_out_ends_at,
        s.opt_in_ends_at,
        s.category_opens_at,
        s.category_ends_at,
        s.activation_ends_at,
        s.exchange_starts_at,
        s.exchange_ends_at,
        s.use_ends_at,
    )
    if any(moment.tzinfo is None for moment in (*singles, *s.window_ends, *s.draws_due)):
        return "promo.schedule_naive"
    if not s.info_starts_at < s.info_ends_at <= s.opt_out_ends_at:
        return "promo.schedule_info"
    if not s.eligibility_at < s.opt_out_ends_at:
        return "promo.schedule_eligibility"
    if not s.info_starts_at < s.opt_in_ends_at <= s.opt_out_ends_at:
        return "promo.schedule_opt_in"
    if not s.window_ends or not _ascending(s.window_ends) or s.window_ends[0] < s.opt_out_ends_at:
        return "promo.schedule_windows"
    if (
        len(s.draws_due) != len(s.window_ends)
        or not _ascending(s.draws_due)
        or any(due <= end for due, end in zip(s.draws_due, s.window_ends, strict=True))
    ):
        return "promo.schedule_draws"
    if not s.category_opens_at < s.category_ends_at <= s.window_ends[-1]:
        return "promo.schedule_category"
    if not s.draws_due[-1] < s.activation_ends_at:
        return "promo.schedule_activation"
    if not s.draws_due[0] <= s.exchange_starts_at < s.exchange_ends_at <= s.use_ends_at:
        return "promo.schedule_exchange"
    return None


def opt_out_open(s: Schedule, now: datetime) -> bool:
    """Whether a citizen may still refuse participation (until 23:59 of the deadline inclusive)."""
    return s.info_starts_at <= now < s.opt_out_ends_at


def opt_in_open(s: Schedule, now: datetime) -> bool:
    """Whether a refusal may still be cancelled (until 22:59 of the deadline day inclusive)."""
    return s.info_starts_at <= now < s.opt_in_ends_at


def category_open(s: Schedule, now: datetime) -> bool:
    """Whether registration for a category draw is open."""
    return s.category_opens_at <= now < s.category_ends_at


def activation_open(s: Schedule, now: datetime) -> bool:
    """Whether a winning code may be activated: from the first draw due until the activation deadline."""
    return s.draws_due[0] <= now < s.activation_ends_at


def exchange_open(s: Schedule, now: datetime) -> bool:
    """Whether prize points may be exchanged for partner rewards."""
    return s.exchange_starts_at <= now < s.exchange_ends_at


def codes_open(s: Schedule, now: datetime) -> bool:
    """Whether codes go out by SMS: from the end of the first information phase (and not before the
    eligibility moment) until the opt-out deadline («дополнительное информирование», p. 2.1.3)."""
    return max(s.info_ends_at, s.eligibility_at) <= now < s.opt_out_ends_at


def phase(s: Schedule, now: datetime) -> str:
    """The campaign phase at ``now`` (one of :data:`PHASES`; Russian words in :data:`PHASE_NAMES`)."""
    if now < s.info_starts_at:
        return "before"
    if now < s.info_ends_at:
        return "info"
    if now < s.opt_out_ends_at:
        return "opt_out"
    if now < s.draws_due[-1]:
        return "draws"
    if now < s.activation_ends_at:
        return "activation"
    if now < s.exchange_ends_at:
        return "exchange"
    return "finished"


# --- the voting system's file ---------------------------------------------------------------------

VOTES_HEADER = ("person", "voted_at", "channel", "first_online")
VOTE_ERRORS_SHOWN = 20
_CHANNELS = {"online": "online", "онлайн": "online", "terminal": "terminal", "терминал": "terminal"}
_YES_NO = {"yes": True, "да": True, "1": True, "no": False, "нет": False, "0": False}
_SNILS_LAYOUT = re.compile(r"^\d{3}-\d{3}-\d{3}[ \-]\d{2}$")
_BARE_DIGITS = re.compile(r"^\d{11}$")
_VOTED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+\-]\d{2}:?\d{2})?$")


@dataclass(frozen=True)
class VoteRow:
    """One voter of the voting system's file; exactly one of ``snils``/``phone`` is filled."""

    line: int
    snils: str
    phone: str
    voted_at: datetime
    channel: str
    first_online: bool


class VoteFileError(InvalidInput):
    """The vote file is refused as a whole; ``problems`` are (line number, Russian reason)."""

    def __init__(self, key: str, problems: Sequence[tuple[int, str]] = (), **params: object) -> None:
        self.problems = list(problems)
        super().__init__(key, **params)

    @classmethod
    def for_rows(cls, problems: Sequence[tuple[int, str]]) -> "VoteFileError":
        """The error listing the first 20 bad lines with their reasons, then «и ещё N»."""
        shown = " ".join(f"Строка {line}: {reason}" for line, reason in problems[:VOTE_ERRORS_SHOWN])
        rest = len(problems) - VOTE_ERRORS_SHOWN
        if rest > 0:
            shown += " " + message("promo.votes_more", count=rest)
        return cls("promo.votes_bad", problems, count=len(problems), lines=shown)


def _person(raw: str) -> tuple[str, str]:
    """(snils, phone) of the person column; raises ValueError with the catalogue key of the reason."""
    text = raw.strip()
    if text.startswith("+"):
        return "", _phone_or_fail(text)
    if _SNILS_LAYOUT.match(text):
        digits = re.sub(r"\D", "", text)
        if not is_valid_snils(digits):
            raise ValueError("promo.votes_reason_snils")
        return digits, ""
    if _BARE_DIGITS.match(text):
        try:
            phone = normalize_phone(text)
        except DomainError:
            if is_valid_snils(text):
                return text, ""
            raise ValueError("promo.votes_reason_snils") from None
        if is_valid_snils(text):
            raise ValueError("promo.votes_reason_ambiguous")
        return "", phone
    return "", _phone_or_fail(text)


def _phone_or_fail(text: str) -> str:
    try:
        return normalize_phone(text)
    except DomainError:
        raise ValueError("promo.votes_reason_person") from None


def _voted_at(raw: str) -> datetime:
    """The vote instant in UTC; a time without an offset is Moscow time."""
    text = raw.strip()
    if not _VOTED_AT.match(text):
        raise ValueError("promo.votes_reason_time")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("promo.votes_reason_time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MOSCOW)
    return moment.astimezone(UTC)


def _vote_row(line: int, cells: list[str]) -> VoteRow:
    """One parsed row; raises ValueError carrying the catalogue key of the first reason."""
    if len(cells) != len(VOTES_HEADER):
        raise ValueError("promo.votes_reason_columns")
    snils, phone = _person(cells[0])
    voted_at = _voted_at(cells[1])
    channel = _CHANNELS.get(cells[2].strip().lower())
    if channel is None:
        raise ValueError("promo.votes_reason_channel")
    first = _YES_NO.get(cells[3].strip().lower())
    if first is None:
        raise ValueError("promo.votes_reason_first")
    if first and channel != "online":
        raise ValueError("promo.votes_reason_first_terminal")
    return VoteRow(
        line=line, snils=snils, phone=phone, voted_at=voted_at, channel=channel, first_online=first
    )


def parse_votes(text: str) -> list[VoteRow]:
    """All rows of the voting system's file, or :class:`VoteFileError` listing every bad line.

    UTF-8 text (a BOM is tolerated), «;»-separated, header ``person;voted_at;channel;first_online``;
    blank lines are skipped. A person (SNILS or phone) listed twice, an empty file or a missing header
    refuse the whole file: nothing partial.
    """
    lines = text.removeprefix("\ufeff").splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise VoteFileError("promo.votes_empty")
    first_number, header = numbered[0]
    if tuple(cell.strip().lower() for cell in header.split(";")) != VOTES_HEADER:
        raise VoteFileError("promo.votes_header", line=first_number, header=";".join(VOTES_HEADER))
    if len(numbered) == 1:
        raise VoteFileError("promo.votes_no_rows")
    rows: list[VoteRow] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, line in numbered[1:]:
        try:
            row = _vote_row(number, line.split(";"))
        except ValueError as exc:
            problems.append((number, message(exc.args[0])))
            continue
        person = row.snils or row.phone
        if person in seen:
            problems.append((number, message("promo.votes_reason_twice", line=seen[person])))
            continue
        seen[person] = number
        rows.append(row)
    if problems:
        raise VoteFileError.for_rows(problems)
    return rows
