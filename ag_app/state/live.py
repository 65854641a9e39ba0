"""Live values pushed to every viewer of a page: one serialisation per change, fanned out to a room.

A *channel* is a small Reflex state class (a few vars, no personal data) plus a loader that reads
its current values for a key (e.g. a meeting id) from the database with a monotone version (e.g.
the number of stored decisions). Viewers of ``key`` are the sockets in the socket.io room
``live/{channel}/{key}`` of Reflex's own server (``app.sio``, the event namespace):

- **join** (from the page's ``on_load``): the viewer's socket enters the room and gets the current
  values as one state delta sent to it alone, so a new viewer costs nobody else a push. The values
  come from this worker's cache (reloaded after :data:`CACHE_SECONDS`, one load at a time per key).
- **publish** (after a change is committed): one refresh per key and worker is scheduled; it waits
  the channel's coalescing delay (:data:`COALESCE_SECONDS` unless the channel sets its own) for
  more changes, reads the values once and sends ONE ``StateUpdate`` to
  the room. With Redis (``AG_REDIS_URL`` or ``REFLEX_REDIS_URL``) the refresh is published on the
  Redis channel :data:`REDIS_CHANNEL` and every backend worker's :func:`relay_live_updates` (a
  lifespan task) re-emits it to its own sockets of the room; without Redis (one worker) it is
  emitted locally. A change committed on another thread (a use case run by ``call`` on a worker
  thread, a REST route, a background job) publishes through :func:`publish_threadsafe`, which hands
  the publish to the event loop of this worker's hub.

The viewers' own backend states never hold the live values: the live vars are written only by
join and broadcast, straight into the browser's store, so no later delta of the viewer's state
can overwrite a newer broadcast with a stale value. Per room, the cache update and the emit run
under one lock and a snapshot older than the cached version is dropped, so a viewer never sees
the values go back. A reconnect is a new socket (not in any room) whose hydrate sends the
defaults; the page's ``on_load`` runs again and joins again.
"""

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
from reflex.state import StateUpdate
from reflex_base.constants.state import FIELD_MARKER

from ag_app.settings import get_settings

log = logging.getLogger(__name__)

# Redis pub/sub channel carrying refreshed values between backend workers.
REDIS_CHANNEL = "ag:live"
# How long a scheduled refresh waits for more changes before it reads them all.
COALESCE_SECONDS = 0.25
# A worker's cached values are reloaded from the database for joins after this long (bounds the
# staleness should a broadcast be missed, e.g. while Redis was unreachable).
CACHE_SECONDS = 30.0
# Socket.IO event carrying state deltas to the Reflex frontend.
EVENT = "event"

# (version, values) of a key, or None when the key does not exist.
Loader = Callable[[int], Awaitable[tuple[int, dict[str, Any]] | None]]


@dataclass(frozen=True)
class Channel:
    """Live values of one small state class, per key (e.g. the meter of each meeting)."""

    name: str
    state: type[rx.State]
    load: Loader
    # Seconds a scheduled refresh waits for more changes; None: :data:`COALESCE_SECONDS`.
    coalesce: float | None = None

    @property
    def delay(self) -> float:
        """The coalescing delay of this channel's refreshes."""
        return COALESCE_SECONDS if self.coalesce is None else self.coalesce

    def room(self, key: int) -> str:
        """The socket.io room of the viewers of ``key``."""
        return f"live/{self.name}/{key}"

    def update(self, values: dict[str, Any]) -> StateUpdate:
        """The state delta that sets ``values`` of this channel's state in the browser."""
        return StateUpdate(
            delta={self.state.get_full_name(): {f"{k}{FIELD_MARKER}": v for k, v in values.items()}}
        )

    def packet(self, values: dict[str, Any]) -> dict[str, Any]:
        """:meth:`update` as the plain JSON object Reflex sends for a ``StateUpdate``."""
        return {"delta": self.update(values).delta}


@dataclass(frozen=True)
class Snapshot:
    """Values of a key as read at one version (``at``: monotonic time of the read)."""

    version: int
    values: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


CHANNELS: dict[str, Channel] = {}


def channel(name: str, state: type[rx.State], load: Loader, *, coalesce: float | None = None) -> Channel:
    """Declare a live channel (module level, once per name); ``coalesce``: its own refresh delay."""
    CHANNELS[name] = Channel(name=name, state=state, load=load, coalesce=coalesce)
    return CHANNELS[name]


def redis_url() -> str:
    """Redis for relaying between workers: ``AG_REDIS_URL``, else Reflex's ``REFLEX_REDIS_URL``."""
    return get_settings().redis_url or (rx.config.get_config().redis_url or "")


class Hub:
    """The live channels of one backend worker: rooms on its socket.io server, cache, relay."""

    def __init__(self, sio: Any, namespace: str, redis: str = "", topic: str = REDIS_CHANNEL) -> None:
        self.sio = sio
        self.namespace = namespace
        self.redis_url = redis
        # The Redis pub/sub channel shared by the workers of one app.
        self.topic = topic
        self._latest: dict[str, Snapshot] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._loading: dict[str, asyncio.Task] = {}
        self._scheduled: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        self._publisher: Any = None
        # The event loop the hub serves (its sockets, tasks and locks belong to it).
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None

    def _lock(self, room: str) -> asyncio.Lock:
        return self._locks.setdefault(room, asyncio.Lock())

    async def _cached(self, ch: Channel, key: int) -> Snapshot | None:
        """The values for a join: the cache while fresh, else one load shared by concurrent joins."""
        room = ch.room(key)
        snap = self._latest.get(room)
        if snap is not None and time.monotonic() - snap.at < CACHE_SECONDS:
            return snap
        task = self._loading.get(room)
        if task is None:
            task = asyncio.get_running_loop().create_task(ch.load(key))
            self._loading[room] = task
            task.add_done_callback(lambda _t: self._loading.pop(room, None))
        loaded = await asyncio.shield(task)
        if loaded is None:
            return None
        async with self._lock(room):
            self._keep(room, Snapshot(*loaded))
            return self._latest[room]

    def _keep(self, room: str, snap: Snapshot) -> bool:
        """Cache ``snap`` unless a newer version is cached; True when it was kept."""
        current = self._latest.get(room)
        if current is not None and snap.version < current.version:
            return False
        self._latest[room] = snap
        return True

    async def join(self, sid: str, ch: Channel, key: int) -> bool:
        """Put socket ``sid`` in the room of ``key`` (leaving other keys of the channel) and send it
        the current values; False when the key does not exist."""
        snap = await self._cached(ch, key)
        if snap is None:
            return False
        room = ch.room(key)
        prefix = ch.room(0).removesuffix("0")
        try:
            for other in self.sio.rooms(sid, namespace=self.namespace) or []:
                if other != room and str(other).startswith(prefix):
                    await self.sio.leave_room(sid, other, namespace=self.namespace)
            async with self._lock(room):
                await self.sio.enter_room(sid, room, namespace=self.namespace)
                await self.sio.emit(
                    EVENT, ch.packet(self._latest[room].values), to=sid, namespace=self.namespace
                )
        except (KeyError, ValueError):
            # The socket disconnected meanwhile; its reconnect joins again from on_load.
            return False
        return True

    async def apply(self, ch: Channel, key: int, snap: Snapshot) -> None:
        """Cache ``snap`` and send it to this worker's sockets in the room, once (older: dropped)."""
        room = ch.room(key)
        async with self._lock(room):
            if self._keep(room, snap):
                await self.sio.emit(EVENT, ch.packet(snap.values), to=room, namespace=self.namespace)

    async def refresh(self, ch: Channel, key: int) -> None:
        """Read the values of ``key`` now and deliver them to the viewers on every worker."""
        loaded = await ch.load(key)
        if loaded is None:
            return
        version, values = loaded
        if not self.redis_url:
            await self.apply(ch, key, Snapshot(version, values))
            return
        message = json.dumps({"c": ch.name, "k": key, "v": version, "d": values}, ensure_ascii=False)
        await self._redis_publisher().publish(self.topic, message)

    def _redis_publisher(self) -> Any:
        if self._publisher is None:
            import redis.asyncio as aioredis

            self._publisher = aioredis.Redis.from_url(self.redis_url)
        return self._publisher

    def publish(self, ch: Channel, key: int) -> None:
        """After a committed change: schedule one coalesced refresh of ``key`` for all its viewers.

        Changes arriving while a refresh is scheduled are read by it (it waits the channel's
        delay, then reads), so a burst costs a few reads, not one per change. Runs as a task of
        its own, never inside the caller's state lock. Only on the hub's event loop (from another
        thread: :meth:`publish_threadsafe`).
        """
        room = ch.room(key)
        if room in self._scheduled:
            return
        self._scheduled.add(room)

        async def run() -> None:
            try:
                await asyncio.sleep(ch.delay)
            finally:
                # Cleared before reading: a change committed after the read schedules the next one.
                self._scheduled.discard(room)
            await self.refresh(ch, key)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def publish_threadsafe(self, ch: Channel, key: int) -> bool:
        """:meth:`publish` from any thread: directly on the hub's loop, else handed to that loop.

        False when the hub has no running loop to hand it to (closed, or made outside a loop).
        """
        loop = self.loop
        if loop is None or loop.is_closed():
            return False
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.publish(ch, key)
            return True
        try:
            loop.call_soon_threadsafe(self.publish, ch, key)
        except RuntimeError:  # the loop closed meanwhile
            return False
        return True

    async def close(self) -> None:
        """Stop scheduled refreshes and close the Redis publisher (tests, shutdown)."""
        for task in list(self._tasks):
            task.cancel()
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("Live values not refreshed: %r", task.exception())

    async def receive(self, raw: bytes | str) -> None:
        """Apply one refresh relayed through Redis to this worker's sockets."""
        try:
            message = json.loads(raw)
            ch = CHANNELS[message["c"]]
            key, snap = int(message["k"]), Snapshot(int(message["v"]), dict(message["d"]))
        except (ValueError, KeyError, TypeError):
            log.warning("Malformed live update ignored")
            return
        await self.apply(ch, key, snap)

    async def relay(self, ready: asyncio.Event | None = None) -> None:
        """Re-emit every refresh published on Redis to this worker's rooms, forever.

        After a lost connection the cache is dropped (broadcasts may have been missed) and the
        subscription is made again.
        """
        import redis.asyncio as aioredis
        from redis.exceptions import RedisError

        while True:
            client = aioredis.Redis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.topic)
                    if ready is not None:
                        ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self.receive(message["data"])
            except (RedisError, OSError) as error:
                log.warning("Live relay lost Redis (%s); retrying in 1 s", type(error).__name__)
                self._latest.clear()
                await asyncio.sleep(1.0)
            finally:
                await client.aclose()


_HUBS: dict[int, Hub] = {}


def hub(app: rx.App | None = None) -> Hub:
    """This worker's hub on the app's socket.io server."""
    if app is None:
        from reflex_base.registry import RegistrationContext

        app = RegistrationContext.get().app
    found = _HUBS.get(id(app))
    if found is None:
        namespace = app.event_namespace
        if app.sio is None or namespace is None:
            msg = "the app has no socket.io server yet"
            raise RuntimeError(msg)
        found = _HUBS[id(app)] = Hub(app.sio, namespace.namespace or "/", redis_url())
    return found


def viewer_sid(state: rx.State) -> str | None:
    """The socket id of the viewer whose event ``state`` is handling, if its socket is on this worker.

    Looked up from the client token in Reflex's token manager (the sid in the state's router data
    may be from before a reconnect).
    """
    from reflex_base.registry import RegistrationContext
    from reflex_base.utils.exceptions import ReflexRuntimeError

    try:
        namespace = RegistrationContext.get().app.event_namespace
    except (LookupError, AttributeError, ReflexRuntimeError):
        # No running app (a state driven directly, e.g. in tests, once a context exists but
        # holds no app): nobody to send to.
        return None
    if namespace is None:
        return None
    manager = namespace._token_manager
    record = manager.token_to_socket.get(state.router.session.client_token)
    if record is None or record.instance_id != manager.instance_id:
        return None
    return record.sid


async def join(state: rx.State, ch: Channel, key: int) -> bool:
    """From a handler of the viewer (the page's ``on_load``): watch ``key`` of channel ``ch``."""
    sid = viewer_sid(state)
    if sid is None:
        return False
    return await hub().join(sid, ch, key)


def publish(ch: Channel, key: int) -> None:
    """From a handler, after a committed change: refresh ``key`` for all its viewers (coalesced)."""
    hub().publish(ch, key)


def publish_threadsafe(ch: Channel, key: int) -> None:
    """After a committed change, from ANY thread: refresh ``key`` for all its viewers (coalesced).

    The listeners of :mod:`ag_app.services.changes` run on whatever thread committed: the event
    loop, a worker thread of ``call`` or of a REST route, a background job. Each hub of this process
    gets the publish on its own event loop. Before any hub exists (the CLI, tests without an app)
    there is nobody to tell, and nothing happens: every worker with Redis has its hub from the
    relay's start, and a worker without Redis has one as soon as a viewer joins.
    """
    for found in list(_HUBS.values()):
        found.publish_threadsafe(ch, key)


async def relay_live_updates(app: rx.App) -> None:
    """Lifespan task of every backend worker: relay refreshes published on Redis to local rooms."""
    if not redis_url():
        return
    # The socket.io server exists once the app is mounted; the lifespan starts after that.
    await hub(app).relay()
