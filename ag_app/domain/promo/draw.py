"""The auditable draw of «#ВыбираемВместе»: windows, seed and commitment, ranking, keys, codes, prize specs and published files; pure."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice

from ag_app.domain.errors import InvalidInput

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
