"""The voter's age band at voting time, as open data and statistics show it (SPEC §5.1, §5.4)."""

from datetime import date

# (label, youngest age in the band); the last band has no upper bound.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("до 18", 0),
    ("18–24", 18),
    ("25–34", 25),
    ("35–44", 35),
    ("45–54", 45),
    ("55–64", 55),
    ("65+", 65),
)
UNKNOWN = ""
GENDERS = {"male": "мужской", "female": "женский", UNKNOWN: "не указан"}


def age_on(birth_date: date, day: date) -> int:
    """Full years of a person born on ``birth_date`` on ``day`` (a 29 February birthday counts on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def age_band(birth_date: date | None, day: date) -> str:
    """The band label of the person's age on ``day``; "" when the birth date is unknown."""
    if birth_date is None:
        return UNKNOWN
    age = age_on(birth_date, day)
    label = AGE_BANDS[0][0]
    for band, youngest in AGE_BANDS:
        if age >= youngest:
            label = band
    return label
