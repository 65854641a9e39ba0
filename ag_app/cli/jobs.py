"""``ag-app jobs run|status``: the background jobs by hand and their recorded status."""

import typer

jobs_app = typer.Typer(
    help="Фоновые задачи (знаки активности, письма, статистика, протоколы, заказы).", no_args_is_help=True
)


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
