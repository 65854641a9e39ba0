"""Russian mobile phone numbers (SPEC §1.1): parsing, E.164 normalisation, masking."""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from ag_app.domain.errors import DomainError

# What a person may type: digits and the usual separators (letters are refused, not "vanity"-decoded).
_TYPED = re.compile(r"^[0-9+\-\s().]{10,30}$")
_E164_RU_MOBILE = re.compile(r"^\+79\d{9}$")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def normalize_phone(raw: str) -> str:
    """The number as E.164 ``+79XXXXXXXXX``.

    Accepts what people type: ``8 916 123-45-67``, ``+7 (916) 123-45-67``, ``79161234567`` or
    ``9161234567``. Only valid Russian mobile numbers (+7 9XX…) are accepted; anything else
    (landlines, other countries, letters, wrong length) raises ``DomainError("phone.invalid")``.
    """
    text = (raw or "").strip()
    if not _TYPED.match(text):
        raise DomainError("phone.invalid")
    try:
        number = phonenumbers.parse(text, "RU")
    except NumberParseException as exc:
        raise DomainError("phone.invalid") from exc
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if (
        phonenumbers.region_code_for_number(number) != "RU"
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
        or not _E164_RU_MOBILE.match(e164)
    ):
        raise DomainError("phone.invalid")
    return e164


def is_e164_mobile(phone: str) -> bool:
    """Whether ``phone`` is already a normalised Russian mobile number."""
    return bool(_E164_RU_MOBILE.match(phone or ""))


def mask_phone(phone: str) -> str:
    """A number safe to show to others: ``+7 916 ***-**-67`` (anything else becomes ``***``)."""
    if not is_e164_mobile(phone):
        return "***"
    return f"+7 {phone[2:5]} ***-**-{phone[-2:]}"


def format_phone(phone: str) -> str:
    """A normalised number as people read it: ``+7 916 123-45-67``."""
    if not is_e164_mobile(phone):
        return phone
    return f"+7 {phone[2:5]} {phone[5:8]}-{phone[8:10]}-{phone[10:12]}"


def split_number(phone: str) -> tuple[int, int]:
    """The DEF code and the 7-digit subscriber number: ``+79161234567`` → (916, 1234567)."""
    if not is_e164_mobile(phone):
        raise DomainError("phone.invalid")
    return int(phone[2:5]), int(phone[5:])


def region_kind(region: str) -> str:
    """«moscow» when a numbering-plan region names Moscow (the city, «Москва»), otherwise «other»."""
    return "moscow" if "москва" in (region or "").lower() else "other"
