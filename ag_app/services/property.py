"""Property verification («подтверждение помещения») and «Мой дом» of a resident (SPEC §1.4, §8.1).

A level-3 user gives the payer account number («ФЛС», 10 digits) or the property registration
number of a premise; the registry rows carrying that number whose person is the user — same last,
first and patronymic names and birth date as verified in the profile — are linked to the account.
A refusal never reveals what the registry holds.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.house_registry import (
    PREMISE_KINDS,
    ROLES,
    PersonData,
    format_share,
    normalize_account_number,
    normalize_property_number,
    same_person,
)
from ag_app.models import District, House, Okrug, Premise, PremiseHolder, PremiseLink, Street, UserAddress
from ag_app.services.access import active_user, lock_user
from ag_app.services.registry import house_text

METHODS: dict[str, str] = {"account_number": "ФЛС", "property_number": "номер регистрации права"}
# Profile addresses that place a user in a house without a confirmed premise.
ADDRESS_KINDS: dict[str, str] = {
    "registration": "адрес регистрации",
    "residence": "адрес проживания",
    "property": "адрес собственности",
}


@dataclass(frozen=True)
class HoldingView:
    """A confirmed premise of the user: what it is and the user's role and share in it."""

    holder_id: int
    premise_number: str
    premise_kind: str
    premise_kind_name: str
    area_m2: Decimal
    role: str
    role_name: str
    # «1/3» for owners; "" for tenants and residents.
    share: str
    method_name: str


@dataclass(frozen=True)
class MyHouse:
    """A house of the user: from confirmed premises and/or profile addresses."""

    house_id: int
    address: str
    district: str
    okrug: str
    holdings: list[HoldingView]
    # Russian names of the profile addresses in this house («адрес регистрации», …).
    address_kinds: list[str]


@dataclass(frozen=True)
class MyHouses:
    """«Мой дом»: the user's houses and whether they may link premises (level 3)."""

    identity_verified: bool
    houses: list[MyHouse]


def _holding(holder: PremiseHolder, premise: Premise, method: str) -> HoldingView:
    share = Fraction(holder.share_numerator, holder.share_denominator)
    return HoldingView(
        holder_id=holder.id,
        premise_number=premise.number,
        premise_kind=premise.kind,
        premise_kind_name=PREMISE_KINDS.get(premise.kind, premise.kind),
        area_m2=Decimal(premise.area_m2).quantize(Decimal("0.01")),
        role=holder.role,
        role_name=ROLES.get(holder.role, holder.role),
        share=format_share(share) if holder.role == "owner" else "",
        method_name=METHODS.get(method, method),
    )


def my_houses(session: Session, *, actor_id: int | None) -> MyHouses:
    """The user's houses: every confirmed premise (by house) and the houses of the profile addresses."""
    user = active_user(session, actor_id)
    linked = session.exec(
        select(PremiseHolder, Premise, PremiseLink.method)
        .join(PremiseLink, col(PremiseLink.holder_id) == PremiseHolder.id)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseLink.user_id == user.id)
    ).all()
    holdings: dict[int, list[tuple[PremiseHolder, Premise, str]]] = {}
    for holder, premise, method in linked:
        holdings.setdefault(premise.house_id, []).append((holder, premise, method))
    kinds: dict[int, list[str]] = {}
    for kind, house_id in session.exec(
        select(UserAddress.kind, UserAddress.house_id).where(UserAddress.user_id == user.id)
    ).all():
        if kind in ADDRESS_KINDS:
            kinds.setdefault(house_id, []).append(kind)
    house_ids = sorted(set(holdings) | set(kinds))
    places = {
        house_id: (house_text(street, number), district, okrug)
        for house_id, number, street, district, okrug in session.exec(
            select(House.id, House.number, Street.name, District.name, Okrug.abbrev)
            .join(Street, col(Street.id) == House.street_id)
            .join(District, col(District.id) == House.district_id)
            .join(Okrug, col(Okrug.id) == District.okrug_id)
            .where(col(House.id).in_(house_ids))
        ).all()
    }
    houses = []
    for house_id in house_ids:
        rows = sorted(holdings.get(house_id, []), key=lambda r: (_natural(r[1].number), r[0].role))
        address, district, okrug = places[house_id]
        houses.append(
            MyHouse(
                house_id=house_id,
                address=address,
                district=district,
                okrug=okrug,
                holdings=[_holding(h, p, m) for h, p, m in rows],
                address_kinds=[ADDRESS_KINDS[k] for k in ADDRESS_KINDS if k in kinds.get(house_id, [])],
            )
        )
    # Houses with confirmed premises first, then those known from the profile only.
    houses.sort(key=lambda h: (not h.holdings, h.address))
    return MyHouses(identity_verified=user.identity_verified_at is not None, houses=houses)


def _natural(number: str) -> tuple:
    digits = len(number) - len(number.lstrip("0123456789"))
    return (0 if digits else 1, int(number[:digits] or 0), number[digits:])


def link_premise(
    session: Session, *, actor_id: int | None, method: str, number: str, now: datetime
) -> list[HoldingView]:
    """Link the registry rows carrying ``number`` that name the user; returns the premises linked.

    Refused: guests; users below level 3; a malformed number (a ФЛС is exactly 10 digits); a number
    the registry does not know; rows whose person differs from the user's verified data; rows
    already linked to this user (nothing changes then).
    """
    user = lock_user(session, active_user(session, actor_id).id)
    if user.identity_verified_at is None:
        raise NotAllowed("property.level_required")
    if method == "account_number":
        wanted = normalize_account_number(number)
        condition = col(PremiseHolder.account_number) == wanted
    elif method == "property_number":
        wanted = normalize_property_number(number)
        condition = col(PremiseHolder.property_number) == wanted
    else:
        raise InvalidInput("property.method_invalid")
    rows = session.exec(
        select(PremiseHolder, Premise)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(condition)
    ).all()
    if not rows:
        raise NotFound("property.not_found")
    me = PersonData(user.last_name, user.first_name, user.patronymic, user.birth_date)
    mine = [
        (holder, premise)
        for holder, premise in rows
        if holder.person_kind == "person"
        and same_person(
            PersonData(holder.last_name, holder.first_name, holder.patronymic, holder.birth_date), me
        )
    ]
    if not mine:
        raise NotAllowed("property.data_mismatch")
    already = set(
        session.exec(
            select(PremiseLink.holder_id).where(
                PremiseLink.user_id == user.id, col(PremiseLink.holder_id).in_([h.id for h, _p in mine])
            )
        ).all()
    )
    new = [(holder, premise) for holder, premise in mine if holder.id not in already]
    if not new:
        raise Conflict("property.already_linked")
    try:
        with session.begin_nested():
            for holder, _premise in new:
                session.add(PremiseLink(holder_id=holder.id, user_id=user.id, method=method, linked_at=now))
            session.flush()
    except IntegrityError as exc:
        raise Conflict("property.already_linked") from exc
    return [_holding(holder, premise, method) for holder, premise in new]


def unlink_premise(session: Session, *, actor_id: int | None, holder_id: int) -> None:
    """Remove the user's confirmation of a registry row (the registry itself is not changed)."""
    user = lock_user(session, active_user(session, actor_id).id)
    link = session.exec(
        select(PremiseLink).where(PremiseLink.user_id == user.id, PremiseLink.holder_id == holder_id)
    ).first()
    if link is None:
        raise NotFound("property.link_not_found")
    session.delete(link)
    session.flush()
