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

:mod:`.client` is the browser-like socket.io client, :mod:`.live` the staff desk and live rounds,
:mod:`.measure` the benchmark itself.
"""

from ag_app.bench.ws.client import (
    HYDRATED,
    METER_STATE,
    NAMESPACE,
    ROOT_STATE,
    SESSION_COOKIE_VAR,
    STAFF_MEETINGS,
    STAFF_PHONES,
    Frontend,
    Socket,
    View,
    WsError,
    boot_event,
    delta_of,
    local_address,
    open_plain,
    open_viewers,
    page_view,
    ping_loop,
    raise_fd_limit,
    read_frontend,
    view_loop,
)
from ag_app.bench.ws.live import StaffDesk, api, delivery_figures, live_round, staff_token
from ag_app.bench.ws.measure import measure_live, run, run_async

__all__ = [
    "Frontend",
    "HYDRATED",
    "METER_STATE",
    "NAMESPACE",
    "ROOT_STATE",
    "SESSION_COOKIE_VAR",
    "STAFF_MEETINGS",
    "STAFF_PHONES",
    "Socket",
    "StaffDesk",
    "View",
    "WsError",
    "api",
    "boot_event",
    "delivery_figures",
    "delta_of",
    "live_round",
    "local_address",
    "measure_live",
    "open_plain",
    "open_viewers",
    "page_view",
    "ping_loop",
    "raise_fd_limit",
    "read_frontend",
    "run",
    "run_async",
    "staff_token",
    "view_loop",
]
