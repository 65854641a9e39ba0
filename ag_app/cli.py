"""The one ``ag-app`` command: migrations, demo data, imports, jobs and benchmarks."""

import logging
from pathlib import Path

import typer

from ag_app.settings import ROOT

app = typer.Typer(help="Активный гражданин: служебные команды.", no_args_is_help=True)
bench_app = typer.Typer(help="Измерения производительности (печатают JSON).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Подробный журнал.")) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def migrate(url: str = typer.Option("", help="URL базы данных (по умолчанию AG_DATABASE_URL).")) -> None:
    """Apply all database migrations (alembic upgrade head)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if url:
        config.attributes["url"] = url
    command.upgrade(config, "head")


def _path(value: str) -> Path:
    return Path(value).expanduser().resolve()


if __name__ == "__main__":  # pragma: no cover
    app()
