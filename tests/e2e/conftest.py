"""Browser tests: the real app (production build) on a throw-away database, driven by Playwright
on Debian's Chromium. Run in a pytest process of their own (see scripts/test.sh)."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
ARTIFACTS = ROOT / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningApp:
    """A started app: its base URL and the environment it runs with."""

    url: str
    env: dict[str, str]
    process: subprocess.Popen
    log: Path

    def api(
        self, path: str, *, method: str = "GET", body: dict | None = None, token: str = ""
    ) -> dict | list:
        """Call the REST API of the running app and decode the JSON answer."""
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else {}

    def sms_code(self, phone: str) -> str:
        """The newest login code sent to ``phone`` (read from the demo outbox)."""
        import re
        from urllib.parse import quote

        messages = self.api(f"/dev/outbox?phone={quote(phone)}")
        texts = [m["body"] for m in messages if m["channel"] == "sms"]
        codes = [found.group(1) for t in texts if (found := re.search(r"(\d{6})", t))]
        assert codes, f"no SMS code for {phone}: {messages}"
        return codes[0]


def start_app(
    tmp: Path,
    *,
    database_url: str,
    workers: int = 1,
    redis_url: str = "",
    seed: tuple[str, ...] = ("--residents", "300", "--ballots", "3000"),
    extra_env: dict[str, str] | None = None,
) -> RunningApp:
    """Migrate and seed ``database_url``, then serve the production build on a free port the way the
    README does: ``ag-app serve`` (PATH, Node, workers, Redis and worker respawn are its business)."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("GRANIAN_WORKERS", "REFLEX_REDIS_URL")},
        "AG_DATABASE_URL": database_url,
        "AG_REDIS_URL": redis_url,
        "AG_DEMO_MODE": "true",
        "AG_OTP_EXEMPT_CLIENTS": "127.0.0.1,::1",
        "AG_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    subprocess.run([BIN / "ag-app", "migrate"], env=env, cwd=ROOT, check=True)
    subprocess.run([BIN / "ag-app", "seed", *seed], env=env, cwd=ROOT, check=True)
    log_path = tmp / f"app-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [BIN / "ag-app", "serve", "--port", str(port), "--workers", str(workers), "--loglevel", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited: {log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/", timeout=5) as response:
                if response.status == 200:
                    with urllib.request.urlopen(f"{url}/api/v1/stats/summary", timeout=5):
                        return RunningApp(url=url, env=env, process=process, log=log_path)
        except OSError:
            pass
        time.sleep(2)
    stop_app(process)
    raise RuntimeError(f"app did not start: {log_path.read_text()[-3000:]}")


def app_processes(process: subprocess.Popen) -> list[int]:
    """The ids of every process still alive in the app's process group (supervisor and workers)."""
    found = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def backend_workers(process: subprocess.Popen) -> list[int]:
    """The ids of granian's worker processes (the children of ``ag-app serve``'s process)."""
    found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def terminate_app(process: subprocess.Popen, *, limit: float = 10.0) -> float:
    """SIGTERM the app's main process (as ``kill PID``, Docker or an init system do) and return the
    seconds until no process of its group is left; processes still alive after ``limit`` + 5 s are
    killed so that nothing leaks."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    while time.monotonic() - started < limit + 5:
        process.poll()
        if not app_processes(process):
            return time.monotonic() - started
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    return time.monotonic() - started


def stop_app(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[RunningApp]:
    """The app on SQLite with a small demo city."""
    tmp = tmp_path_factory.mktemp("app")
    running = start_app(tmp, database_url=f"sqlite:///{tmp / 'e2e.db'}")
    yield running
    stop_app(running.process)


def fresh_pg_database(name: str) -> str:
    """A new empty PostgreSQL database on the test server (AG_TEST_PG_URL), its name prefixed with
    AG_TEST_DB_PREFIX when set (runs sharing the server do not collide)."""
    if prefix := os.environ.get("AG_TEST_DB_PREFIX"):
        name = f"{prefix}_{name}"
    base = os.environ["AG_TEST_PG_URL"].rpartition("/")[0]
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test; a screenshot is kept when the test fails."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of modules with ``STARTS_OWN_APP = True`` build and start an app of their own, which
    rewrites the shared ``.web`` build: they run after every test of the session's app."""
    items.sort(key=lambda item: bool(getattr(item.module, "STARTS_OWN_APP", False)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
