"""``ag-app bench ws``: page views per second against the ping floor, and live delivery (one JSON object)."""

import asyncio
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile
from ag_app.bench.ws.client import (
    HYDRATED,
    ROOT_STATE,
    STAFF_PHONES,
    Frontend,
    Socket,
    View,
    WsError,
    boot_event,
    delta_of,
    local_address,
    log,
    open_plain,
    open_viewers,
    page_view,
    ping_loop,
    raise_fd_limit,
    read_frontend,
    view_loop,
)
from ag_app.bench.ws.live import StaffDesk, delivery_figures, live_round, staff_token


async def run_async(
    url: str, viewers: int, page: str, seconds: float, live: bool, rounds: int, wait: float
) -> dict:
    host, port, base = local_address(url)
    frontend = await asyncio.to_thread(read_frontend, base, page)
    result: dict[str, Any] = {"name": "ws", "url": base, "page": page, "viewers": viewers}
    result["hashes_found"] = bool(frontend.hashes)

    # A reconnect (no hashes) gets the full state: how big is it?
    full, _ = await page_view(host, port, page, frontend, timeout=60, first=False)
    result["rehydrate_bytes"] = full.bytes

    # The floor: ping round trips with as many sockets as viewers, for the same time.
    pings: list[float] = []
    sockets = await asyncio.gather(*(open_plain(host, port) for _ in range(viewers)))
    go = asyncio.Event()
    loops = [asyncio.ensure_future(ping_loop(sock, seconds, go, pings)) for sock in sockets]
    started = time.perf_counter()
    go.set()
    counts = await asyncio.gather(*loops)
    floor = sum(counts) / (time.perf_counter() - started)
    await asyncio.gather(*(sock.close() for sock in sockets))

    views: list[View] = []
    errors: list[str] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(view_loop(host, port, page, frontend, until, views, errors) for _ in range(viewers))
    )
    elapsed = time.perf_counter() - started
    ms = [v.ms for v in views]
    sizes = [v.bytes for v in views]
    result.update(
        {
            "n": len(views),
            "ops_per_s": round(len(views) / elapsed, 1),
            "p50_ms": round(percentile(ms, 50), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "first_message_p50_ms": round(percentile([v.first_ms for v in views], 50), 1),
            "first_state_bytes_p50": percentile(sizes, 50),
            "first_state_bytes_p99": percentile(sizes, 99),
            "first_state_bytes_max": max(sizes, default=0),
            "hydrate_bytes_p50": percentile([v.hydrate_bytes for v in views], 50),
            "floor_ops_per_s": round(floor, 1),
            "floor_p50_ms": round(percentile(pings, 50), 1),
            "ratio": round(len(views) / elapsed / floor, 3) if floor else None,
            "errors": {e: errors.count(e) for e in set(errors)},
        }
    )
    if live:
        result["live"] = await measure_live(host, port, base, page, frontend, viewers, rounds, wait)
    result["peak_rss_mb"] = peak_rss_mb()
    # The app's database, when this shell has its settings (the bench only talks to the app).
    app_db = os.environ.get("AG_DATABASE_URL", "")
    result["db"] = dialect_of(app_db) if app_db else "app"
    return result


async def measure_live(
    host: str, port: int, base: str, page: str, frontend: Frontend, viewers: int, rounds: int, wait: float
) -> dict:
    found = re.fullmatch(r"/house/meetings/(\d+)", page)
    if not found:
        raise WsError("--live needs --page /house/meetings/ID")
    meeting_id = int(found.group(1))
    join_started = time.perf_counter()
    opened, _ = await open_viewers(host, port, page, frontend, viewers)
    join_seconds = time.perf_counter() - join_started
    token = ""
    for phone in STAFF_PHONES:
        try:
            token = await asyncio.to_thread(staff_token, base, phone)
            break
        except (urllib.error.HTTPError, WsError) as error:
            log.warning("staff %s cannot log in: %s", phone, error)
    if not token:
        raise WsError("no demo staff member could log in")
    staff = Socket(host, port)
    await staff.open(
        str(uuid.uuid4()),
        boot_event("/staff/meetings", frontend, session_token=token),
        cookie=f"ag_session={token}",
    )
    try:
        while True:
            _, text = await staff.next(60)
            if delta_of(text).get(ROOT_STATE, {}).get(HYDRATED) is True:
                break
        desk = StaffDesk(staff, meeting_id)
        await desk.open()
        latencies: list[float] = []
        expected = 0
        for _ in range(rounds):
            got, n = await live_round(opened, desk, wait)
            latencies.extend(got)
            expected += n
            await asyncio.sleep(1.0)
    finally:
        await staff.close()
        await asyncio.gather(*(s.close() for s in opened))
    figures = delivery_figures(latencies, expected)
    figures.pop("p99_ms")
    return {
        "viewers_open": len(opened),
        "join_seconds": round(join_seconds, 2),
        "rounds": rounds,
        "wait_s": wait,
        **figures,
    }


def run(
    url: str,
    viewers: int,
    page: str = "/",
    seconds: float = 10.0,
    live: bool = False,
    rounds: int = 3,
    wait: float = 10.0,
) -> dict:
    """Run the websocket bench against the app at ``url`` and return the JSON figures."""
    raise_fd_limit(viewers * 2 + 256)
    return asyncio.run(run_async(url, viewers, page, seconds, live, rounds, wait))
