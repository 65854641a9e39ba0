"""The voting system's file of votes for the promo campaign: parsing with every problem by line; pure."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ag_app.domain.clock import MOSCOW
from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.identity import is_valid_snils
from ag_app.domain.phone import normalize_phone
from ag_app.i18n import message

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
