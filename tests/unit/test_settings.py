"""Settings refuse the well-known development secret outside demo mode."""

import pytest
from pydantic import ValidationError

from ag_app.settings import DEV_SECRET, Settings


def test_demo_mode_may_use_the_development_secret():
    assert Settings(demo_mode=True, secret_key=DEV_SECRET).secret_key == DEV_SECRET


def test_production_needs_its_own_secret():
    with pytest.raises(ValidationError, match="AG_SECRET_KEY"):
        Settings(demo_mode=False, secret_key=DEV_SECRET)
    assert not Settings(demo_mode=False, secret_key="a-long-random-secret").demo_mode
