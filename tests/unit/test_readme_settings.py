"""Every setting the README's configuration table lists is read by the code: a documented knob that
nothing reads (as ``AG_REDIS_URL`` once was) fails here."""

import re

from ag_app.settings import ROOT, Settings


def _configuration_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Configuration")
    return readme[start : readme.index("\n## ", start + 1)]


def _code() -> str:
    files = list((ROOT / "ag_app").rglob("*.py"))  # settings.py too: require_secret() reads the secret
    return "\n".join(p.read_text(encoding="utf-8") for p in [*files, ROOT / "rxconfig.py"])


def test_every_setting_in_the_readme_is_read_somewhere():
    names = set(re.findall(r"`(AG_[A-Z_]+)`", _configuration_table()))
    assert {"AG_DATABASE_URL", "AG_REDIS_URL", "AG_DEMO_MODE", "AG_PORT"} <= names
    code = _code()
    unread = []
    for name in sorted(names):
        field = name.removeprefix("AG_").lower()
        if f'"{name}"' in code:  # read from the environment directly (rxconfig.py, typer envvar)
            continue
        if field in Settings.model_fields and re.search(rf"\.{field}\b", code):
            continue
        unread.append(name)
    assert not unread, f"documented but read nowhere: {unread}"
