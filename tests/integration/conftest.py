"""Fixtures for the REST API tests: a client on the test database with a movable clock."""

import pytest
from fastapi.testclient import TestClient

from ag_app import db
from ag_app.api import create_api, deps


@pytest.fixture
def clock(now):
    """The API's current instant; tests may move it (``clock["now"] = ...``)."""
    return {"now": now}


@pytest.fixture
def client(engine, clock):
    """The REST API on the test database, its clock read from :func:`clock`."""
    api = create_api()
    # The real transaction dependency (read-only for GET routes, FIFO writers), on the test database.
    api.dependency_overrides[deps.db_engine] = lambda: engine
    api.dependency_overrides[deps.clock] = lambda: clock["now"]
    return TestClient(api)


@pytest.fixture
def app_engine(engine, monkeypatch):
    """Point the Reflex states' service calls at the test database."""
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    return engine
