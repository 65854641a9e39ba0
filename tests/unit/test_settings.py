"""Demo mode is off unless switched on; the development secret is refused outside demo mode."""

import pytest

from ag_app.settings import DEV_SECRET, InsecureSecret, Settings


def test_demo_mode_is_off_unless_switched_on(monkeypatch):
    monkeypatch.delenv("AG_DEMO_MODE", raising=False)
    assert Settings(_env_file=None).demo_mode is False
    monkeypatch.setenv("AG_DEMO_MODE", "true")
    assert Settings(_env_file=None).demo_mode is True


def test_demo_mode_may_use_the_development_secret():
    assert Settings(demo_mode=True, secret_key=DEV_SECRET).require_secret() == DEV_SECRET


def test_production_needs_its_own_secret_where_it_is_used():
    # Reading the settings works (``ag-app migrate`` needs no secret) …
    settings = Settings(demo_mode=False, secret_key=DEV_SECRET)
    # … but using the well-known development secret is refused.
    with pytest.raises(InsecureSecret, match="AG_SECRET_KEY"):
        settings.require_secret()
    assert (
        Settings(demo_mode=False, secret_key="a-long-random-secret").require_secret()
        == "a-long-random-secret"
    )
