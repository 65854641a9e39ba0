"""The house registry of «Электронный дом»: CSV import by an administrator, and house lookup by address.

An import is one transaction: a file with any error changes nothing and every refused line is
reported. Re-importing updates in place — premises are matched by (house, number), holders by
(premise, person_ref, role) — so the ids of kept rows, and the account links that point at them,
survive; holders of an imported premise that the new file no longer lists are removed together
with their links. Houses and streets missing from the city address registry are created in their
district.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.house_registry import (
    HolderRow,
    RegistryFileInvalid,
    RowError,
    parse_registry_csv,
)
from ag_app.domain.identity import name_key
from ag_app.domain.phone import format_phone, normalize_phone
from ag_app.domain.text import clean_text
from ag_app.models import (
    District,
    House,
    HouseOrganisation,
    Okrug,
    Premise,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
)
from ag_app.services.access import Capability, require
from ag_app.services.registry import house_text

# Keys per IN (...) query.
_CHUNK = 500
# Holder columns an import writes (besides the keys premise_id, person_ref and role).
_HOLDER_FIELDS = (
    "person_kind",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "organisation",
    "share_numerator",
    "share_denominator",
    "account_number",
    "property_number",
)
# Addresses are searched with at least this many characters, and at most this many houses returned.
MIN_QUERY = 3
MAX_RESULTS = 20
_WORD = re.compile(r"[0-9a-zа-я]+")
# Words of an address that name no street: «д. 7», «дом 7», «г. Москва».
_NOISE = frozenset({"д", "дом", "г", "москва"})


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, by kind of row."""

    rows: int
    houses: int
    houses_created: int
    streets_created: int
    premises_created: int
    premises_updated: int
    premises_unchanged: int
    holders_created: int
    holders_updated: int
    holders_unchanged: int
    holders_removed: int
    links_removed: int


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _holder_values(row: HolderRow) -> dict[str, object]:
    return {
        "person_kind": row.person_kind,
        "last_name": row.last_name,
        "first_name": row.first_name,
        "patronymic": row.patronymic,
        "birth_date": row.birth_date,
        "organisation": row.organisation,
        "share_numerator": row.share.numerator,
        "share_denominator": row.share.denominator,
        "account_number": row.account_number,
        "property_number": row.property_number,
    }


def import_house_registry(
    session: Session, *, actor_id: int | None, text: str, operator: bool = False
) -> ImportSummary:
    """Import the house registry from CSV (columns: :data:`ag_app.domain.house_registry.COLUMNS`).

    Administrators only, unless ``operator`` (the operator's command line). Any error refuses the
    whole file with :class:`RegistryFileInvalid`, which lists every refused line.
    """
    if not operator:
        require(session, actor_id, Capability.REGISTRY_ADMIN)
    rows, errors = parse_registry_csv(text)
    return apply_registry_rows(session, rows, errors)


def apply_registry_rows(
    session: Session, rows: Sequence[HolderRow], errors: Sequence[RowError] = ()
) -> ImportSummary:
    """Write checked registry rows (see :func:`import_house_registry`); refuses them all on any error.

    Also used by the demo loader, which builds the rows itself.
    """
    districts = {name_key(d.name): d.id for d in session.exec(select(District))}
    found = list(errors)
    for row in rows:
        if name_key(row.district) not in districts:
            found.append(RowError(row.line, "house_registry.district_unknown", (("district", row.district),)))
    if found:
        raise RegistryFileInvalid(found)
    try:
        return _write(session, rows, districts)
    except IntegrityError as exc:
        raise Conflict("house_registry.concurrent") from exc


def _write(session: Session, rows: Sequence[HolderRow], districts: dict[str, int]) -> ImportSummary:
    conn = session.connection()
    district_ids = sorted({districts[name_key(r.district)] for r in rows})

    # Streets of the file's districts; missing ones are created.
    streets: dict[tuple[int, str], int] = {}
    for chunk in _chunks(district_ids):
        for street in session.exec(select(Street).where(col(Street.district_id).in_(chunk))):
            streets.setdefault((street.district_id, name_key(street.name)), street.id)
    new_streets: dict[tuple[int, str], str] = {}
    for row in rows:
        key = (districts[name_key(row.district)], name_key(row.street))
        if key not in streets:
            new_streets.setdefault(key, row.street)
    for (district_id, _key), name in new_streets.items():
        street = Street(district_id=district_id, name=name)
        session.add(street)
        session.flush()
        streets[(district_id, name_key(name))] = street.id

    def street_of(row: HolderRow) -> int:
        return streets[(districts[name_key(row.district)], name_key(row.street))]

    # Houses of those streets; missing ones are created, resident-entered ones become registry houses.
    street_ids = sorted({street_of(r) for r in rows})
    houses: dict[tuple[int, str], House] = {}
    for chunk in _chunks(street_ids):
        for house in session.exec(select(House).where(col(House.street_id).in_(chunk))):
            houses.setdefault((house.street_id, name_key(house.number)), house)
    houses_created = 0
    for row in rows:
        key = (street_of(row), name_key(row.house))
        house = houses.get(key)
        if house is None:
            house = House(street_id=key[0], district_id=districts[name_key(row.district)], number=row.house)
            houses[key] = house
            houses_created += 1
        elif house.status != "registry":
            house.status = "registry"
        session.add(house)
    session.flush()

    def house_of(row: HolderRow) -> int:
        return houses[(street_of(row), name_key(row.house))].id

    # Premises: upserted by (house, number).
    house_ids = sorted({house_of(r) for r in rows})
    premises: dict[tuple[int, str], tuple[int, str, str, Decimal]] = {}
    for chunk in _chunks(house_ids):
        for p in session.exec(select(Premise).where(col(Premise.house_id).in_(chunk))):
            premises[(p.house_id, name_key(p.number))] = (p.id, p.number, p.kind, Decimal(p.area_m2))
    file_premises: dict[tuple[int, str], HolderRow] = {}
    for row in rows:
        file_premises.setdefault((house_of(row), name_key(row.premise)), row)
    to_insert, to_update, unchanged = [], [], 0
    for (house_id, key), row in file_premises.items():
        current = premises.get((house_id, key))
        values = {"number": row.premise, "kind": row.premise_kind, "area_m2": row.area_m2}
        if current is None:
            to_insert.append({"house_id": house_id, **values})
        elif (current[1], current[2], current[3]) != (row.premise, row.premise_kind, row.area_m2):
            to_update.append({"b_id": current[0], **values})
        else:
            unchanged += 1
    premise_t = Premise.__table__  # type: ignore[attr-defined]
    if to_insert:
        conn.execute(insert(premise_t), to_insert)
    if to_update:
        conn.execute(
            update(premise_t)
            .where(premise_t.c.id == bindparam("b_id"))
            .values(number=bindparam("number"), kind=bindparam("kind"), area_m2=bindparam("area_m2")),
            to_update,
        )
    # Ids of the file's premises, the new ones read back after the insert.
    premise_ids_by_key = {key: current[0] for key, current in premises.items()}
    if to_insert:
        for chunk in _chunks(house_ids):
            for pid, house_id, number in conn.execute(
                select(premise_t.c.id, premise_t.c.house_id, premise_t.c.number).where(
                    premise_t.c.house_id.in_(chunk)
                )
            ):
                premise_ids_by_key[(house_id, name_key(number))] = pid
    premise_of = {key: premise_ids_by_key[key] for key in file_premises}

    # Holders of the imported premises: upserted by (premise, person_ref, role); the rest removed.
    holder_t = PremiseHolder.__table__  # type: ignore[attr-defined]
    existing: dict[tuple[int, str, str], dict] = {}
    premise_ids = sorted(premise_of.values())
    for chunk in _chunks(premise_ids):
        for record in conn.execute(select(holder_t).where(holder_t.c.premise_id.in_(chunk))).mappings():
            existing[(record["premise_id"], record["person_ref"], record["role"])] = dict(record)
    new_holders, changed_holders, holders_unchanged = [], [], 0
    kept: set[int] = set()
    for row in rows:
        house_id = house_of(row)
        premise_id = premise_of[(house_id, name_key(row.premise))]
        values = _holder_values(row)
        current = existing.get((premise_id, row.person_ref, row.role))
        if current is None:
            new_holders.append(
                {
                    "premise_id": premise_id,
                    "house_id": house_id,
                    "role": row.role,
                    "person_ref": row.person_ref,
                }
                | values
            )
            continue
        kept.add(current["id"])
        if any(current[f] != values[f] for f in _HOLDER_FIELDS):
            changed_holders.append({"b_id": current["id"], **{f"b_{f}": values[f] for f in _HOLDER_FIELDS}})
        else:
            holders_unchanged += 1
    gone = sorted(record["id"] for record in existing.values() if record["id"] not in kept)
    links_removed = 0
    link_t = PremiseLink.__table__  # type: ignore[attr-defined]
    for chunk in _chunks(gone):
        links_removed += conn.execute(delete(link_t).where(link_t.c.holder_id.in_(chunk))).rowcount
        conn.execute(delete(holder_t).where(holder_t.c.id.in_(chunk)))
    if changed_holders:
        conn.execute(
            update(holder_t)
            .where(holder_t.c.id == bindparam("b_id"))
            .values({f: bindparam(f"b_{f}") for f in _HOLDER_FIELDS}),
            changed_holders,
        )
    if new_holders:
        conn.execute(insert(holder_t), new_holders)
    session.flush()
    return ImportSummary(
        rows=len(rows),
        houses=len(house_ids),
        houses_created=houses_created,
        streets_created=len(new_streets),
        premises_created=len(to_insert),
        premises_updated=len(to_update),
        premises_unchanged=unchanged,
        holders_created=len(new_holders),
        holders_updated=len(changed_holders),
        holders_unchanged=holders_unchanged,
        holders_removed=len(gone),
        links_removed=links_removed,
    )


@dataclass(frozen=True)
class HouseSummary:
    """A house of the registry as the public sees it: address and premises, no personal data."""

    id: int
    address: str
    district: str
    okrug: str
    apartments: int
    non_residential: int
    total_area_m2: Decimal


def _words(text: str) -> list[str]:
    return _WORD.findall(name_key(text))


def _number_matches(number: str, wanted: str) -> bool:
    """«12» finds «12», «12к1» and «12 стр. 3» but not «120»."""
    number = name_key(number)
    return number == wanted or (number.startswith(wanted) and not number[len(wanted)].isdigit())


def house_summaries(session: Session, house_ids: Sequence[int]) -> list[HouseSummary]:
    """Address, district, okrug and premises totals of the given houses, in the given order."""
    if not house_ids:
        return []
    rows = session.exec(
        select(House.id, House.number, Street.name, District.name, Okrug.abbrev)
        .join(Street, col(Street.id) == House.street_id)
        .join(District, col(District.id) == House.district_id)
        .join(Okrug, col(Okrug.id) == District.okrug_id)
        .where(col(House.id).in_(list(house_ids)))
    ).all()
    totals: dict[int, dict[str, int | Decimal]] = {}
    for house_id, kind, count, area in session.exec(
        select(Premise.house_id, Premise.kind, func.count(), func.sum(Premise.area_m2))
        .where(col(Premise.house_id).in_(list(house_ids)))
        .group_by(Premise.house_id, Premise.kind)
    ).all():
        entry = totals.setdefault(house_id, {"apartment": 0, "non_residential": 0, "area": Decimal(0)})
        entry[kind] = count
        entry["area"] = Decimal(entry["area"]) + Decimal(str(area or 0))
    by_id = {
        house_id: HouseSummary(
            id=house_id,
            address=house_text(street, number),
            district=district,
            okrug=okrug,
            apartments=int(totals.get(house_id, {}).get("apartment", 0)),
            non_residential=int(totals.get(house_id, {}).get("non_residential", 0)),
            total_area_m2=Decimal(totals.get(house_id, {}).get("area", Decimal(0))).quantize(Decimal("0.01")),
        )
        for house_id, number, street, district, okrug in rows
    }
    return [by_id[h] for h in house_ids if h in by_id]


def search_houses(session: Session, *, address: str, limit: int = MAX_RESULTS) -> list[HouseSummary]:
    """Registry houses whose address contains the words of ``address`` (case-insensitive, «ё» = «е»).

    Words with a leading digit name the house number; the others must all occur in the street or
    district name. At least :data:`MIN_QUERY` characters; at most ``limit`` houses, by street and number.
    """
    if len(address.strip()) < MIN_QUERY:
        raise InvalidInput("houses.query_too_short")
    words = [w for w in _words(address) if w not in _NOISE]
    numbers = [w for w in words if w[0].isdigit()]
    names = [w for w in words if not w[0].isdigit()]
    if not names and not numbers:
        return []
    streets = session.exec(
        select(Street.id, Street.name, District.name).join(District, col(District.id) == Street.district_id)
    ).all()
    street_names = {
        street_id: name
        for street_id, name, district in streets
        if all(word in f"{name_key(name)} {name_key(district)}" for word in names)
    }
    if not street_names:
        return []
    candidates: list[tuple[str, str, int]] = []
    for chunk in _chunks(sorted(street_names)):
        for house_id, street_id, number in session.exec(
            select(House.id, House.street_id, House.number).where(
                col(House.street_id).in_(chunk), House.status == "registry"
            )
        ).all():
            if all(_number_matches(number, n) for n in numbers[:1]):
                candidates.append((name_key(street_names[street_id]), number, house_id))
    candidates.sort(key=lambda c: (c[0], _natural(c[1])))
    return house_summaries(session, [house_id for _s, _n, house_id in candidates[:limit]])


def _natural(number: str) -> tuple:
    return tuple((0, int(d), "") if d else (1, 0, o) for d, o in re.findall(r"(\d+)|(\D+)", name_key(number)))


# ----------------------------------------------------------------------------------------------
# Management companies and HOAs of a house (recorded by an administrator)

ORGANISATION_ROLES: dict[str, str] = {
    "management_company": "управляющая организация",
    "hoa": "ТСЖ, жилищный или жилищно-строительный кооператив",
}
ORGANISATION_NAME_LIMIT = 300


@dataclass(frozen=True)
class OrganisationView:
    """A user recorded as acting for a house's management company or HOA."""

    id: int
    house_id: int
    address: str
    role: str
    role_name: str
    name: str
    phone: str


def _organisation_views(session: Session, query) -> list[OrganisationView]:
    rows = session.exec(
        query.join(House, col(House.id) == HouseOrganisation.house_id)
        .join(Street, col(Street.id) == House.street_id)
        .join(User, col(User.id) == HouseOrganisation.user_id)
        .order_by(col(HouseOrganisation.id).desc())
    ).all()
    return [
        OrganisationView(
            id=org.id,
            house_id=org.house_id,
            address=house_text(street, number),
            role=org.role,
            role_name=ORGANISATION_ROLES.get(org.role, org.role),
            name=org.name,
            phone=format_phone(phone),
        )
        for org, number, street, phone in rows
    ]


def list_house_organisations(
    session: Session, *, actor_id: int | None, limit: int = 50
) -> list[OrganisationView]:
    """The latest records of management companies and HOAs (administrators only)."""
    require(session, actor_id, Capability.REGISTRY_ADMIN)
    return _organisation_views(
        session, select(HouseOrganisation, House.number, Street.name, User.phone).limit(limit)
    )


def record_house_organisation(
    session: Session, *, actor_id: int | None, house_id: int, phone: str, role: str, name: str, now: datetime
) -> OrganisationView:
    """Record that the user with ``phone`` acts for the house's management company or HOA.

    Administrators only. The house must be a registry house, the phone an existing active account,
    the role «management_company» or «hoa» and the organisation named; the same user, house and
    role are recorded once.
    """
    require(session, actor_id, Capability.REGISTRY_ADMIN)
    if role not in ORGANISATION_ROLES:
        raise InvalidInput("house_org.role_invalid")
    name = " ".join(clean_text(name).split())
    if not name:
        raise InvalidInput("house_org.name_required")
    if len(name) > ORGANISATION_NAME_LIMIT:
        raise InvalidInput("house_org.name_too_long", limit=ORGANISATION_NAME_LIMIT)
    house = session.get(House, house_id)
    if house is None or house.status != "registry":
        raise NotFound("houses.not_found")
    user = session.exec(select(User).where(User.phone == normalize_phone(phone))).first()
    if user is None or user.deactivated_at is not None:
        raise NotFound("house_org.user_unknown")
    duplicate = session.exec(
        select(HouseOrganisation.id).where(
            HouseOrganisation.house_id == house_id,
            HouseOrganisation.user_id == user.id,
            HouseOrganisation.role == role,
        )
    ).first()
    if duplicate is not None:
        raise Conflict("house_org.already")
    record = HouseOrganisation(house_id=house_id, user_id=user.id, role=role, name=name, created_at=now)
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("house_org.already") from exc
    (view,) = _organisation_views(
        session,
        select(HouseOrganisation, House.number, Street.name, User.phone).where(
            HouseOrganisation.id == record.id
        ),
    )
    return view


def remove_house_organisation(session: Session, *, actor_id: int | None, organisation_id: int) -> None:
    """Remove a management company / HOA record (administrators only)."""
    require(session, actor_id, Capability.REGISTRY_ADMIN)
    record = session.get(HouseOrganisation, organisation_id)
    if record is None:
        raise NotFound("house_org.not_found")
    session.delete(record)
    session.flush()


def require_registry_admin(session: Session, *, actor_id: int | None) -> None:
    """Refuse anyone but an administrator (the house registry pages check this before reading a file)."""
    require(session, actor_id, Capability.REGISTRY_ADMIN)
