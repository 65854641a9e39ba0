"""``ag-app bench http``: every phase against the empty-route floor, one JSON object per route and a summary."""

import asyncio
import json
import random
import sys
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile
from ag_app.bench.http.recorder import (
    Recorder,
    Resident,
    RouteStats,
    check_local,
    cpu_seconds,
    fresh_phones,
    log,
    login,
    server_pids,
)
from ag_app.bench.http.scenario import Plan, ballot_body, bench_polls, run_phase
from ag_app.bench.http_client import LeanClient
from ag_app.settings import get_settings


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
