"""«Мой профиль» and the address registry over the REST API."""

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Count, Id
from ag_app.services import profile, registry
from ag_app.services.registry import DistrictView, HouseView, OkrugView, StreetView

router = APIRouter(tags=["Профиль"])


class PersonalIn(BaseModel):
    """The personal block; the patronymic may be «-», gender «male»/«female»."""

    last_name: str = Field(max_length=200)
    first_name: str = Field(max_length=200)
    patronymic: str = Field(default="", max_length=200)
    gender: str = Field(default="", max_length=10)
    birth_date: date | None = None


class FamilyIn(BaseModel):
    """The family block: «single», «married», «divorced» or «widowed», and children's birth years."""

    marital_status: str = Field(max_length=20)
    children_birth_years: list[Count] = Field(default_factory=list, max_length=50)


class EmailIn(BaseModel):
    """The e-mail address to confirm by a link."""

    email: str = Field(max_length=300)


class AddressIn(BaseModel):
    """A registry house and, for the property address, the apartment."""

    house_id: Id
    apartment: str = Field(default="", max_length=20)


class IdentityIn(BaseModel):
    """Passport series and number and SNILS, checked against the citizen registry."""

    passport_series: str = Field(max_length=10)
    passport_number: str = Field(max_length=12)
    snils: str = Field(max_length=20)


class HouseIn(BaseModel):
    """A house missing from the registry (queued for staff)."""

    street_id: Id
    number: str = Field(max_length=60)


class HouseOut(BaseModel):
    """The id of the (possibly pending) house."""

    id: int


def _profile(session: Session, actor: int | None, now: datetime) -> dict[str, Any]:
    view = profile.get_profile(session, actor_id=actor, now=now)
    return {
        **asdict(view),
        "points": view.points_available,
        "blocked_points": view.points_blocked,
        "lifetime_points": view.points_lifetime,
    }


@router.get("/me")
def me(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """The profile with ``level`` (1–3), ``points`` (available), ``blocked_points`` and ``status``."""
    return _profile(session, actor, now)


@router.put("/me/personal")
def put_personal(
    body: PersonalIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """Save the personal block; returns the profile."""
    profile.update_personal(
        session,
        actor_id=actor,
        last_name=body.last_name,
        first_name=body.first_name,
        patronymic=body.patronymic,
        gender=body.gender,
        birth_date=body.birth_date,
        now=now,
    )
    return _profile(session, actor, now)


@router.put("/me/family")
def put_family(
    body: FamilyIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """Save the family block; returns the profile."""
    profile.update_family(
        session,
        actor_id=actor,
        marital_status=body.marital_status,
        children_birth_years=body.children_birth_years,
        now=now,
    )
    return _profile(session, actor, now)


@router.post("/me/email", status_code=status.HTTP_202_ACCEPTED)
def post_email(
    body: EmailIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """Save the e-mail and send a confirmation link to it; returns the profile."""
    profile.request_email_confirmation(session, actor_id=actor, email=body.email, now=now)
    return _profile(session, actor, now)


@router.put("/me/addresses/{kind}")
def put_address(
    kind: str,
    body: AddressIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """Set the «registration», «residence», «work» or «property» address; returns the profile."""
    profile.set_address(
        session, actor_id=actor, kind=kind, house_id=body.house_id, apartment=body.apartment, now=now
    )
    return _profile(session, actor, now)


@router.post("/me/identity")
def post_identity(
    body: IdentityIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, Any]:
    """Reach level 3 with passport and SNILS matching the citizen registry; returns the profile."""
    profile.verify_identity(
        session,
        actor_id=actor,
        passport_series=body.passport_series,
        passport_number=body.passport_number,
        snils=body.snils,
        now=now,
    )
    return _profile(session, actor, now)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
def delete_me(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> None:
    """Deactivate the profile: personal data is removed, sessions end."""
    profile.deactivate(session, actor_id=actor, now=now)


@router.get("/registry/okrugs")
def okrugs(session: Session = Depends(db, scope="function")) -> list[OkrugView]:
    """Moscow's administrative okrugs."""
    return registry.list_okrugs(session)


@router.get("/registry/districts")
def districts(
    okrug_id: Id | None = None, session: Session = Depends(db, scope="function")
) -> list[DistrictView]:
    """Districts, all or of one okrug."""
    return registry.list_districts(session, okrug_id=okrug_id)


@router.get("/registry/streets")
def streets(district_id: Id, session: Session = Depends(db, scope="function")) -> list[StreetView]:
    """Streets of a district."""
    return registry.list_streets(session, district_id=district_id)


@router.get("/registry/houses")
def houses(street_id: Id, session: Session = Depends(db, scope="function")) -> list[HouseView]:
    """Houses of a street."""
    return registry.list_houses(session, street_id=street_id)


@router.post("/registry/houses", status_code=status.HTTP_201_CREATED)
def submit_house(
    body: HouseIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> HouseOut:
    """Enter a house missing from the registry; it is queued for staff and may be used as an address."""
    return HouseOut(
        id=profile.submit_house(
            session, actor_id=actor, street_id=body.street_id, number=body.number, now=now
        )
    )
