"""The one Russian number formatter: every count, point total, amount and percentage shown to people.

Rules (Babel's Russian locale, so every page, chart label and news text reads the same):

* digits are grouped by thousands with a no-break space (U+00A0, what Babel's ``ru`` gives):
  ``12345`` → «12 345»; small numbers stay as they are: ``999`` → «999»;
* the decimal mark is a comma;
* a percentage always has exactly one decimal and a no-break space before the sign:
  ``12.5`` → «12,5 %», ``50`` → «50,0 %», ``1234.56`` → «1 234,6 %».

Machine files (CSV/XLSX open data, the meeting protocol PDF with its legal two decimals, benchmark
JSON) keep their own exact formats. ``tests/unit/test_numfmt.py`` scans the code so that hand-made
grouping, decimal commas and percent signs cannot come back.
"""

from babel.numbers import format_decimal

LOCALE = "ru"
# Babel's Russian group separator, also put between a number and its «%» or «₽».
NBSP = "\xa0"


def num(value: int | float) -> str:
    """A number with Russian digit grouping: ``12345`` → «12 345», ``1234.5`` → «1 234,5»."""
    return format_decimal(value, locale=LOCALE)


def decimal1(value: float) -> str:
    """A number with exactly one decimal: ``12.345`` → «12,3», ``1000`` → «1 000,0»."""
    return format_decimal(value, format="#,##0.0", locale=LOCALE)


def percent(value: float) -> str:
    """A share given in percent (0…100): ``12.5`` → «12,5 %», ``50`` → «50,0 %»."""
    return f"{decimal1(value)}{NBSP}%"


def rubles(value: int) -> str:
    """Whole rubles: ``150000`` → «150 000 ₽»."""
    return f"{num(value)}{NBSP}₽"


def kopecks(value: int) -> str:
    """An amount in kopecks as rubles with two decimals: ``123456`` → «1 234,56 ₽»."""
    sign = "-" if value < 0 else ""
    rub, kop = divmod(abs(value), 100)
    return f"{sign}{num(rub)},{kop:02d}{NBSP}₽"
