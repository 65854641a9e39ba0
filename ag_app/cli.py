"""The one ``ag-app`` command: migrations, demo data, imports, jobs and benchmarks."""

import logging
from pathlib import Path

import typer

from ag_app.cli_promo import promo_app
from ag_app.settings import ROOT

app = typer.Typer(help="Активный гражданин: служебные команды.", no_args_is_help=True)
bench_app = typer.Typer(help="Измерения производительности (печатают JSON).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.add_typer(promo_app, name="promo")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Подробный журнал.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )


@app.command()
def migrate(url: str = typer.Option("", help="URL базы данных (по умолчанию AG_DATABASE_URL).")) -> None:
    """Apply all database migrations (alembic upgrade head)."""
    from alembic import command
    from alembic.config import Config

    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if url:
        config.attributes["url"] = url
    command.upgrade(config, "head")


@app.command()
def banner(port: int = typer.Option(3000, help="Порт, на котором запущено приложение.")) -> None:
    """Print the address of the running demo and the demo logins."""
    from ag_app.seed import DEMO_LOGINS

    typer.echo(f"\n  «Активный гражданин» запускается: http://localhost:{port}")
    typer.echo("  Вход по номеру телефона; код из СМС — на странице /outbox (демо-режим).")
    for login in DEMO_LOGINS:
        typer.echo(f"    {login.phone}  {login.who}")
    # «Электронный дом»: neighbours of +79161234567 with confirmed apartments in the same house.
    from ag_app.seed.houses import NEIGHBOURS

    for neighbour in NEIGHBOURS:
        typer.echo(f"    {neighbour.phone}  {neighbour.who}")
    # «Лидеры цифровой трансформации»: the winning captain, a jury member and the chair.
    from ag_app.seed.award import AWARD_LOGINS

    for phone, who in AWARD_LOGINS:
        typer.echo(f"    {phone}  {who}")
    typer.echo("")


@app.command()
def serve(
    port: int = typer.Option(3000, "--port", envvar="AG_PORT", help="Порт интерфейса, websocket и API."),
    workers: int = typer.Option(
        0,
        "--workers",
        envvar="GRANIAN_WORKERS",
        help="Число процессов бэкенда; 0 — один без Redis, по одному на ядро с Redis.",
    ),
    loglevel: str = typer.Option("info", "--loglevel", help="Уровень журнала Reflex и granian."),
) -> None:
    """Build and serve the production app (Reflex + granian) on one port; failed workers are respawned.

    Redis (AG_REDIS_URL, passed to Reflex as REFLEX_REDIS_URL) is required for more than one worker.
    """
    from ag_app.i18n import message
    from ag_app.serve import ServeRefused, exec_plan, plan_serve
    from ag_app.settings import get_settings

    try:
        plan = plan_serve(port=port, workers=workers, redis_url=get_settings().redis_url, loglevel=loglevel)
    except ServeRefused as exc:
        typer.echo(message(exc.key, **exc.params), err=True)
        raise typer.Exit(2) from exc
    exec_plan(plan)


def _path(value: str) -> Path:
    return Path(value).expanduser().resolve()


@app.command()
def seed(
    residents: int = typer.Option(5000, min=0, help="Сколько жителей создать."),
    ballots: int = typer.Option(100_000, min=0, help="Сколько заполненных бюллетеней создать (примерно)."),
    polls: int = typer.Option(40, min=1, help="Сколько голосований создать."),
    url: str = typer.Option("", help="URL базы данных (по умолчанию AG_DATABASE_URL)."),
) -> None:
    """Load the demo city (idempotent: a second run changes nothing)."""
    from datetime import UTC, datetime

    from ag_app.db import get_engine, make_engine, transaction
    from ag_app.seed import seed_demo
    from ag_app.settings import InsecureSecret, get_settings

    try:
        get_settings().require_secret()  # receipt codes of the demo ballots are keyed by it
    except InsecureSecret:
        typer.echo("Задайте AG_SECRET_KEY (или AG_DEMO_MODE=true для демо-стенда).", err=True)
        raise typer.Exit(2) from None
    engine = make_engine(url) if url else get_engine()
    with transaction(engine) as session:
        report = seed_demo(session, now=datetime.now(UTC), residents=residents, ballots=ballots, polls=polls)
    if report.created:
        typer.echo(
            f"Демо-город загружен за {report.seconds:.1f} с: пользователей {report.users}, "
            f"голосований {report.polls}, бюллетеней {report.ballots}, записей баллов {report.ledger_rows}."
        )
    else:
        typer.echo("Демо-город уже загружен.")
    typer.echo("Демо-входы показывает команда ag-app banner.")


jobs_app = typer.Typer(
    help="Фоновые задачи (знаки активности, письма, статистика, протоколы, заказы).", no_args_is_help=True
)
app.add_typer(jobs_app, name="jobs")


@app.command()
def badges(month: str = typer.Option(..., "--month", help="Месяц в формате ГГГГ-ММ.")) -> None:
    """Award the monthly «Знак активности» of a finished month (idempotent) and print how many."""
    from datetime import UTC, datetime

    from ag_app.db import transaction
    from ag_app.domain.errors import DomainError
    from ag_app.domain.points import is_month
    from ag_app.i18n import message
    from ag_app.services.points import award_monthly_badges

    if not is_month(month):
        typer.echo(message("badge.month_invalid"), err=True)
        raise typer.Exit(2)
    try:
        with transaction() as session:
            awarded = award_monthly_badges(session, month=month, now=datetime.now(UTC))
    except DomainError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Знаков активности за {month} вручено: {awarded}")


@jobs_app.command("run")
def jobs_run() -> None:
    """Run every background job once (the list is ``services.jobs.JOBS``), each on its own: a failing
    job is reported and the others still run; the exit code is 1 if any job failed."""
    from datetime import UTC, datetime

    from ag_app.services.jobs import run_jobs

    report = run_jobs(datetime.now(UTC))
    done = "; ".join(f"{o.done_label}: {o.done}" for o in report.outcomes if o.ok)
    typer.echo(f"Задачи выполнены: {done}" if done else "Ни одна задача не выполнена.")
    for outcome in report.failed:
        typer.echo(f"Задача «{outcome.title}» ({outcome.name}) не выполнена: {outcome.error}", err=True)
    if report.failed:
        raise typer.Exit(1)


@jobs_app.command("status")
def jobs_status(
    as_json: bool = typer.Option(False, "--json", help="Вывести JSON (время в UTC, ISO 8601)."),
) -> None:
    """Each background job's last start, last success and last error (Moscow time), as recorded by
    the runs of the app and of ``ag-app jobs run``; the exit code is 1 if a job's latest run failed."""
    import json
    from datetime import datetime

    from ag_app.db import transaction
    from ag_app.domain.clock import MOSCOW, as_utc
    from ag_app.services.jobs import job_statuses

    with transaction() as session:
        statuses = job_statuses(session)

    def moscow(moment: datetime | None) -> str:
        return as_utc(moment).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M:%S") if moment else "—"

    def iso(moment: datetime | None) -> str | None:
        return as_utc(moment).isoformat() if moment else None

    if as_json:
        rows = [
            {
                "name": s.name,
                "title": s.title,
                "last_started_at": iso(s.last_started_at),
                "last_success_at": iso(s.last_success_at),
                "last_done": s.last_done,
                "last_error_at": iso(s.last_error_at),
                "last_error": s.last_error,
                "runs": s.runs,
                "failures": s.failures,
                "failing": s.failing,
            }
            for s in statuses
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        typer.echo("Время московское.")
        for s in statuses:
            state = "ОШИБКА" if s.failing else ("не запускалась" if s.runs == 0 else "работает")
            typer.echo(f"{s.title} ({s.name}): {state}")
            done = s.last_done if s.last_success_at else "—"
            typer.echo(f"  последний успех: {moscow(s.last_success_at)}; обработано: {done}")
            error = f"{moscow(s.last_error_at)} {s.last_error}" if s.last_error_at else "—"
            typer.echo(f"  последняя ошибка: {error}")
            typer.echo(
                f"  запусков: {s.runs}; ошибок: {s.failures}; последний запуск: {moscow(s.last_started_at)}"
            )
    if any(s.failing for s in statuses):
        raise typer.Exit(1)


def _import_registry(kind: str, file: str) -> None:
    """Load a citizen registry or numbering plan CSV (UTF-8) in one transaction; all or nothing."""
    from ag_app.db import transaction
    from ag_app.domain.errors import DomainError
    from ag_app.services.registry import import_citizens_csv, import_numbering_csv

    loader = import_citizens_csv if kind == "citizens" else import_numbering_csv
    try:
        text = _path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"Не удалось прочитать файл {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        with transaction() as session:
            count = loader(session, actor_id=None, operator=True, text=text)
    except DomainError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Загружено записей: {count}")


@app.command("import-citizens")
def import_citizens(
    file: str = typer.Argument(
        ..., help="CSV: last_name,first_name,patronymic,birth_date,passport_series,passport_number,snils."
    ),
) -> None:
    """Import the citizen registry used for full identification (records are updated by SNILS)."""
    _import_registry("citizens", file)


@app.command("import-numbering")
def import_numbering(
    file: str = typer.Argument(..., help="CSV: code,range_from,range_to,region,operator."),
) -> None:
    """Replace the numbering plan that tells Moscow numbers from others."""
    _import_registry("numbering", file)


@app.command("import-houses")
def import_houses(
    file: str = typer.Argument(
        ..., help="CSV реестра домов (столбцы — в README, пример — ag_app/seed/data/houses_sample.csv)."
    ),
) -> None:
    """Import the house registry of «Электронный дом»: houses, premises and their holders (all or nothing)."""
    from ag_app.db import transaction
    from ag_app.domain.errors import DomainError
    from ag_app.domain.house_registry import RegistryFileInvalid
    from ag_app.services.house_registry import import_house_registry

    try:
        text = _path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"Не удалось прочитать файл {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        with transaction() as session:
            summary = import_house_registry(session, actor_id=None, text=text, operator=True)
    except RegistryFileInvalid as exc:
        typer.echo(str(exc), err=True)
        for line in exc.errors:
            typer.echo(f"  {line}", err=True)
        if exc.total > len(exc.errors):
            typer.echo(f"  … и ещё ошибок: {exc.total - len(exc.errors)}", err=True)
        raise typer.Exit(1) from exc
    except DomainError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"Реестр домов загружен: строк {summary.rows}, домов {summary.houses} (новых {summary.houses_created}); "
        f"помещений новых {summary.premises_created}, изменено {summary.premises_updated}, "
        f"без изменений {summary.premises_unchanged}; правообладателей и жителей новых {summary.holders_created}, "
        f"изменено {summary.holders_updated}, без изменений {summary.holders_unchanged}, "
        f"удалено {summary.holders_removed} (подтверждений снято: {summary.links_removed})."
    )


def _read_seal(source: str) -> dict:
    """The seal JSON of the API from a file or an http(s) URL."""
    import json
    import urllib.request

    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 (the user's own URL)
            return json.loads(response.read().decode("utf-8"))
    return json.loads(_path(source).read_text(encoding="utf-8"))


@app.command("verify-open-data")
def verify_open_data(
    file: str = typer.Argument(..., help="Файл открытых данных голосования: .csv или .xlsx."),
    expect_hash: str = typer.Option("", "--expect-hash", help="Итоговый хеш, опубликованный с итогами."),
    seal: str = typer.Option(
        "", "--seal", help="Печать из API (…/open-data/seal): файл JSON или адрес http(s)."
    ),
) -> None:
    """Check the hash chain of an open-data file, recount the totals and print them as JSON.

    Exits 1 and names the first bad row when a row was changed, removed, added or reordered, or
    when the final hash or the totals disagree with the published ones.
    """
    import json
    import zipfile

    from ag_app.services.opendata.files import verify_file

    try:
        seal_data = _read_seal(seal) if seal else None
        report = verify_file(str(_path(file)), expect_hash=expect_hash or None, seal=seal_data)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        typer.echo(f"Не удалось прочитать {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if not report.ok:
        raise typer.Exit(1)


@app.command("verify-rating")
def verify_rating(
    file: str = typer.Argument(..., help="Файл итогового рейтинга конкурса чеков (final.csv)."),
    expect_hash: str = typer.Option(
        "", "--expect-hash", help="SHA-256 файла, опубликованный с итогами конкурса."
    ),
) -> None:
    """Re-derive the order of a contest's final rating from the rule and print the report as JSON.

    The file is read as raw bytes (its hash is what ``sha256sum`` shows). Exits 1 and names the
    first bad row when a row was changed, removed, added or moved, or when the hash disagrees with
    the published one; exits 2 when the file cannot be read.
    """
    import json
    from collections.abc import Iterable, Iterator

    from ag_app.domain.contest_seal import verify_rating as verify

    def lines(handle: Iterable[bytes]) -> Iterator[str]:
        # Undecodable bytes survive as surrogates: they hash as read and are refused as malformed.
        for raw in handle:
            yield raw.decode("utf-8", "surrogateescape")

    try:
        with _path(file).open("rb") as handle:
            report = verify(lines(handle), expect_hash=expect_hash or None)
    except OSError as exc:
        typer.echo(f"Не удалось прочитать {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if not report.ok:
        raise typer.Exit(1)


@app.command("protocol-sample")
def protocol_sample(
    out: str = typer.Argument(..., help="Куда записать PDF, например protocol.pdf."),
) -> None:
    """Render the protocol of a fictional owners' meeting to a PDF and print its SHA-256."""
    from ag_app.services.protocol_pdf import protocol_sha256, render_protocol, sample_protocol

    pdf = render_protocol(sample_protocol())
    path = _path(out)
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        typer.echo(f"Не удалось записать {out}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Протокол записан в {path} ({len(pdf)} байт).")
    typer.echo(f"SHA-256: {protocol_sha256(pdf)}")


@bench_app.command("ballots")
def bench_ballots(
    n: int = typer.Option(100_000, "--n", min=1, help="Сколько бюллетеней заполнить."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Сколько процессов заполняют бюллетени одновременно."
    ),
) -> None:
    """Complete ballots through the service layer and print JSON (ballots/s, p50/p99, ratio to the floor)."""
    from ag_app.bench.ballots import run
    from ag_app.bench.common import emit

    emit(run(n, db or None, workers=workers))


@bench_app.command("export")
def bench_export(
    ballots: int = typer.Option(1_000_000, "--ballots", min=1, help="Сколько бюллетеней в голосовании."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Seal a closed poll, stream its open data as CSV and XLSX and print JSON (rows/s, peak RSS, floor)."""
    from ag_app.bench.common import emit
    from ag_app.bench.export import run

    emit(run(ballots, db or None))


@bench_app.command("stats")
def bench_stats(
    ballots: int = typer.Option(100_000, "--ballots", min=1, help="Сколько бюллетеней сгенерировать."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Fold generated ballots into the statistics and serve them; print JSON (served ms, ratio to a full scan)."""
    from ag_app.bench.common import emit
    from ag_app.bench.stats import run

    emit(run(ballots, db or None))


@bench_app.command("renovation")
def bench_renovation(
    houses: int = typer.Option(5000, "--houses", min=1, help="Сколько домов в голосовании."),
    apartments: int = typer.Option(150, "--apartments", min=1, help="Сколько квартир в каждом доме."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Tally every house of a house vote from the database and print JSON (houses/s, ratio to in memory)."""
    from ag_app.bench.common import emit
    from ag_app.bench.renovation import run

    emit(run(houses, apartments, db or None))


# «Электронный дом»: house polls.
@bench_app.command("house-polls")
def bench_house_polls(
    participants: int = typer.Option(5000, "--participants", min=1, help="Сколько жителей примут участие."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Take part in a house poll through the service layer and print JSON (participations/s, ratio to the floor)."""
    from ag_app.bench.common import emit
    from ag_app.bench.house_polls import run

    emit(run(participants, db or None))


# «Электронный дом»: owners' meetings.
@bench_app.command("meeting")
def bench_meeting(
    owners: int = typer.Option(2000, "--owners", min=1, help="Сколько собственников в доме."),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Owners' decisions through the services and the live-meter refresh; print JSON (ratio to the floor)."""
    from ag_app.bench.common import emit
    from ag_app.bench.meeting import run

    emit(run(owners, db or None))


# «Магазин поощрений»: concurrent orders.
@bench_app.command("orders")
def bench_orders(
    users: int = typer.Option(1000, "--users", min=1, help="Сколько покупателей."),
    items: int = typer.Option(50, "--items", min=1, help="Сколько поощрений в каталоге."),
    orders: int = typer.Option(
        0, "--orders", min=0, help="Сколько заказов попытаться сделать (0 — вдвое больше покупателей)."
    ),
    threads: int = typer.Option(
        8, "--threads", min=1, max=64, help="Сколько потоков заказывают одновременно (в каждом процессе)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=16, help="Сколько процессов заказывают одновременно (как воркеры бэкенда)."
    ),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Place concurrent shop orders through the services and print JSON (orders/s, p50/p99, invariants, floor)."""
    from ag_app.bench.common import emit
    from ag_app.bench.orders import run

    emit(run(users, items, db or None, orders=orders or None, threads=threads, workers=workers))


# «Любимый город»: the receipt contest at city scale.
@bench_app.command("contest")
def bench_contest(
    participants: int = typer.Option(1_000_000, "--participants", min=2, help="Сколько участников конкурса."),
    receipts: int = typer.Option(
        3_000_000, "--receipts", min=2, help="Сколько чеков месяца создать заранее."
    ),
    measure: int = typer.Option(20_000, "--measure", min=1, help="Сколько чеков сохранить через сервис."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=16, help="Сколько процессов сохраняют чеки одновременно (как воркеры)."
    ),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Save receipts through the services at city scale and print JSON (receipts/s, places, re-rank, seal)."""
    from ag_app.bench.common import emit
    from ag_app.bench.contest import run

    emit(run(participants, receipts, db or None, measure=measure, workers=workers))


# «#ВыбираемВместе»: codes, the draw and its verification at city scale.
@bench_app.command("promo")
def bench_promo(
    participants: int = typer.Option(
        3_000_000, "--participants", min=2, help="Сколько жителей получают коды и участвуют в розыгрыше."
    ),
    prizes: int = typer.Option(
        100_000, "--prizes", min=1, help="Сколько призов в основном розыгрыше окна (10/20/70 %)."
    ),
    db: str = typer.Option(
        "", "--db", help="URL базы: новый файл SQLite или сервер PostgreSQL (создаётся временная база)."
    ),
) -> None:
    """Issue codes, freeze, draw and verify at city scale and print JSON (codes/s, seconds, RSS)."""
    from ag_app.bench.common import emit
    from ag_app.bench.promo import run

    emit(run(participants, prizes, db or None))


# Websocket load: page views and live updates against a running app.
@bench_app.command("ws")
def bench_ws(
    url: str = typer.Option(
        "http://127.0.0.1:3000", "--url", help="Адрес запущенного приложения (только 127.0.0.1)."
    ),
    viewers: int = typer.Option(
        100, "--viewers", min=1, max=5000, help="Сколько клиентов (вкладок) одновременно."
    ),
    page: str = typer.Option("/", "--page", help="Какую страницу открывать, например /house/meetings/1."),
    seconds: float = typer.Option(
        10.0, "--seconds", min=1, max=600, help="Сколько секунд открывать страницу в цикле."
    ),
    live: bool = typer.Option(
        False,
        "--live",
        help="Счётчик собрания: зрители остаются на странице, сотрудник вносит бумажные решения.",
    ),
    rounds: int = typer.Option(3, "--rounds", min=1, max=50, help="Сколько обновлений счётчика измерить."),
    wait: float = typer.Option(
        10.0, "--wait", min=1, max=120, help="Сколько секунд ждать доставки обновления."
    ),
) -> None:
    """Open a page with N real socket.io clients; print JSON (first state bytes, page views/s, live delivery)."""
    from ag_app.bench.common import emit
    from ag_app.bench.ws import run

    emit(run(url, viewers, page, seconds, live=live, rounds=rounds, wait=wait))


# «Любимый город» live: the contest rating on many screens while receipts pour in.
@bench_app.command("leaderboard")
def bench_leaderboard(
    url: str = typer.Option(
        "http://127.0.0.1:3000", "--url", help="Адрес запущенного приложения (только 127.0.0.1)."
    ),
    viewers: int = typer.Option(
        500, "--viewers", min=1, max=5000, help="Сколько зрителей держат /contest открытым."
    ),
    receipts_per_s: float = typer.Option(
        20.0, "--receipts-per-s", min=0.5, max=200, help="Сколько чеков в секунду сохранять через API."
    ),
    seconds: float = typer.Option(30.0, "--seconds", min=1, max=600, help="Сколько секунд измерять."),
    wait: float = typer.Option(
        5.0, "--wait", min=1, max=60, help="Сколько секунд ждать доставки обновления рейтинга."
    ),
    residents: int = typer.Option(
        120,
        "--residents",
        min=1,
        max=2000,
        help="Сколько новых жителей сохраняют чеки (по умолчанию на полную первую сотню рейтинга).",
    ),
    db_label: str = typer.Option(
        "", "--db-label", help="Какая база у приложения (по умолчанию из AG_DATABASE_URL)."
    ),
) -> None:
    """Live contest rating: N viewers of /contest while residents post receipts; print JSON
    (delivery p50/p95/max, share delivered, first page state bytes, ping floor)."""
    from ag_app.bench.common import emit
    from ag_app.bench.leaderboard import run

    emit(run(url, viewers, receipts_per_s, seconds, wait=wait, residents=residents, db_label=db_label))


# HTTP load: many residents at once through the REST API of a running app.
@bench_app.command("http")
def bench_http(
    url: str = typer.Option(
        "http://127.0.0.1:3000", "--url", help="Адрес запущенного приложения (только 127.0.0.1)."
    ),
    clients: int = typer.Option(50, "--clients", min=1, max=2000, help="Сколько клиентов одновременно."),
    seconds: float = typer.Option(10.0, "--seconds", min=0.5, max=600, help="Длительность каждой фазы, с."),
    residents: int = typer.Option(
        500, "--residents", min=1, max=100_000, help="Сколько новых жителей войдут (по SMS-коду)."
    ),
    polls: int = typer.Option(
        6, "--polls", min=1, max=50, help="Сколько нагрузочных голосований использовать."
    ),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, max=120, help="Тайм-аут одного запроса, с."),
    db_label: str = typer.Option(
        "", "--db-label", help="Какая база у приложения (по умолчанию из AG_DATABASE_URL)."
    ),
) -> None:
    """Drive a running app (demo mode) as many residents at once and print JSON per route and a summary."""
    from ag_app.bench.common import emit
    from ag_app.bench.http import BenchError, run

    try:
        data = run(
            url,
            clients=clients,
            seconds=seconds,
            residents=residents,
            polls=polls,
            timeout=timeout,
            db_label=db_label,
        )
    except BenchError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    emit(data)


if __name__ == "__main__":  # pragma: no cover
    app()
