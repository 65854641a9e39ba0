"""Integer parameters of the API, all parsed by :func:`ag_app.domain.numbers.parse_int`.

Every id, page number, limit and count in a path, query or body is one of these types, so a value
that is not plain ASCII digits within the database's range («²», «-1», «1e3», « 7», 2⁶³, ``true``,
``1.5``) is refused with a Russian 422 before any route code or SQL runs.
"""

from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ag_app.domain.errors import InvalidInput
from ag_app.domain.numbers import MAX_COUNT, MAX_ID, MAX_PAGE, parse_int

# The error type a validation handler recognises (see ``ag_app.api._validation_message``).
NUMBER_ERROR = "ag_number_invalid"


def _parser(low: int, high: int):
    def parse(raw: Any) -> int:
        try:
            return parse_int(raw, low=low, high=high)
        except InvalidInput as error:
            raise PydanticCustomError(NUMBER_ERROR, str(error), {"low": low, "high": high}) from None

    return parse


def number(low: int, high: int) -> Any:
    """An integer type accepting only ASCII digits in ``low..high`` (the range is in the OpenAPI schema)."""
    schema = {"type": "integer", "minimum": low, "maximum": high}
    return Annotated[int, BeforeValidator(_parser(low, high)), WithJsonSchema(schema)]


# A row id (every id column is INTEGER: 1..2³¹−1).
Id = number(1, MAX_ID)
# A count or an amount stored in an INTEGER column.
Count = number(0, MAX_COUNT)
# A page number.
Page = number(1, MAX_PAGE)
# The length of a news page.
Limit = number(1, 100)
# The length of the notification list (the service caps it at 200).
NotificationLimit = number(1, 200)
