"""Rules of the house registry file and of property verification (SPEC §1.4, §7.3, §8.1).

The registry arrives as CSV with one row per holder of a premise: the address of the house, the
premise with its area, and the person — an owner with an ownership share, a social tenant or a
registered resident — with the payer account number («ФЛС») and, for owners, the number of the
state registration of the right. This module checks single rows and the rows of a file together
(one premise has one area, one holder appears once, owners' shares never sum above 1) and reads
ФЛС and share notation. Pure: no database, no clock.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import name_key
from ag_app.domain.text import has_control_chars
from ag_app.i18n import message

# Columns of the registry CSV, in the order of the sample file.
COLUMNS: tuple[str, ...] = (
    "district",
    "street",
    "house",
    "premise",
    "premise_kind",
    "area_m2",
    "role",
    "person_kind",
    "person_ref",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "organisation",
    "share",
    "account_number",
    "property_number",
)
PREMISE_KINDS: dict[str, str] = {"apartment": "квартира", "non_residential": "нежилое помещение"}
ROLES: dict[str, str] = {
    "owner": "собственник",
    "social_tenant": "наниматель по договору социального найма",
    "resident": "зарегистрированный житель",
}
PERSON_KINDS: dict[str, str] = {"person": "физическое лицо", "legal": "юридическое лицо"}
# Field length limits of the registry tables.
TEXT_LIMITS: dict[str, int] = {
    "district": 100,
    "street": 200,
    "house": 30,
    "premise": 10,
    "person_ref": 64,
    "last_name": 100,
    "first_name": 100,
    "patronymic": 100,
    "organisation": 300,
    "property_number": 64,
}
ACCOUNT_DIGITS = 10
# The largest area the registry column holds (NUMERIC(12, 2)).
MAX_AREA = Decimal("9999999999.99")
# How many errors of one file are reported (the rest are only counted).
MAX_REPORTED_ERRORS = 100

_SHARE = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{1,9})\s*$")
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class RowError:
    """A refused line of the file: the catalogue key of the reason and its parameters."""

    line: int
    key: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def text(self) -> str:
        """«Строка 7: …» in Russian."""
        return f"Строка {self.line}: {message(self.key, **dict(self.params))}"


def _error(line: int, key: str, **params: object) -> RowError:
    return RowError(line, key, tuple(params.items()))


class RegistryFileInvalid(InvalidInput):
    """The registry file was refused as a whole; ``errors`` lists its refused lines (up to a limit)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        ordered = sorted(errors, key=lambda e: e.line)
        self.errors: list[str] = [e.text for e in ordered[:MAX_REPORTED_ERRORS]]
        self.total = len(ordered)
        super().__init__("house_registry.file_invalid", count=self.total)


@dataclass(frozen=True)
class HolderRow:
    """One checked line of the registry: a holder of a premise of a house."""

    line: int
    district: str
    street: str
    house: str
    premise: str
    premise_kind: str
    area_m2: Decimal
    role: str
    person_kind: str
    person_ref: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date | None
    organisation: str
    share: Fraction
    account_number: str
    property_number: str

    @property
    def house_key(self) -> tuple[str, str, str]:
        """The house as compared across lines: district, street and number, case-insensitive."""
        return (name_key(self.district), name_key(self.street), name_key(self.house))

    @property
    def premise_key(self) -> tuple[str, str, str, str]:
        """The premise as compared across lines."""
        return (*self.house_key, name_key(self.premise))


def normalize_account_number(raw: str) -> str:
    """A ФЛС as its 10 digits; spaces and hyphens are ignored, anything else is refused."""
    digits = _SEPARATORS.sub("", raw or "")
    if not (len(digits) == ACCOUNT_DIGITS and digits.isascii() and digits.isdigit()):
        raise InvalidInput("property.account_invalid")
    return digits


def normalize_property_number(raw: str) -> str:
    """A property registration number as written, with outer spaces removed and inner ones collapsed."""
    number = " ".join((raw or "").split())
    if not number:
        raise InvalidInput("property.number_required")
    if len(number) > TEXT_LIMITS["property_number"]:
        raise InvalidInput("property.number_too_long", limit=TEXT_LIMITS["property_number"])
    return number


def parse_share(raw: str) -> Fraction:
    """An ownership share written «1/3» (or «1» for whole ownership): above 0 and at most 1."""
    text = (raw or "").strip()
    if text == "1":
        return Fraction(1)
    match = _SHARE.match(text)
    if not match:
        raise InvalidInput("house_registry.share_invalid", value=text)
    numerator, denominator = int(match[1]), int(match[2])
    if numerator <= 0 or denominator <= 0 or numerator > denominator:
        raise InvalidInput("house_registry.share_invalid", value=text)
    return Fraction(numerator, denominator)


def format_share(share: Fraction) -> str:
    """A share as people write it: «1/3», or «1» for whole ownership."""
    return "1" if share == 1 else f"{share.numerator}/{share.denominator}"


def parse_area(raw: str) -> Decimal:
    """An area in m²: a positive number with at most two decimals (a decimal comma is accepted)."""
    text = (raw or "").strip().replace(",", ".").replace(" ", "")
    try:
        area = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput("house_registry.area_invalid", value=raw.strip()) from exc
    if not area.is_finite() or area <= 0 or area > MAX_AREA or area != area.quantize(Decimal("0.01")):
        raise InvalidInput("house_registry.area_invalid", value=raw.strip())
    return area.quantize(Decimal("0.01"))


def parse_birth_date(raw: str) -> date:
    """A birth date written ГГГГ-ММ-ДД or ДД.ММ.ГГГГ."""
    text = (raw or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise InvalidInput("house_registry.birth_date_invalid", value=text)


def shares_sum(shares: Iterable[Fraction]) -> Fraction:
    """The exact sum of ownership shares."""
    return sum(shares, Fraction(0))


def shares_fit(shares: Iterable[Fraction]) -> bool:
    """Whether the owners' shares of one premise sum to at most 1 (less is allowed: a partial registry)."""
    return shares_sum(shares) <= 1


def parse_row(line: int, values: Mapping[str, str]) -> tuple[HolderRow | None, list[RowError]]:
    """Check one line on its own; returns the row (None when refused) and every reason found."""
    errors: list[RowError] = []
    v = {column: (values.get(column) or "").strip() for column in COLUMNS}
    for column, limit in TEXT_LIMITS.items():
        if len(v[column]) > limit:
            errors.append(_error(line, "house_registry.too_long", column=column, limit=limit))
    for column in COLUMNS:
        if has_control_chars(v[column]):
            errors.append(_error(line, "house_registry.control_chars", column=column))
    for column in ("district", "street", "house", "premise", "person_ref"):
        if not v[column]:
            errors.append(_error(line, "house_registry.required", column=column))
    premise_kind = v["premise_kind"] or "apartment"
    if premise_kind not in PREMISE_KINDS:
        errors.append(_error(line, "house_registry.premise_kind_invalid", value=premise_kind))
    role = v["role"]
    if role not in ROLES:
        errors.append(_error(line, "house_registry.role_invalid", value=role))
    person_kind = v["person_kind"] or "person"
    if person_kind not in PERSON_KINDS:
        errors.append(_error(line, "house_registry.person_kind_invalid", value=person_kind))
    area = Decimal(0)
    try:
        area = parse_area(v["area_m2"])
    except InvalidInput as exc:
        errors.append(_error(line, exc.key, **exc.params))
    birth_date = None
    if person_kind == "legal":
        if role != "owner" and role in ROLES:
            errors.append(_error(line, "house_registry.legal_not_owner"))
        if not v["organisation"]:
            errors.append(_error(line, "house_registry.organisation_required"))
    else:
        if not v["last_name"] or not v["first_name"]:
            errors.append(_error(line, "house_registry.name_required"))
        try:
            birth_date = parse_birth_date(v["birth_date"])
        except InvalidInput as exc:
            errors.append(_error(line, exc.key, **exc.params))
    share = Fraction(1)
    if role == "owner":
        try:
            share = parse_share(v["share"] or "1")
        except InvalidInput as exc:
            errors.append(_error(line, exc.key, **exc.params))
    elif role in ROLES and v["share"] not in ("", "1"):
        errors.append(_error(line, "house_registry.share_not_owner"))
    if v["property_number"] and role in ROLES and role != "owner":
        errors.append(_error(line, "house_registry.property_number_not_owner"))
    account = ""
    if v["account_number"]:
        try:
            account = normalize_account_number(v["account_number"])
        except InvalidInput:
            errors.append(_error(line, "house_registry.account_invalid", value=v["account_number"]))
    if errors:
        return None, errors
    return (
        HolderRow(
            line=line,
            district=v["district"],
            street=" ".join(v["street"].split()),
            house=" ".join(v["house"].split()),
            premise=v["premise"],
            premise_kind=premise_kind,
            area_m2=area,
            role=role,
            person_kind=person_kind,
            person_ref=v["person_ref"],
            last_name=v["last_name"],
            first_name=v["first_name"],
            patronymic=v["patronymic"],
            birth_date=birth_date,
            organisation=v["organisation"],
            share=share,
            account_number=account,
            property_number=" ".join(v["property_number"].split()),
        ),
        [],
    )


def check_rows(rows: Sequence[HolderRow]) -> list[RowError]:
    """Check the lines of one file together.

    One premise has one area and one kind on every line; a holder (premise, person, role) appears
    once; the shares of one premise's owners sum to at most 1 (reported on the line that passes 1).
    """
    errors: list[RowError] = []
    premises: dict[tuple[str, str, str, str], HolderRow] = {}
    holders: dict[tuple, int] = {}
    owner_shares: dict[tuple[str, str, str, str], Fraction] = defaultdict(Fraction)
    for row in rows:
        first = premises.setdefault(row.premise_key, row)
        if first.area_m2 != row.area_m2:
            errors.append(
                _error(
                    row.line,
                    "house_registry.area_conflict",
                    premise=row.premise,
                    area=row.area_m2,
                    first_area=first.area_m2,
                    first_line=first.line,
                )
            )
        if first.premise_kind != row.premise_kind:
            errors.append(
                _error(row.line, "house_registry.kind_conflict", premise=row.premise, first_line=first.line)
            )
        holder_key = (row.premise_key, row.person_ref, row.role)
        if holder_key in holders:
            errors.append(
                _error(
                    row.line,
                    "house_registry.duplicate_holder",
                    premise=row.premise,
                    first_line=holders[holder_key],
                )
            )
            continue
        holders[holder_key] = row.line
        if row.role == "owner":
            before = owner_shares[row.premise_key]
            owner_shares[row.premise_key] = before + row.share
            if before <= 1 < before + row.share:
                errors.append(
                    _error(
                        row.line,
                        "house_registry.shares_above_one",
                        premise=row.premise,
                        total=format_share(before + row.share),
                    )
                )
    return errors


@dataclass(frozen=True)
class PersonData:
    """The identifying data of a person as compared with a registry (or typed at a desk)."""

    last_name: str
    first_name: str
    patronymic: str
    birth_date: date | None = None

    @classmethod
    def from_full_name(cls, text: str) -> "PersonData":
        """A full name typed in one field («Фёдоров Пётр Иванович»), without a birth date."""
        return cls(last_name=text, first_name="", patronymic="")


# Dashes people type inside double names instead of the hyphen-minus.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
# A hyphen between two letters, with any spaces around it.
_HYPHEN = re.compile(r"(?<=\w)\s*-\s*(?=\w)")


def normalize_name(name: str) -> str:
    """A person's name as the registries compare it.

    Letter case does not matter, «ё» = «е», spaces are collapsed, any dash is a hyphen and spaces
    around a hyphen inside a double name are dropped («Римский - Корсаков» = «римский-корсаков»);
    a word that is only dashes — «-» written for «no patronymic» — is no name at all.
    """
    text = _HYPHEN.sub("-", name_key((name or "").translate(_DASHES)))
    return " ".join(word for word in text.split() if word.strip("-"))


def full_name_key(person: PersonData) -> str:
    """The normalised «last first patronymic» of a person (:func:`normalize_name`), missing parts left out."""
    parts = (normalize_name(p) for p in (person.last_name, person.first_name, person.patronymic))
    return " ".join(part for part in parts if part)


def same_person(registry: PersonData, other: PersonData, *, compare_birth_date: bool = True) -> bool:
    """Whether a registry row (or an orderer's account) and ``other`` name the same person.

    The one rule every registry match uses — linking an apartment, verifying a renovation vote,
    full identification against the citizen registry, the shop's pickup desk: the full names are
    equal after :func:`normalize_name` (case, «ё»/«е», extra spaces, spaced or typographic hyphens
    do not matter; a patronymic «-» equals none), and unless ``compare_birth_date`` is off the
    birth dates are equal too — a row without a birth date never matches then. An empty name
    never matches.
    """
    names = full_name_key(registry)
    if not names or names != full_name_key(other):
        return False
    return not compare_birth_date or (
        registry.birth_date is not None and registry.birth_date == other.birth_date
    )


def _reader_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The data lines of a CSV with a header (comma or semicolon separated) and their line numbers."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error:
        return [], [_error(1, "house_registry.not_csv")]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [_error(1, "house_registry.columns_missing", columns=", ".join(missing))]
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    try:
        for record in reader:
            if None in record:
                errors.append(_error(reader.line_num, "house_registry.extra_values"))
                continue
            values = {key: (value or "").strip() for key, value in record.items()}
            if any(values.values()):
                rows.append((reader.line_num, values))
    except csv.Error:
        errors.append(_error(reader.line_num, "house_registry.not_csv"))
    if not rows and not errors:
        errors.append(_error(2, "house_registry.no_rows"))
    return rows, errors


def parse_registry_csv(text: str) -> tuple[list[HolderRow], list[RowError]]:
    """Every line of a registry CSV checked on its own and together with the others.

    Returns the accepted rows and every error found (a file with any error is refused as a whole
    by the caller). Columns: :data:`COLUMNS` (header names in any order, case-insensitive).
    """
    records, errors = _reader_rows(text)
    rows: list[HolderRow] = []
    for line, values in records:
        row, row_errors = parse_row(line, values)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    errors.extend(check_rows(rows))
    errors.sort(key=lambda e: e.line)
    return rows, errors
