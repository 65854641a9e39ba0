"""``ag-app bench ws``: real socket.io clients against a running app, as browsers opening a page.

Each client does what the built frontend does on a page view: a websocket to ``/_event`` with a
fresh client token, the Socket.IO CONNECT carrying the ``hydrate_and_load`` boot event (with the
hashes of the compiled default state, read from the app's JavaScript bundle), then it reads state
deltas until the page says it is hydrated (its ``on_load`` handlers have run). Measured:

- ``first_state_bytes``: every state message of one page view (what the browser receives before
  the page is complete), p50/p99, and the hydrate message alone; ``rehydrate_bytes``: the same
  without the hashes (what a reconnect gets);
- ``ops_per_s``: page views per second sustained by ``--viewers`` clients in a loop for
  ``--seconds``, with their latency p50/p99; the floor is the same stack's cheapest round trip (a
  Socket.IO ``ping`` echoed by Reflex's namespace) with the same number of clients;
- with ``--live`` (a meeting page): ``--viewers`` clients stay on the page, a staff member enters
  paper decisions through the websocket (as ``/staff/meetings`` does), and the time from the
  accepted decision to each viewer's meter update is measured (p50/p95/max, share delivered within
  ``--wait`` seconds).

The websocket is driven with ``wsproto`` (sans-IO) over asyncio streams, so thousands of clients
fit in one process; the file-descriptor limit is raised for them. Load goes to 127.0.0.1 only.
"""

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import resource
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

from ag_app.bench.common import dialect_of, peak_rss_mb, percentile

log = logging.getLogger(__name__)

ROOT_STATE = "reflex___state____state"
HYDRATED = "is_hydrated_rx_state_"
NAMESPACE = "/_event"
STAFF_MEETINGS = f"{ROOT_STATE}.ag_app___state___staff_meetings____staff_meetings_state"
METER_STATE = "ag_app___state___meetings____meeting_meter_state"
# Demo staff (city staff, then the administrator): the first one that can log in enters decisions.
STAFF_PHONES = ("+79990000001", "+79990000003")
SESSION_COOKIE_VAR = f"{ROOT_STATE}.ag_app___state___base____session_state.auth_token_rx_state_"


class WsError(Exception):
    """The app refused or dropped a websocket."""


@dataclass
class Frontend:
    """What the built frontend sends on connect: the default-state hashes and the schema hash."""

    hashes: list[str] = field(default_factory=list)
    schema: str = ""
    # Route patterns of the client router («house/meetings/:meeting_id»).
    routes: list[str] = field(default_factory=list)

    def query(self, path: str) -> dict[str, str]:
        """The dynamic route arguments the browser sends with its events (static routes win)."""
        parts = path.strip("/").split("/")
        best: dict[str, str] | None = None
        for route in self.routes:
            pattern = route.strip("/").split("/")
            if len(pattern) != len(parts):
                continue
            args = {p[1:]: v for p, v in zip(pattern, parts, strict=True) if p.startswith(":")}
            if all(p.startswith(":") or p == v for p, v in zip(pattern, parts, strict=True)):
                if not args:
                    return {}
                best = best or args
        return best or {}


def _get(url: str, *, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def read_frontend(base: str, page: str) -> Frontend:
    """Find ``initialStateHashes`` and ``stateSchema`` in the JavaScript assets of ``page``."""
    html = _get(base + page).decode("utf-8", "replace")
    assets = list(dict.fromkeys(re.findall(r"/?assets/[\w.\-]+\.js", html)))
    seen: set[str] = set()
    found_frontend = Frontend()
    while assets:
        asset = assets.pop(0)
        if asset in seen:
            continue
        seen.add(asset)
        source = _get(f"{base}/{asset.lstrip('/')}").decode("utf-8", "replace")
        found_frontend.routes.extend(re.findall(r'"path":"([^"*]*)"', source))
        found = re.search(r"initialStateHashes\s*=\s*(\[[^\]]*\]|`[^`]*`)", source)
        if found:
            raw = found.group(1)
            found_frontend.hashes = json.loads(raw) if raw.startswith("[") else raw.strip("`").split(".")
            schema = re.search(r"stateSchema\s*=\s*[`\"']([0-9a-f]+)", source)
            found_frontend.schema = schema.group(1) if schema else ""
        if found_frontend.hashes and found_frontend.routes:
            break
        assets.extend(a for a in re.findall(r"assets/[\w.\-]+\.js", source) if a not in seen)
    return found_frontend


class Socket:
    """One Socket.IO client on Reflex's ``/_event`` namespace over a raw websocket."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.inbox: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
        self._pump: asyncio.Task | None = None
        self._buffer: list[str] = []
        # Called with (arrival time, text) for every Socket.IO event packet; None = queue it.
        self.listener: Callable[[float, str], None] | None = None

    async def open(self, token: str, auth: dict | None, cookie: str = "") -> None:
        """TCP + websocket handshake, then the Socket.IO CONNECT (with ``auth``)."""
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=2**22)
        target = f"{NAMESPACE}/?EIO=4&transport=websocket&token={urllib.parse.quote(token)}"
        headers = [(b"Cookie", cookie.encode())] if cookie else []
        self._send(Request(host=f"{self.host}:{self.port}", target=target, extra_headers=headers))
        while True:
            data = await self.reader.read(65536)
            if not data:
                raise WsError("closed during the handshake")
            self.ws.receive_data(data)
            events = list(self.ws.events())
            if any(isinstance(e, RejectConnection) for e in events):
                raise WsError("websocket refused")
            if any(isinstance(e, AcceptConnection) for e in events):
                self._handle(events)
                break
        self._pump = asyncio.get_running_loop().create_task(self._read())
        payload = "" if auth is None else json.dumps(auth, ensure_ascii=False)
        await self.send_text(f"40{NAMESPACE},{payload}")

    def _send(self, event: Any) -> None:
        assert self.writer is not None
        self.writer.write(self.ws.send(event))

    async def send_text(self, text: str) -> None:
        self._send(TextMessage(data=text))
        assert self.writer is not None
        await self.writer.drain()

    async def emit(self, name: str, data: Any = None) -> None:
        packet = [name] if data is None else [name, data]
        await self.send_text(f"42{NAMESPACE}," + json.dumps(packet, ensure_ascii=False))

    def _handle(self, events: list[Any]) -> None:
        now = time.perf_counter()
        for event in events:
            if isinstance(event, TextMessage):
                self._buffer.append(event.data)
                if event.message_finished:
                    self._packet(now, "".join(self._buffer))
                    self._buffer = []
            elif isinstance(event, Ping):
                self._send(event.response())
            elif isinstance(event, CloseConnection):
                self.inbox.put_nowait((now, ""))
            elif isinstance(event, BytesMessage):
                continue

    def _packet(self, now: float, text: str) -> None:
        if text == "2":  # Engine.IO ping → pong
            self._send(TextMessage(data="3"))
            return
        if text.startswith("42") or text.startswith("40") or text.startswith("44"):
            if self.listener is not None and text.startswith("42"):
                self.listener(now, text)
            else:
                self.inbox.put_nowait((now, text))

    async def _read(self) -> None:
        assert self.reader is not None
        try:
            while data := await self.reader.read(262144):
                self.ws.receive_data(data)
                self._handle(list(self.ws.events()))
        except (ConnectionError, OSError):
            pass
        self.inbox.put_nowait((time.perf_counter(), ""))

    async def next(self, timeout: float) -> tuple[float, str]:
        at, text = await asyncio.wait_for(self.inbox.get(), timeout)
        if not text:
            raise WsError("socket closed")
        return at, text

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()


def delta_of(text: str) -> dict[str, dict[str, Any]]:
    """The state delta of a ``42/_event,["event", {...}]`` packet ({} for other packets)."""
    if not text.startswith(f"42{NAMESPACE},"):
        return {}
    body = json.loads(text[len(f"42{NAMESPACE},") :])
    if isinstance(body, list) and body and body[0] == "event" and len(body) > 1 and isinstance(body[1], dict):
        return body[1].get("delta") or {}
    return {}


def boot_event(path: str, frontend: Frontend | None, *, first: bool = True, session_token: str = "") -> dict:
    """The CONNECT payload the frontend sends: the hydrate event (+ hashes on a first view, + the
    session cookie as the frontend reads it from ``document.cookie``)."""
    payload: dict[str, Any] = {}
    if session_token:
        payload["vars"] = {SESSION_COOKIE_VAR: session_token}
    if first and frontend is not None and frontend.hashes:
        payload["hashes"] = frontend.hashes
    return {
        "event": {
            "name": f"{ROOT_STATE}.hydrate_and_load",
            "payload": payload,
            "router_data": {
                "pathname": path,
                "query": frontend.query(path) if frontend else {},
                "asPath": path,
            },
        },
        "state_schema": frontend.schema if frontend else "",
    }


@dataclass
class View:
    """One page view: bytes of its state messages, time to hydrated, time to the first message."""

    bytes: int
    hydrate_bytes: int
    ms: float
    first_ms: float


async def page_view(
    host: str,
    port: int,
    path: str,
    frontend: Frontend | None,
    *,
    timeout: float,
    keep: bool = False,
    first: bool = True,
    also: Callable[[str], bool] | None = None,
) -> tuple[View, Socket]:
    """Open ``path`` as a fresh browser tab; return the view's figures and (if ``keep``) its socket.

    The view is complete when the page says it is hydrated and, with ``also``, a message for which
    ``also`` is true has come too (e.g. the live values a page's ``on_load`` sends on their own).
    """
    sock = Socket(host, port)
    start = time.perf_counter()
    total = hydrate = 0
    first_at = 0.0
    hydrated, seen = False, also is None
    try:
        await sock.open(str(uuid.uuid4()), boot_event(path, frontend, first=first))
        while True:
            at, text = await sock.next(timeout)
            if not text.startswith("42"):
                continue
            total += len(text.encode())
            if not hydrate:
                hydrate, first_at = len(text.encode()), at
            hydrated = hydrated or delta_of(text).get(ROOT_STATE, {}).get(HYDRATED) is True
            seen = seen or (also is not None and also(text))
            if hydrated and seen:
                view = View(total, hydrate, (at - start) * 1000, (first_at - start) * 1000)
                break
    except BaseException:
        await sock.close()
        raise
    if not keep:
        await sock.close()
    return view, sock


async def open_viewers(
    host: str,
    port: int,
    page: str,
    frontend: Frontend,
    count: int,
    *,
    wave: int = 100,
    also: Callable[[str], bool] | None = None,
) -> tuple[list[Socket], list[View]]:
    """``count`` browser tabs on ``page`` that stay open, arriving in waves of ``wave`` (a crowd
    coming in); a tab refused or dropped while opening is tried up to three times."""
    opened: list[Socket] = []
    views: list[View] = []

    async def open_one() -> None:
        for _attempt in range(3):
            try:
                view, sock = await page_view(host, port, page, frontend, timeout=60, keep=True, also=also)
            except (WsError, OSError, TimeoutError):
                await asyncio.sleep(0.5)
                continue
            opened.append(sock)
            views.append(view)
            return

    for start in range(0, count, wave):
        await asyncio.gather(*(open_one() for _ in range(min(wave, count - start))))
    return opened, views


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


def local_address(url: str) -> tuple[str, int, str]:
    """(host, port, base URL) of an app on this machine; anything else is refused."""
    parsed = urllib.parse.urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    if host not in {"127.0.0.1", "localhost"}:
        raise WsError("the bench only drives an app on 127.0.0.1")
    return host, port, f"{parsed.scheme}://{host}:{port}"


async def open_plain(host: str, port: int) -> Socket:
    """A socket connected to the namespace without a page (for the floor)."""
    sock = Socket(host, port)
    await sock.open(str(uuid.uuid4()), None)
    await sock.next(120)  # the CONNECT acknowledgement
    return sock


async def ping_loop(sock: Socket, seconds: float, start: asyncio.Event, latencies: list[float]) -> int:
    """Socket.IO ``ping`` → ``pong`` round trips on an open socket for ``seconds``: the floor."""
    await start.wait()
    until = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < until:
        began = time.perf_counter()
        await sock.emit("ping")
        while True:
            at, text = await sock.next(30)
            if '"pong"' in text:
                break
        latencies.append((at - began) * 1000)
        count += 1
    return count


async def view_loop(
    host: str, port: int, path: str, frontend: Frontend, until: float, views: list[View], errors: list[str]
) -> None:
    while time.perf_counter() < until:
        try:
            view, _ = await page_view(host, port, path, frontend, timeout=30)
            views.append(view)
        except (WsError, OSError, TimeoutError) as error:
            errors.append(type(error).__name__)


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


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-file limit towards ``wanted`` (up to the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(max(soft, wanted), hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


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
