"""``ag-app import-citizens|import-numbering|import-houses``: loading registries from CSV files."""

import typer

from ag_app.cli.root import app, file_path


def _import_registry(kind: str, file: str) -> None:
    """Load a citizen registry or numbering plan CSV (UTF-8) in one transaction; all or nothing."""
    from ag_app.db import transaction
    from ag_app.domain.errors import DomainError
    from ag_app.services.registry import import_citizens_csv, import_numbering_csv

    loader = import_citizens_csv if kind == "citizens" else import_numbering_csv
    try:
        text = file_path(file).read_text(encoding="utf-8")
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
        text = file_path(file).read_text(encoding="utf-8")
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
