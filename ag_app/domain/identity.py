"""Identity documents and identification levels (SPEC §1.4)."""

import re

from ag_app.domain.errors import InvalidInput

LEVEL_SIMPLE = 1
LEVEL_STANDARD = 2
LEVEL_FULL = 3

LEVEL_NAMES: dict[int, str] = {
    LEVEL_SIMPLE: "упрощённый",
    LEVEL_STANDARD: "стандартный",
    LEVEL_FULL: "полный",
}

_SEPARATORS = re.compile(r"[\s\-]+")


def snils_checksum(first_nine: str) -> int:
    """The SNILS control number of its first 9 digits.

    Each digit is multiplied by its weight 9, 8, …, 1 (from the left) and the products summed. A sum
    below 100 is the control number itself; 100 and 101 give 00; a larger sum is taken modulo 101
    and the same rule applied again (so 100 gives 00).
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    return 0 if total in (100, 101) else total


def is_valid_snils(snils: str) -> bool:
    """Whether ``snils`` is 11 digits whose last two are the control number of the first nine."""
    return (
        len(snils) == 11
        and snils.isascii()
        and snils.isdigit()
        and snils_checksum(snils[:9]) == int(snils[9:])
    )


def normalize_snils(raw: str) -> str:
    """SNILS as 11 digits; ``123-456-789 64`` is accepted. A wrong length or control number is refused."""
    snils = _SEPARATORS.sub("", raw or "")
    if not is_valid_snils(snils):
        raise InvalidInput("identity.snils_invalid")
    return snils


def format_snils(snils: str) -> str:
    """11 digits as printed on the card: ``123-456-789 64``."""
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}" if len(snils) == 11 else snils


def normalize_passport(series: str, number: str) -> tuple[str, str]:
    """A Russian passport: series of 4 digits (``45 06`` accepted) and number of 6 digits."""
    series = _SEPARATORS.sub("", series or "")
    number = _SEPARATORS.sub("", number or "")
    if not (
        len(series) == 4
        and series.isascii()
        and series.isdigit()
        and len(number) == 6
        and number.isascii()
        and number.isdigit()
    ):
        raise InvalidInput("identity.passport_invalid")
    return series, number


def name_key(name: str) -> str:
    """A name as compared with the registry: case-insensitive, «ё» = «е», spaces collapsed."""
    return " ".join((name or "").casefold().replace("ё", "е").split())


def identification_level(*, has_address: bool, identity_verified: bool) -> int:
    """The identification level of an account.

    Level 1 «упрощённый»: the phone is confirmed (every account). Level 2 «стандартный»: plus at
    least one address. Level 3 «полный»: name, birth date, passport and SNILS checked against the
    citizen registry.
    """
    if identity_verified:
        return LEVEL_FULL
    return LEVEL_STANDARD if has_address else LEVEL_SIMPLE


def level_name(level: int) -> str:
    """The Russian name of a level: «упрощённый», «стандартный» or «полный»."""
    return LEVEL_NAMES[level]
