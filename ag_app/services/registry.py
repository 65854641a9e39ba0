"""The address registry (okrugs, districts, streets, houses), the citizen registry, the numbering plan."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.identity import normalize_passport, normalize_snils
from ag_app.domain.phone import region_kind, split_number
from ag_app.domain.text import has_control_chars
from ag_app.models import CitizenRecord, District, House, NumberingRange, Okrug, Street
from ag_app.services.access import Capability, require

CITIZEN_COLUMNS = (
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "passport_series",
    "passport_number",
    "snils",
)
NUMBERING_COLUMNS = ("code", "range_from", "range_to", "region", "operator")
_TEXT_LIMITS = {"last_name": 100, "first_name": 100, "patronymic": 100, "region": 200, "operator": 200}
_NUMBER_TOKEN = re.compile(r"(\d+)|(\D+)")
# Keys per IN (...) query when matching imported records.
_CHUNK = 500


@dataclass(frozen=True)
class OkrugView:
    """An administrative okrug."""

    id: int
    name: str
    abbrev: str


@dataclass(frozen=True)
class DistrictView:
    """A district with its okrug's name."""

    id: int
    name: str
    okrug_id: int
    okrug: str


@dataclass(frozen=True)
class StreetView:
    """A street of a district."""

    id: int
    name: str


@dataclass(frozen=True)
class HouseView:
    """A house of the registry; ``text`` is «улица, д. N»."""

    id: int
    number: str
    text: str


def house_text(street: str, number: str) -> str:
    """A house as people write it: «Тверская улица, д. 7»."""
    return f"{street}, д. {number}"


def _natural_key(number: str) -> tuple:
    """Sort «2» before «10» and «10к1» after «10»."""
    return tuple(
        (0, int(digits), "") if digits else (1, 0, other.lower())
        for digits, other in _NUMBER_TOKEN.findall(number)
    )


def list_okrugs(session: Session) -> list[OkrugView]:
    """The okrugs in registry order."""
    return [
        OkrugView(id=o.id, name=o.name, abbrev=o.abbrev)
        for o in session.exec(select(Okrug).order_by(Okrug.id))
    ]


def list_districts(session: Session, *, okrug_id: int | None = None) -> list[DistrictView]:
    """The districts by name, all or those of one okrug."""
    query = (
        select(District, Okrug.name).join(Okrug, col(Okrug.id) == District.okrug_id).order_by(District.name)
    )
    if okrug_id is not None:
        query = query.where(District.okrug_id == okrug_id)
    return [
        DistrictView(id=d.id, name=d.name, okrug_id=d.okrug_id, okrug=okrug)
        for d, okrug in session.exec(query)
    ]


def list_streets(session: Session, *, district_id: int) -> list[StreetView]:
    """The streets of a district by name."""
    rows = session.exec(select(Street).where(Street.district_id == district_id).order_by(Street.name))
    return [StreetView(id=s.id, name=s.name) for s in rows]


def list_houses(session: Session, *, street_id: int) -> list[HouseView]:
    """The registry houses of a street in natural number order (pending houses are not listed)."""
    street = session.get(Street, street_id)
    if street is None:
        return []
    houses = session.exec(select(House).where(House.street_id == street_id, House.status == "registry")).all()
    return [
        HouseView(id=h.id, number=h.number, text=house_text(street.name, h.number))
        for h in sorted(houses, key=lambda h: _natural_key(h.number))
    ]


def number_region(session: Session, *, phone: str) -> str:
    """«moscow» when the numbering plan puts the phone's range in Moscow, else (or unknown) «other»."""
    code, subscriber = split_number(phone)
    region = session.exec(
        select(NumberingRange.region).where(
            NumberingRange.code == code,
            col(NumberingRange.range_from) <= subscriber,
            col(NumberingRange.range_to) >= subscriber,
        )
    ).first()
    return region_kind(region or "")


def _bad(line: int, reason: str) -> InvalidInput:
    return InvalidInput("registry.csv_invalid", line=line, reason=reason)


def _rows(text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a CSV with a header (comma or semicolon separated) and their line numbers."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in columns if name not in header]
    if missing:
        raise _bad(1, "нет столбцов " + ", ".join(missing))
    reader.fieldnames = header
    rows = []
    try:
        for record in reader:
            if None in record:
                raise _bad(reader.line_num, "лишние значения в строке")
            values = {key: (value or "").strip() for key, value in record.items()}
            if not any(values.values()):
                continue
            for field, limit in _TEXT_LIMITS.items():
                if len(values.get(field, "")) > limit:
                    raise _bad(reader.line_num, f"поле {field} длиннее {limit} символов")
            for field, value in values.items():
                if has_control_chars(value):
                    raise _bad(reader.line_num, f"поле {field} содержит управляющие символы")
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise _bad(reader.line_num, "файл не читается как CSV") from exc
    if not rows:
        raise _bad(2, "в файле нет данных")
    return rows


def _citizen(line: int, values: dict[str, str]) -> dict[str, object]:
    """One citizen row checked: names, an ISO birth date, passport formats and a SNILS with its checksum."""
    if not values["last_name"] or not values["first_name"]:
        raise _bad(line, "не указаны фамилия или имя")
    try:
        birth_date = date.fromisoformat(values["birth_date"])
    except ValueError as exc:
        raise _bad(line, "дата рождения должна быть в формате ГГГГ-ММ-ДД") from exc
    try:
        series, number = normalize_passport(values["passport_series"], values["passport_number"])
    except DomainError as exc:
        raise _bad(line, "серия паспорта — 4 цифры, номер — 6 цифр") from exc
    try:
        snils = normalize_snils(values["snils"])
    except DomainError as exc:
        raise _bad(line, "неверный СНИЛС (11 цифр с контрольным числом)") from exc
    return {
        "last_name": values["last_name"],
        "first_name": values["first_name"],
        "patronymic": values["patronymic"],
        "birth_date": birth_date,
        "passport_series": series,
        "passport_number": number,
        "snils": snils,
    }


def import_citizens_csv(session: Session, *, actor_id: int | None, text: str, operator: bool = False) -> int:
    """Load the citizen registry from CSV; returns the number of records loaded.

    Columns: last_name, first_name, patronymic, birth_date (YYYY-MM-DD), passport_series,
    passport_number, snils. A record with a known SNILS is updated. Any bad row refuses the whole
    file, naming its line. Staff only, unless ``operator`` (the operator's command line and the demo loader).
    """
    if not operator:
        require(session, actor_id, Capability.REGISTRY_IMPORT)
    records: dict[str, dict[str, object]] = {}
    for line, values in _rows(text, CITIZEN_COLUMNS):
        record = _citizen(line, values)
        if record["snils"] in records:
            raise _bad(line, "этот СНИЛС уже встречался в файле")
        records[str(record["snils"])] = record
    keys = list(records)
    existing: dict[str, CitizenRecord] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        existing.update(
            (row.snils, row)
            for row in session.exec(select(CitizenRecord).where(col(CitizenRecord.snils).in_(chunk))).all()
        )
    for snils, record in records.items():
        row = existing.get(snils) or CitizenRecord(**record)
        for field, value in record.items():
            setattr(row, field, value)
        session.add(row)
    session.flush()
    return len(records)


def _numbering(line: int, values: dict[str, str]) -> dict[str, object]:
    """One numbering-plan row checked: a 3-digit code, a 7-digit range in order, a region."""
    try:
        code, low, high = int(values["code"]), int(values["range_from"]), int(values["range_to"])
    except ValueError as exc:
        raise _bad(line, "код и границы диапазона должны быть числами") from exc
    if not 100 <= code <= 999 or not 0 <= low <= high <= 9_999_999:
        raise _bad(line, "код — 3 цифры, диапазон — от 0 до 9999999, начало не больше конца")
    if not values["region"]:
        raise _bad(line, "не указан регион")
    return {
        "code": code,
        "range_from": low,
        "range_to": high,
        "region": values["region"],
        "operator": values["operator"],
    }


def import_numbering_csv(session: Session, *, actor_id: int | None, text: str, operator: bool = False) -> int:
    """Replace the numbering plan from CSV; returns the number of ranges loaded.

    Columns: code, range_from, range_to, region, operator (a region containing «Москва» counts as
    Moscow). Any bad row refuses the whole file, naming its line. Staff only, unless ``operator``
    (the operator's command line and the demo loader).
    """
    if not operator:
        require(session, actor_id, Capability.REGISTRY_IMPORT)
    ranges = [_numbering(line, values) for line, values in _rows(text, NUMBERING_COLUMNS)]
    session.execute(delete(NumberingRange))
    session.execute(insert(NumberingRange), ranges)
    session.flush()
    return len(ranges)
