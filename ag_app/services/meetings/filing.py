"""Filing a meeting: the houses a user may file for, the filing itself and the owners' notices."""

from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotAllowed
from ag_app.domain.meetings import MeetingInput, validate_meeting, why_cannot_file
from ag_app.i18n import message
from ag_app.models import HouseOrganisation, Meeting, MeetingQuestion, PremiseHolder, PremiseLink, User
from ag_app.services.access import active_user
from ag_app.services.holdings import organisation_roles, verified_holdings
from ag_app.services.meetings._common import _house_facts, _is_enabled, _moscow, _owner_refs
from ag_app.services.meetings.views import FilingHouse
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email, send_sms


def _initiator_kind(session: Session, user: User, house_id: int) -> str:
    """«owner» for a level-3 verified owner, else «management_company» for its representative, else ""."""
    if user.identity_verified_at is not None and _owner_refs(session, user, house_id):
        return "owner"
    if "management_company" in organisation_roles(session, user.id, house_id):
        return "management_company"
    return ""


def _user_house_ids(session: Session, user_id: int) -> list[int]:
    """Houses where the user has a confirmed registry row or acts for the house's organisation."""
    holdings = {h.house_id for h in verified_holdings(session, user_id)}
    organisations = set(
        session.exec(select(HouseOrganisation.house_id).where(HouseOrganisation.user_id == user_id)).all()
    )
    return sorted(holdings | organisations)


def filing_houses(session: Session, *, actor_id: int | None) -> list[FilingHouse]:
    """The user's houses and whether they may file a meeting in each (SPEC §7.1–7.2)."""
    user = active_user(session, actor_id)
    result = []
    for house_id in _user_house_ids(session, user.id):
        kind = _initiator_kind(session, user, house_id)
        refusal = why_cannot_file(house_enabled=_is_enabled(session, house_id), roles=[kind] if kind else [])
        address, _ = _house_facts(session, house_id)
        result.append(
            FilingHouse(
                house_id=house_id,
                address=address,
                initiator_kind=kind if refusal is None else "",
                cannot_file_reason=message(refusal.key, **refusal.params) if refusal else "",
            )
        )
    return result


def file_meeting(
    session: Session, *, actor_id: int | None, house_id: int, data: MeetingInput, now: datetime
) -> int:
    """File a meeting (SPEC §7.2): owners are notified now, voting starts ≥ 10 days later.

    The initiator is a level-3 owner with a confirmed premise in the house or the representative
    of its management company; the house must be in the register. Every owner with an account gets
    an in-app notification, an SMS and (with a confirmed address) an e-mail. Returns the meeting id.

    Raises:
        NotAuthenticated / NotAllowed: a guest, or someone who may not file here (the reason says why).
        NotFound: no such house.
        FormProblems: the agenda, period or address breaks rules of ``validate_meeting`` (all listed).
    """
    user = active_user(session, actor_id)
    address, _ = _house_facts(session, house_id)
    kind = _initiator_kind(session, user, house_id)
    refusal = why_cannot_file(house_enabled=_is_enabled(session, house_id), roles=[kind] if kind else [])
    if refusal is not None:
        raise NotAllowed(refusal.key, **refusal.params)
    clean = validate_meeting(data, notified_at=now)
    meeting = Meeting(
        house_id=house_id,
        initiator_id=user.id,
        initiator_kind=kind,
        notified_at=now,
        starts_at=as_utc(clean.starts_at),
        ends_at=as_utc(clean.ends_at),
        in_person_address=clean.in_person_address,
    )
    session.add(meeting)
    session.flush()
    for position, item in enumerate(clean.agenda, start=1):
        session.add(
            MeetingQuestion(
                meeting_id=meeting.id,
                position=position,
                text=item.text,
                topic=item.topic,
                threshold=item.threshold,
            )
        )
    session.flush()
    _notify_owners(session, meeting=meeting, address=address, now=now)
    return meeting.id


def _notify_owners(session: Session, *, meeting: Meeting, address: str, now: datetime) -> None:
    """Tell every owner of the house with an account: app, SMS and e-mail (SPEC §7.2)."""
    owners = session.exec(
        select(User)
        .join(PremiseLink, col(PremiseLink.user_id) == User.id)
        .join(PremiseHolder, col(PremiseHolder.id) == PremiseLink.holder_id)
        .where(
            PremiseHolder.house_id == meeting.house_id,
            PremiseHolder.role == "owner",
            col(User.deactivated_at).is_(None),
        )
        .distinct()
        .order_by(col(User.id))
    ).all()
    period = f"с {_moscow(meeting.starts_at)} по {_moscow(meeting.ends_at)} (мск)"
    title = f"Общее собрание собственников: {address}"
    body = (
        f"Голосование {period} в «Электронном доме». Бумажные решения принимаются по адресу: "
        f"{meeting.in_person_address}."
    )
    link = f"/house/meetings/{meeting.id}"
    for user in owners:
        notify(session, user_id=user.id, title=title, body=body, link=link, now=now, topic="house")
        send_sms(
            session,
            phone=user.phone,
            text=f"Собрание собственников дома {address}: голосование {period}.",
            now=now,
            user_id=user.id,
            topic="house",
        )
        if user.email and user.email_confirmed_at is not None:
            send_email(
                session,
                to=user.email,
                subject=title,
                body=f"{body}\n\nПовестка и голосование: {link}",
                now=now,
                user_id=user.id,
                topic="house",
            )
