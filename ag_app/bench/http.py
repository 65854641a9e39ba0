"""``ag-app bench http``: a running app driven by many residents at once through the REST API.

The bench talks only to an app on this machine (127.0.0.1 / localhost) in demo mode: login codes
are read from ``GET /api/v1/dev/outbox``. It logs in the demo staff account, makes sure there are
``polls`` open city-wide bench polls («Нагрузочный тест …», reused by later runs), then runs one
phase after another, each with ``clients`` concurrent clients for at most ``seconds``:

- ``floor`` — ``GET /api/v1/health``, the empty route through the same stack (also run last; the
  floor is the mean of both runs);
- ``login`` — new residents (fresh mobile numbers of this run): SMS code, outbox, session;
- ``home`` — what the home page reads: headline figures, open polls, news;
- ``polls`` — the poll list of a logged-in resident;
- ``poll_before`` — a bench poll's page by a resident who has not voted in it yet;
- ``vote`` — ``POST …/ballot``, every resident once in every bench poll (the phase ends early when
  the pairs run out);
- ``poll_after`` — the page of a poll the resident voted in (intermediate results shown);
- ``points`` — «Мои баллы».

Each route prints one JSON line: requests per second, p50/p99, answers by status, timeouts and
connection errors, and ``ratio`` = route req/s ÷ floor req/s. The last line is the summary of
DESIGN.md §5 (``n`` every request, ``ops_per_s`` their rate over the phases, ``routes`` each
route's figures). ``db`` is the dialect of ``AG_DATABASE_URL`` of the bench's environment (start
it with the app's environment) unless ``--db-label`` says otherwise.
"""

import asyncio
import json
import logging
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile
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

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.timeouts + self.connection_errors

    def figures(self, name: str, floor: float | None) -> dict:
        """The JSON line of the route (req/s over its phase's wall time)."""
        per_s = self.requests / self.seconds if self.seconds > 0 else 0.0
        errors = {str(s): n for s, n in sorted(self.statuses.items()) if s >= 400}
        return {
            "route": name,
            "n": self.requests,
            "req_per_s": round(per_s, 1),
            "p50_ms": round(percentile(self.latencies_ms, 50), 2),
            "p99_ms": round(percentile(self.latencies_ms, 99), 2),
            "max_ms": round(max(self.latencies_ms, default=0.0), 2),
            "errors_by_status": errors,
            "server_errors": sum(n for s, n in self.statuses.items() if s >= 500),
            "timeouts": self.timeouts,
            "connection_errors": self.connection_errors,
            "floor_req_per_s": None if floor is None else round(floor, 1),
            "ratio": None if not floor else round(per_s / floor, 3),
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

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.routes: dict[str, RouteStats] = {}

    async def request(
        self, route: str, method: str, path: str, *, token: str = "", **kwargs
    ) -> httpx.Response | None:
        """One request; None on a timeout or a connection error (both counted)."""
        stats = self.routes.setdefault(route, RouteStats())
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        try:
            response = await self.client.request(method, f"{API}{path}", headers=headers, **kwargs)
        except httpx.TimeoutException:
            stats.timeouts += 1
            return None
        except httpx.TransportError:
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


async def bench_polls(rec: Recorder, staff: str, wanted: int) -> dict[int, list[dict]]:
    """The open bench polls (created by staff when fewer than ``wanted``): id → questions."""
    found = await rec.request("setup", "GET", "/polls", token=staff, params={"status": "active"})
    if found is None or found.status_code != 200:
        raise BenchError("Не удалось получить список голосований.")
    ids = [p["id"] for p in found.json() if p["title"].startswith(POLL_TITLE) and p["scope"] == "city"]
    now = datetime.now(UTC)
    for number in range(len(ids) + 1, wanted + 1):
        made = await rec.request("setup", "POST", "/staff/polls", token=staff, json=_poll_body(number, now))
        if made is None or made.status_code != 201:
            raise BenchError(f"Не удалось создать голосование: {made and made.text}")
        poll_id = made.json()["id"]
        published = await rec.request("setup", "POST", f"/staff/polls/{poll_id}/publish", token=staff)
        if published is None or published.status_code != 200:
            raise BenchError(f"Не удалось опубликовать голосование: {published and published.text}")
        ids.append(poll_id)
    questions = {}
    for poll_id in sorted(ids)[:wanted]:
        page = await rec.request("setup", "GET", f"/polls/{poll_id}", token=staff)
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
) -> tuple[dict[str, RouteStats], dict[str, float]]:
    """All phases; returns every route's stats and each phase's wall time."""
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        rec = Recorder(client)
        staff = await login(rec, STAFF_PHONE, route_prefix="setup")
        if not staff:
            raise BenchError(
                "Не удалось войти сотрудником (+79990000001): нужен демо-режим (AG_DEMO_MODE=true) и демо-город."
            )
        poll_questions = await bench_polls(rec, staff, polls)
        plan = Plan(residents=[[] for _ in range(clients)], polls=poll_questions, rng=rng)
        phones = fresh_phones(residents, rng)
        walls: dict[str, float] = {}

        async def phase(name: str, step: Callable[[int], Awaitable[bool]], routes: list[str]) -> None:
            log.info("Фаза %s: %d клиентов, до %s с", name, clients, seconds)
            wall = await run_phase(rec, clients, seconds, step)
            walls[name] = wall
            for route in routes:
                rec.routes.setdefault(route, RouteStats()).seconds = wall

        async def floor_step(_i: int) -> bool:
            await rec.request("floor", "GET", "/health")
            return True

        queue = list(phones)

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

        await phase("floor_start", floor_step, [])
        start_floor = rec.routes.pop("floor", RouteStats())
        start_floor.seconds = walls["floor_start"]
        await phase("login", login_step, ["login_code", "login_outbox", "login_session"])
        await phase("home", home_step, ["home_summary", "home_polls", "home_news"])
        await phase("polls", polls_step, ["polls"])
        await phase("poll_before", before_step, ["poll_before"])
        await phase("vote", vote_step, ["vote"])
        await phase("poll_after", after_step, ["poll_after"])
        await phase("points", points_step, ["points"])
        await phase("floor_end", floor_step, ["floor"])
        end_floor = rec.routes.pop("floor", RouteStats())
        rec.routes.pop("setup", None)
        merged = RouteStats(
            latencies_ms=start_floor.latencies_ms + end_floor.latencies_ms,
            statuses=start_floor.statuses + end_floor.statuses,
            timeouts=start_floor.timeouts + end_floor.timeouts,
            connection_errors=start_floor.connection_errors + end_floor.connection_errors,
            seconds=start_floor.seconds + end_floor.seconds,
        )
        routes = {"floor": merged, **rec.routes}
        routes["floor_start"], routes["floor_end"] = start_floor, end_floor
        return routes, walls


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
    # One INFO line per request would cost the client more than the requests themselves.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    routes, walls = asyncio.run(
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
    floor = routes["floor"].requests / routes["floor"].seconds if routes["floor"].seconds else None
    figures = {name: stats.figures(name, floor) for name, stats in routes.items()}
    for line in figures.values():
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    measured = [s for name, s in routes.items() if name not in ("floor", "floor_start", "floor_end")]
    n = sum(s.requests for s in measured)
    wall = sum(w for name, w in walls.items() if not name.startswith("floor"))
    ops = n / wall if wall else 0.0
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
        "routes": {
            name: {k: v for k, v in f.items() if k != "route"}
            for name, f in figures.items()
            if name not in ("floor_start", "floor_end")
        },
    }
