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


@promo_app.command("import-votes")
def import_votes_command(
    file: Path = typer.Argument(
        ..., help="Файл системы голосования: UTF-8, «;», заголовок person;voted_at;channel;first_online."
    ),
    campaign: str = typer.Option(..., "--campaign", help="Короткое имя акции (slug), например vmeste."),
) -> None:
    """Import the voting system's file as the operator: all rows, or none when one is malformed (exit 1)."""
    from datetime import UTC, datetime

    from ag_app.db import transaction
    from ag_app.domain.errors import DomainError
    from ag_app.domain.promo import VoteFileError
    from ag_app.services.promo.staff import campaign_by_slug, import_vote_file
    from ag_app.services.promo.votes import report_lines

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(message("promo.verify_file_unreadable", name=file), err=True)
        raise typer.Exit(2) from exc
    try:
        with transaction() as session:
            campaign_id = campaign_by_slug(session, campaign).id
            report = import_vote_file(
                session,
                actor_id=None,
                campaign_id=campaign_id,
                text=text,
                now=datetime.now(UTC),
                operator=True,
            )
    except VoteFileError as exc:
        if not exc.problems:
            typer.echo(str(exc), err=True)
        else:
            typer.echo(message("promo.votes_bad_cli", count=len(exc.problems)), err=True)
        for line, reason in exc.problems:
            typer.echo("  " + message("promo.votes_bad_line", line=line, reason=reason.rstrip(".")), err=True)
        raise typer.Exit(1) from exc
    except DomainError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(message("promo.import_done", rows=report.rows, added=report.added, unchanged=report.unchanged))
    # The operator sees every refused line number (the page shows the first 20 of each reason).
    for sentence in report_lines(report, shown=max(report.rows, 1)):
        typer.echo(sentence)
