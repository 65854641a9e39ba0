"""Recording ``bench http`` requests per route, local-only checks, server CPU, fresh phones and logins."""

import logging
import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ag_app.bench.common import percentile
from ag_app.bench.http_client import LeanClient, Response, TransportError

log = logging.getLogger(__name__)

API = "/api/v1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
STAFF_PHONE = "+79990000001"
POLL_TITLE = "Нагрузочный тест"
CODE = re.compile(r"\b(\d{6})\b")


class BenchError(RuntimeError):
    """The app refused the bench's setup (not demo mode, no staff account, …)."""


@dataclass
class RouteStats:
    """Latencies and outcomes of one route within its phase."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    timeouts: int = 0
    connection_errors: int = 0
    seconds: float = 0.0
    # The floor (req/s) and its server CPU per request around this route's phase.
    floor: float | None = None
    floor_cpu_ms: float | None = None
    # Server CPU milliseconds per request of the route's phase (None: server not found).
    cpu_ms: float | None = None

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.timeouts + self.connection_errors

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def figures(self, name: str) -> dict:
        """The JSON line of the route (req/s over its phase's wall time)."""
        errors = {str(s): n for s, n in sorted(self.statuses.items()) if s >= 400}
        return {
            "route": name,
            "n": self.requests,
            "req_per_s": round(self.per_s, 1),
            "p50_ms": round(percentile(self.latencies_ms, 50), 2),
            "p99_ms": round(percentile(self.latencies_ms, 99), 2),
            "max_ms": round(max(self.latencies_ms, default=0.0), 2),
            "errors_by_status": errors,
            "server_errors": sum(n for s, n in self.statuses.items() if s >= 500),
            "timeouts": self.timeouts,
            "connection_errors": self.connection_errors,
            "floor_req_per_s": None if self.floor is None else round(self.floor, 1),
            "ratio": None if not self.floor else round(self.per_s / self.floor, 3),
            "server_cpu_ms": None if self.cpu_ms is None else round(self.cpu_ms, 3),
            "floor_cpu_ms": None if self.floor_cpu_ms is None else round(self.floor_cpu_ms, 3),
            "cpu_ratio": None
            if not (self.cpu_ms and self.floor_cpu_ms)
            else round(self.floor_cpu_ms / self.cpu_ms, 3),
        }


@dataclass
class Resident:
    """A logged-in resident: token and the bench polls still to vote in / already voted in."""

    phone: str
    token: str
    to_vote: list[int]
    voted: list[int] = field(default_factory=list)


class Recorder:
    """Sends requests and records each under a route name."""

    def __init__(self, client: LeanClient) -> None:
        self.client = client
        self.routes: dict[str, RouteStats] = {}

    async def request(
        self, route: str, method: str, path: str, *, token: str = "", **kwargs
    ) -> Response | None:
        """One request; None on a timeout or a connection error (both counted)."""
        stats = self.routes.setdefault(route, RouteStats())
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        try:
            response = await self.client.request(method, f"{API}{path}", headers=headers, **kwargs)
        except TimeoutError:
            stats.timeouts += 1
            return None
        except TransportError:
            stats.connection_errors += 1
            return None
        stats.latencies_ms.append((time.perf_counter() - started) * 1000)
        stats.statuses[response.status_code] += 1
        return response


def check_local(url: str) -> str:
    """The base URL without a trailing slash; refuses anything but this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in LOCAL_HOSTS:
        raise BenchError(f"Нагрузку можно давать только на 127.0.0.1 или localhost, а не на {url!r}.")
    return url.rstrip("/")


def server_pids(port: int) -> list[int]:
    """The processes holding the listening TCP socket of ``port`` (the app's workers), via /proc;
    empty where that cannot be read."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # State 0A is LISTEN; the local address ends with the port in hex.
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds the processes have used so far (None if any cannot be read)."""
    if not pids:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def fresh_phones(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct Russian mobile numbers (+7 958 …) unlikely to be registered yet."""
    phones: set[str] = set()
    while len(phones) < count:
        phones.add(f"+7958{rng.randrange(10_000_000):07d}")
    return sorted(phones)


async def login(rec: Recorder, phone: str, *, route_prefix: str = "login") -> str:
    """Log in (registering a new account if needed) with the code from the demo outbox; the token."""
    sent = await rec.request(f"{route_prefix}_code", "POST", "/auth/code", json={"phone": phone})
    if sent is None or sent.status_code != 202:
        return ""
    box = await rec.request(f"{route_prefix}_outbox", "GET", "/dev/outbox", params={"phone": phone})
    if box is None or box.status_code != 200:
        return ""
    codes = [m.group(1) for message in box.json() if (m := CODE.search(message.get("body", "")))]
    if not codes:
        return ""
    opened = await rec.request(
        f"{route_prefix}_session",
        "POST",
        "/auth/session",
        json={"phone": phone, "code": codes[0], "accept_terms": True},
    )
    if opened is None or opened.status_code != 200:
        return ""
    return opened.json()["token"]
