"""What a user verifiably holds in the house registry, and who they are in a house.

Shared by every «Электронный дом» use case: house polls (audiences, initiators), owners' meetings
(owners and their weights) and house votes (owners and social tenants of apartments). Only
confirmed registry rows count (:class:`~ag_app.models.PremiseLink`); a profile address alone
places a user among a house's residents, never among its owners.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session, select

from ag_app.domain.house_polls import house_roles
from ag_app.models import HouseOrganisation, Premise, PremiseHolder, PremiseLink, UserAddress


@dataclass(frozen=True)
class Holding:
    """One confirmed registry row of a user: the premise and the user's role and share in it."""

    holder_id: int
    premise_id: int
    house_id: int
    premise_number: str
    premise_kind: str
    area_m2: Decimal
    role: str
    share: Fraction
    person_ref: str


def verified_holdings(session: Session, user_id: int, house_id: int | None = None) -> list[Holding]:
    """The user's confirmed registry rows (of one house when ``house_id`` is given), by premise."""
    query = (
        select(PremiseHolder, Premise)
        .join(PremiseLink, PremiseLink.holder_id == PremiseHolder.id)
        .join(Premise, Premise.id == PremiseHolder.premise_id)
        .where(PremiseLink.user_id == user_id)
        .order_by(Premise.house_id, Premise.number, PremiseHolder.role)
    )
    if house_id is not None:
        query = query.where(PremiseHolder.house_id == house_id)
    return [
        Holding(
            holder_id=holder.id,
            premise_id=premise.id,
            house_id=premise.house_id,
            premise_number=premise.number,
            premise_kind=premise.kind,
            area_m2=premise.area_m2,
            role=holder.role,
            share=Fraction(holder.share_numerator, holder.share_denominator),
            person_ref=holder.person_ref,
        )
        for holder, premise in session.exec(query).all()
    ]


def roles_in_house(session: Session, user_id: int, house_id: int) -> frozenset[str]:
    """The user's audience roles in a house («owner», «social_tenant», «resident», SPEC §6.4).

    From confirmed registry rows and from the user's profile addresses in the house.
    """
    registry = {h.role for h in verified_holdings(session, user_id, house_id)}
    kinds = session.exec(
        select(UserAddress.kind).where(UserAddress.user_id == user_id, UserAddress.house_id == house_id)
    ).all()
    return house_roles(registry_roles=registry, address_kinds=kinds)


def organisation_roles(session: Session, user_id: int, house_id: int) -> frozenset[str]:
    """«management_company» / «hoa» when staff recorded that the user acts for the house's one."""
    return frozenset(
        session.exec(
            select(HouseOrganisation.role).where(
                HouseOrganisation.user_id == user_id, HouseOrganisation.house_id == house_id
            )
        ).all()
    )
