"""Migrations build the schema from empty and match the models exactly (no drift)."""

import os

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import ag_app.models  # noqa: F401
from ag_app.db import make_engine
from ag_app.settings import ROOT

PG_URL = os.environ.get("AG_TEST_PG_URL", "")


def _fresh_pg_url() -> str:
    base, _, _ = PG_URL.rpartition("/")
    name = f"ag_migrations_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def _urls() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param("postgresql", id="pg"))
    return params


@pytest.mark.parametrize("dialect", _urls())
def test_upgrade_head_from_empty_matches_models(dialect, tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}" if dialect == "sqlite" else _fresh_pg_url()
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["url"] = url
    command.upgrade(config, "head")

    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        drift = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert drift == [], f"models and migrations differ: {drift}"
