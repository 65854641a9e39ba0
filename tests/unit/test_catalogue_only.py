"""Every Russian text of the UI layers comes from the catalogue (ag_app/i18n.py).

The rule: a string constant with Cyrillic letters in state/, pages/ or components/ (docstrings aside)
is a text a user may see and must be a catalogue key read with ``message``/``label`` instead; the
tool scripts/catalogue_literals.py moves such literals into the catalogue.
"""

import ast
import re
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
