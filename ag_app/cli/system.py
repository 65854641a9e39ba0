"""``ag-app migrate|banner|serve|seed|badges``: running the platform and its demo."""

import logging

import typer

from ag_app.cli.root import app
from ag_app.settings import ROOT


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
