"""The payout data of a prize-winner (issue 16, «Положение о конкурсе» 4.2.1, 4.2.5): pure validation.

Numbers are checked by their control digits: the personal INN (12 digits) and the bank's INN (10), the
SNILS, a «Мир» card (Luhn, BIN 2200–2204) and the account and correspondent account against the BIK by the
Bank of Russia key. The values are personal data: nothing here puts them in a message or a ``repr``.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ag_app.domain.errors import DomainError, FormProblems
from ag_app.domain.identity import is_valid_snils
from ag_app.domain.phone import normalize_phone
from ag_app.i18n import message

FULL_NAME_MIN, FULL_NAME_MAX = 2, 200
ISSUED_BY_MIN = 3
ADDRESS_MIN = 10
BANK_NAME_MIN = 3
TEXT_MAX = 500
MIR_PREFIXES = range(2200, 2205)

FIELDS: tuple[str, ...] = (
    "full_name",
    "birth_date",
    "phone",
    "passport_series",
    "passport_number",
    "passport_issued_by",
    "passport_issued_on",
    "registration_address",
    "inn",
    "snils",
    "card_number",
    "account",
    "bank_name",
    "bank_bik",
    "bank_inn",
    "bank_kpp",
    "bank_corr_account",
)

_SEPARATORS = re.compile(r"[\s\-]+")
_KPP = re.compile(r"^\d{4}[0-9A-Z]{2}\d{3}$")
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


@dataclass(frozen=True, repr=False)
class PayoutData:
    """A member's payout application, normalised (numbers as digits, the phone as E.164)."""

    full_name: str
    birth_date: date
    phone: str
    passport_series: str
    passport_number: str
    passport_issued_by: str
    passport_issued_on: date
    registration_address: str
    inn: str
    snils: str
    card_number: str
    account: str
    bank_name: str
    bank_bik: str
    bank_inn: str
    bank_kpp: str
    bank_corr_account: str

    def __repr__(self) -> str:
        return "PayoutData(<персональные данные скрыты>)"


def _digits(raw: str | None) -> str:
    """The value with spaces and dashes removed (``4500 123456`` → ``4500123456``)."""
    return _SEPARATORS.sub("", raw or "")


def _all_digits(text: str, length: int | None = None) -> bool:
    return text.isascii() and text.isdigit() and (length is None or len(text) == length)


def _inn_digit(digits: str, weights: Sequence[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def inn_valid(inn: str) -> bool:
    """Whether ``inn`` is a valid INN: 10 digits of an organisation or 12 of a person, with its control digits."""
    if _all_digits(inn, 10):
        return _inn_digit(inn[:9], _INN10_WEIGHTS) == int(inn[9])
    if _all_digits(inn, 12):
        return _inn_digit(inn[:10], _INN11_WEIGHTS) == int(inn[10]) and _inn_digit(
            inn[:11], _INN12_WEIGHTS
        ) == int(inn[11])
    return False


def luhn_valid(number: str) -> bool:
    """Whether a card number passes the Luhn check (every second digit from the right doubled)."""
    if not _all_digits(number) or not number:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def mir_card_valid(number: str) -> bool:
    """A «Мир» card: 16–19 digits beginning 2200–2204, passing the Luhn check."""
    return (
        16 <= len(number) <= 19
        and _all_digits(number)
        and int(number[:4]) in MIR_PREFIXES
        and luhn_valid(number)
    )


def account_key_valid(key_prefix: str, account: str) -> bool:
    """The Bank of Russia control key: the 3 digits ``key_prefix`` then the 20-digit account, weighted
    7, 1, 3 repeating, must sum to a multiple of 10."""
    digits = key_prefix + account
    if not _all_digits(digits, 23):
        return False
    return sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10 == 0


def bik_valid(bik: str) -> bool:
    """A Russian bank's BIK: 9 digits beginning «04»."""
    return _all_digits(bik, 9) and bik.startswith("04")


def account_valid(account: str, bik: str) -> bool:
    """A client account at the bank ``bik``: 20 digits whose key checks with the BIK's last 3 digits."""
    return bik_valid(bik) and _all_digits(account, 20) and account_key_valid(bik[-3:], account)


def corr_account_valid(account: str, bik: str) -> bool:
    """The bank's correspondent account at the Bank of Russia: 20 digits from «301» ending with the BIK's last
    3 digits, whose key checks with «0» + the BIK's 5th–6th digits."""
    return (
        bik_valid(bik)
        and _all_digits(account, 20)
        and account.startswith("301")
        and account.endswith(bik[-3:])
        and account_key_valid("0" + bik[4:6], account)
    )


def _iso_date(raw: str) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def check_payout(form: Mapping[str, str], today: date) -> PayoutData:
    """The payout data of П. 4.2.1, or :class:`FormProblems` (key ``award.payout_problems``) naming every
    bad field at once. Spaces and dashes inside numbers are tolerated; dates are ISO (ГГГГ-ММ-ДД), neither
    in the future, and the passport is issued after the birth date."""
    value = {name: (form.get(name) or "") for name in FIELDS}
    problems: dict[str, str] = {}

    def bad(name: str, key: str, **params: object) -> None:
        problems[name] = message(key, **params)

    full_name = " ".join(value["full_name"].split())
    if not FULL_NAME_MIN <= len(full_name) <= FULL_NAME_MAX:
        bad("full_name", "award.payout_full_name", min=FULL_NAME_MIN, max=FULL_NAME_MAX)
    birth_date = _iso_date(value["birth_date"])
    if birth_date is None or birth_date > today:
        bad("birth_date", "award.payout_birth_date")
    phone = ""
    try:
        phone = normalize_phone(value["phone"])
    except DomainError:
        bad("phone", "award.payout_phone")
    series, number = _digits(value["passport_series"]), _digits(value["passport_number"])
    if not _all_digits(series, 4):
        bad("passport_series", "award.payout_passport_series")
    if not _all_digits(number, 6):
        bad("passport_number", "award.payout_passport_number")
    issued_by = " ".join(value["passport_issued_by"].split())
    if not ISSUED_BY_MIN <= len(issued_by) <= TEXT_MAX:
        bad("passport_issued_by", "award.payout_issued_by", min=ISSUED_BY_MIN, max=TEXT_MAX)
    issued_on = _iso_date(value["passport_issued_on"])
    # a passport issued on or before the birth date is wrong (compared only with a plausible birth date)
    born_on = birth_date if birth_date is not None and birth_date <= today else date.min
    if issued_on is None or issued_on > today or issued_on <= born_on:
        bad("passport_issued_on", "award.payout_issued_on")
    address = " ".join(value["registration_address"].split())
    if not ADDRESS_MIN <= len(address) <= TEXT_MAX:
        bad("registration_address", "award.payout_address", min=ADDRESS_MIN, max=TEXT_MAX)
    inn = _digits(value["inn"])
    if len(inn) != 12 or not inn_valid(inn):
        bad("inn", "award.payout_inn")
    snils = _digits(value["snils"])
    if not is_valid_snils(snils):
        bad("snils", "award.payout_snils")
    card = _digits(value["card_number"])
    if not mir_card_valid(card):
        bad("card_number", "award.payout_card")
    bank_name = " ".join(value["bank_name"].split())
    if not BANK_NAME_MIN <= len(bank_name) <= TEXT_MAX:
        bad("bank_name", "award.payout_bank_name", min=BANK_NAME_MIN, max=TEXT_MAX)
    bik = _digits(value["bank_bik"])
    if not bik_valid(bik):
        bad("bank_bik", "award.payout_bik")
    account = _digits(value["account"])
    if not _all_digits(account, 20) or (bik_valid(bik) and not account_valid(account, bik)):
        bad("account", "award.payout_account")
    bank_inn = _digits(value["bank_inn"])
    if len(bank_inn) != 10 or not inn_valid(bank_inn):
        bad("bank_inn", "award.payout_bank_inn")
    kpp = _digits(value["bank_kpp"]).upper()
    if not _KPP.match(kpp):
        bad("bank_kpp", "award.payout_kpp")
    corr = _digits(value["bank_corr_account"])
    if not (_all_digits(corr, 20) and corr.startswith("301")) or (
        bik_valid(bik) and not corr_account_valid(corr, bik)
    ):
        bad("bank_corr_account", "award.payout_corr_account")
    if problems:
        raise FormProblems("award.payout_problems", problems)
    assert birth_date is not None and issued_on is not None  # no problem means both dates parsed
    return PayoutData(
        full_name=full_name,
        birth_date=birth_date,
        phone=phone,
        passport_series=series,
        passport_number=number,
        passport_issued_by=issued_by,
        passport_issued_on=issued_on,
        registration_address=address,
        inn=inn,
        snils=snils,
        card_number=card,
        account=account,
        bank_name=bank_name,
        bank_bik=bik,
        bank_inn=bank_inn,
        bank_kpp=kpp,
        bank_corr_account=corr,
    )
