"""The demo loader's steps in order (deterministic, idempotent): geo, people, polls, ballots, then each context's demo."""

import gc
import logging
import random
from collections.abc import Callable
from datetime import datetime
from time import perf_counter

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from ag_app.domain.workdays import CalendarUnknown
from ag_app.models import (
    CitizenRecord,
    NumberingRange,
    PointEntry,
    User,
)
from ag_app.seed.award import seed_award
from ag_app.seed.contest import seed_contest
from ag_app.seed.geo import ensure_geo
from ag_app.seed.house_polls import seed_house_polls
from ag_app.seed.houses import seed_houses
from ag_app.seed.ledger import balances, plan_entries
from ag_app.seed.meetings import seed_meetings
from ag_app.seed.people import CITIZENS_CSV, DEMO_LOGINS, NUMBERING_CSV, plan_people
from ag_app.seed.polls import plan_ballots, plan_decisions, plan_polls
from ag_app.seed.promo import seed_promo
from ag_app.seed.renovation import seed_renovation
from ag_app.seed.run.bulk import SEED, SeedReport, _count, _insert, _region_lookup, _table
from ag_app.seed.run.writers import _write_ballots, _write_outcomes, _write_people, _write_polls
from ag_app.seed.shop import seed_shop, seed_shop_orders
from ag_app.services.registry import import_citizens_csv, import_numbering_csv

log = logging.getLogger(__name__)


def _with_calendar(session: Session, what: str, step: Callable[[], object]) -> None:
    """Run a demo step that sets deadlines in working days; while the production calendar of the
    year is not loaded it is skipped with a warning (its writes rolled back) instead of failing the seed."""
    try:
        with session.begin_nested():
            step()
    except CalendarUnknown as unknown:
        log.warning("%s: демо-данные не созданы. %s", what, unknown)


def seed_demo(
    session: Session,
    *,
    now: datetime,
    residents: int = 5000,
    ballots: int = 100_000,
    polls: int = 40,
    seed: int = SEED,
) -> SeedReport:
    """Load the demo city (registry, people, polls, ballots, points) unless it is already loaded.

    The caller owns the transaction (``with transaction() as session``); the seed only flushes.
    """
    started = perf_counter()
    # Hundreds of thousands of small objects are built and kept: pausing the cyclic garbage collector
    # (nothing here makes cycles) saves seconds of repeated full collections.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _seed(
            session, now=now, residents=residents, ballots=ballots, polls=polls, seed=seed, started=started
        )
        # «Электронный дом»: the demo house registry (idempotent on its own, also for an older demo city).
        seed_houses(session, now=now, seed=seed)
        # Demo house votes over the house registry (skipped without premises): after the registry seed.
        _with_calendar(session, "Голосования по домам", lambda: seed_renovation(session, now=now))
        # Demo house polls of the demo resident's house (needs the registry's demo data; idempotent).
        _with_calendar(session, "Опросы «Электронного дома»", lambda: seed_house_polls(session, now=now))
        # Demo owners' meetings of the demo resident's house (needs the house registry; idempotent).
        seed_meetings(session, now=now)
        # The rewards shop's demo catalogue: categories, pickup points, items (idempotent on its own).
        seed_shop(session, now=now)
        # Demo orders through the shop's use cases (once: skipped when any order exists).
        seed_shop_orders(session, now=now, seed=seed)
        # The receipt contest: sellers, last month's published contest, this month's (once).
        seed_contest(session, now=now, seed=seed)
        # «#ВыбираемВместе»: the replica campaign replayed to its draws, and its partner catalogue (once).
        seed_promo(session, now=now, seed=seed)
        # «Лидеры цифровой трансформации»: the 2026 contest replayed to a decided task and one being scored.
        seed_award(session, now=now, seed=seed)
        return report
    finally:
        if collecting:
            gc.enable()


def _seed(
    session: Session, *, now: datetime, residents: int, ballots: int, polls: int, seed: int, started: float
) -> SeedReport:
    conn = session.connection()
    user_t = _table(User)
    demo_phones = [login.phone for login in DEMO_LOGINS]
    if conn.execute(select(user_t.c.id).where(user_t.c.phone.in_(demo_phones))).first():
        log.info("Демо-данные уже загружены (есть демо-аккаунты): ничего не меняю.")
        return SeedReport(False, perf_counter() - started, 0, 0, 0, 0)
    if _count(conn, NumberingRange) == 0:
        import_numbering_csv(
            session, actor_id=None, operator=True, text=NUMBERING_CSV.read_text(encoding="utf-8")
        )
    import_citizens_csv(session, actor_id=None, operator=True, text=CITIZENS_CSV.read_text(encoding="utf-8"))
    session.flush()

    geo = ensure_geo(conn, seed=seed)
    rng = random.Random(seed)
    people = plan_people(
        rng,
        geo=geo,
        now=now,
        residents=residents,
        ranges=_region_lookup(conn),
        taken_phones=frozenset(conn.execute(select(user_t.c.phone)).scalars()),
        taken_snils=frozenset(conn.execute(select(_table(CitizenRecord).c.snils)).scalars()),
    )
    planned = plan_polls(rng, geo=geo, now=now, count=polls)
    plan_ballots(rng, planned, people, geo=geo, now=now, total=ballots)
    plan_decisions(rng, planned, people, now=now)
    log.info("Демо-город спланирован за %.1f с", perf_counter() - started)

    _write_people(conn, people)
    _write_polls(conn, planned, staff_id=people[0].user_id)
    ballot_count = _write_ballots(conn, planned, people, geo.district_okrug)
    entries = plan_entries(rng, people, planned, now=now)
    _insert(
        conn,
        PointEntry,
        [
            {
                "user_id": people[e.person].user_id,
                "amount": e.amount,
                "reason": e.reason,
                "ref": e.ref,
                "description": e.description,
                "created_at": e.created_at,
            }
            for e in entries
        ],
    )
    conn.execute(
        update(user_t)
        .where(user_t.c.id == bindparam("b_id"))
        .values(
            points_available=bindparam("b_available"),
            points_lifetime=bindparam("b_lifetime"),
            active_citizen_since=bindparam("b_since"),
        ),
        [
            {
                "b_id": person.user_id,
                "b_available": b.available,
                "b_lifetime": b.lifetime,
                "b_since": b.active_citizen_since,
            }
            for person, b in zip(people, balances(entries, len(people)), strict=True)
            if b.lifetime
        ],
    )
    _write_outcomes(conn, planned, people, now=now)
    seconds = perf_counter() - started
    log.info(
        "Демо-город загружен за %.1f с: %d пользователей, %d голосований, %d бюллетеней, %d записей баллов",
        seconds,
        len(people),
        len(planned),
        ballot_count,
        len(entries),
    )
    return SeedReport(True, seconds, len(people), len(planned), ballot_count, len(entries))
