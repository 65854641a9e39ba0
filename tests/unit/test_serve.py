"""``ag-app serve``: the environment and command it runs, the Redis rule for several workers, and the
granian options that make a killed worker come back and bound the stop after SIGTERM."""

import inspect
import os

import granian.server
import pytest
from typer.testing import CliRunner

from ag_app.cli import app
from ag_app.serve import KILL_TIMEOUT_S, VENV_BIN, ServeRefused, install_respawn, plan_serve
from ag_app.settings import ROOT, get_settings

BASE_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/root"}


def test_the_virtualenv_comes_first_on_path_and_reflex_runs_quietly_in_the_repository():
    plan = plan_serve(port=8080, workers=1, redis_url="", environ=BASE_ENV, python="/venv/bin/python")
    assert plan.env["PATH"] == f"{VENV_BIN}:/usr/bin:/bin"
    assert plan.env["REFLEX_USE_NPM"] == "1"
    assert plan.env["REFLEX_TELEMETRY_ENABLED"] == "false"
    assert plan.env["REFLEX_CHECK_LATEST_VERSION"] == "false"
    assert plan.env["GRANIAN_WORKERS"] == "1"
    assert plan.env["AG_PORT"] == "8080"
    assert "REFLEX_REDIS_URL" not in plan.env
    assert plan.cwd == ROOT
    assert plan.argv == [
        "/venv/bin/python",
        "-m",
        "ag_app.serve",
        "run",
        "--env",
        "prod",
        "--single-port",
        "--frontend-port",
        "8080",
        "--backend-port",
        "8080",
        "--loglevel",
        "info",
    ]


def test_ag_redis_url_reaches_reflex_and_allows_several_workers():
    plan = plan_serve(port=3000, workers=2, redis_url="redis://127.0.0.1:6379/0", environ=BASE_ENV)
    assert plan.env["REFLEX_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert plan.env["GRANIAN_WORKERS"] == "2"
    assert plan.workers == 2


def test_a_reflex_redis_url_already_set_counts_as_redis():
    environ = {**BASE_ENV, "REFLEX_REDIS_URL": "redis://cache:6379/1"}
    plan = plan_serve(port=3000, workers=2, redis_url="", environ=environ)
    assert plan.env["REFLEX_REDIS_URL"] == "redis://cache:6379/1"


def test_zero_workers_means_one_without_redis_and_one_per_core_with_it():
    assert plan_serve(port=3000, workers=0, redis_url="", environ=BASE_ENV).workers == 1
    with_redis = plan_serve(port=3000, workers=0, redis_url="redis://x:6379/0", environ=BASE_ENV)
    assert with_redis.workers == max(1, os.cpu_count() or 1)


def test_several_workers_without_redis_are_refused_in_russian():
    with pytest.raises(ServeRefused) as refused:
        plan_serve(port=3000, workers=2, redis_url="", environ=BASE_ENV)
    assert refused.value.key == "serve.workers_need_redis"

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["serve", "--workers", "3"], env={"AG_REDIS_URL": "", "REFLEX_REDIS_URL": ""}
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Несколько процессов бэкенда (3) работают только с Redis" in result.output


def test_a_port_out_of_range_is_refused():
    with pytest.raises(ServeRefused) as refused:
        plan_serve(port=70000, workers=1, redis_url="", environ=BASE_ENV)
    assert refused.value.key == "serve.port_invalid"


def test_granian_respawns_failed_workers_and_kills_a_worker_that_does_not_stop(monkeypatch):
    original = granian.server.Server
    monkeypatch.setattr(granian.server, "Server", original)
    install_respawn()
    install_respawn()  # a second call does not wrap twice
    assert granian.server.Server.__bases__ == (original,)
    server = granian.server.Server(target="ag_app.ag_app:app")
    assert server.respawn_failed_workers is True
    assert server.workers_kill_timeout == KILL_TIMEOUT_S < 10
    # Options Reflex passes itself still win.
    assert granian.server.Server(target="ag_app.ag_app:app", workers_kill_timeout=2).workers_kill_timeout == 2


def test_reflex_still_builds_its_production_server_from_granian_server_at_start():
    """The respawn option relies on Reflex importing ``granian.server.Server`` when the backend starts
    (not at import time); a Reflex upgrade that changes this must fail here, not in production."""
    from reflex.utils import exec as reflex_exec

    source = inspect.getsource(reflex_exec.run_granian_backend_prod)
    assert "from granian.server import Server as Granian" in source
    assert "respawn_failed_workers" not in source
