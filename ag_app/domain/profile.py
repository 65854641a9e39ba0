"""Profile rules (SPEC §1.3, §3.2): names, dates, e-mail, addresses and the profile blocks."""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.i18n import statuses

NAME_MAX = 100
EMAIL_MAX = 254
MIN_AGE = 14
MAX_AGE = 120
# The oldest birth year a listed child may have, counted back from the current year.
CHILD_MAX_AGE = 100
MAX_CHILDREN = 20
ADDRESS_CHANGE_MONTHS = 3
APARTMENT_MAX = 10
HOUSE_NUMBER_MAX = 30

GENDERS: dict[str, str] = {"male": "мужской", "female": "женский"}
MARITAL_STATUSES: dict[str, str] = statuses("marital")
ADDRESS_KINDS: dict[str, str] = {
    "registration": "Адрес регистрации",
    "residence": "Адрес проживания",
    "work": "Адрес работы",
    "property": "Адрес собственности",
}
# Profile blocks that earn points, with the name used in the ledger description.
BLOCKS: dict[str, str] = {
    "personal": "личные данные",
    "family": "семья",
    "email": "подтверждённый e-mail",
}

# Words of letters joined by single spaces or hyphens: «Иванова», «Петров-Водкин», «Анна Мария».
_NAME = re.compile(r"^[^\W\d_]+(?:[ \-][^\W\d_]+)*$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,}$")
_APARTMENT = re.compile(r"^[0-9A-Za-zА-Яа-яЁё/\-]+$")
_HOUSE_NUMBER = re.compile(r"^\d+[0-9A-Za-zА-Яа-яЁё/\-. ]*$")


def clean_name(
    value: str,
    *,
    field: str,
    required: bool = True,
    dash_allowed: bool = False,
    required_key: str = "profile.name_required",
) -> str:
    """A name part as stored: trimmed, inner spaces collapsed.

    Letters, single spaces and hyphens only (no digits, quotes or markup); at most 100 characters.
    The patronymic may be empty or «-» (no patronymic). ``field`` is the Russian field label used in
    the error message; ``required_key`` the sentence of a blank required name.
    """
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise InvalidInput(required_key)
        return ""
    if len(text) > NAME_MAX:
        raise InvalidInput("profile.field_too_long", field=field, limit=NAME_MAX)
    if dash_allowed and text == "-":
        return text
    if not _NAME.match(text):
        raise InvalidInput("profile.name_invalid", field=field)
    return text


@dataclass(frozen=True)
class Personal:
    """The personal block as stored: names, gender and date of birth."""

    last_name: str
    first_name: str
    patronymic: str
    gender: str
    birth_date: date | None


def check_personal(
    *,
    last_name: str,
    first_name: str,
    patronymic: str,
    gender: str,
    birth_date: date | None,
    today: date,
    prior: dict[str, DomainError] | None = None,
) -> Personal:
    """The personal form, every field checked: one bad field keeps its own sentence, several are
    refused together («profile.personal_problems»); ``prior`` are fields refused while reading the
    form (e.g. an unreadable date). Form fields: last_name, first_name, patronymic, gender, birth_date."""
    checks = FormCheck(prior=prior)
    last = checks.run(
        "last_name", clean_name, last_name, field="Фамилия", required_key="profile.last_name_required"
    )
    first = checks.run(
        "first_name", clean_name, first_name, field="Имя", required_key="profile.first_name_required"
    )
    middle = checks.run(
        "patronymic", clean_name, patronymic, field="Отчество", required=False, dash_allowed=True
    )
    checked_gender = checks.run("gender", check_gender, gender)
    birth = checks.run("birth_date", check_birth_date, birth_date, today)
    checks.done("profile.personal_problems")
    return Personal(last or "", first or "", middle or "", checked_gender or "", birth)


def check_gender(gender: str) -> str:
    """«male», «female» or "" (not given)."""
    if gender not in ("", *GENDERS):
        raise InvalidInput("profile.gender_invalid")
    return gender


def age_on(birth_date: date, today: date) -> int:
    """Full years of age on ``today``."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def check_birth_date(birth_date: date | None, today: date) -> date | None:
    """A plausible date of birth: the person is between 14 and 120 years old on ``today``."""
    if birth_date is not None and not MIN_AGE <= age_on(birth_date, today) <= MAX_AGE:
        raise InvalidInput("profile.birth_date_invalid")
    return birth_date


def check_marital_status(status: str) -> str:
    """One of «single», «married», «divorced», «widowed»."""
    if status not in MARITAL_STATUSES:
        raise InvalidInput("profile.marital_invalid")
    return status


def child_year_range(today: date) -> tuple[int, int]:
    """The birth years a child may have: from 100 years ago to the current year."""
    return today.year - CHILD_MAX_AGE, today.year


def check_children(years: Iterable[int], today: date) -> list[int]:
    """Children's birth years, sorted; each within :func:`child_year_range`, at most 20 children."""
    result = sorted(years)
    if len(result) > MAX_CHILDREN:
        raise InvalidInput("profile.children_too_many", limit=MAX_CHILDREN)
    low, high = child_year_range(today)
    if any(not low <= year <= high for year in result):
        raise InvalidInput("profile.child_year_invalid", low=low, high=high)
    return result


def clean_email(email: str) -> str:
    """An e-mail address, trimmed and lower-cased; must look like ``name@domain.tld`` (≤ 254 chars)."""
    text = (email or "").strip().lower()
    if len(text) > EMAIL_MAX or not _EMAIL.match(text):
        raise InvalidInput("profile.email_invalid")
    return text


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the last day of a shorter month if needed)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_address_change_on(changed_on: date) -> date:
    """The first Moscow date an address set on ``changed_on`` may be changed again.

    An address may be changed at most once per 3 calendar months: 20 Nov → 20 Feb,
    30 Nov → 28 (29) Feb. Setting an address for the first time is always allowed.
    """
    return add_months(changed_on, ADDRESS_CHANGE_MONTHS)


def can_change_address(changed_on: date | None, today: date) -> bool:
    """Whether an address set on ``changed_on`` (None: never set) may be changed on ``today``."""
    return changed_on is None or today >= next_address_change_on(changed_on)


def check_apartment(apartment: str, *, required: bool) -> str:
    """An apartment number (digits, letters, «/» and «-», up to 10 characters); required for property."""
    text = (apartment or "").strip()
    if not text:
        if required:
            raise InvalidInput("address.apartment_required")
        return ""
    if len(text) > APARTMENT_MAX or not _APARTMENT.match(text):
        raise InvalidInput("address.apartment_invalid", limit=APARTMENT_MAX)
    return text


def check_house_number(number: str) -> str:
    """A house number of the extended form: starts with a digit, e.g. «12», «12к2», «7/1 стр. 3»."""
    text = " ".join((number or "").split())
    if len(text) > HOUSE_NUMBER_MAX or not _HOUSE_NUMBER.match(text):
        raise InvalidInput("address.house_number_invalid")
    return text


def completed_blocks(
    *,
    last_name: str,
    first_name: str,
    gender: str,
    birth_date: date | None,
    family_filled: bool,
    email_confirmed: bool,
) -> set[str]:
    """The profile blocks that are complete.

    «personal»: last name, first name, gender and date of birth given; «family»: the family block was
    saved (marital status chosen; children may be none); «email»: the e-mail address is confirmed.
    """
    blocks = set()
    if last_name and first_name and gender and birth_date is not None:
        blocks.add("personal")
    if family_filled:
        blocks.add("family")
    if email_confirmed:
        blocks.add("email")
    return blocks


def is_full_profile(blocks: set[str], *, has_address: bool) -> bool:
    """The whole profile is filled: all three blocks are complete and at least one address is set."""
    return set(BLOCKS) <= blocks and has_address
