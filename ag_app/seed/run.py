"""``ag-app seed``: write the demo city in one transaction, with bulk Core inserts.

Deterministic: one ``random.Random(seed)`` (2026 by default) drives everything, so the same
parameters and ``now`` give the same data. Idempotent: when any demo account (``DEMO_LOGINS``) already
exists the seed changes nothing. Everything happens in the caller's transaction: all or nothing.
"""

import gc
import logging
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from time import perf_counter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlmodel import Session, SQLModel

from ag_app.domain.clock import moscow_date
from ag_app.domain.demographics import age_band
from ag_app.domain.receipts import receipt_code
from ag_app.domain.workdays import CalendarUnknown
from ag_app.models import (
    Ballot,
    BallotAnswer,
    Child,
    CitizenRecord,
    ExpertOpinion,
    NewsItem,
    NumberingRange,
    Option,
    PointEntry,
    Poll,
    PollDecision,
    PollTerritory,
    Question,
    User,
    UserAddress,
    UserRole,
)
from ag_app.seed.award import seed_award
from ag_app.seed.catalogue import poll_image
from ag_app.seed.contest import seed_contest
from ag_app.seed.geo import ensure_geo
from ag_app.seed.house_polls import seed_house_polls
from ag_app.seed.houses import seed_houses
from ag_app.seed.ledger import balances, plan_entries
from ag_app.seed.meetings import seed_meetings
from ag_app.seed.people import CITIZENS_CSV, DEMO_LOGINS, NUMBERING_CSV, Person, plan_people
from ag_app.seed.polls import PlannedPoll, plan_ballots, plan_decisions, plan_polls, results_text, tally_of
from ag_app.seed.promo import seed_promo
from ag_app.seed.renovation import seed_renovation
from ag_app.seed.shop import seed_shop, seed_shop_orders
from ag_app.services.registry import import_citizens_csv, import_numbering_csv
from ag_app.settings import get_settings

log = logging.getLogger(__name__)


def _with_calendar(session: Session, what: str, step: Callable[[], object]) -> None:
    """Run a demo step that sets deadlines in working days; while the production calendar of the
    year is not loaded it is skipped with a warning (its writes rolled back) instead of failing the seed."""
    try:
        with session.begin_nested():
            step()
    except CalendarUnknown as unknown:
        log.warning("%s: демо-данные не созданы. %s", what, unknown)


SEED = 2026
CHUNK = 20_000
# Row count from which PostgreSQL inserts use COPY.
COPY_FROM = 1_000


@dataclass(frozen=True)
class SeedReport:
    """What the seed did: ``created`` is False when the demo city was already there."""

    created: bool
    seconds: float
    users: int
    polls: int
    ballots: int
    ledger_rows: int


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, return-value]


def _insert(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert: Core ``insert`` executemany in chunks; large tables on PostgreSQL go through COPY.

    COPY is much faster than batched INSERTs there (260 000 ledger rows: ~5 s instead of ~14 s on the
    2-core test machine); it runs on the same connection, inside the seed's transaction.
    """
    table = _table(model)
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _copy(conn, table, rows)
        return
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), list(rows[start : start + CHUNK]))


def _copy(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``COPY table (columns) FROM STDIN`` with psycopg, the columns being the keys of the first row."""
    quote = conn.dialect.identifier_preparer.quote
    columns = list(rows[0])
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _insert_ids(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert a few rows one statement each, returning their ids in order (for small tables only)."""
    table = _table(model)
    return [conn.execute(insert(table).returning(table.c.id), row).scalar_one() for row in rows]


def _count(conn: Connection, model: type[SQLModel]) -> int:
    return conn.execute(select(func.count()).select_from(_table(model))).scalar_one()


def _region_lookup(conn: Connection) -> dict[int, list[tuple[int, int, str]]]:
    table = _table(NumberingRange)
    ranges: dict[int, list[tuple[int, int, str]]] = {}
    for code, low, high, region in conn.execute(
        select(table.c.code, table.c.range_from, table.c.range_to, table.c.region)
    ).all():
        ranges.setdefault(code, []).append((low, high, region))
    return ranges


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


def _write_people(conn: Connection, people: list[Person]) -> None:
    """Users, their roles, addresses, children and — for verified ones — citizen registry records."""
    rows = []
    for p in people:
        series, number, snils = p.identity or ("", "", "")
        rows.append(
            {
                "uid": p.uid,
                "phone": p.phone,
                "phone_region": p.phone_region,
                "created_at": p.created_at,
                "terms_accepted_at": p.created_at,
                "deactivated_at": None,
                "last_name": p.last_name,
                "first_name": p.first_name,
                "patronymic": p.patronymic,
                "gender": p.gender,
                "birth_date": p.birth_date,
                "marital_status": p.marital_status,
                "family_filled": p.family_filled,
                "email": p.email,
                "email_confirmed_at": p.email_confirmed_at,
                "passport_series": series,
                "passport_number": number,
                "snils": snils,
                "identity_verified_at": p.identity_verified_at,
                "points_available": 0,
                "points_blocked": 0,
                "points_lifetime": 0,
                "active_citizen_since": None,
            }
        )
    _insert(conn, User, rows)
    user_t = _table(User)
    ids = dict(conn.execute(select(user_t.c.phone, user_t.c.id)).all())
    for person in people:
        person.user_id = ids[person.phone]
    _insert(conn, UserRole, [{"user_id": p.user_id, "role": role} for p in people for role in p.roles])
    _insert(
        conn,
        UserAddress,
        [
            {
                "user_id": p.user_id,
                "kind": a.kind,
                "house_id": a.house_id,
                "apartment": a.apartment,
                "changed_at": p.created_at,
            }
            for p in people
            for a in p.addresses
        ],
    )
    _insert(conn, Child, [{"user_id": p.user_id, "birth_year": year} for p in people for year in p.children])
    registry = _table(CitizenRecord)
    known = set(conn.execute(select(registry.c.snils)).scalars().all())
    _insert(
        conn,
        CitizenRecord,
        [
            {
                "last_name": p.last_name,
                "first_name": p.first_name,
                "patronymic": p.patronymic,
                "birth_date": p.birth_date,
                "passport_series": p.identity[0],
                "passport_number": p.identity[1],
                "snils": p.identity[2],
            }
            for p in people
            if p.identity is not None and p.identity[2] not in known
        ],
    )


def _write_polls(conn: Connection, polls: list[PlannedPoll], *, staff_id: int) -> None:
    """Polls with their territories, experts, questions and options (ballot counts already final)."""
    rows = [
        {
            "title": p.title,
            "summary": p.template.summary,
            "details": p.template.details,
            "image_url": poll_image(p.title),
            "scope": p.scope,
            "include_work_address": False,
            "min_level": 1,
            "children_age_min": p.template.children[0] if p.template.children else None,
            "children_age_max": p.template.children[1] if p.template.children else None,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "points": p.points,
            "hide_intermediate": p.template.hide_intermediate,
            "created_by": staff_id,
            "created_at": p.created_at,
            "published_at": p.published_at,
            "closed_at": None,
            "results_published_at": p.results_published_at,
            "ballots_count": len(p.ballots),
        }
        for p in polls
    ]
    for poll, poll_id in zip(polls, _insert_ids(conn, Poll, rows), strict=True):
        poll.poll_id = poll_id
    _insert(
        conn,
        PollTerritory,
        [{"poll_id": p.poll_id, "okrug_id": o, "district_id": None} for p in polls for o in p.okrug_ids]
        + [{"poll_id": p.poll_id, "okrug_id": None, "district_id": d} for p in polls for d in p.district_ids],
    )
    _insert(
        conn,
        ExpertOpinion,
        [
            {"poll_id": p.poll_id, "position": n, "name": e.name, "title": e.title, "text": e.text}
            for p in polls
            for n, e in enumerate(p.template.experts, start=1)
        ],
    )
    _insert(
        conn,
        Question,
        [
            {
                "poll_id": p.poll_id,
                "position": n,
                "text": q.text,
                "kind": q.kind,
                "max_choices": q.max_choices,
            }
            for p in polls
            for n, q in enumerate(p.questions, start=1)
        ],
    )
    question_t, option_t = _table(Question), _table(Option)
    poll_ids = [p.poll_id for p in polls]
    question_ids = {
        (poll_id, position): question_id
        for question_id, poll_id, position in conn.execute(
            select(question_t.c.id, question_t.c.poll_id, question_t.c.position).where(
                question_t.c.poll_id.in_(poll_ids)
            )
        ).all()
    }
    for p in polls:
        for n, q in enumerate(p.questions, start=1):
            q.question_id = question_ids[(p.poll_id, n)]
    _insert(
        conn,
        Option,
        [
            {
                "question_id": q.question_id,
                "position": n,
                "text": o.text,
                "is_own_text": o.is_own_text,
                "is_exclusive": o.is_exclusive,
            }
            for p in polls
            for q in p.questions
            for n, o in enumerate(q.options, start=1)
        ],
    )
    option_ids = {
        (question_id, position): option_id
        for option_id, question_id, position in conn.execute(
            select(option_t.c.id, option_t.c.question_id, option_t.c.position).where(
                option_t.c.question_id.in_(list(question_ids.values()))
            )
        ).all()
    }
    for p in polls:
        for q in p.questions:
            q.option_ids = [option_ids[(q.question_id, n)] for n in range(1, len(q.options) + 1)]


def _ballot_row(poll_id: int, person: Person, completed_at: datetime, district_okrug: dict[int, int]) -> dict:
    """A ballot row with the receipt code and the voter's facts at voting time, as the service writes it."""
    home = person.home_district
    return {
        "poll_id": poll_id,
        "user_id": person.user_id,
        "completed_at": completed_at,
        "number_region": person.phone_region,
        "receipt": receipt_code(get_settings().require_secret().encode(), poll_id, person.user_id),
        "age_band": age_band(person.birth_date, moscow_date(completed_at)),
        "gender": person.gender,
        "district_id": home,
        "okrug_id": None if home is None else district_okrug[home],
        "tallied": False,
    }


def _write_ballots(
    conn: Connection, polls: list[PlannedPoll], people: list[Person], district_okrug: dict[int, int]
) -> int:
    """Ballots and their answers (left for the statistics job to tally); returns the number of ballots."""
    ballots = [(p, b) for p in polls for b in p.ballots]
    _insert(
        conn,
        Ballot,
        [_ballot_row(p.poll_id, people[b.person], b.completed_at, district_okrug) for p, b in ballots],
    )
    ballot_t = _table(Ballot)
    by_key = {
        (poll_id, user_id): ballot_id
        for ballot_id, poll_id, user_id in conn.execute(
            select(ballot_t.c.id, ballot_t.c.poll_id, ballot_t.c.user_id).where(
                ballot_t.c.poll_id.in_([p.poll_id for p in polls])
            )
        ).all()
    }
    ids = [by_key[(p.poll_id, people[b.person].user_id)] for p, b in ballots]
    answers = [
        {
            "ballot_id": ballot_id,
            "question_id": p.questions[q].question_id,
            "option_id": p.questions[q].option_ids[o],
            "own_text": own,
        }
        for (p, b), ballot_id in zip(ballots, ids, strict=True)
        for q, o, own in b.answers
    ]
    _insert(conn, BallotAnswer, answers)
    return len(ballots)


def _news(kind: str, prefix: str, poll: PlannedPoll, body: str, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": f"{prefix} «{poll.title}»"[:300],
        "body": body,
        "poll_id": poll.poll_id,
        "published_at": at,
    }


def _write_outcomes(
    conn: Connection, polls: Iterable[PlannedPoll], people: list[Person], *, now: datetime
) -> None:
    """Decisions and the «Новости» items of published results, decisions and implementations."""
    news: list[dict[str, Any]] = [
        {
            "kind": "news",
            "title": "Добро пожаловать в демонстрационный город",
            "body": (
                "Это демонстрационные данные: жители, голосования и их итоги созданы автоматически. "
                "Войдите под демонстрационным номером или зарегистрируйтесь: в демо-режиме код из СМС "
                "виден на странице /outbox."
            ),
            "poll_id": None,
            "published_at": now.replace(microsecond=0),
        }
    ]
    decisions = []
    for poll in polls:
        if poll.results_published_at is not None:
            news.append(
                _news(
                    "results",
                    "Итоги голосования",
                    poll,
                    results_text(poll, tally_of(poll, people)),
                    poll.results_published_at,
                )
            )
        if poll.decision is not None:
            d = poll.decision
            decisions.append(
                {
                    "poll_id": poll.poll_id,
                    "text": d.text,
                    "status": "implemented" if d.implemented_at else "adopted",
                    "created_at": d.created_at,
                    "implemented_at": d.implemented_at,
                }
            )
            news.append(_news("decision", "Решение по итогам голосования", poll, d.text, d.created_at))
            if d.implemented_at is not None:
                news.append(_news("decision", "Решение реализовано:", poll, d.text, d.implemented_at))
    _insert(conn, PollDecision, decisions)
    news.sort(key=lambda item: item["published_at"])
    _insert(conn, NewsItem, news)
