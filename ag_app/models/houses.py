"""The house registry of «Электронный дом»: premises, the people who hold them, and links to accounts.

Administrators import the registry from CSV (SPEC §1.4, issue «Электронный дом»): every premise
of a house with its area, and every person related to it — owners with their ownership share,
social tenants and registered residents — with the payer account number («ФЛС») and, for owners,
the property registration number. A resident links an account to their registry row by one of
those numbers («подтверждение права»); owners' meetings weigh votes by area × share and house
votes count apartments, so both read these tables.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class Premise(SQLModel, table=True):
    """A premise of a house: an apartment or a non-residential premise, with its area in m²."""

    __table_args__ = (
        UniqueConstraint("house_id", "number"),
        CheckConstraint("area_m2 > 0", name="ck_premise_area_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", index=True)
    # As written on the door and in the registry: «12», «12А», «Н-I».
    number: str = Field(max_length=10)
    # «apartment» or «non_residential».
    kind: str = Field(default="apartment", max_length=20)
    # Exact m² (1 m² = 1 vote in an owners' meeting); never rounded beyond the registry's 2 digits.
    area_m2: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))


class PremiseHolder(SQLModel, table=True):
    """A person's relation to a premise: an owner with a share, a social tenant or a registered resident.

    The shares of one premise's owners never sum above 1 (checked by the import, which replaces a
    premise's rows as a whole). ``person_ref`` is the registry's own identifier of the person, the
    same for every premise they hold, so one human being is recognised across premises and
    accounts (SPEC §8.2.2).
    """

    __table_args__ = (
        UniqueConstraint("premise_id", "person_ref", "role"),
        CheckConstraint(
            "share_numerator > 0 AND share_denominator > 0 AND share_numerator <= share_denominator",
            name="ck_premiseholder_share",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    premise_id: int = Field(foreign_key="premise.id", index=True)
    # Denormalised from the premise: a house's people are read without a join.
    house_id: int = Field(foreign_key="house.id", index=True)
    # «owner», «social_tenant» or «resident» (registered in the premise).
    role: str = Field(max_length=20)
    # «person» (a human being) or «legal» (a company; only owners).
    person_kind: str = Field(default="person", max_length=10)
    person_ref: str = Field(max_length=64)
    last_name: str = Field(default="", max_length=100)
    first_name: str = Field(default="", max_length=100)
    patronymic: str = Field(default="", max_length=100)
    birth_date: date | None = None
    # Name of a company owner («legal»).
    organisation: str = Field(default="", max_length=300)
    # Ownership share as an exact fraction (1/1 for whole ownership and for tenants and residents).
    share_numerator: int = 1
    share_denominator: int = 1
    # «ФЛС»: the 10-digit payer account number of the premise ("" when the registry has none).
    account_number: str = Field(default="", max_length=10, index=True)
    # Number of the state registration of the ownership right (owners only, "" otherwise).
    property_number: str = Field(default="", max_length=64, index=True)


class PremiseLink(SQLModel, table=True):
    """An account confirmed as a registry holder («помещение подтверждено»).

    Made when a level-3 user gives a ФЛС or property number whose registry row carries their own
    full name and birth date. A person may hold several premises and so several links; two
    accounts of one person may each link the same row (the house vote then counts the person once).
    """

    __table_args__ = (UniqueConstraint("holder_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="premiseholder.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # «account_number» (ФЛС) or «property_number»: how the right was confirmed.
    method: str = Field(max_length=20)
    linked_at: datetime = instant()


class HouseOrganisation(SQLModel, table=True):
    """A user recorded by staff as acting for a house's management company or HOA.

    Such users may file house polls and (management companies) owners' meetings for the house.
    """

    __table_args__ = (UniqueConstraint("house_id", "user_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    house_id: int = Field(foreign_key="house.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # «management_company» or «hoa» (ТСЖ, ЖК, ЖСК).
    role: str = Field(max_length=20)
    # The organisation's name as shown to residents.
    name: str = Field(max_length=300)
    created_at: datetime = instant()
