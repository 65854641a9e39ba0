"""Demo owners' meetings: the house of the demo resident +79161234567 in the register, one meeting
open now with some decisions and one finished meeting with its protocol.

Runs only when the house registry is loaded and that resident is a confirmed owner there
(otherwise nothing happens). Deterministic (decisions drawn from a fixed seed, times relative to
``now``) and idempotent: when the house already has meetings nothing changes.
"""

import hashlib
import logging
import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from ag_app.models import (
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingQuestion,
    PremiseHolder,
    PremiseLink,
    User,
    UserRole,
)
from ag_app.services.meetings.protocol import ensure_protocol

log = logging.getLogger(__name__)

DEMO_OWNER_PHONE = "+79161234567"
SEED = 7007
DAY = timedelta(days=1)
ACTIVE_AGENDA = [
    ("Избрать председателем собрания собственника кв. 1, секретарём — собственника кв. 2.", "organisational"),
    ("Провести капитальный ремонт крыши в 2027 году за счёт фонда капитального ремонта.", "capital_repair"),
    ("Утвердить план текущего ремонта подъездов на 2027 год.", "current_repair"),
]
FINISHED_AGENDA = [
    ("Избрать совет дома в составе трёх человек сроком на два года.", "organisational"),
    ("Разрешить установку шлагбаума на придомовой территории.", "land_plot"),
]
THRESHOLDS = {"capital_repair": "two_thirds_of_all", "land_plot": "two_thirds_of_all"}


def _demo_house(session: Session) -> tuple[int, User] | None:
    """The house where the demo resident is a confirmed owner, and the resident."""
    row = session.exec(
        select(PremiseHolder.house_id, User)
        .join(PremiseLink, col(PremiseLink.holder_id) == PremiseHolder.id)
        .join(User, col(User.id) == PremiseLink.user_id)
        .where(User.phone == DEMO_OWNER_PHONE, PremiseHolder.role == "owner")
        .order_by(col(PremiseHolder.house_id))
    ).first()
    return (row[0], row[1]) if row else None


def _meeting(
    session: Session, *, house_id: int, initiator: User, starts: datetime, ends: datetime, agenda: list
) -> tuple[Meeting, list[MeetingQuestion]]:
    meeting = Meeting(
        house_id=house_id,
        initiator_id=initiator.id,
        initiator_kind="owner",
        notified_at=starts - 12 * DAY,
        starts_at=starts,
        ends_at=ends,
        in_person_address="Помещение совета дома, 1-й этаж, приём по будням с 18:00 до 20:00",
    )
    session.add(meeting)
    session.flush()
    questions = []
    for position, (text, topic) in enumerate(agenda, start=1):
        question = MeetingQuestion(
            meeting_id=meeting.id,
            position=position,
            text=text,
            topic=topic,
            threshold=THRESHOLDS.get(topic, "majority_of_participants"),
        )
        session.add(question)
        questions.append(question)
    session.flush()
    return meeting, questions


def _decide(
    session: Session,
    rng: random.Random,
    *,
    meeting: Meeting,
    questions: list[MeetingQuestion],
    owners: dict[str, int | None],
    share: float,
    staff_id: int,
    at: datetime,
) -> int:
    """Decisions of about ``share`` of the owners: online for those with accounts, else on paper."""
    written = 0
    for ref, user_id in owners.items():
        if rng.random() >= share:
            continue
        scan = "" if user_id else hashlib.sha256(f"demo-scan-{meeting.id}-{ref}".encode()).hexdigest()
        for question in questions:
            choice = rng.choices(["for", "against", "abstain"], weights=[7, 2, 1])[0]
            session.add(
                MeetingDecision(
                    meeting_id=meeting.id,
                    question_id=question.id,
                    owner_ref=ref,
                    choice=choice,
                    channel="online" if user_id else "paper",
                    scan_sha256=scan,
                    entered_by=user_id or staff_id,
                    created_at=at,
                )
            )
            written += 1
    session.flush()
    return written


def seed_meetings(session: Session, *, now: datetime) -> bool:
    """Put the demo resident's house in the register with an open and a finished meeting.

    Returns whether anything was written (False without such a house or when already seeded).
    """
    found = _demo_house(session)
    if found is None:
        log.info(
            "Собрания собственников: нет дома с подтверждённым собственником %s, пропускаю.", DEMO_OWNER_PHONE
        )
        return False
    house_id, resident = found
    if session.exec(select(Meeting.id).where(Meeting.house_id == house_id)).first() is not None:
        return False
    admin_id = session.exec(
        select(UserRole.user_id).where(UserRole.role == "admin").order_by(col(UserRole.id))
    ).first()
    staff_id = admin_id or resident.id
    if session.exec(select(MeetingHouse.id).where(MeetingHouse.house_id == house_id)).first() is None:
        session.add(
            MeetingHouse(
                house_id=house_id,
                inspection_protocol="МЖИ № 77-ОСС-1024/26 от 15.09.2026 (демо)",
                recorded_by=staff_id,
                recorded_at=now - 60 * DAY,
            )
        )
    owners: dict[str, int | None] = {}
    rows = session.exec(
        select(PremiseHolder.person_ref, PremiseLink.user_id)
        .outerjoin(PremiseLink, col(PremiseLink.holder_id) == PremiseHolder.id)
        .where(PremiseHolder.house_id == house_id, PremiseHolder.role == "owner")
        .order_by(col(PremiseHolder.person_ref), col(PremiseLink.user_id))
    ).all()
    for ref, user_id in rows:
        owners[ref] = owners.get(ref) or user_id
    demo_refs = {ref for ref, user_id in owners.items() if user_id == resident.id}
    rng = random.Random(SEED)

    active, active_questions = _meeting(
        session,
        house_id=house_id,
        initiator=resident,
        starts=now - 2 * DAY,
        ends=now + 12 * DAY,
        agenda=ACTIVE_AGENDA,
    )
    # The demo resident has not voted yet in the open meeting: they can try it.
    others = {ref: user for ref, user in owners.items() if ref not in demo_refs}
    active_count = _decide(
        session,
        rng,
        meeting=active,
        questions=active_questions,
        owners=others,
        share=0.35,
        staff_id=staff_id,
        at=now - DAY,
    )
    finished, finished_questions = _meeting(
        session,
        house_id=house_id,
        initiator=resident,
        starts=now - 30 * DAY,
        ends=now - 16 * DAY,
        agenda=FINISHED_AGENDA,
    )
    finished_count = _decide(
        session,
        rng,
        meeting=finished,
        questions=finished_questions,
        owners=owners,
        share=0.7,
        staff_id=staff_id,
        at=now - 20 * DAY,
    )
    ensure_protocol(session, meeting_id=finished.id, now=now)
    log.info(
        "Собрания собственников: дом %s в реестре, решений в открытом собрании %d, в завершённом %d.",
        house_id,
        active_count,
        finished_count,
    )
    return True
