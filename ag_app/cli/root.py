"""The root of the ``ag-app`` command: the Typer app, its global options and shared helpers."""

import logging
from pathlib import Path

import typer

app = typer.Typer(help="Активный гражданин: служебные команды.", no_args_is_help=True)


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Подробный журнал.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )


def file_path(value: str) -> Path:
    """A path given on the command line, with ``~`` expanded, made absolute."""
    return Path(value).expanduser().resolve()
