"""``ag-app bench leaderboard``: the live contest rating seen by many viewers while receipts pour in.

Against a running app on this machine (127.0.0.1, demo mode: login codes are read from
``GET /api/v1/dev/outbox``, and loopback should be in ``AG_OTP_EXEMPT_CLIENTS`` so that many logins
from one address are not throttled):

1. **Residents.** ``--residents`` fresh accounts of this run log in by SMS code (new mobile numbers,
   as ``bench http`` does) and save an adult birth date and a name in their profile
   (``PUT /api/v1/me/personal``): adults, not staff, so their receipts count. Nothing of the seed is
   relied on, so a freshly seeded app (``ag-app seed``) will do, and a second run makes new ones.
2. **Warm-up.** One receipt is saved first: a month's general contest exists from its first receipt
   on, and a viewer of ``/contest`` joins the live room of that contest only.
3. **Viewers.** ``--viewers`` real socket.io clients open ``/contest`` as the built frontend does
   (:mod:`ag_app.bench.ws`: websocket, ``hydrate_and_load``, the page's ``on_load``), in waves of 100,
   and stay. Each page view is complete when it is hydrated and the live rating has arrived
   (``first_state_bytes_join_p50``: the bytes of its state messages). After the run one more page
   view measures ``first_state_bytes`` with the rating as the run left it (``rating_rows`` rows:
   with the default 120 residents a full top 100).
4. **Receipts.** Open loop at ``--receipts-per-s`` for ``--seconds`` + ``--wait`` seconds: receipt
   ``k`` is posted at ``k / rate`` (``POST /api/v1/contest/receipts`` with the resident's bearer
   token, body ``{"qr": "t=…&s=…&fn=…&i=…&fp=…&n=1"}``) by resident ``k mod residents``. Every
   receipt is new (fresh fiscal document number and sign), bought a few minutes to an hour ago in
   the current Moscow month, each resident's receipts on different fiscal drives, and at most 50
   per resident: no review rule fires, so each one is accepted and moves the rating. Only the
   receipts posted in the first ``--seconds`` are measured; the posting goes on for ``--wait`` more
   seconds so that the rating keeps moving while their deliveries are awaited.
5. **Delivery.** Every live update of the rating carries ``version``: the wall-clock millisecond
   at which its read of the top began (:func:`ag_app.state.contest.load_rating`). A read that began
   after the receipt's ``201`` answer came back began after its commit, so the update reflects it.
   For each measured receipt and viewer, the latency is the time from the ``201`` to the arrival at
   that viewer of the first update with ``version`` ≥ the moment of the ``201`` (same machine, same
   clock). Not arriving within ``--wait`` seconds counts as not delivered. The rule never credits
   an update that does not reflect the receipt; it may charge one refresh too many when a read
   began between the commit and the ``201`` (a few milliseconds).

Meanwhile one more socket sends Socket.IO ``ping``\\s and times the ``pong``: the floor (what any
message through the same server, under the same load, costs at least). ``ratio`` = floor p50 /
delivery p50 (in rates: deliveries per second of one viewer ÷ round trips per second, as
``ops_per_s / floor_ops_per_s``). ``ops_per_s``: receipts accepted per second of the posting.
"""

import asyncio
import bisect
import logging
import math
import os
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile
from ag_app.bench.http import Recorder, fresh_phones, login, server_pids
from ag_app.bench.http_client import LeanClient
from ag_app.bench.ws import (
    WsError,
    delivery_figures,
    local_address,
    open_plain,
    open_viewers,
    page_view,
    ping_loop,
    raise_fd_limit,
    read_frontend,
)
from ag_app.domain.clock import MOSCOW
from ag_app.seed.contest import FIRST_NAMES, LAST_NAMES

log = logging.getLogger(__name__)

PAGE = "/contest"
RATING_STATE = "ag_app___state___contest____contest_rating_state"
_VERSION = re.compile(r'"version_rx_state_":\s*(\d+)')
# Fiscal drives of the bench (16 digits; unknown to any registry, so one point per receipt). A
# resident's receipts of one run take different drives: no «split» review.
DRIVES = 64
DRIVE_PREFIX = "99604499"
# At most this many receipts per resident and Moscow day (the «daily» review starts above 50).
PER_RESIDENT = 45
# Keep-alive connections of the posting client.
CONNECTIONS = 32


class LeaderboardBenchError(RuntimeError):
    """The app refused the bench's setup (not demo mode, logins throttled, no contest)."""


@dataclass(frozen=True)
class Posted:
    """A receipt the API accepted: when its ``201`` came (perf counter s, wall-clock ms)."""

    at: float
    wall_ms: float
    api_ms: float


def rating_version(text: str) -> int | None:
    """The ``version`` of a live rating update in a Socket.IO packet (None: another message)."""
    if RATING_STATE not in text:
        return None
    found = _VERSION.search(text)
    return int(found.group(1)) if found else None


def match_deliveries(
    posted: Sequence[Posted], updates: Sequence[tuple[float, int]], wait_s: float
) -> list[float | None]:
    """Per receipt (in order), the ms from its ``201`` to the first update of one viewer reflecting
    it, or None when none came within ``wait_s``.

    ``updates`` are (arrival perf-counter s, version) in arrival order. An update reflects a receipt
    when its version (the wall-clock ms its read began) is at least the receipt's ``201`` moment.
    The updates resolve the receipts in order of that moment: one pass over each list.
    """
    order = sorted(range(len(posted)), key=lambda i: posted[i].wall_ms)
    thresholds = [posted[i].wall_ms for i in order]
    result: list[float | None] = [None] * len(posted)
    done = 0
    for arrived, version in updates:
        reach = bisect.bisect_right(thresholds, version)
        for j in range(done, reach):
            receipt = posted[order[j]]
            latency = (arrived - receipt.at) * 1000
            if latency <= wait_s * 1000:
                result[order[j]] = max(0.0, latency)
        done = max(done, reach)
    return result


def receipt_qr(k: int, residents: int, now: datetime, rng: random.Random, run_tag: int) -> str:
    """The QR string of the bench's ``k``-th receipt (posted by resident ``k mod residents``).

    Bought 1–50 minutes before ``now`` but not before the current Moscow month began; the
    resident's ``j``-th receipt of the run takes drive ``(j + 7 × resident) mod DRIVES`` (no drive
    twice for one resident in a run); the document number is unique within the run (``run_tag``,
    below 400 000, keeps runs apart), the sign random.
    """
    resident, turn = k % residents, k // residents
    local = now.astimezone(MOSCOW)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    bought = max(month_start, local - timedelta(seconds=rng.randrange(60, 3000)))
    drive = (turn + 7 * resident) % DRIVES
    return (
        f"t={bought:%Y%m%dT%H%M%S}&s={rng.randrange(100, 3000)}.{rng.randrange(100):02d}"
        f"&fn={DRIVE_PREFIX}{drive:08d}&i={run_tag * 10_000 + k}&fp={rng.randrange(10**8, 4 * 10**9)}&n=1"
    )


def adult_birth_date(rng: random.Random, today: date) -> str:
    """An ISO birth date 20–70 years before ``today``."""
    return (today - timedelta(days=rng.randrange(20 * 366, 70 * 365))).isoformat()


def app_workers(port: int) -> int:
    """Backend workers of the app on ``port``: the processes holding its listening socket, less
    any whose child holds it too (a supervisor); 1 when that cannot be seen."""
    pids = set(server_pids(port))
    parents = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                parents.add(int(stat.read().rsplit(")", 1)[1].split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return len(pids - parents) or 1


def fan_out(updates: Sequence[Sequence[tuple[float, int]]], wall_minus_perf_ms: float) -> dict[str, float]:
    """Where the time of a delivery goes after the coalescing wait, per update (version):
    ``read_ms`` from the start of its read to its first arrival at a viewer (read, serialise, relay,
    first send) and ``spread_ms`` from the first to the last viewer that got it (the fan-out).

    ``updates``: per viewer (arrival perf-counter s, version); ``wall_minus_perf_ms`` converts a
    version (wall-clock ms) to the perf counter.
    """
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    for per_viewer in updates:
        for arrived, version in per_viewer:
            first[version] = min(first.get(version, arrived), arrived)
            last[version] = max(last.get(version, arrived), arrived)
    read = [first[v] * 1000 - (v - wall_minus_perf_ms) for v in first]
    spread = [(last[v] - first[v]) * 1000 for v in first]
    return {
        "read_p50_ms": round(percentile(read, 50), 1),
        "read_p95_ms": round(percentile(read, 95), 1),
        "spread_p50_ms": round(percentile(spread, 50), 1),
        "spread_p95_ms": round(percentile(spread, 95), 1),
    }


async def make_residents(rec: Recorder, count: int, rng: random.Random) -> list[str]:
    """Tokens of ``count`` new adult residents (SMS login, then name and birth date in the profile)."""
    today = datetime.now(MOSCOW).date()
    tokens: list[str] = []
    slots = asyncio.Semaphore(8)

    async def one(phone: str) -> None:
        async with slots:
            token = await login(rec, phone)
            if not token:
                return
            body = {
                "last_name": rng.choice(LAST_NAMES),
                "first_name": rng.choice(FIRST_NAMES),
                "birth_date": adult_birth_date(rng, today),
            }
            saved = await rec.request("personal", "PUT", "/me/personal", token=token, json=body)
            if saved is not None and saved.status_code == 200:
                tokens.append(token)

    await asyncio.gather(*(one(phone) for phone in fresh_phones(count, rng)))
    if len(tokens) < count:
        raise LeaderboardBenchError(
            f"only {len(tokens)} of {count} residents could log in: is the app in demo mode "
            f"(AG_DEMO_MODE) with 127.0.0.1 in AG_OTP_EXEMPT_CLIENTS? Answers: "
            f"{ {route: dict(stats.statuses) for route, stats in rec.routes.items()} }"
        )
    return tokens


@dataclass
class Poster:
    """Posts the bench's receipts and keeps what the API answered."""

    rec: Recorder
    tokens: list[str]
    rng: random.Random
    run_tag: int
    statuses: Counter[str]
    accepted: dict[int, Posted]

    async def post(self, k: int) -> None:
        """Save receipt ``k``; an accepted one is kept with the moment of its ``201``."""
        qr = receipt_qr(k, len(self.tokens), datetime.now(UTC), self.rng, self.run_tag)
        started = time.perf_counter()
        answer = await self.rec.request(
            "receipt", "POST", "/contest/receipts", token=self.tokens[k % len(self.tokens)], json={"qr": qr}
        )
        at, wall_ms = time.perf_counter(), time.time() * 1000
        if answer is None:
            self.statuses["no answer"] += 1
            return
        if answer.status_code != 201:
            self.statuses[str(answer.status_code)] += 1
            log.warning("Receipt %s refused: %s %s", k, answer.status_code, answer.text[:200])
            return
        status = answer.json().get("status", "")
        self.statuses[status] += 1
        if status == "accepted":
            self.accepted[k] = Posted(at=at, wall_ms=wall_ms, api_ms=(at - started) * 1000)


async def run_async(
    url: str,
    viewers: int,
    rate: float,
    seconds: float,
    wait: float,
    residents: int,
    seed: int | None,
    db_label: str = "",
) -> dict[str, Any]:
    host, port, base = local_address(url)
    # A new seed per run unless given: new phones, so every run has residents of its own.
    rng = random.Random(time.time_ns() if seed is None else seed)
    client = LeanClient(base, connections=CONNECTIONS, timeout=30)
    rec = Recorder(client)
    total = math.ceil(rate * (seconds + wait))
    measured_until = math.ceil(rate * seconds)
    residents = max(residents, math.ceil((total + 1) / PER_RESIDENT))
    try:
        tokens = await make_residents(rec, residents, rng)
        poster = Poster(rec, tokens, rng, int(time.time()) % 400_000, Counter(), {})
        await poster.post(0)
        if 0 not in poster.accepted:
            raise LeaderboardBenchError(f"the warm-up receipt was not accepted: {dict(poster.statuses)}")

        frontend = await asyncio.to_thread(read_frontend, base, PAGE)
        join_started = time.perf_counter()
        sockets, views = await open_viewers(
            host, port, PAGE, frontend, viewers, also=lambda text: rating_version(text) is not None
        )
        join_seconds = time.perf_counter() - join_started
        if not sockets:
            raise WsError("no viewer could open /contest")
        floor_sock = await open_plain(host, port)

        updates: list[list[tuple[float, int]]] = [[] for _ in sockets]

        def listener_for(index: int):
            def listen(at: float, text: str) -> None:
                version = rating_version(text)
                if version is not None:
                    updates[index].append((at, version))

            return listen

        for index, sock in enumerate(sockets):
            sock.listener = listener_for(index)
        # Keep-alive connections left idle while the viewers joined may have been closed by the
        # server meanwhile: the posting starts on fresh ones.
        await client.aclose()
        pings: list[float] = []
        go = asyncio.Event()
        floor_task = asyncio.ensure_future(ping_loop(floor_sock, seconds + wait, go, pings))
        go.set()
        started = time.perf_counter()
        wall_minus_perf_ms = time.time() * 1000 - started * 1000
        tasks = []
        for k in range(1, total + 1):
            delay = started + (k - 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(poster.post(k)))
        await asyncio.gather(*tasks)
        posting_seconds = time.perf_counter() - started
        floor_count = await floor_task
        # The last deliveries of the tail are not measured; a short drain for those that are.
        await asyncio.sleep(1.0)
        for sock in sockets:
            sock.listener = None
        await asyncio.gather(floor_sock.close(), *(sock.close() for sock in sockets))
        # The page as a newcomer gets it now that the run's participants are in the rating.
        seen_rows: list[int] = []

        def rating_seen(text: str) -> bool:
            if rating_version(text) is None:
                return False
            seen_rows.append(text.count('"place":'))
            return True

        after, _ = await page_view(host, port, PAGE, frontend, timeout=60, also=rating_seen)
        rows_after = seen_rows[-1] if seen_rows else 0
    finally:
        await client.aclose()

    measured = [poster.accepted[k] for k in sorted(poster.accepted) if 1 <= k <= measured_until]
    latencies: list[float] = []
    updated_all = 0
    for per_viewer in updates:
        got = [ms for ms in match_deliveries(measured, per_viewer, wait) if ms is not None]
        latencies.extend(got)
        updated_all += len(got) == len(measured)
    figures = delivery_figures(latencies, len(measured) * len(sockets))
    accepted_total = len(poster.accepted) - 1
    sizes = [view.bytes for view in views]
    api_ms = [p.api_ms for p in poster.accepted.values()]
    floor_p50 = percentile(pings, 50)
    app_db = os.environ.get("AG_DATABASE_URL", "")
    return {
        "name": "leaderboard",
        "url": base,
        "viewers": viewers,
        "viewers_open": len(sockets),
        "receipts_per_s": rate,
        "seconds": seconds,
        "wait_s": wait,
        "residents": len(tokens),
        "receipts_posted": accepted_total,
        "receipts_measured": len(measured),
        "answers": dict(poster.statuses),
        "timeouts": rec.routes["receipt"].timeouts,
        "connection_errors": rec.routes["receipt"].connection_errors,
        "n": len(measured),
        "ops_per_s": round(accepted_total / posting_seconds, 1) if posting_seconds else 0.0,
        "api_p50_ms": round(percentile(api_ms, 50), 1),
        "api_p99_ms": round(percentile(api_ms, 99), 1),
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "delivery_p50_ms": figures["p50_ms"],
        "delivery_p95_ms": figures["p95_ms"],
        "delivery_max_ms": figures["max_ms"],
        "delivered": figures["delivered"],
        "expected": figures["expected"],
        "delivered_share": figures["delivered_share"],
        "viewers_updated_share": round(updated_all / len(sockets), 4),
        "updates_per_viewer": round(sum(len(u) for u in updates) / len(sockets), 1),
        # The updates of the posting phase (joins excluded): read → first viewer, first → last viewer.
        **fan_out([[u for u in per if u[0] >= started] for per in updates], wall_minus_perf_ms),
        # A page view opened after the posting (the rating holds the run's participants).
        "first_state_bytes": after.bytes,
        "first_state_bytes_join_p50": percentile(sizes, 50),
        "rating_rows": rows_after,
        "hydrate_bytes": after.hydrate_bytes,
        "join_seconds": round(join_seconds, 2),
        "floor_ms": round(floor_p50, 1),
        "floor_p99_ms": round(percentile(pings, 99), 1),
        "floor_ops_per_s": round(floor_count / posting_seconds, 1) if posting_seconds else None,
        "ratio": round(floor_p50 / figures["p50_ms"], 4) if figures["p50_ms"] else None,
        "peak_rss_mb": peak_rss_mb(),
        "db": db_label or (dialect_of(app_db) if app_db else "app"),
        "workers": app_workers(port),
    }


def run(
    url: str,
    viewers: int,
    receipts_per_s: float = 20.0,
    seconds: float = 30.0,
    wait: float = 5.0,
    residents: int = 120,
    seed: int | None = None,
    db_label: str = "",
) -> dict[str, Any]:
    """Run the leaderboard bench against the app at ``url`` and return the JSON figures."""
    raise_fd_limit(viewers * 2 + 256)
    return asyncio.run(
        run_async(url, viewers, receipts_per_s, seconds, wait, residents, seed, db_label=db_label)
    )
