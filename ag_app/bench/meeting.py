"""``ag-app bench meeting``: owners' decisions through the service layer and the live-meter refresh.

Setup: a house of ``owners`` premises (every tenth co-owned 1/3 + 2/3 by a second owner, areas with
kopecks of m²), one verified account per owner, a staff member and an open meeting of five
questions. Measured:

- decision throughput: every owner decides on the whole agenda in one transaction — three in four
  online through :func:`ag_app.services.meetings.vote`, the rest entered from paper by staff
  through :func:`ag_app.services.meetings.enter_paper_decision` (rights, period, owner lookup,
  one ``INSERT … ON CONFLICT DO NOTHING`` of five rows). The floor inserts the same decision rows
  for a second meeting with batched ``executemany`` — what the database itself needs to store them.
- the live-meter refresh (what runs once per accepted decision and is pushed to every viewer):
  :func:`ag_app.services.meetings.meeting_meter` over all stored decisions, exact, ``refreshes``
  times; its floor fetches the same rows (decisions, owners' premises) as raw tuples with no
  arithmetic — ``refresh_ratio`` = floor / refresh time.
"""

import logging
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert
from sqlmodel import Session, col, select

from ag_app.bench.common import percentile, result, scratch_database
from ag_app.db import transaction
from ag_app.domain.meetings import default_threshold
from ag_app.models import (
    District,
    House,
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingQuestion,
    Okrug,
    Premise,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
    UserRole,
)
from ag_app.services import meetings

log = logging.getLogger(__name__)

QUESTIONS = ("organisational", "capital_repair", "current_repair", "common_property", "other")
CHOICES = ("for", "against", "abstain")
SCAN = "0f" * 32
BATCH = 5000


def _setup(
    engine: Engine, owners: int, now: datetime
) -> tuple[int, int, int, int, list[tuple[int, str, str]]]:
    """The house, accounts and two open meetings; returns house id, staff id, meeting id, floor
    meeting id and per owner (user id, person ref, premise number)."""
    with transaction(engine) as session:
        okrug = Okrug(name="Бенчмарк", abbrev="БНЧ")
        session.add(okrug)
        session.flush()
        district = District(okrug_id=okrug.id, name="Бенчмарк")
        session.add(district)
        session.flush()
        street = Street(district_id=district.id, name="улица Бенчмарка")
        session.add(street)
        session.flush()
        house = House(street_id=street.id, district_id=district.id, number="1")
        staff = User(uid="benchstaff", phone="+79000000000", created_at=now, terms_accepted_at=now)
        session.add_all([house, staff])
        session.flush()
        session.add(UserRole(user_id=staff.id, role="staff"))
        session.add(
            MeetingHouse(house_id=house.id, inspection_protocol="МЖИ", recorded_by=staff.id, recorded_at=now)
        )
        connection = session.connection()
        connection.execute(
            insert(User),
            [
                {
                    "uid": f"bench{i:010d}",
                    "phone": f"+7916{i:07d}",
                    "created_at": now,
                    "terms_accepted_at": now,
                    "identity_verified_at": now,
                }
                for i in range(owners)
            ],
        )
        users = session.exec(select(User.id).where(User.id != staff.id).order_by(col(User.id))).all()
        connection.execute(
            insert(Premise),
            [
                {
                    "house_id": house.id,
                    "number": str(i + 1),
                    "kind": "apartment",
                    "area_m2": Decimal(f"{30 + i % 90}.{i % 100:02d}"),
                }
                for i in range(owners)
            ],
        )
        premises = session.exec(
            select(Premise.id).where(Premise.house_id == house.id).order_by(col(Premise.id))
        ).all()
        holders = []
        for i, premise_id in enumerate(premises):
            co_owned = i % 10 == 0
            holders.append(
                {
                    "premise_id": premise_id,
                    "house_id": house.id,
                    "role": "owner",
                    "person_kind": "person",
                    "person_ref": f"P{i:06d}",
                    "share_numerator": 1,
                    "share_denominator": 3 if co_owned else 1,
                }
            )
            if co_owned:
                holders.append({**holders[-1], "person_ref": f"Q{i:06d}", "share_numerator": 2})
        connection.execute(insert(PremiseHolder), holders)
        holder_ids = dict(
            session.exec(
                select(PremiseHolder.person_ref, PremiseHolder.id).where(
                    col(PremiseHolder.person_ref).like("P%")
                )
            ).all()
        )
        connection.execute(
            insert(PremiseLink),
            [
                {
                    "holder_id": holder_ids[f"P{i:06d}"],
                    "user_id": user_id,
                    "method": "account_number",
                    "linked_at": now,
                }
                for i, user_id in enumerate(users)
            ],
        )
        meeting_ids = []
        for _ in range(2):
            meeting = Meeting(
                house_id=house.id,
                initiator_id=staff.id,
                initiator_kind="management_company",
                notified_at=now - timedelta(days=12),
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=10),
                in_person_address="Бенчмарк",
            )
            session.add(meeting)
            session.flush()
            for position, topic in enumerate(QUESTIONS, start=1):
                session.add(
                    MeetingQuestion(
                        meeting_id=meeting.id,
                        position=position,
                        text=f"Вопрос {position}",
                        topic=topic,
                        threshold=default_threshold(topic),
                    )
                )
            meeting_ids.append(meeting.id)
        staff_id, house_id = staff.id, house.id
    plan = [(user_id, f"P{i:06d}", str(i + 1)) for i, user_id in enumerate(users)]
    return house_id, staff_id, meeting_ids[0], meeting_ids[1], plan


def _question_ids(engine: Engine, meeting_id: int) -> list[int]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(MeetingQuestion.id)
                .where(MeetingQuestion.meeting_id == meeting_id)
                .order_by(col(MeetingQuestion.position))
            ).all()
        )


def _choices(index: int, question_ids: list[int]) -> dict[int, str]:
    return {q: CHOICES[(index + k) % 5 % 3] for k, q in enumerate(question_ids)}


def _decide_all(
    engine: Engine, staff_id: int, meeting_id: int, plan: list, now: datetime
) -> tuple[float, list[float]]:
    question_ids = _question_ids(engine, meeting_id)
    latencies = []
    started = time.perf_counter()
    for index, (user_id, ref, premise) in enumerate(plan):
        choices = _choices(index, question_ids)
        t0 = time.perf_counter()
        with transaction(engine) as session:
            if index % 4 == 3:
                outcome = meetings.enter_paper_decision(
                    session,
                    actor_id=staff_id,
                    meeting_id=meeting_id,
                    premise_number=premise,
                    person_ref=ref,
                    choices=choices,
                    scan_sha256=SCAN,
                    now=now,
                )
            else:
                outcome = meetings.vote(
                    session, actor_id=user_id, meeting_id=meeting_id, choices=choices, now=now
                )
        latencies.append((time.perf_counter() - t0) * 1000)
        if len(outcome.accepted) != len(question_ids):
            raise RuntimeError(f"owner {ref}: {outcome.refused}")
    return time.perf_counter() - started, latencies


def _floor_inserts(engine: Engine, staff_id: int, meeting_id: int, plan: list, now: datetime) -> float:
    question_ids = _question_ids(engine, meeting_id)
    rows = [
        {
            "meeting_id": meeting_id,
            "question_id": q,
            "owner_ref": ref,
            "choice": choice,
            "channel": "online",
            "scan_sha256": "",
            "entered_by": user_id if index % 4 != 3 else staff_id,
            "created_at": now,
        }
        for index, (user_id, ref, _) in enumerate(plan)
        for q, choice in _choices(index, question_ids).items()
    ]
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        with transaction(engine) as session:
            session.connection().execute(insert(MeetingDecision), rows[start : start + BATCH])
    return time.perf_counter() - started


def _refresh_floor(engine: Engine, meeting_id: int, house_id: int) -> float:
    """Fetch the rows a refresh reads (the meeting's decisions, the owners' premises) as raw
    tuples, with no arithmetic: seconds."""
    decisions = select(MeetingDecision.question_id, MeetingDecision.owner_ref, MeetingDecision.choice).where(
        MeetingDecision.meeting_id == meeting_id
    )
    weights = (
        select(
            PremiseHolder.person_ref,
            Premise.area_m2,
            PremiseHolder.share_numerator,
            PremiseHolder.share_denominator,
        )
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseHolder.house_id == house_id, PremiseHolder.role == "owner")
    )
    with engine.connect() as connection:
        sql = [str(q.compile(engine, compile_kwargs={"literal_binds": True})) for q in (decisions, weights)]
        t0 = time.perf_counter()
        cursor = connection.connection.driver_connection.cursor()
        for statement in sql:
            cursor.execute(statement)
            cursor.fetchall()
        cursor.close()
        return time.perf_counter() - t0


def run(owners: int, db_url: str | None = None, *, refreshes: int = 20) -> dict:
    """Run the bench for ``owners`` owners on a scratch database (``db_url``: SQLite file or PG server)."""
    now = datetime.now(UTC).replace(microsecond=0)
    with scratch_database(db_url, label="meeting") as engine:
        setup_started = time.perf_counter()
        house_id, staff_id, meeting_id, floor_meeting_id, plan = _setup(engine, owners, now)
        setup_seconds = time.perf_counter() - setup_started
        log.info("Данные созданы за %.1f с: собственников %s", setup_seconds, owners)

        seconds, latencies = _decide_all(engine, staff_id, meeting_id, plan, now)
        floor_seconds = _floor_inserts(engine, staff_id, floor_meeting_id, plan, now)

        refresh_ms = []
        for _ in range(refreshes):
            t0 = time.perf_counter()
            with transaction(engine) as session:
                meter = meetings.meeting_meter(session, meeting_id=meeting_id, now=now)
            refresh_ms.append((time.perf_counter() - t0) * 1000)
        if meter.owners_voted != owners or meter.decisions != owners * len(QUESTIONS):
            raise RuntimeError(f"the meter counted {meter.owners_voted} owners, {meter.decisions} decisions")
        floor_refresh_ms = min(_refresh_floor(engine, meeting_id, house_id) for _ in range(5)) * 1000
        dialect = engine.dialect.name
    refresh_p50 = percentile(refresh_ms, 50)
    return result(
        name="meeting",
        n=owners,
        seconds=seconds,
        latencies_ms=latencies,
        floor_seconds=floor_seconds,
        db=dialect,
        decisions_per_s=round(owners * len(QUESTIONS) / seconds, 1),
        questions=len(QUESTIONS),
        refresh_p50_ms=round(refresh_p50, 2),
        refresh_p99_ms=round(percentile(refresh_ms, 99), 2),
        refresh_floor_ms=round(floor_refresh_ms, 2),
        refresh_ratio=round(floor_refresh_ms / refresh_p50, 4) if refresh_p50 else None,
        participating_m2=str(meter.participating_m2),
        quorum=meter.quorum,
        setup_s=round(setup_seconds, 1),
        elapsed_s=round(seconds, 2),
    )
