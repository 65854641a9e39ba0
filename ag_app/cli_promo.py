"""``ag-app promo …``: the promo campaign commands (the draw verifier anyone can run)."""

from pathlib import Path

import typer

from ag_app.i18n import message

promo_app = typer.Typer(help="Акция «#ВыбираемВместе»: розыгрыши и их проверка.", no_args_is_help=True)


@promo_app.command("verify-draw")
def verify_draw_command(
    participants: Path = typer.Option(
        ..., "--participants", help="Опубликованный список участников (participants.txt)."
    ),
    seed: str = typer.Option(..., "--seed", help="Раскрытое зерно розыгрыша (шестнадцатеричное)."),
    commitment: str = typer.Option(..., "--commitment", help="Опубликованное заранее SHA-256 зерна."),
    prizes: str = typer.Option(..., "--prizes", help="Призы розыгрыша, например 5000x10,3000x20,1000x70."),
    winners: Path = typer.Option(..., "--winners", help="Опубликованный файл победителей (winners.csv)."),
    entropy: str = typer.Option(
        "", "--entropy", help="Публичная случайность, добавленная после окна (если была)."
    ),
    list_sha256: str = typer.Option("", "--list-sha256", help="Опубликованный SHA-256 списка участников."),
) -> None:
    """Re-run a published draw and compare the winners; exit 0 when confirmed, 1 on the first difference."""
    from ag_app.domain.promo_verify import verify_draw

    report = verify_draw(
        participants,
        seed,
        commitment,
        prizes,
        winners,
        entropy=entropy,
        list_sha256=list_sha256 or None,
    )
    if report.list_sha256:
        typer.echo(message("promo.verify_count", count=report.count))
        typer.echo(message("promo.verify_sha256", sha256=report.list_sha256))
        typer.echo(message("promo.verify_winners", count=report.winners))
    if report.ok:
        typer.echo(message("promo.verify_ok"))
        return
    typer.echo(message("promo.verify_failed"))
    typer.echo(report.problem)
    raise typer.Exit(1)
