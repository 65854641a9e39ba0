"""Live channels (``ag_app.state.live``) on a real python-socketio server: rooms, one message per
change, no push to others on a join, no stale values, and the relay between workers over Redis.

The server is python-socketio's own ``AsyncServer`` (the one under Reflex) with its room manager;
only the last step — handing the encoded packet to the Engine.IO transport — is captured, so the
tests see exactly the packets each socket would receive.
"""

import asyncio
import json
import os
import uuid
from collections import defaultdict
from typing import Any

import pytest
import socketio

from ag_app.state import live
from ag_app.state.meetings import MeetingMeterState

NAMESPACE = "/_event"
STATE = MeetingMeterState.get_full_name()


class Server:
    """A socket.io server whose sockets are connected without a transport; packets are recorded."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncServer(async_mode="asgi")
        self.sio.register_namespace(socketio.AsyncNamespace(NAMESPACE))
        self.packets: dict[str, list[Any]] = defaultdict(list)
        self.encodings = 0
        self._eio: dict[str, str] = {}

        async def capture(eio_sid: str, pkt: Any) -> None:
            self.packets[eio_sid].append(pkt.data)

        self.sio._send_eio_packet = capture
        original = self.sio.packet_class.encode

        def counting_encode(packet: Any) -> Any:
            self.encodings += 1
            return original(packet)

        self.sio.packet_class.encode = counting_encode

    async def connect(self) -> str:
        eio_sid = uuid.uuid4().hex
        sid = await self.sio.manager.connect(eio_sid, NAMESPACE)
        self._eio[sid] = eio_sid
        return sid

    def received(self, sid: str) -> list[dict[str, Any]]:
        """The state deltas socket ``sid`` received (the ``event`` packets), in order."""
        deltas = []
        for raw in self.packets[self._eio[sid]]:
            text = raw if isinstance(raw, str) else raw.decode()
            body = json.loads(text[text.index("[") :])
            assert body[0] == live.EVENT
            deltas.append(body[1]["delta"])
        return deltas


def meter(version: int) -> dict[str, Any]:
    return {
        "mid": 7,
        "collected": f"Собрано {version} м²",
        "questions": [{"number": "1", "for": str(version)}],
    }


class Loader:
    """The database stand-in: the current version of each key; counts the reads."""

    def __init__(self) -> None:
        self.version: dict[int, int] = {7: 1, 8: 100}
        self.reads = 0

    async def __call__(self, key: int) -> tuple[int, dict[str, Any]] | None:
        self.reads += 1
        await asyncio.sleep(0.01)
        if key not in self.version:
            return None
        return self.version[key], meter(self.version[key])


def values(delta: dict[str, Any]) -> dict[str, Any]:
    """The meter vars of a delta, without Reflex's field marker."""
    return {k.removesuffix("_rx_state_"): v for k, v in delta[STATE].items()}


@pytest.fixture
def fast_coalescing(monkeypatch):
    monkeypatch.setattr(live, "COALESCE_SECONDS", 0.05)


def test_a_join_sends_the_current_values_to_the_new_viewer_only(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load)
        hub = live.Hub(server.sio, NAMESPACE)
        first = await server.connect()
        assert await hub.join(first, ch, 7)
        later = [await server.connect() for _ in range(5)]
        for sid in later:
            assert await hub.join(sid, ch, 7)
        # Every viewer got the count once; the first viewer got nothing when the others joined.
        for sid in [first, *later]:
            received = server.received(sid)
            assert len(received) == 1
            assert values(received[0])["collected"] == "Собрано 1 м²"
        # One database read served all six joins (the cache).
        assert load.reads == 1
        # An unknown key: no room, nothing sent.
        stranger = await server.connect()
        assert not await hub.join(stranger, ch, 99)
        assert server.received(stranger) == []

    asyncio.run(scenario())


def test_a_burst_of_changes_reaches_every_viewer_as_one_message(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load)
        hub = live.Hub(server.sio, NAMESPACE)
        viewers = [await server.connect() for _ in range(50)]
        other_meeting = await server.connect()
        for sid in viewers:
            await hub.join(sid, ch, 7)
        await hub.join(other_meeting, ch, 8)
        reads, encodings = load.reads, server.encodings
        for version in range(2, 12):
            load.version[7] = version
            hub.publish(ch, 7)
        await asyncio.sleep(0.3)
        # Ten changes, one read and one encoded message for fifty viewers.
        assert load.reads == reads + 1
        assert server.encodings == encodings + 1
        for sid in viewers:
            received = server.received(sid)
            assert len(received) == 2
            assert values(received[-1])["collected"] == "Собрано 11 м²"
            assert values(received[-1])["questions"] == [{"number": "1", "for": "11"}]
        # The viewer of another meeting heard nothing.
        assert len(server.received(other_meeting)) == 1
        await hub.close()

    asyncio.run(scenario())


def test_an_older_snapshot_never_replaces_a_newer_one(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load)
        hub = live.Hub(server.sio, NAMESPACE)
        viewer = await server.connect()
        await hub.join(viewer, ch, 7)
        await hub.apply(ch, 7, live.Snapshot(5, meter(5)))
        # A slower worker's read from before version 5 arrives late: dropped.
        await hub.apply(ch, 7, live.Snapshot(3, meter(3)))
        assert [values(d)["collected"] for d in server.received(viewer)] == ["Собрано 1 м²", "Собрано 5 м²"]
        # A new viewer joins with the newest values, not the stale database read of the cache miss.
        latecomer = await server.connect()
        await hub.join(latecomer, ch, 7)
        assert values(server.received(latecomer)[-1])["collected"] == "Собрано 5 м²"

    asyncio.run(scenario())


def test_joining_another_key_leaves_the_room_of_the_previous_one(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load)
        hub = live.Hub(server.sio, NAMESPACE)
        viewer = await server.connect()
        await hub.join(viewer, ch, 7)
        await hub.join(viewer, ch, 8)
        load.version[7] = 2
        await hub.refresh(ch, 7)
        # The viewer navigated to meeting 8: meeting 7's update does not reach it.
        assert [values(d)["collected"] for d in server.received(viewer)] == ["Собрано 1 м²", "Собрано 100 м²"]

    asyncio.run(scenario())


def test_the_update_is_a_state_delta_the_reflex_frontend_applies():
    update = live.Channel("meter-test", MeetingMeterState, Loader()).update(
        {"collected": "x", "quorum": True}
    )
    assert update.delta == {STATE: {"collected_rx_state_": "x", "quorum_rx_state_": True}}
    assert STATE.endswith("ag_app___state___meetings____meeting_meter_state")


@pytest.fixture
def redis_url() -> str:
    """A Redis of the test services (pub/sub channels are per test, so runs never mix)."""
    url = os.environ.get("AG_TEST_REDIS_URL")
    if not url:
        pytest.fail("AG_TEST_REDIS_URL is not set (scripts/services.sh starts Redis)")
    return url


def test_a_change_on_one_worker_reaches_viewers_on_every_worker_through_redis(redis_url, fast_coalescing):
    async def scenario() -> None:
        topic = f"ag:live:test:{uuid.uuid4().hex}"
        load = Loader()
        ch = live.channel(f"meter-test-{uuid.uuid4().hex[:8]}", MeetingMeterState, load)
        workers = [Server(), Server()]
        hubs = [live.Hub(w.sio, NAMESPACE, redis_url, topic=topic) for w in workers]
        ready = [asyncio.Event(), asyncio.Event()]
        relays = [asyncio.create_task(h.relay(r)) for h, r in zip(hubs, ready, strict=True)]
        try:
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 10)
            viewers = [[await w.connect() for _ in range(3)] for w in workers]
            for hub, sids in zip(hubs, viewers, strict=True):
                for sid in sids:
                    await hub.join(sid, ch, 7)
            # A decision is accepted on worker 0: its refresh goes through Redis to both workers.
            load.version[7] = 4
            hubs[0].publish(ch, 7)
            deadline = asyncio.get_running_loop().time() + 5
            while asyncio.get_running_loop().time() < deadline:
                if all(
                    len(w.received(s)) == 2 for w, sids in zip(workers, viewers, strict=True) for s in sids
                ):
                    break
                await asyncio.sleep(0.02)
            for worker, sids in zip(workers, viewers, strict=True):
                for sid in sids:
                    assert [values(d)["collected"] for d in worker.received(sid)] == [
                        "Собрано 1 м²",
                        "Собрано 4 м²",
                    ]
        finally:
            for relay in relays:
                relay.cancel()
            for hub in hubs:
                await hub.close()
            live.CHANNELS.pop(ch.name, None)

    asyncio.run(scenario())


def test_a_viewer_gone_before_its_join_is_skipped(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load)
        hub = live.Hub(server.sio, NAMESPACE)
        assert not await hub.join("no-such-socket", ch, 7)
        viewer = await server.connect()
        assert await hub.join(viewer, ch, 7)
        load.version[7] = 2
        await hub.refresh(ch, 7)
        assert [values(d)["collected"] for d in server.received(viewer)] == ["Собрано 1 м²", "Собрано 2 м²"]

    asyncio.run(scenario())


def test_a_change_committed_on_another_thread_reaches_the_viewers(fast_coalescing, monkeypatch):
    """Services announce changes on whatever thread committed (a worker thread of ``call``, a REST
    route, a job): the publish is handed to the hub's event loop, and from the loop itself it runs
    directly; before any hub exists it does nothing."""
    monkeypatch.setattr(live, "_HUBS", {})
    load = Loader()
    ch = live.Channel("meter-test", MeetingMeterState, load)
    # No hub yet (the CLI, a test without an app): nobody to tell, no error.
    live.publish_threadsafe(ch, 7)
    assert load.reads == 0

    async def scenario() -> None:
        server = Server()
        hub = live.Hub(server.sio, NAMESPACE)
        monkeypatch.setitem(live._HUBS, 1, hub)
        viewer = await server.connect()
        await hub.join(viewer, ch, 7)
        # A worker thread commits version 2 and announces it.
        load.version[7] = 2
        await asyncio.to_thread(live.publish_threadsafe, ch, 7)
        await asyncio.sleep(0.3)
        assert [values(d)["collected"] for d in server.received(viewer)] == ["Собрано 1 м²", "Собрано 2 м²"]
        # The event loop's own thread publishes directly.
        load.version[7] = 3
        live.publish_threadsafe(ch, 7)
        await asyncio.sleep(0.3)
        assert values(server.received(viewer)[-1])["collected"] == "Собрано 3 м²"
        await hub.close()

    asyncio.run(scenario())
    # The hub's loop is gone (the worker stopped): a late announcement is dropped quietly.
    live.publish_threadsafe(ch, 7)


def test_a_channel_may_wait_longer_to_coalesce_its_refreshes(fast_coalescing):
    async def scenario() -> None:
        server, load = Server(), Loader()
        ch = live.Channel("meter-test", MeetingMeterState, load, coalesce=0.6)
        assert ch.delay == 0.6
        assert live.Channel("meter-test", MeetingMeterState, load).delay == live.COALESCE_SECONDS
        hub = live.Hub(server.sio, NAMESPACE)
        viewer = await server.connect()
        await hub.join(viewer, ch, 7)
        reads = load.reads
        clock = asyncio.get_running_loop().time
        start = clock()
        for version in range(2, 22):
            load.version[7] = version
            hub.publish(ch, 7)
            await asyncio.sleep(0.01)
        # Twenty changes spread over ~0.2 s, past the module's 0.05 s: nothing read yet…
        await asyncio.sleep(max(0.0, start + 0.35 - clock()))
        assert load.reads == reads
        # …then one read for all of them once the channel's 0.6 s are over.
        await asyncio.sleep(max(0.0, start + 1.0 - clock()))
        assert load.reads == reads + 1
        assert values(server.received(viewer)[-1])["collected"] == "Собрано 21 м²"
        await hub.close()

    asyncio.run(scenario())
