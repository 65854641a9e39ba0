"""Every Russian text of the UI layers comes from the catalogue (the package ag_app/i18n/).

The rule: a string constant with Cyrillic letters in state/, pages/ or components/ (docstrings aside)
is a text a user may see and must be a catalogue key read with ``message``/``label`` instead; the
tool scripts/catalogue_literals.py moves such literals into the catalogue.
"""

import ast
import re
import string
from pathlib import Path

from ag_app.i18n import MESSAGES, label, message

APP = Path(__file__).resolve().parents[2] / "ag_app"
LAYERS = ("state", "pages", "components")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def russian_literals(path: Path, name: str) -> list[str]:
    """``name:line: text`` of every Cyrillic string constant of ``path`` outside docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        f"{name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and CYRILLIC.search(node.value)
    ]


def _modules() -> list[Path]:
    found = []
    for layer in LAYERS:
        for path in sorted((APP / layer).rglob("*.py")):
            found.append(path)
    return found


def test_ui_layers_hold_no_russian_literals():
    modules = _modules()
    assert len(modules) > 60, "the scan found too few modules: the layer paths are wrong"
    found = [
        hit
        for path in modules
        for hit in russian_literals(path, f"ag_app/{path.relative_to(APP).as_posix()}")
    ]
    assert found == [], "Russian text outside the catalogue:\n" + "\n".join(found)


def test_the_scan_sees_literals_and_f_strings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Док."""\nA = "Войти"\nB = f"Всего {A}"\nC = "ok"\n', encoding="utf-8")
    hits = russian_literals(sample, "sample.py")
    assert [h.split(": ", 1)[0] for h in hits] == ["sample.py:2", "sample.py:3"]


def test_labels_drop_only_the_stop_added_for_the_sentence_rule():
    assert label("ui.contest.voiti") == "Войти"
    assert message("ui.common.progolosovali", ballots_count="4 824") == "Проголосовали: 4 824."
    assert all(CYRILLIC.search(text) for key, text in MESSAGES.items() if key.startswith("ui."))


def _catalogue_calls(tree: ast.AST):
    """``(line, key, keyword names or None for **params)`` of every ``message``/``label`` call with a literal key."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in ("message", "label")
            or (
                isinstance(func, ast.Attribute)
                and func.attr in ("message", "label")
                and isinstance(func.value, ast.Name)
                and func.value.id == "i18n"
            )
        ):
            pass
        else:
            continue
        if not isinstance(node.args[0].value, str):
            continue
        names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
        yield node.lineno, node.args[0].value, names


def test_every_catalogue_call_names_a_key_with_its_parameters():
    problems = []
    for path in sorted(APP.rglob("*.py")):
        for line, key, names in _catalogue_calls(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"ag_app/{path.relative_to(APP).as_posix()}:{line}"
            if key not in MESSAGES:
                problems.append(f"{where}: no key {key}")
                continue
            fields = {
                f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(MESSAGES[key]) if f
            }
            if names and names != fields:
                problems.append(f"{where}: {key} takes {sorted(fields)}, given {sorted(names)}")
    assert problems == []


def test_the_call_check_sees_a_wrong_parameter():
    tree = ast.parse('label("ui.common.progolosovali", count=1)\nmessage("no.such.key")\n')
    assert list(_catalogue_calls(tree)) == [
        (1, "ui.common.progolosovali", {"count"}),
        (2, "no.such.key", set()),
    ]
