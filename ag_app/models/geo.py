"""The city address registry: okrugs, districts, streets and houses."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Okrug(SQLModel, table=True):
    """An administrative okrug of Moscow (12 of them)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    # Short official abbreviation, e.g. «ЦАО».
    abbrev: str = Field(unique=True, max_length=10)


class District(SQLModel, table=True):
    """A district («район» or «поселение») inside an okrug (125 districts)."""

    id: int | None = Field(default=None, primary_key=True)
    okrug_id: int = Field(foreign_key="okrug.id", index=True)
    name: str = Field(unique=True, max_length=100)


class Street(SQLModel, table=True):
    """A street of a district (the demo registry has a few per district)."""

    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    district_id: int = Field(foreign_key="district.id", index=True)
    name: str = Field(max_length=200)


class House(SQLModel, table=True):
    """A building; houses entered by residents are ``pending`` until staff check them."""

    __table_args__ = (UniqueConstraint("street_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id", index=True)
    # Denormalised from the street so territory checks need no join.
    district_id: int = Field(foreign_key="district.id", index=True)
    number: str = Field(max_length=30)
    # «registry» (from the official registry) or «pending» (entered by a resident, queued for staff).
    status: str = Field(default="registry", max_length=10)
