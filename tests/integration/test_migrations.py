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
from ag_app.domain.receipts import receipt_code
from ag_app.settings import ROOT, get_settings
from tests.conftest import DB_PREFIX

PG_URL = os.environ.get("AG_TEST_PG_URL", "")


def _fresh_pg_url() -> str:
    base, _, _ = PG_URL.rpartition("/")
    name = f"{DB_PREFIX}_migrations_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
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


def test_ballots_completed_before_open_data_get_receipts_and_voter_facts(tmp_path):
    """Revision 0002 gives existing ballots their receipt codes and the voter's facts, untallied."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["url"] = url
    command.upgrade(config, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO okrug (id, name, abbrev) VALUES (1, 'Центральный', 'ЦАО')"))
        conn.execute(text("INSERT INTO district (id, okrug_id, name) VALUES (7, 1, 'Арбат')"))
        conn.execute(text("INSERT INTO street (id, district_id, name) VALUES (1, 7, 'Арбат ул.')"))
        conn.execute(
            text(
                "INSERT INTO house (id, street_id, district_id, number, status) VALUES (1, 1, 7, '1', 'registry')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO user (id, uid, phone, phone_region, created_at, terms_accepted_at, last_name, "
                "first_name, patronymic, gender, birth_date, marital_status, family_filled, email, "
                "passport_series, passport_number, snils, points_available, points_blocked, points_lifetime) "
                "VALUES (5, 'u5', '+79160000005', 'moscow', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', "
                "'', '', 'female', '1990-05-14', '', 0, '', '', '', '', 0, 0, 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO useraddress (user_id, kind, house_id, apartment, changed_at) "
                "VALUES (5, 'registration', 1, '', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO poll (id, title, summary, details, image_url, scope, include_work_address, min_level, "
                "starts_at, ends_at, points, hide_intermediate, created_by, created_at, ballots_count) VALUES "
                "(3, 'Опрос', '', '', '', 'city', 0, 1, '2026-10-01 00:00:00', '2026-12-01 00:00:00', 20, 0, 5, "
                "'2026-10-01 00:00:00', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO ballot (poll_id, user_id, completed_at, number_region) "
                "VALUES (3, 5, '2026-11-20 09:00:00', 'moscow')"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT receipt, age_band, gender, district_id, okrug_id, tallied FROM ballot")
        ).one()
    engine.dispose()
    secret = get_settings().secret_key.encode()
    assert row == (receipt_code(secret, 3, 5), "35–44", "female", 7, 1, 0)
