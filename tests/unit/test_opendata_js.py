"""«Проверить файл» (assets/verify_opendata.js) checks a file exactly as `ag-app verify-open-data` does.

The script runs under Node (the same crypto.subtle SHA-256 as a browser) on files written like the
published CSV and on damaged copies; its verdict — ok, rows, final hash, the first bad row and why,
the recounted totals — must equal :func:`ag_app.services.opendata.verify_file` on the same bytes,
and the line it names must be where that row starts in the file.
"""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ag_app.domain import opendata as od
from ag_app.services.opendata import verify_file

SCRIPT = Path(__file__).resolve().parents[2] / "assets" / "verify_opendata.js"
QUESTIONS = ["Нужен ли парк, сквер или бульвар?", "Что добавить «в первую очередь»?"]
OPTIONS = [["Да", "Нет"], ["Скамейки", "Фонари, много фонарей", 'Площадку "Радуга"']]
RUNNER = """
const v = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const cases = JSON.parse(input);
  const out = [];
  for (const c of cases) {
    // The bytes of the file, decoded as the page decodes what FileReader read.
    const text = v.decode(new TextEncoder().encode(c.text));
    out.push(await v.verifyText(text, c.seal, c.format));
  }
  process.stdout.write(JSON.stringify(out));
});
"""


def _rows(count: int) -> list[list[str]]:
    visible = []
    for n in range(1, count + 1):
        first = OPTIONS[0][n % 2]
        second = od.ANSWER_SEPARATOR.join(OPTIONS[1][: n % 4]) if n % 5 else ""
        if n == 3:
            second = "Скамейки\r\nс переносом строки"
        visible.append(
            [
                str(n),
                f"K7QF-2MXA-9PRT-{n:04d}",
                "2026-11-20 12:00",
                "18–24" if n % 3 else od.NOT_GIVEN,
                "женский",
                "ЦАО",
                "Арбат",
                "московский",
                first,
                second,
            ]
        )
    return [list(row) for row in od.chain(visible)]


def _csv(heading, rows, *, blank_after: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(heading)
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number == blank_after:
            buffer.write("\r\n")
    return "\ufeff" + buffer.getvalue()


def _seal(rows: list[list[str]]) -> dict:
    report = od.verify_rows(od.header(QUESTIONS), rows)
    return {"rows": report.rows, "final_hash": report.final_hash, "totals": report.totals}


def _row_lines(text: str) -> list[int]:
    """The file line on which each data row (№ 1, 2, …) starts, as Python's csv reader counts."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    starts, last = [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts[1:]


def _cases() -> dict[str, tuple[str, dict]]:
    heading = od.header(QUESTIONS)
    rows = _rows(30)
    seal = _seal(rows)
    edited = [list(r) for r in rows]
    edited[6][8] = "Нет" if edited[6][8] == "Да" else "Да"
    removed = rows[:4] + rows[5:]
    swapped = rows[:9] + [rows[10], rows[9]] + rows[11:]
    extended = [list(r) for r in od.chain([r[:-2] for r in rows] + [[str(31), *rows[0][1:-2]]])]
    wrong_heading = list(heading)
    wrong_heading[8] = "Вопрос 2. Нужен ли парк?"
    short_row = [list(r) for r in rows]
    short_row[11] = short_row[11][:-1]
    other_totals = {**seal, "totals": {**seal["totals"], "ballots": 29}}
    other_hash = {**seal, "final_hash": "f" * 64}
    return {
        "intact": (_csv(heading, rows), seal),
        "edited cell": (_csv(heading, edited), seal),
        "removed row": (_csv(heading, removed), seal),
        "swapped rows": (_csv(heading, swapped), seal),
        "appended row": (_csv(heading, extended), seal),
        "truncated": (_csv(heading, rows[:25]), seal),
        "blank line": (_csv(heading, rows, blank_after=14), seal),
        "wrong heading": (_csv(wrong_heading, rows), seal),
        "short row": (_csv(heading, short_row), seal),
        "totals differ": (_csv(heading, rows), other_totals),
        "final hash differs": (_csv(heading, rows), other_hash),
        "empty poll": (_csv(heading, []), _seal([])),
    }


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, tuple[str, dict, dict]]:
    node = shutil.which("node")
    assert node, "Node.js is needed to run the browser check (Reflex needs it too)"
    cases = _cases()
    payload = [{"text": text, "seal": seal, "format": od.file_format()} for text, seal in cases.values()]
    done = subprocess.run(
        [node, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results = json.loads(done.stdout)
    folder = tmp_path_factory.mktemp("opendata-js")
    out = {}
    for (name, (text, seal)), result in zip(cases.items(), results, strict=True):
        path = folder / f"{name.replace(' ', '-')}.csv"
        path.write_bytes(text.encode("utf-8"))
        out[name] = (text, result, verify_file(str(path), seal=seal).as_dict())
    return out


@pytest.mark.parametrize("name", list(_cases()))
def test_browser_verdict_equals_the_command_line(verdicts, name):
    text, js, python = verdicts[name]
    assert js["ok"] is python["ok"]
    assert js["rows"] == python["rows"]
    assert js["final_hash"] == python["final_hash"]
    assert js["totals"] == python["totals"]
    if not python["ok"]:
        assert js["first_bad_row"] == python["first_bad_row"]
        assert od.REASONS[js["reason"]] == python["reason"]
        row = python["first_bad_row"]
        lines = _row_lines(text)
        expected_line = 1 if row == 0 else (lines[row - 1] if row is not None and row <= len(lines) else None)
        assert js["line"] == expected_line


def test_intact_file_matches_and_the_chain_is_the_python_one(verdicts):
    text, js, _ = verdicts["intact"]
    assert js["ok"] is True
    rows = _rows(30)
    assert js["final_hash"] == rows[-1][-1] == od.row_hash(rows[-2][-1], rows[-1][:-2])
    assert js["totals"]["ballots"] == 30
    # A cell holding a line break: rows after it start one file line later than their №.
    assert _row_lines(text)[3] == 6


@pytest.mark.parametrize(
    ("name", "row", "reason"),
    [
        ("edited cell", 7, "hash"),
        ("removed row", 5, "number"),
        ("swapped rows", 10, "number"),
        ("appended row", 31, "extra"),
        ("truncated", 26, "missing"),
        ("blank line", 15, "columns"),
        ("wrong heading", 0, "header"),
        ("short row", 12, "columns"),
        ("totals differ", None, "totals"),
        ("final hash differs", None, "final"),
    ],
)
def test_damaged_files_name_the_first_bad_row(verdicts, name, row, reason):
    _, js, _ = verdicts[name]
    assert js["ok"] is False
    assert (js["first_bad_row"], js["reason"]) == (row, reason)


def test_edited_row_is_named_by_its_file_line(verdicts):
    _, js, _ = verdicts["edited cell"]
    # Heading on line 1, row № 3 spans two lines, so row № 7 starts on line 9.
    assert js["line"] == 9
