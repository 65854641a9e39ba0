"""Move Russian string literals of UI modules into the catalogue (the package ag_app/i18n/).

Usage: ``python scripts/catalogue_literals.py ag_app/state/x.py ag_app/pages/y.py ...``

Rule: a user-visible Russian text lives in ``MESSAGES`` and the code names its key. For every string
constant with Cyrillic letters (docstrings aside) in the given modules the tool

- reuses an existing catalogue entry with the same text (``message(key)``, or ``label(key)`` when the
  entry is the text plus the sentence's final full stop);
- otherwise adds a key ``ui.<context>.<slug>`` (``ui.common.<slug>`` when several contexts use the
  text); a text that does not end like a sentence is stored with a final full stop and read with
  ``label`` so that the catalogue's sentence rule holds and the rendered text is unchanged;
- turns an f-string holding Russian text into one template with named parameters
  (``message(key, count=count)``), so a translator sees whole phrases, not fragments.

New keys are appended, sorted, to the catalogue module (``ag_app/i18n/<context>.py``) that already
holds keys of the same ``ui.<context>.`` prefix, else to ``ag_app/i18n/site.py``. Running the tool
again over converted modules finds nothing. The tool is deterministic: after a merge it can be re-run
over modules that gained literals.
"""

from __future__ import annotations

import ast
import keyword
import logging
import re
import sys
from pathlib import Path

LOG = logging.getLogger("catalogue_literals")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ag_app.seed.people import translit  # noqa: E402 (the repository's own transliteration)

CATALOGUE = ROOT / "ag_app" / "i18n"
FALLBACK_MODULE = "site"
CYRILLIC = re.compile("[А-Яа-яЁё]")
SENTENCE_END = ".!?»)"


def _catalogue() -> dict[str, dict[str, str]]:
    """Each catalogue module's own MESSAGES, by module name (read from the files, not imported)."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.value, ast.Dict)
                and node.target.id == "MESSAGES"
            ):
                found[path.stem] = ast.literal_eval(node.value)
    return found


def _slug(text: str) -> str:
    text = re.sub(r"\{[^}]*\}", " ", text.lower())
    out = translit(text)
    words = [w for w in re.split(r"[^a-z0-9]+", out) if w]
    slug = "_".join(words[:5])[:48].strip("_")
    return slug or "text"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _param_name(expr: ast.expr, used: dict[str, str], source: str, counter: list[int]) -> str:
    text = ast.get_source_segment(source, expr) or ast.dump(expr)
    for name, seen in used.items():
        if seen == text:
            return name
    base = None
    if isinstance(expr, ast.Name):
        base = expr.id
    elif isinstance(expr, ast.Attribute):
        base = expr.attr
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name | ast.Attribute):
        inner = expr.args[0] if expr.args else None
        if isinstance(inner, ast.Name | ast.Attribute):
            base = inner.id if isinstance(inner, ast.Name) else inner.attr
    if base is not None:
        base = base.lstrip("_")
    if not base or keyword.iskeyword(base) or base in {"key", "self"}:
        counter[0] += 1
        base = f"p{counter[0]}"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}_{n}"
    used[name] = text
    return name


def _template(node: ast.JoinedStr, source: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The str.format template of an f-string and its (name, expression source) parameters."""
    parts: list[str] = []
    used: dict[str, str] = {}
    counter = [0]
    formatted = any(isinstance(v, ast.FormattedValue) for v in node.values)
    for value in node.values:
        if isinstance(value, ast.Constant):
            text = str(value.value)
            parts.append(text.replace("{", "{{").replace("}", "}}") if formatted else text)
            continue
        assert isinstance(value, ast.FormattedValue)
        name = _param_name(value.value, used, source, counter)
        field = name
        if value.conversion != -1:
            field += "!" + chr(value.conversion)
        if value.format_spec is not None:
            spec = value.format_spec
            if not all(isinstance(v, ast.Constant) for v in spec.values):  # type: ignore[union-attr]
                return None
            field += ":" + "".join(str(v.value) for v in spec.values)  # type: ignore[union-attr]
        parts.append("{" + field + "}")
    return "".join(parts), [(name, text) for name, text in used.items()]


class Converter:
    """Collects replacements for modules and the new catalogue entries."""

    def __init__(self) -> None:
        self.modules = _catalogue()
        self.existing = {k: v for part in self.modules.values() for k, v in part.items()}
        self.by_text: dict[str, str] = {}
        for key, text in self.existing.items():
            self.by_text.setdefault(text, key)
        self.pending: dict[str, list[tuple[Path, int]]] = {}

    def module_for(self, key: str) -> str:
        """The catalogue module that holds keys of ``key``'s ``ui.<context>.`` prefix."""
        prefix = ".".join(key.split(".")[:2]) + "."
        for name, part in self.modules.items():
            if any(k.startswith(prefix) for k in part):
                return name
        return FALLBACK_MODULE

    def call_for(self, text: str, context: str, params: list[tuple[str, str]], qual: str) -> str:
        args = "".join(f", {name}={expr}" for name, expr in params)
        if text in self.by_text:
            return f'{qual}message("{self.by_text[text]}"{args})'
        stopped = text + "."
        if text.rstrip()[-1:] not in SENTENCE_END and stopped in self.by_text:
            return f'{qual}label("{self.by_text[stopped]}"{args})'
        stored = text if text.rstrip()[-1:] in SENTENCE_END else stopped
        self.pending.setdefault(stored, []).append((context, 0))
        func = "message" if stored == text else "label"
        return f"{qual}{func}(@@{stored}@@{args})"

    def assign_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        taken = set(self.existing)
        for stored in sorted(self.pending, key=lambda s: (sorted({c for c, _ in self.pending[s]}), s)):
            contexts = sorted({c for c, _ in self.pending[stored]})
            context = contexts[0] if len(contexts) == 1 else "common"
            base = f"ui.{context}.{_slug(stored)}"
            key, n = base, 1
            while key in taken:
                n += 1
                key = f"{base}_{n}"
            taken.add(key)
            keys[stored] = key
        return keys


def _context(path: Path) -> str:
    stem = path.stem if path.stem != "__init__" else path.parent.name
    return stem.removeprefix("staff_") if stem.startswith("staff_") else stem


def _shadowed(tree: ast.AST) -> bool:
    """Whether the module binds ``label`` or ``message`` itself (an argument, variable or other import)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom | ast.Import) and getattr(node, "module", None) != "ag_app.i18n":
            names |= {a.asname or a.name for a in node.names}
    return bool(names & {"label", "message"})


def _replacements(path: Path, conv: Converter) -> list[tuple[int, int, int, int, str]]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docs = _docstrings(tree)
    skip: set[int] = set()
    out = []
    context = _context(path)
    qual = "i18n." if _shadowed(tree) else ""
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            for child in ast.walk(node):
                skip.add(id(child))
            texts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            if not any(CYRILLIC.search(str(t)) for t in texts):
                if any(isinstance(c, ast.Constant) and CYRILLIC.search(str(c.value)) for c in ast.walk(node)):
                    LOG.warning(
                        "%s:%d: Russian text inside an f-string's expression: move it by hand",
                        path,
                        node.lineno,
                    )
                continue
            made = _template(node, source)
            if made is None:
                LOG.warning("%s:%d: f-string with a computed format spec left as is", path, node.lineno)
                continue
            template, params = made
            call = conv.call_for(template, context, params, qual)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if not CYRILLIC.search(node.value):
                continue
            call = conv.call_for(node.value, context, [], qual)
        else:
            continue
        out.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, call))  # type: ignore[arg-type]
    return out


def _apply(path: Path, repl: list[tuple[int, int, int, int, str]], keys: dict[str, str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = "".join(lines).encode("utf-8")
    for lineno, col, end_lineno, end_col, call in sorted(repl, reverse=True):
        start = offsets[lineno - 1] + col
        end = offsets[end_lineno - 1] + end_col
        for stored, key in keys.items():
            call = call.replace(f"@@{stored}@@", f'"{key}"')
        data = data[:start] + call.encode("utf-8") + data[end:]
    text = data.decode("utf-8")
    tree = ast.parse(text)
    have = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "ag_app.i18n":
            have |= {a.asname or a.name for a in node.names}
        if isinstance(node, ast.ImportFrom) and node.module == "ag_app":
            have |= {"i18n" for a in node.names if a.name == "i18n" and a.asname is None}
    imports = []
    missing = [f for f in ("label", "message") if re.search(rf"(?<![.\w]){f}\(\"", text) and f not in have]
    if missing:
        imports.append(f"from ag_app.i18n import {', '.join(missing)}\n")
    if re.search(r"(?<![.\w])i18n\.(label|message)\(", text) and "i18n" not in have:
        imports.append("from ag_app import i18n\n")
    if imports:
        first_import = next(
            n
            for n in tree.body
            if isinstance(n, ast.Import) or (isinstance(n, ast.ImportFrom) and n.module != "__future__")
        )
        body = text.splitlines(keepends=True)
        body[first_import.lineno - 1 : first_import.lineno - 1] = imports
        text = "".join(body)
    path.write_text(text, encoding="utf-8")


def _write_entries(entries: dict[str, str], conv: Converter) -> None:
    """Append the new entries, sorted, before the closing brace of their catalogue module."""
    by_module: dict[str, list[str]] = {}
    for key, text in sorted(entries.items()):
        by_module.setdefault(conv.module_for(key), []).append(f"    {_q(key)}: {_q(text)},\n")
    for name, lines in by_module.items():
        path = CATALOGUE / f"{name}.py"
        source = path.read_text(encoding="utf-8")
        closing = source.rindex("\n}\n")
        source = source[: closing + 1] + "".join(lines) + source[closing + 1 :]
        path.write_text(source, encoding="utf-8")


def _q(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\xa0", "\\xa0")
    return f'"{body}"'


def main(paths: list[str]) -> int:
    """Convert the given modules; prints how many literals moved."""
    conv = Converter()
    plans = {Path(p): _replacements(Path(p), conv) for p in paths}
    keys = conv.assign_keys()
    for path, repl in plans.items():
        if repl:
            _apply(path, repl, keys)
    entries = {key: stored for stored, key in keys.items()}
    if entries:
        _write_entries(entries, conv)
    moved = sum(len(r) for r in plans.values())
    changed = sum(1 for r in plans.values() if r)
    LOG.info("%d literals in %d modules; %d new catalogue keys", moved, changed, len(keys))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    raise SystemExit(main(sys.argv[1:]))
