"""``ag-app verify-open-data|verify-rating|protocol-sample``: checks anyone can run on published files."""

import typer

from ag_app.cli.root import app, file_path


def _read_seal(source: str) -> dict:
    """The seal JSON of the API from a file or an http(s) URL."""
    import json
    import urllib.request

    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 (the user's own URL)
            return json.loads(response.read().decode("utf-8"))
    return json.loads(file_path(source).read_text(encoding="utf-8"))


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
        report = verify_file(str(file_path(file)), expect_hash=expect_hash or None, seal=seal_data)
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
        with file_path(file).open("rb") as handle:
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
    path = file_path(out)
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        typer.echo(f"Не удалось записать {out}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Протокол записан в {path} ({len(pdf)} байт).")
    typer.echo(f"SHA-256: {protocol_sha256(pdf)}")
