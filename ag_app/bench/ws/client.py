"""A browser-like Reflex socket.io client over wsproto: reading the frontend, page views, pings and viewers."""

import asyncio
import contextlib
import json
import logging
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


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-file limit towards ``wanted`` (up to the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(max(soft, wanted), hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target
