"""The one parser of ids, page numbers and counts that arrive from outside (URL, query, body, event).

Only ASCII digits are a number here: no sign, spaces, exponent, hex or Unicode digits such as «²»
(``str.isdigit()`` accepts those, ``int()`` does not). Every id column of the schema is ``INTEGER``,
which PostgreSQL stores in 32 bits, so an id above 2³¹−1 can name nothing and is refused before it
reaches the database (SQLite would overflow at 2⁶³, PostgreSQL at 2³¹).
"""

from ag_app.domain.errors import InvalidInput

# The largest value of an INTEGER column on every supported database (PostgreSQL's int4).
MAX_ID = 2**31 - 1
# Counts and amounts stored in INTEGER columns share the same ceiling.
MAX_COUNT = MAX_ID
# A page number beyond this cannot exist at any page size the platform uses.
MAX_PAGE = 1_000_000
# Longer digit strings are refused without converting them (``int()`` of a huge string is slow).
_MAX_DIGITS = 12


def parse_int(raw: object, *, low: int, high: int) -> int:
    """``raw`` as an integer in ``low..high``: an ``int`` (never a ``bool``) or a string of ASCII digits.

    Raises:
        InvalidInput: anything else — a sign, spaces, «²», «1e3», «0x10», a float, an empty string,
            a list — or a number outside the range.
    """
    if isinstance(raw, bool):
        raise InvalidInput("number.invalid", low=low, high=high)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and 0 < len(raw) <= _MAX_DIGITS and raw.isascii() and raw.isdigit():
        value = int(raw)
    else:
        raise InvalidInput("number.invalid", low=low, high=high)
    if not low <= value <= high:
        raise InvalidInput("number.invalid", low=low, high=high)
    return value


def parse_id(raw: object) -> int:
    """An id of a row: ``1..MAX_ID`` (see :func:`parse_int`)."""
    return parse_int(raw, low=1, high=MAX_ID)


def parse_page(raw: object) -> int:
    """A page number: ``1..MAX_PAGE`` (see :func:`parse_int`)."""
    return parse_int(raw, low=1, high=MAX_PAGE)


def parse_count(raw: object, high: int = MAX_COUNT) -> int:
    """A count or an amount: ``0..high`` (see :func:`parse_int`)."""
    return parse_int(raw, low=0, high=high)


def id_or_none(raw: object) -> int | None:
    """:func:`parse_id` for a page that shows «not found» itself: None instead of the refusal."""
    try:
        return parse_id(raw)
    except InvalidInput:
        return None


def index_or_none(raw: object, size: int) -> int | None:
    """A position in a list of ``size`` items (``0..size-1``), or None for anything else."""
    try:
        return parse_int(raw, low=0, high=size - 1) if size > 0 else None
    except InvalidInput:
        return None
