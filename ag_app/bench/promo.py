"""``ag-app bench promo``: the «#ВыбираемВместе» campaign at city scale through the services.

Setup (each step timed, not measured): ``participants`` adult citizens with a passport, created
well before the eligibility moment, each with a registration address (Core bulk inserts of 20 000
rows; the addresses by one INSERT … SELECT), a staff user and the 2026 replica campaign
(:func:`ag_app.seed.promo.vmeste_config`) whose first window's main draw has ``prizes`` prizes
split 10/20/70 % into 5 000 / 3 000 / 1 000 points (the other two windows get one prize each).

Baseline (the floor), same run, same tables: a plain multi-row INSERT of the rows issuing a code
writes — one ``promocitizen`` row and one SMS in the outbox per citizen, precomputed values, in
batches of :data:`ag_app.services.promo.codes.BATCH` rows, one transaction per batch — then
deleted again (and, on PostgreSQL, vacuumed) before the measured run.

Measured:

- :func:`ag_app.services.promo.codes.issue_codes` for every citizen → ``ops_per_s`` (codes issued
  per second, goal ≥ 20 000), ``p50_ms`` / ``p99_ms`` per batch of ``BATCH`` codes, and
  ``ratio`` = codes/s ÷ floor rows/s: the share of the bare INSERT speed the service keeps while
  it also finds the eligible citizens, draws a code, derives the pseudonymous key and writes the
  SMS text (1.0 would mean issuing costs nothing beyond writing the two rows);
  ``codes_per_cpu_s`` / ``codes_cpu_ms_per_code``: the same against this process's CPU time, the
  figure least moved by other load on a shared machine;
- every citizen then votes in the first window (a bulk UPDATE, not measured: 90 % online, one in
  twenty for the first time, ages 19–88), the list is frozen (:func:`draws.freeze`, SHA-256 and
  count of the published list) → ``freeze_s``; public randomness is added and the draw run
  (:func:`draws.run_draw`: the digest re-checked, the ranking, the winners recorded) → ``draw_s``
  (goal < 20 s); the announcement (:func:`draws.announce`, a step of its own: the appendix's extra
  prizes and the SMS to everyone with a prize) → ``announce_s``; the peak of both →
  ``draw_peak_rss_mb``;
- the published files written with :func:`draws.participants_file` / :func:`draws.winners_file`
  → ``publish_s``; the shipped verifier run as a citizen runs it, a subprocess
  ``ag-app promo verify-draw …`` → ``verify_s`` (goal < 20 s), ``verify_exit`` (must be 0) and
  ``verify_peak_rss_mb`` (its own ``VmHWM``);
- ``peak_rss_mb``: the bench process's peak (goal < 1 GB for it and for the verifier).
"""

import logging
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, case, delete, func, insert, literal, select, text, update

from ag_app.bench.common import process_peak_rss_mb, reset_peak_rss, result, scratch_database
from ag_app.db import read_transaction, transaction
from ag_app.domain.promo import KEY_LENGTH, new_codes
from ag_app.models import (
    District,
    House,
    Okrug,
    OutboxMessage,
    PromoCampaign,
    PromoCitizen,
    PromoDraw,
    Street,
    User,
    UserAddress,
    UserRole,
)
from ag_app.seed.promo import vmeste_config
from ag_app.services.promo import campaigns, codes, draws
from ag_app.services.promo.campaigns import MAIN
from ag_app.services.promo.texts import code_sms

log = logging.getLogger(__name__)

BATCH = 20_000
# The replica's last voting day: window 0 ends 6 September 2026 at 20:00 Moscow time (17:00 UTC).
LAST_DAY = date(2026, 9, 8)
CREATED_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
CODES_AT = datetime(2026, 8, 31, 9, 0, tzinfo=UTC)
VOTED_AT = datetime(2026, 9, 6, 9, 0, tzinfo=UTC)
DRAW_AT = datetime(2026, 9, 7, 6, 0, tzinfo=UTC)
ENTROPY = "12 31 4 7 45 1"
CODES_GOAL = 20_000
# Ages on the vote day: 19 + (citizen number mod 70), everyone born on a January day.
AGES = 70


def prize_spec(prizes: int) -> str:
    """«5000xA,3000xB,1000xC» with A, B, C about 10/20/70 % of ``prizes`` (at least one prize)."""
    top = max(prizes // 10, 1)
    middle = prizes // 5
    rest = prizes - top - middle
    parts = [(5000, top), (3000, middle), (1000, rest)]
    return ",".join(f"{value}x{count}" for value, count in parts if count > 0)


def _make_citizens(engine: Engine, n: int) -> tuple[int, int]:
    """``n`` eligible citizens with a registration address; returns (first citizen id, staff id)."""
    with transaction(engine) as session:
        okrug = Okrug(name="Центральный административный округ", abbrev="ЦАО")
        session.add(okrug)
        session.flush()
        district = District(okrug_id=okrug.id, name="Арбат")
        session.add(district)
        session.flush()
        street = Street(district_id=district.id, name="улица Арбат")
        session.add(street)
        session.flush()
        house = House(street_id=street.id, district_id=district.id, number="1")
        staff = User(
            uid="promostaff", phone="+79990001234", created_at=CREATED_AT, terms_accepted_at=CREATED_AT
        )
        session.add_all([house, staff])
        session.flush()
        session.add(UserRole(user_id=staff.id, role="staff"))
        house_id, staff_id = house.id, staff.id
    with transaction(engine) as session:
        connection = session.connection()
        for start in range(0, n, BATCH):
            connection.execute(
                insert(User),
                [
                    {
                        "uid": f"promo{i:010d}",
                        "phone": f"+7926{i:07d}",
                        "phone_region": "moscow",
                        "created_at": CREATED_AT,
                        "terms_accepted_at": CREATED_AT,
                        "birth_date": date(2007 - i % AGES, 1, 1 + i % 28),
                        "passport_series": "4510",
                        "passport_number": f"{i % 1_000_000:06d}",
                    }
                    for i in range(start, min(n, start + BATCH))
                ],
            )
        first_id = connection.execute(select(func.min(User.id)).where(User.uid.like("promo0%"))).scalar_one()
        connection.execute(
            insert(UserAddress).from_select(
                ["user_id", "kind", "house_id", "apartment", "changed_at"],
                select(
                    User.id, literal("registration"), literal(house_id), literal(""), literal(CREATED_AT)
                ).where(User.id >= first_id, User.id != staff_id),
            )
        )
    return first_id, staff_id


def setup(engine: Engine, participants: int, spec: str) -> tuple[int, int, int, int]:
    """Citizens, staff and the campaign whose window 0 main draw has the prizes ``spec``.

    Returns (first citizen id, staff id, campaign id, window 0 main draw id).
    """
    first_id, staff_id = _make_citizens(engine, participants)
    with transaction(engine) as session:
        campaign_id = campaigns.create_campaign(
            session,
            actor_id=staff_id,
            config=vmeste_config(LAST_DAY, slug="bench", window_prizes=(spec, "1000x1", "1000x1")),
            now=CREATED_AT,
        )
        draw_id = session.execute(
            select(PromoDraw.id).where(
                PromoDraw.campaign_id == campaign_id, PromoDraw.kind == MAIN, PromoDraw.window == 0
            )
        ).scalar_one()
    _analyze(engine)
    return first_id, staff_id, campaign_id, draw_id


def _analyze(engine: Engine, *tables: str) -> None:
    """Refresh PostgreSQL's statistics (and reclaim deleted rows) after a bulk step."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if tables:
            connection.execute(text(f"VACUUM ANALYZE {', '.join(tables)}"))
        else:
            connection.execute(text("ANALYZE"))


def _floor(engine: Engine, campaign_id: int, first_id: int, n: int) -> float:
    """Seconds for the plain INSERTs of what issuing writes (one citizen row + one SMS per citizen),
    in the service's batch size; the rows are deleted afterwards (not timed)."""
    with read_transaction(engine) as session:
        campaign = session.get(PromoCampaign, campaign_id)
        session.expunge(campaign)
        sms = code_sms(campaign)
        last_message = session.execute(select(func.coalesce(func.max(OutboxMessage.id), 0))).scalar_one()
    seconds = 0.0
    for start in range(0, n, codes.BATCH):
        people = range(start, min(n, start + codes.BATCH))
        # Random codes and keys like the real ones: the unique indexes see the same scattered inserts.
        batch_codes = new_codes(len(people))
        citizens = [
            {
                "campaign_id": campaign_id,
                "user_id": first_id + i,
                "code": code,
                "key": secrets.token_hex(KEY_LENGTH // 2),
                "code_sent_at": CODES_AT,
                "opt_out_reason": "",
                "vote_channel": "",
                "first_online": False,
                "category": "",
                "main_prize": 0,
                "extra_prize": 0,
                "category_prize": 0,
                "prize_points": 0,
                "discount_left": 0,
            }
            for i, code in zip(people, batch_codes, strict=True)
        ]
        messages = [
            {
                "channel": "sms",
                "recipient": f"+7926{i:07d}",
                "body": sms(code),
                "user_id": first_id + i,
                "subject": "",
                "created_at": CODES_AT,
                "status": "outbox",
            }
            for i, code in zip(people, batch_codes, strict=True)
        ]
        t0 = time.perf_counter()
        with transaction(engine) as session:
            connection = session.connection()
            connection.execute(insert(PromoCitizen), citizens)
            connection.execute(insert(OutboxMessage), messages)
        seconds += time.perf_counter() - t0
    with transaction(engine) as session:
        session.execute(delete(PromoCitizen).where(PromoCitizen.campaign_id == campaign_id))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id > last_message))
    _analyze(engine, "promocitizen", "outboxmessage")
    return seconds


def _issue(engine: Engine, campaign_id: int) -> tuple[int, float, float, list[float]]:
    """Issue every code through the service; returns (codes, seconds, CPU seconds of this process,
    per-batch milliseconds)."""
    cpu_started = time.process_time()
    marks = [time.perf_counter()]

    def batch_done() -> bool:
        marks.append(time.perf_counter())
        return False

    issued = codes.issue_codes(engine, campaign_id=campaign_id, now=CODES_AT, stop=batch_done)
    seconds = marks[-1] - marks[0]
    cpu = time.process_time() - cpu_started
    batches = [(b - a) * 1000 for a, b in zip(marks, marks[1:], strict=False)]
    # The last mark is the empty query that found nobody left: not a batch of codes.
    return issued, seconds, cpu, batches[:-1] or batches


def vote_everyone(engine: Engine, campaign_id: int, first_id: int) -> None:
    """Every citizen votes in window 0: 90 % online (one in twenty for the first time), ages 19–88."""
    c = PromoCitizen
    number = c.user_id - first_id
    with transaction(engine) as session:
        session.execute(
            update(c)
            .where(c.campaign_id == campaign_id)
            .values(
                voted_at=VOTED_AT,
                vote_channel=case((number % 10 == 9, "terminal"), else_="online"),
                first_online=case((number % 20 == 0, True), else_=False),
                age_on_vote=19 + number % AGES,
                main_window=0,
            )
            .execution_options(synchronize_session=False)
        )
    _analyze(engine, "promocitizen")


def _verifier_command() -> list[str]:
    """The shipped ``ag-app`` of this environment (or the same CLI through this interpreter)."""
    beside = Path(sys.executable).with_name("ag-app")
    found = str(beside) if beside.exists() else shutil.which("ag-app")
    if found:
        return [found]
    return [sys.executable, "-c", "from ag_app.cli import app; app()"]


def _run_verifier(args: list[str]) -> tuple[int, float, float, str]:
    """Run the verifier as a citizen would; returns (exit code, seconds, its peak RSS in MiB, output).

    The peak is the child's own ``VmHWM``, read while it runs (``ru_maxrss`` of a child started by
    a large parent would report the parent's size).
    """
    peak_kib = 0
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            try:
                for line in status.read_text(encoding="ascii").splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        seconds = time.perf_counter() - t0
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    return child.returncode, seconds, round(peak_kib / 1024, 1), output


def run(participants: int, prizes: int, db_url: str | None = None) -> dict:
    """Run the bench on a scratch database (``db_url``: a new SQLite file or a PostgreSQL server)."""
    spec = prize_spec(prizes)
    steps: dict[str, float] = {}
    with (
        scratch_database(db_url, label="promo") as engine,
        tempfile.TemporaryDirectory(prefix="ag-promo-") as tmp,
    ):
        dialect = engine.dialect.name
        t0 = time.perf_counter()
        first_id, staff_id, campaign_id, draw_id = setup(engine, participants, spec)
        steps["citizens_s"] = time.perf_counter() - t0
        log.info("Граждане: %s за %.1f с", participants, steps["citizens_s"])

        floor_seconds = _floor(engine, campaign_id, first_id, participants)
        log.info("Базовая вставка: %s строк за %.1f с", participants, floor_seconds)

        issued, codes_seconds, codes_cpu, batch_ms = _issue(engine, campaign_id)
        with read_transaction(engine) as session:
            sms_codes = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
        if issued != participants or sms_codes != participants:
            raise RuntimeError(f"issued {issued} codes and {sms_codes} SMS for {participants} citizens")
        log.info("Коды: %s за %.1f с", issued, codes_seconds)

        t0 = time.perf_counter()
        vote_everyone(engine, campaign_id, first_id)
        steps["votes_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with transaction(engine) as session:
            if not draws.freeze(session, draw_id=draw_id, now=DRAW_AT):
                raise RuntimeError("the window's list was not frozen")
        freeze_s = time.perf_counter() - t0
        with transaction(engine) as session:
            draws.set_entropy(session, actor_id=staff_id, draw_id=draw_id, entropy=ENTROPY, now=DRAW_AT)

        rss_before_draw = process_peak_rss_mb()
        reset_peak_rss()
        t0 = time.perf_counter()
        with transaction(engine) as session:
            if not draws.run_draw(session, draw_id=draw_id, now=DRAW_AT):
                raise RuntimeError("the draw did not run")
        draw_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with transaction(engine) as session:
            if not draws.announce(session, draw_id=draw_id, now=DRAW_AT):
                raise RuntimeError("the results were not announced")
        announce_s = time.perf_counter() - t0
        draw_rss = process_peak_rss_mb()
        log.info("Заморозка %.1f с, розыгрыш %.1f с, объявление итогов %.1f с", freeze_s, draw_s, announce_s)

        t0 = time.perf_counter()
        listing, winners_csv = Path(tmp) / "participants.txt", Path(tmp) / "winners.csv"
        with read_transaction(engine) as session:
            draw = session.get(PromoDraw, draw_id)
            with listing.open("wb") as out:
                out.writelines(draws.participants_file(session, draw))
            with winners_csv.open("wb") as out:
                out.writelines(draws.winners_file(session, draw))
            c = PromoCitizen
            extra = session.execute(
                select(func.count()).where(c.campaign_id == campaign_id, c.extra_prize > 0)
            ).scalar_one()
            sms_total = session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()
            session.expunge(draw)
        publish_s = time.perf_counter() - t0

        exit_code, verify_s, verify_rss, output = _run_verifier(
            [
                *_verifier_command(),
                "promo",
                "verify-draw",
                "--participants",
                str(listing),
                "--seed",
                draw.seed,
                "--commitment",
                draw.commitment,
                "--prizes",
                draw.prizes,
                "--winners",
                str(winners_csv),
                "--entropy",
                draw.entropy,
                "--list-sha256",
                draw.list_sha256,
            ]
        )
        if exit_code != 0:
            log.error("Проверка розыгрыша не прошла: %s", output.strip())
        log.info("Проверка: код %s за %.1f с", exit_code, verify_s)

    data = result(
        name="promo",
        n=issued,
        seconds=codes_seconds,
        latencies_ms=batch_ms,
        floor_seconds=floor_seconds,
        db=dialect,
        participants=participants,
        prizes=prizes,
        prize_spec=spec,
        batch=codes.BATCH,
        ratio_means=(
            "codes issued/s through issue_codes ÷ rows/s of a plain multi-row INSERT of the same "
            "rows (one promocitizen row + one outbox SMS per citizen, same batch size, same tables)"
        ),
        p_ms_per="batch of codes",
        codes_goal_per_s=CODES_GOAL,
        # The bench process's CPU per code (on SQLite this includes the database's own work): the
        # figure least moved by other load on the machine; PostgreSQL's server CPU is not in it.
        codes_cpu_ms_per_code=round(codes_cpu * 1000 / max(issued, 1), 4),
        codes_per_cpu_s=round(issued / codes_cpu, 1) if codes_cpu > 0 else None,
        freeze_s=round(freeze_s, 3),
        draw_s=round(draw_s, 3),
        announce_s=round(announce_s, 3),
        draw_peak_rss_mb=draw_rss,
        list_count=draw.list_count,
        list_sha256=draw.list_sha256,
        winners=draw.winners_count,
        extra_prizes=extra,
        sms_after_draw=sms_total - sms_codes,
        publish_s=round(publish_s, 3),
        verify_s=round(verify_s, 3),
        verify_exit=exit_code,
        verify_ok=exit_code == 0,
        verify_peak_rss_mb=verify_rss,
        **{key: round(value, 1) for key, value in steps.items()},
        floor_s=round(floor_seconds, 2),
        codes_s=round(codes_seconds, 2),
    )
    # The peak before the draw, the draw's own and what came after (the mark was reset for the draw).
    data["peak_rss_mb"] = max(rss_before_draw, draw_rss, process_peak_rss_mb())
    return data


__all__ = ["prize_spec", "run", "setup", "vote_everyone"]
