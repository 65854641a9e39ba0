"""Every message key used in the code exists in the Russian catalogue, and every text is filled."""

import re
from pathlib import Path

from ag_app.i18n import MESSAGES, message

SOURCE = Path(__file__).resolve().parents[2] / "ag_app"
KEY_USE = re.compile(
    r"""(?:Error|Invalid\w*|NotAllowed|NotAuthenticated|NotFound|Conflict|TooManyRequests)\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']"""
)


def test_every_used_key_is_in_the_catalogue():
    used = {key for path in SOURCE.rglob("*.py") for key in KEY_USE.findall(path.read_text(encoding="utf-8"))}
    assert used, "no message keys found: the pattern is broken"
    assert sorted(used - MESSAGES.keys()) == []


def test_messages_are_russian_sentences():
    for key, text in MESSAGES.items():
        assert re.search("[А-Яа-яЁё]", text), key
        assert text.rstrip()[-1] in ".!?»)", key


def test_parameters_are_substituted():
    assert message("otp.invalid", left=2) == "Неверный код из СМС. Осталось попыток: 2."
