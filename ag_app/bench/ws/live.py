"""The live part of ``bench ws``: a staff desk entering paper decisions and the delivery of each update to the viewers."""

import asyncio
import hashlib
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from ag_app.bench.common import percentile
from ag_app.bench.ws.client import METER_STATE, STAFF_MEETINGS, Socket, WsError, delta_of


def delivery_figures(latencies_ms: list[float], expected: int) -> dict[str, float]:
    """Live delivery in figures: p50/p95/max of the delivered updates and the share delivered."""
    return {
        "delivered": len(latencies_ms),
        "expected": expected,
        "delivered_share": round(len(latencies_ms) / expected, 4) if expected else 0.0,
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p95_ms": round(percentile(latencies_ms, 95), 1),
        "p99_ms": round(percentile(latencies_ms, 99), 1),
        "max_ms": round(max(latencies_ms, default=0.0), 1),
    }


def api(base: str, path: str, body: dict | None = None, token: str = "") -> Any:
    request = urllib.request.Request(
        f"{base}/api/v1{path}",
        method="POST" if body is not None else "GET",
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else {}


def staff_token(base: str, phone: str) -> str:
    """Log in by SMS code through the REST API (the code read from the demo outbox); when the code
    limit of the phone is reached, the newest code already sent is tried."""
    try:
        api(base, "/auth/code", {"phone": phone})
    except urllib.error.HTTPError as error:
        if error.code != 429:
            raise
    messages = api(base, f"/dev/outbox?phone={urllib.parse.quote(phone)}")
    codes = [
        m.group(1) for x in messages if x["channel"] == "sms" and (m := re.search(r"(\d{6})", x["body"]))
    ]
    if not codes:
        raise WsError("no login code in the outbox (is AG_DEMO_MODE on?)")
    return api(base, "/auth/session", {"phone": phone, "code": codes[0]})["token"]


class StaffDesk:
    """A staff member's ``/staff/meetings`` tab: enters paper decisions over the websocket."""

    def __init__(self, sock: Socket, meeting_id: int) -> None:
        self.sock, self.meeting_id = sock, meeting_id
        self.vars: dict[str, Any] = {}
        self.premise = 0

    async def call(self, handler: str, wait_for: str, **payload: Any) -> None:
        """Send one event and wait until the desk's state answers with ``wait_for``."""
        await self.sock.emit(
            "event",
            {
                "name": f"{STAFF_MEETINGS}.{handler}",
                "payload": payload,
                "router_data": {"pathname": "/staff/meetings", "query": {}, "asPath": "/staff/meetings"},
            },
        )
        while True:
            _, text = await self.sock.next(30)
            changed = delta_of(text).get(STAFF_MEETINGS, {}) if text.startswith("42") else {}
            self.vars.update({k.removesuffix("_rx_state_"): v for k, v in changed.items()})
            if f"{wait_for}_rx_state_" in changed:
                return

    async def open(self) -> None:
        await self.call("choose_meeting", "agenda", value=str(self.meeting_id))
        if not self.vars.get("agenda"):
            raise WsError(f"meeting {self.meeting_id}: no agenda for staff ({self.vars.get('paper_error')})")

    async def next_decision(self, max_premise: int = 5000) -> float:
        """Enter a paper decision («За» on every question) for the next premise whose owner has
        not decided yet; returns the moment the desk saw it accepted."""
        while self.premise < max_premise:
            self.premise += 1
            await self.call("set_field", "premise", name="premise", value=str(self.premise))
            await self.call("find_owners", "owners")
            if not self.vars.get("owners"):
                continue
            for question in self.vars["agenda"]:
                await self.call("set_paper", "agenda", question_id=question["id"], choice="for")
            scan = hashlib.sha256(f"bench-{self.premise}-{time.time()}".encode()).hexdigest()
            await self.call("set_field", "scan", name="scan", value=scan)
            await self.call("enter_paper", "paper_notice")
            if self.vars.get("paper_notice"):
                return time.perf_counter()
        raise WsError("no premise left whose owner has not decided")


async def live_round(viewers: list[Socket], desk: StaffDesk, wait: float) -> tuple[list[float], int]:
    """One accepted decision: latencies (ms) of the viewers that got a meter update within ``wait``."""
    arrivals: dict[int, float] = {}

    def listener_for(index: int) -> Callable[[float, str], None]:
        def listen(at: float, text: str) -> None:
            if METER_STATE in text and index not in arrivals:
                arrivals[index] = at

        return listen

    for i, sock in enumerate(viewers):
        sock.listener = listener_for(i)
    accepted = await desk.next_decision()
    deadline = time.perf_counter() + wait
    while len(arrivals) < len(viewers) and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    for sock in viewers:
        sock.listener = None
    # A message that arrived before the desk read its own answer counts as 0 ms.
    return [max(0.0, (at - accepted) * 1000) for at in arrivals.values()], len(viewers)
