"""``ag-app bench renovation``: tally every house of a house vote from the database vs in memory.

Setup: ``houses`` houses of ``apartments`` apartments each in one vote; about 60 % of the
apartments vote, some by two people (a few of them split), and a few votes are still «на
проверке» (not counted). Measured: :func:`ag_app.services.renovation.tally_campaign` — one
aggregate query of the counted votes grouped by house and apartment, one of the apartments per
house, then :func:`ag_app.domain.renovation.tally_house` for every house. The floor tallies the
same votes already in memory (the same ``tally_house`` calls without the database). Both results
must agree house by house. ``ops_per_s`` is houses per second; ``all_houses_s`` (and ``p50_ms``)
the time of one full tally, the median of 5 repeats; the goal is under 2 s for 5 000 houses of 150
apartments.
"""

import logging
import random
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, insert, text
from sqlmodel import Session, SQLModel

from ag_app.bench.common import result, scratch_database
from ag_app.db import transaction
from ag_app.domain.renovation import tally_house, verification_deadline
from ag_app.models import (
    District,
    House,
    Okrug,
    Premise,
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    Street,
    User,
    UserRole,
)
from ag_app.services.renovation.results import tally_campaign

log = logging.getLogger(__name__)

# Houses generated and written per batch.
HOUSES_PER_BATCH = 200
REPEATS = 5
TURNOUT = 0.6
SECOND_VOTER = 0.15
PENDING = 0.03


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, return-value]


def _write(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    table = _table(model)
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    quote = conn.dialect.identifier_preparer.quote
    columns = list(rows[0])
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _setup(session: Session, now: datetime) -> tuple[int, int, int, int]:
    """The staff member, the street and the vote; returns (staff id, street id, district id, vote id)."""
    staff = User(uid="benchstaff", phone="+79000000000", created_at=now, terms_accepted_at=now)
    okrug = Okrug(name="Бенчмарк-округ", abbrev="БО")
    session.add_all([staff, okrug])
    session.flush()
    session.add(UserRole(user_id=staff.id, role="staff"))
    district = District(okrug_id=okrug.id, name="Бенчмарк-район")
    session.add(district)
    session.flush()
    street = Street(district_id=district.id, name="Бенчмарк-улица")
    campaign = RenovationCampaign(
        title="Бенчмарк: реновация",
        question="Включить дом в программу?",
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=10),
        created_by=staff.id,
        created_at=now,
    )
    session.add_all([street, campaign])
    session.flush()
    return staff.id, street.id, district.id, campaign.id


def _generate(
    engine, *, houses: int, apartments: int, rng: random.Random, now: datetime
) -> tuple[int, dict[int, dict[int, list[str]]], dict[int, int], int]:
    """Write the houses, apartments and votes; returns the vote id, the counted choices by house and
    apartment, the apartments per house and the number of votes written."""
    with transaction(engine) as session:
        staff_id, street_id, district_id, campaign_id = _setup(session, now)
    memory: dict[int, dict[int, list[str]]] = {}
    totals: dict[int, int] = {}
    cast_at = now - timedelta(days=5)
    due = verification_deadline(cast_at)
    written = 0
    premise_id = 0
    for first in range(1, houses + 1, HOUSES_PER_BATCH):
        house_rows, member_rows, premise_rows, ballot_rows = [], [], [], []
        for house_id in range(first, min(houses, first + HOUSES_PER_BATCH - 1) + 1):
            house_rows.append(
                {
                    "id": house_id,
                    "street_id": street_id,
                    "district_id": district_id,
                    "number": str(house_id),
                    "status": "registry",
                }
            )
            member_rows.append({"campaign_id": campaign_id, "house_id": house_id})
            totals[house_id] = apartments
            counted: dict[int, list[str]] = {}
            # The house's own leaning, so houses end up both included and not.
            lean = rng.choice((0.45, 0.7, 0.9))
            for number in range(1, apartments + 1):
                premise_id += 1
                premise_rows.append(
                    {
                        "id": premise_id,
                        "house_id": house_id,
                        "number": str(number),
                        "kind": "apartment",
                        "area_m2": Decimal("52.30"),
                    }
                )
                if rng.random() >= TURNOUT:
                    continue
                voters = 2 if rng.random() < SECOND_VOTER else 1
                for person in range(voters):
                    choice = "for" if rng.random() < lean else "against"
                    pending = rng.random() < PENDING
                    ballot_rows.append(
                        {
                            "campaign_id": campaign_id,
                            "house_id": house_id,
                            "premise_id": premise_id,
                            "user_id": None,
                            "entered_by": staff_id,
                            "person_ref": f"P{premise_id}-{person}",
                            "holder_id": premise_id * 2 + person,
                            "choice": choice,
                            "channel": "in_person",
                            "cast_at": cast_at,
                            "status": "pending" if pending else "verified",
                            "reject_reason": "",
                            "verified_at": None if pending else cast_at,
                            "verified_by": None if pending else staff_id,
                            "verification_due": due,
                            "counted": not pending,
                            "check_code_hash": None,
                            "check_code_tail": "",
                        }
                    )
                    if not pending:
                        counted.setdefault(premise_id, []).append(choice)
            memory[house_id] = counted
        with engine.begin() as conn:
            _write(conn, House, house_rows)
            _write(conn, RenovationCampaignHouse, member_rows)
            _write(conn, Premise, premise_rows)
            _write(conn, RenovationBallot, ballot_rows)
        written += len(ballot_rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return campaign_id, memory, totals, written


def run(houses: int, apartments: int, db_url: str | None = None, *, seed: int = 42) -> dict:
    """Run the bench on a scratch database (``db_url``: a SQLite file or a PostgreSQL server)."""
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    with scratch_database(db_url, label="renovation") as engine:
        setup_started = time.perf_counter()
        campaign_id, memory, totals, ballots = _generate(
            engine, houses=houses, apartments=apartments, rng=rng, now=now
        )
        setup_seconds = time.perf_counter() - setup_started
        log.info("Данные созданы за %.1f с: %d домов, %d голосов", setup_seconds, houses, ballots)

        db_times, from_db = [], {}
        for _ in range(REPEATS):
            with Session(engine) as session:
                t0 = time.perf_counter()
                from_db = tally_campaign(session, campaign_id=campaign_id)
                db_times.append(time.perf_counter() - t0)
        dialect = engine.dialect.name
    memory_times, in_memory = [], {}
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        in_memory = {house: tally_house(memory[house], totals[house]) for house in totals}
        memory_times.append(time.perf_counter() - t0)
    if from_db != in_memory:
        raise RuntimeError("the database tally differs from the in-memory tally")
    db_seconds = statistics.median(db_times)
    return result(
        name="renovation",
        n=houses,
        seconds=db_seconds,
        latencies_ms=[t * 1000 for t in db_times],
        floor_seconds=statistics.median(memory_times),
        db=dialect,
        apartments_per_house=apartments,
        ballots=ballots,
        all_houses_s=round(db_seconds, 3),
        included=sum(1 for t in from_db.values() if t.included),
        setup_s=round(setup_seconds, 1),
    )
