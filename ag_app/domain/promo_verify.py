"""Re-run a published promo draw from its files (SPEC §10.5): anyone can check the winners.

Reads files only; names the first difference in Russian. The participant list is streamed line by
line (its bytes are hashed as they are read, only the keys are kept for the draw).
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ag_app.domain.errors import InvalidInput
from ag_app.domain.promo import (
    KEY_PATTERN,
    WINNERS_HEADER,
    commitment,
    effective_seed,
    parse_prizes,
    rank_keys,
)
from ag_app.i18n import message

_HEX = re.compile(r"^(?:[0-9a-f]{2})+$")
_WINNER_ROW = re.compile(r"^([0-9a-f]{20});([1-9][0-9]{0,8})$")


@dataclass(frozen=True)
class VerifyReport:
    """The verdict: ``ok`` or the first ``problem`` (Russian), with the list's count and SHA-256."""

    ok: bool
    problem: str
    count: int
    list_sha256: str
    winners: int


class _Mismatch(Exception):
    """The first difference found; carries the Russian message."""


def _read_participants(path: Path) -> tuple[list[str], str]:
    """The keys of a canonical participant list and the SHA-256 of its bytes (streamed)."""
    digest = hashlib.sha256()
    keys: list[str] = []
    previous = ""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            digest.update(raw)
            if not raw.endswith(b"\n"):
                raise _Mismatch(message("promo.verify_line_newline", line=number))
            try:
                key = raw[:-1].decode("ascii")
            except UnicodeDecodeError:
                raise _Mismatch(message("promo.verify_line_key", line=number)) from None
            if not KEY_PATTERN.match(key):
                raise _Mismatch(message("promo.verify_line_key", line=number))
            if key <= previous:
                raise _Mismatch(message("promo.verify_line_order", line=number))
            previous = key
            keys.append(key)
    return keys, digest.hexdigest()


def _read_winners(path: Path) -> dict[str, int]:
    """The published winners (key → prize) of a well-formed winners file."""
    winners: dict[str, int] = {}
    previous = ""
    header_seen = False
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            text = raw.rstrip(b"\n").decode("ascii", errors="replace")
            if number == 1:
                if text != WINNERS_HEADER:
                    raise _Mismatch(message("promo.verify_winners_header"))
                header_seen = True
                continue
            match = _WINNER_ROW.match(text)
            if not match:
                raise _Mismatch(message("promo.verify_winners_row", line=number))
            key = match.group(1)
            if key <= previous:
                raise _Mismatch(message("promo.verify_winners_order", line=number))
            previous = key
            winners[key] = int(match.group(2))
    if not header_seen:
        raise _Mismatch(message("promo.verify_winners_header"))
    return winners


def _first_difference(expected: dict[str, int], published: dict[str, int]) -> None:
    """Raise for the smallest key whose prize differs, is missing from or extra in the published file."""
    for key in sorted(expected.keys() | published.keys()):
        want, got = expected.get(key), published.get(key)
        if want == got:
            continue
        if got is None:
            raise _Mismatch(message("promo.verify_winner_missing", winner=key, expected=want))
        if want is None:
            raise _Mismatch(message("promo.verify_winner_extra", winner=key, published=got))
        raise _Mismatch(message("promo.verify_winner_prize", winner=key, published=got, expected=want))


def verify_draw(
    participants: Path,
    seed_hex: str,
    commitment_hex: str,
    prizes: str,
    winners: Path,
    entropy: str = "",
    list_sha256: str | None = None,
) -> VerifyReport:
    """Re-run the draw from the published inputs and compare it with the published winners.

    Checks in order: the seed is hex; SHA-256(seed) equals the commitment; the participant list is
    canonical (sorted unique keys, one per line); its SHA-256 equals ``list_sha256`` when given; the
    winners file is well formed; the recomputed winners equal the published ones.
    """
    count, digest, published_count = 0, "", 0
    try:
        seed_text = seed_hex.strip().lower()
        if not _HEX.match(seed_text):
            raise _Mismatch(message("promo.verify_seed_bad"))
        seed = bytes.fromhex(seed_text)
        if commitment(seed) != commitment_hex.strip().lower():
            raise _Mismatch(message("promo.verify_commitment_bad"))
        try:
            prize_values = parse_prizes(prizes)
        except InvalidInput as exc:
            raise _Mismatch(str(exc)) from None
        try:
            keys, digest = _read_participants(participants)
        except OSError:
            raise _Mismatch(message("promo.verify_file_unreadable", name=participants.name)) from None
        count = len(keys)
        if list_sha256 is not None and list_sha256.strip().lower() != digest:
            raise _Mismatch(message("promo.verify_list_digest", actual=digest, expected=list_sha256.strip()))
        try:
            published = _read_winners(winners)
        except OSError:
            raise _Mismatch(message("promo.verify_file_unreadable", name=winners.name)) from None
        published_count = len(published)
        ranked = rank_keys(effective_seed(seed, entropy), keys, min(len(prize_values), count))
        del keys
        _first_difference(dict(zip(ranked, prize_values, strict=False)), published)
    except _Mismatch as problem:
        return VerifyReport(False, str(problem), count, digest, published_count)
    return VerifyReport(True, "", count, digest, published_count)
