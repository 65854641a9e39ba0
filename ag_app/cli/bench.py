"""``ag-app bench …``: the benchmarks (each prints one JSON object as its last line)."""

import typer

bench_app = typer.Typer(help="Измерения производительности (печатают JSON).", no_args_is_help=True)


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
