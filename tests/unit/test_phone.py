"""Phone numbers: what people type becomes E.164; anything but a Russian mobile is refused."""

import pytest

from ag_app.domain.errors import DomainError
from ag_app.domain.phone import format_phone, mask_phone, normalize_phone, region_kind, split_number


@pytest.mark.parametrize(
    "typed",
    [
        "+79161234567",
        "+7 (916) 123-45-67",
        "8 916 123-45-67",
        "89161234567",
        "79161234567",
        " 79161234567",  # «+» of a URL query arrives as a space
        "9161234567",
        "+7.916.123.45.67",
    ],
)
def test_usual_notations_normalise_to_e164(typed):
    assert normalize_phone(typed) == "+79161234567"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "+7916123456",  # one digit short
        "+791612345678",  # one digit too many
        "+74951234567",  # Moscow landline
        "+77011234567",  # Kazakhstan mobile shares +7
        "+380501234567",  # Ukraine
        "8916ABC4567",  # letters are not decoded
        "'; DROP TABLE user;--",
        "<script>alert(1)</script>",
        "8 916 123 45 67 8 916 123 45 67",  # too long
    ],
)
def test_other_numbers_are_refused_with_a_message(typed):
    with pytest.raises(DomainError) as err:
        normalize_phone(typed)
    assert err.value.key == "phone.invalid"
    assert err.value.status_code == 400
    assert "+7 9XX" in str(err.value)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("+79161234567", "+7 916 ***-**-67"), ("deleted:abc", "***"), ("", "***")],
)
def test_mask_hides_the_middle_digits(phone, masked):
    assert mask_phone(phone) == masked


def test_format_for_reading():
    assert format_phone("+79161234567") == "+7 916 123-45-67"


def test_split_into_def_code_and_subscriber():
    assert split_number("+79161234567") == (916, 1234567)
    with pytest.raises(DomainError):
        split_number("deleted:abc")


@pytest.mark.parametrize(
    ("region", "kind"),
    [
        ("г. Москва", "moscow"),
        ("г. Москва и Московская область", "moscow"),
        ("МОСКВА", "moscow"),
        ("Московская область", "other"),
        ("Санкт-Петербург", "other"),
        ("", "other"),
    ],
)
def test_region_kind_from_numbering_plan(region, kind):
    assert region_kind(region) == kind
