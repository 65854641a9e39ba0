"""``ag-app bench http``: a running app driven by many residents at once through the REST API.

Requests go through :mod:`ag_app.bench.http_client` (keep-alive, a fraction of a millisecond of
client CPU each), so on a 2-core machine the figures are the app's, not the client's. The bench
talks only to an app on this machine (127.0.0.1 / localhost) in demo mode: login codes
are read from ``GET /api/v1/dev/outbox``. It logs in the demo staff account, makes sure there are
``polls`` open city-wide bench polls («Нагрузочный тест …», reused by later runs), then runs one
phase after another, each with ``clients`` concurrent clients for at most ``seconds``:

- ``login`` — new residents (fresh mobile numbers of this run): SMS code, outbox, session;
- ``home`` — what the home page reads: headline figures, open polls, news;
- ``polls`` — the poll list of a logged-in resident;
- ``poll_before`` — a bench poll's page by a resident who has not voted in it yet;
- ``vote`` — ``POST …/ballot``, every resident once in every bench poll (the phase ends early when
  the pairs run out);
- ``poll_after`` — the page of a poll the resident voted in (intermediate results shown);
- ``points`` — «Мои баллы».

Before every phase and after the last one, the same clients hit ``GET /api/v1/health`` (the empty
route through the same stack) for half a phase: the floor. A route's ``ratio`` is its requests per
second over the mean of the floors measured just before and just after its phase, so a machine
shared with other work still gives comparable figures. When the server's processes can be found
(the processes holding the listening socket of the URL's port, readable under ``/proc``), the
server CPU time per request is reported too (``server_cpu_ms``) and ``cpu_ratio`` = the floor's CPU
per request ÷ the route's: what the route costs the server whatever else runs on the machine.

Each route prints one JSON line: requests per second, p50/p99, answers by status, timeouts and
connection errors, the floor and the ratios. The last line is the summary of DESIGN.md §5 (``n``
every request of the route phases, ``ops_per_s`` their rate, ``floor_ops_per_s`` the mean floor,
``routes`` each route's figures). ``db`` is the dialect of ``AG_DATABASE_URL`` of the bench's
environment (start it with the app's environment) unless ``--db-label`` says otherwise.
"""

import asyncio
import json
import logging
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile
from ag_app.bench.http_client import LeanClient, Response, TransportError
from ag_app.settings import get_settings

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


def _poll_body(number: int, now: datetime) -> dict:
    """A city-wide poll open for a week, level 1, two questions, 10 points."""
    return {
        "title": f"{POLL_TITLE} №{number}",
        "summary": "Опрос для измерения нагрузки.",
        "scope": "city",
        "min_level": 1,
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(days=7)).isoformat(),
        "points": 10,
        "questions": [
            {
                "text": "Какой вид транспорта вы используете чаще всего?",
                "kind": "single",
                "options": [{"text": t} for t in ("Метро", "Автобус", "Автомобиль", "Велосипед")],
            },
            {
                "text": "Что стоит улучшить во дворах?",
                "kind": "multiple",
                "max_choices": 2,
                "options": [{"text": t} for t in ("Освещение", "Площадки", "Озеленение", "Парковки")],
            },
        ],
    }


async def bench_polls(rec: Recorder, wanted: int) -> dict[int, list[dict]]:
    """The open bench polls: id → questions. When fewer than ``wanted`` are open, the demo staff
    account logs in (3 SMS codes per phone and hour) and creates and publishes the missing ones."""
    found = await rec.request("setup", "GET", "/polls", params={"status": "active"})
    if found is None or found.status_code != 200:
        raise BenchError("Не удалось получить список голосований.")
    ids = [p["id"] for p in found.json() if p["title"].startswith(POLL_TITLE) and p["scope"] == "city"]
    if len(ids) < wanted:
        staff = await login(rec, STAFF_PHONE, route_prefix="setup")
        if not staff:
            raise BenchError(
                "Не удалось войти сотрудником (+79990000001): нужен демо-режим (AG_DEMO_MODE=true) и демо-город."
            )
        now = datetime.now(UTC)
        for number in range(len(ids) + 1, wanted + 1):
            body = _poll_body(number, now)
            made = await rec.request("setup", "POST", "/staff/polls", token=staff, json=body)
            if made is None or made.status_code != 201:
                raise BenchError(f"Не удалось создать голосование: {made and made.text}")
            poll_id = made.json()["id"]
            published = await rec.request("setup", "POST", f"/staff/polls/{poll_id}/publish", token=staff)
            if published is None or published.status_code != 200:
                raise BenchError(f"Не удалось опубликовать голосование: {published and published.text}")
            ids.append(poll_id)
    questions = {}
    for poll_id in sorted(ids)[:wanted]:
        page = await rec.request("setup", "GET", f"/polls/{poll_id}")
        if page is None or page.status_code != 200:
            raise BenchError(f"Голосование {poll_id} недоступно.")
        questions[poll_id] = page.json()["questions"]
    return questions


def ballot_body(questions: list[dict], rng: random.Random) -> dict:
    """Valid answers to every question: one option, or 1..max_choices of a multiple choice."""
    answers = []
    for q in questions:
        plain = [o["id"] for o in q["options"] if not o["is_own_text"] and not o["is_exclusive"]]
        count = 1 if q["kind"] == "single" else rng.randint(1, max(1, min(q["max_choices"], len(plain))))
        answers.append({"question_id": q["id"], "option_ids": rng.sample(plain, count), "own_text": ""})
    return {"answers": answers}


async def run_phase(
    rec: Recorder,
    clients: int,
    seconds: float,
    step: Callable[[int], Awaitable[bool]],
) -> float:
    """Run ``step(client_index)`` in a loop on ``clients`` tasks until ``seconds`` pass or every
    client's step says it has no more work (returns False); the phase's wall time."""
    deadline = time.perf_counter() + seconds

    async def loop(index: int) -> None:
        while time.perf_counter() < deadline:
            if not await step(index):
                return

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    return time.perf_counter() - started


@dataclass
class Plan:
    """What the phases share: residents per client, the polls and a random source."""

    residents: list[list[Resident]]
    polls: dict[int, list[dict]]
    rng: random.Random


async def run_async(
    url: str, *, clients: int, seconds: float, residents: int, polls: int, timeout: float, seed: int
) -> tuple[dict[str, RouteStats], list[dict]]:
    """All phases; returns every route's stats (the floor bursts merged as ``floor``) and, per
    phase, its name, wall time, requests, server CPU seconds and the floor bursts around it."""
    rng = random.Random(seed)
    pids = server_pids(urlsplit(url).port or 80)
    client = LeanClient(url, connections=clients + 10, timeout=timeout)
    try:
        rec = Recorder(client)
        poll_questions = await bench_polls(rec, polls)
        rec.routes.pop("setup", None)
        for prefix in ("code", "outbox", "session"):
            rec.routes.pop(f"setup_{prefix}", None)
        plan = Plan(residents=[[] for _ in range(clients)], polls=poll_questions, rng=rng)
        queue = fresh_phones(residents, rng)

        async def floor_step(_i: int) -> bool:
            await rec.request("floor", "GET", "/health")
            return True

        async def login_step(i: int) -> bool:
            if not queue:
                return False
            phone = queue.pop()
            token = await login(rec, phone)
            if token:
                plan.residents[i].append(Resident(phone, token, list(plan.polls)))
            return True

        def someone(i: int) -> Resident | None:
            own = plan.residents[i]
            return rng.choice(own) if own else None

        async def home_step(i: int) -> bool:
            who = someone(i)
            token = who.token if who else ""
            await rec.request("home_summary", "GET", "/stats/summary")
            await rec.request("home_polls", "GET", "/polls", token=token, params={"status": "active"})
            await rec.request("home_news", "GET", "/news", params={"limit": 30})
            return True

        async def polls_step(i: int) -> bool:
            who = someone(i)
            if who is None:
                return False
            await rec.request("polls", "GET", "/polls", token=who.token, params={"status": "all"})
            return True

        async def before_step(i: int) -> bool:
            who = someone(i)
            if who is None or not who.to_vote:
                return False
            await rec.request("poll_before", "GET", f"/polls/{rng.choice(who.to_vote)}", token=who.token)
            return True

        cursor = [0] * clients

        async def vote_step(i: int) -> bool:
            own = plan.residents[i]
            while cursor[i] < len(own) and not own[cursor[i]].to_vote:
                cursor[i] += 1
            if cursor[i] >= len(own):
                return False
            who = own[cursor[i]]
            poll_id = who.to_vote.pop()
            body = ballot_body(plan.polls[poll_id], rng)
            answer = await rec.request("vote", "POST", f"/polls/{poll_id}/ballot", token=who.token, json=body)
            if answer is not None and answer.status_code in (201, 409):
                who.voted.append(poll_id)
            return True

        async def after_step(i: int) -> bool:
            voters = [r for r in plan.residents[i] if r.voted]
            if not voters:
                return False
            who = rng.choice(voters)
            await rec.request("poll_after", "GET", f"/polls/{rng.choice(who.voted)}", token=who.token)
            return True

        async def points_step(i: int) -> bool:
            who = someone(i)
            if who is None:
                return False
            await rec.request("points", "GET", "/me/points", token=who.token)
            return True

        async def measured(name: str, span: float, step: Callable[[int], Awaitable[bool]]) -> dict:
            """Run one phase; its wall time, requests and the server's CPU seconds meanwhile."""
            log.info("Фаза %s: %d клиентов, до %s с", name, clients, span)
            before = sum(r.requests for r in rec.routes.values())
            cpu0 = cpu_seconds(pids)
            wall = await run_phase(rec, clients, span, step)
            cpu1 = cpu_seconds(pids)
            done = sum(r.requests for r in rec.routes.values()) - before
            cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
            return {"phase": name, "seconds": wall, "requests": done, "cpu_s": cpu}

        floor_span = max(1.0, seconds / 2)
        floors: list[dict] = []
        floor_stats = RouteStats()

        async def floor_burst() -> dict:
            burst = await measured("floor", floor_span, floor_step)
            stats = rec.routes.pop("floor", RouteStats())
            floor_stats.latencies_ms += stats.latencies_ms
            floor_stats.statuses += stats.statuses
            floor_stats.timeouts += stats.timeouts
            floor_stats.connection_errors += stats.connection_errors
            floor_stats.seconds += burst["seconds"]
            floors.append(burst)
            return burst

        phases: list[dict] = []
        plan_of_phases = [
            ("login", login_step, ["login_code", "login_outbox", "login_session"]),
            ("home", home_step, ["home_summary", "home_polls", "home_news"]),
            ("polls", polls_step, ["polls"]),
            ("poll_before", before_step, ["poll_before"]),
            ("vote", vote_step, ["vote"]),
            ("poll_after", after_step, ["poll_after"]),
            ("points", points_step, ["points"]),
        ]
        await floor_burst()
        for name, step, routes in plan_of_phases:
            phase = await measured(name, seconds, step)
            phase["routes"] = routes
            phase["floor_before"] = floors[-1]
            phases.append(phase)
            phase["floor_after"] = await floor_burst()
        for phase in phases:
            around = [phase["floor_before"], phase["floor_after"]]
            rate = sum(f["requests"] / f["seconds"] for f in around if f["seconds"] > 0) / len(around)
            cpu_per = [
                f["cpu_s"] / f["requests"] * 1000 for f in around if f["cpu_s"] is not None and f["requests"]
            ]
            for route in phase["routes"]:
                stats = rec.routes.setdefault(route, RouteStats())
                stats.seconds = phase["seconds"]
                stats.floor = rate
                stats.floor_cpu_ms = sum(cpu_per) / len(cpu_per) if cpu_per else None
                if phase["cpu_s"] is not None and phase["requests"]:
                    stats.cpu_ms = phase["cpu_s"] / phase["requests"] * 1000
        floor_stats.floor = floor_stats.per_s
        cpu_floor = [f["cpu_s"] for f in floors if f["cpu_s"] is not None]
        if cpu_floor and len(cpu_floor) == len(floors):
            floor_stats.cpu_ms = floor_stats.floor_cpu_ms = sum(cpu_floor) / floor_stats.requests * 1000
        return {"floor": floor_stats, **rec.routes}, phases
    finally:
        await client.aclose()


def run(
    url: str,
    *,
    clients: int,
    seconds: float,
    residents: int,
    polls: int,
    timeout: float = 10.0,
    seed: int | None = None,
    db_label: str = "",
) -> dict:
    """Run the bench against ``url``; prints one JSON line per route and returns the summary."""
    base = check_local(url)
    routes, phases = asyncio.run(
        run_async(
            base,
            clients=clients,
            seconds=seconds,
            residents=residents,
            polls=polls,
            timeout=timeout,
            seed=seed if seed is not None else time.time_ns(),
        )
    )
    figures = {name: stats.figures(name) for name, stats in routes.items()}
    for line in figures.values():
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    measured = [s for name, s in routes.items() if name != "floor"]
    n = sum(s.requests for s in measured)
    wall = sum(p["seconds"] for p in phases)
    ops = n / wall if wall else 0.0
    floor = routes["floor"].per_s or None
    latencies = [ms for s in measured for ms in s.latencies_ms]
    return {
        "name": "http",
        "n": n,
        "ops_per_s": round(ops, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "floor_ops_per_s": None if floor is None else round(floor, 1),
        "ratio": None if not floor else round(ops / floor, 3),
        "peak_rss_mb": peak_rss_mb(),
        "db": db_label or dialect_of(get_settings().database_url),
        "url": base,
        "clients": clients,
        "seconds_per_phase": seconds,
        "server_errors": sum(s.statuses[c] for s in routes.values() for c in s.statuses if c >= 500),
        "timeouts": sum(s.timeouts for s in routes.values()),
        "connection_errors": sum(s.connection_errors for s in routes.values()),
        "ballots": routes["vote"].statuses[201] if "vote" in routes else 0,
        "routes": {name: {k: v for k, v in f.items() if k != "route"} for name, f in figures.items()},
    }
