"""The register of houses enabled for electronic meetings (staff)."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict
from ag_app.domain.meetings import clean_inspection_reference
from ag_app.domain.roles import Capability
from ag_app.models import MeetingHouse, Premise
from ag_app.services.access import require
from ag_app.services.meetings._common import _house_facts
from ag_app.services.meetings.views import INSPECTION_LIMIT, EnabledHouse, RegistryHouse


def enable_house(
    session: Session, *, actor_id: int | None, house_id: int, inspection_protocol: str, now: datetime
) -> EnabledHouse:
    """Add a house to the register of houses enabled for online meetings (staff, SPEC §7.1).

    Raises:
        NotAllowed: the actor is not staff.
        NotFound: no such house.
        FormProblems: the inspection's protocol reference is blank or too long.
        Conflict: the house is already in the register.
    """
    staff = require(session, actor_id, Capability.MEETINGS_MANAGE)
    address, district = _house_facts(session, house_id)
    reference = clean_inspection_reference(inspection_protocol, limit=INSPECTION_LIMIT)
    row = MeetingHouse(
        house_id=house_id, inspection_protocol=reference, recorded_by=staff.id, recorded_at=now
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("meeting.house_already_enabled") from exc
    return EnabledHouse(house_id, address, district, reference, now)


def list_enabled_houses(session: Session, *, actor_id: int | None) -> list[EnabledHouse]:
    """The register of houses enabled for online meetings, newest first (staff)."""
    require(session, actor_id, Capability.MEETINGS_MANAGE)
    rows = session.exec(
        select(MeetingHouse).order_by(col(MeetingHouse.recorded_at).desc(), col(MeetingHouse.id).desc())
    ).all()
    result = []
    for row in rows:
        address, district = _house_facts(session, row.house_id)
        result.append(
            EnabledHouse(row.house_id, address, district, row.inspection_protocol, as_utc(row.recorded_at))
        )
    return result


def registry_houses(session: Session, *, actor_id: int | None, limit: int = 500) -> list[RegistryHouse]:
    """Houses with premises in the house registry, by address (staff pick one to enable)."""
    require(session, actor_id, Capability.MEETINGS_MANAGE)
    rows = session.exec(
        select(Premise.house_id, func.count())
        .group_by(col(Premise.house_id))
        .order_by(col(Premise.house_id))
        .limit(limit)
    ).all()
    enabled = set(session.exec(select(MeetingHouse.house_id)).all())
    result = [
        RegistryHouse(
            house_id=house_id,
            address=_house_facts(session, house_id)[0],
            premises=count,
            enabled=house_id in enabled,
        )
        for house_id, count in rows
    ]
    return sorted(result, key=lambda h: h.address)
