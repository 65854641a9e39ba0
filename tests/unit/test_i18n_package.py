"""The catalogue is a package of one module per context, merged into one ``MESSAGES`` with no key twice."""

import ast
import pkgutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from ag_app import i18n

PACKAGE = Path(i18n.__file__).parent


def test_every_context_module_is_merged():
    modules = {m.name for m in pkgutil.iter_modules(i18n.__path__)}
    assert {part.__name__.rsplit(".", 1)[1] for part in i18n.PARTS} == modules
    assert len(i18n.MESSAGES) == sum(len(part.MESSAGES) for part in i18n.PARTS)


def test_no_module_writes_a_key_twice():
    # A repeated key in one dict literal would silently keep the last text: read the literals themselves.
    repeated = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = Counter(k.value for k in node.keys if isinstance(k, ast.Constant))
                repeated += [f"{path.name}: {key}" for key, n in keys.items() if n > 1]
    assert repeated == []


def test_a_key_in_two_modules_is_refused_at_import(monkeypatch):
    one = SimpleNamespace(__name__="ag_app.i18n.one", MESSAGES={"x.a": "Один.", "x.b": "Два."})
    two = SimpleNamespace(__name__="ag_app.i18n.two", MESSAGES={"x.b": "Другой."})
    monkeypatch.setattr(i18n, "PARTS", (one, two))
    with pytest.raises(i18n.DuplicateKey, match=r"x\.b .*ag_app\.i18n\.two"):
        i18n._merge()
    monkeypatch.setattr(i18n, "PARTS", (one,))
    assert i18n._merge() == {"x.a": "Один.", "x.b": "Два."}


def test_modules_stay_small():
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 500, sizes
