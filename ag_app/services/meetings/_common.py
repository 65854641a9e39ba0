"""Helpers shared by the meeting use cases: loading a meeting and its house, who may decide, writing
decisions."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import InvalidInput, NotAllowed, NotFound
from ag_app.domain.meetings import check_decision, meeting_state
from ag_app.i18n import message
from ag_app.models import (
    District,
    House,
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingQuestion,
    MeetingRejection,
    Okrug,
    Street,
    User,
)
from ag_app.services.holdings import verified_holdings
from ag_app.services.meetings.views import DecisionOutcome, RefusedDecision
from ag_app.services.registry import house_text


def _house_facts(session: Session, house_id: int) -> tuple[str, str]:
    """«г. Москва, улица, д. N» and «District (ABBR)» of a house; NotFound when unknown."""
    row = session.exec(
        select(House.number, Street.name, District.name, Okrug.abbrev)
        .join(Street, col(Street.id) == House.street_id)
        .join(District, col(District.id) == House.district_id)
        .join(Okrug, col(Okrug.id) == District.okrug_id)
        .where(House.id == house_id)
    ).first()
    if row is None:
        raise NotFound("address.house_unknown")
    number, street, district, okrug = row
    return f"г. Москва, {house_text(street, number)}", f"{district} ({okrug})"


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.not_found")
    return meeting


def _questions(session: Session, meeting_id: int) -> list[MeetingQuestion]:
    return list(
        session.exec(
            select(MeetingQuestion)
            .where(MeetingQuestion.meeting_id == meeting_id)
            .order_by(col(MeetingQuestion.position))
        ).all()
    )


def _moscow(moment: datetime) -> str:
    return f"{as_utc(moment).astimezone(MOSCOW):%d.%m.%Y %H:%M}"


def _is_enabled(session: Session, house_id: int) -> bool:
    return session.exec(select(MeetingHouse.id).where(MeetingHouse.house_id == house_id)).first() is not None


def _owner_refs(session: Session, user: User, house_id: int) -> list[str]:
    """The registry persons the user verifiably is among the owners of the house (usually one)."""
    return sorted({h.person_ref for h in verified_holdings(session, user.id, house_id) if h.role == "owner"})


def _why_cannot_vote(meeting: Meeting, user: User | None, owner_refs: list[str], now: datetime) -> str:
    """The i18n key of why the user may not vote now ("" when they may), parameters filled in."""
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    if state == "scheduled":
        return message("meeting.not_started", at=_moscow(meeting.starts_at))
    if state == "finished":
        return message("meeting.finished", at=_moscow(meeting.ends_at))
    if user is None:
        return message("auth.required")
    if not owner_refs:
        return message("meeting.not_owner")
    if user.identity_verified_at is None:
        return message("meeting.level_required")
    return ""


def _open_for_decisions(meeting: Meeting, now: datetime) -> None:
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    if state == "scheduled":
        raise NotAllowed("meeting.not_started", at=_moscow(meeting.starts_at))
    if state == "finished":
        raise NotAllowed("meeting.finished", at=_moscow(meeting.ends_at))


def _clean_choices(questions: list[MeetingQuestion], choices: Mapping[int, str]) -> dict[int, str]:
    if not choices:
        raise InvalidInput("meeting.choices_required")
    known = {q.id for q in questions}
    clean = {}
    for question_id, choice in choices.items():
        if question_id not in known:
            raise InvalidInput("meeting.question_unknown")
        clean[question_id] = check_decision(choice)
    return clean


def _insert_decisions(
    session: Session,
    *,
    meeting: Meeting,
    questions: list[MeetingQuestion],
    owner_ref: str,
    choices: dict[int, str],
    channel: str,
    scan_sha256: str,
    entered_by: int,
    now: datetime,
) -> DecisionOutcome:
    """Insert one owner's decisions; a question already decided is refused and logged.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: the unique key (question, owner) decides even
    between racing transactions (PostgreSQL waits for the other one and then skips the row).
    """
    numbers = {q.id: q.position for q in questions}
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "meeting_id": meeting.id,
            "question_id": question_id,
            "owner_ref": owner_ref,
            "choice": choice,
            "channel": channel,
            "scan_sha256": scan_sha256,
            "entered_by": entered_by,
            "created_at": now,
        }
        for question_id, choice in sorted(choices.items(), key=lambda item: numbers[item[0]])
    ]
    # One statement, rows in agenda order: racing transactions meet the same keys in the same
    # order, so they wait for each other instead of deadlocking.
    statement = (
        insert(MeetingDecision).values(rows).on_conflict_do_nothing().returning(MeetingDecision.question_id)
    )
    accepted = set(session.execute(statement).scalars().all())
    refused = []
    for row in rows:
        if row["question_id"] in accepted:
            continue
        session.add(
            MeetingRejection(
                meeting_id=meeting.id,
                question_id=row["question_id"],
                owner_ref=owner_ref,
                channel=channel,
                choice=row["choice"],
                reason="meeting.already_decided",
                scan_sha256=scan_sha256,
                entered_by=entered_by,
                created_at=now,
            )
        )
        number = numbers[row["question_id"]]
        refused.append(
            RefusedDecision(
                question_id=row["question_id"],
                number=number,
                reason=message("meeting.already_decided", number=number),
            )
        )
    session.flush()
    return DecisionOutcome(
        accepted=tuple(q for q in (r["question_id"] for r in rows) if q in accepted), refused=tuple(refused)
    )
