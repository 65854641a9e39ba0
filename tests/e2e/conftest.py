"""Browser tests: the real app (production build) on a throw-away database, driven by Playwright
on Debian's Chromium. Run in a pytest process of their own (see scripts/test.sh)."""

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


def start_app(tmp: Path, *, database_url: str, extra_env: dict[str, str] | None = None) -> RunningApp:
    """Migrate and seed ``database_url``, then serve the production build on a free port."""
    port = free_port()
    env = {
        **os.environ,
        "AG_DATABASE_URL": database_url,
        "AG_DEMO_MODE": "true",
        "AG_PORT": str(port),
        "AG_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{BIN}:{os.environ['PATH']}",
        **(extra_env or {}),
    }
    subprocess.run([BIN / "ag-app", "migrate"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [BIN / "ag-app", "seed", "--residents", "300", "--ballots", "3000"], env=env, cwd=ROOT, check=True
    )
    log = open(tmp / f"app-{port}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            BIN / "reflex",
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
            "--loglevel",
            "warning",
        ],
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
            raise RuntimeError(f"app exited: {(tmp / f'app-{port}.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/", timeout=5) as response:
                if response.status == 200:
                    with urllib.request.urlopen(f"{url}/api/v1/stats/summary", timeout=5):
                        return RunningApp(url=url, env=env, process=process)
        except OSError:
            pass
        time.sleep(2)
    stop_app(process)
    raise RuntimeError(f"app did not start: {(tmp / f'app-{port}.log').read_text()[-3000:]}")


def stop_app(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[RunningApp]:
    """The app on SQLite with a small demo city."""
    tmp = tmp_path_factory.mktemp("app")
    running = start_app(tmp, database_url=f"sqlite:///{tmp / 'e2e.db'}")
    yield running
    stop_app(running.process)


def fresh_pg_database(name: str) -> str:
    """A new empty PostgreSQL database on the test server (AG_TEST_PG_URL)."""
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
