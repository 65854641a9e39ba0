"""``ag-app bench http``: a running app driven by many residents at once through the REST API.

Requests go through :mod:`ag_app.bench.http_client` (keep-alive, a fraction of a millisecond of
client CPU each), so on a 2-core machine the figures are the app's, not the client's. The bench
talks only to an app on this machine (127.0.0.1 / localhost) in demo mode: login codes
are read from ``GET /api/v1/dev/outbox``. It logs in the demo staff account, makes sure there are
``polls`` open city-wide bench polls («Нагрузочный тест …», reused by later runs), then runs one
phase after another, each with ``clients`` concurrent clients for at most ``seconds``:

- ``login`` — new residents (fresh mobile numbers of this run): SMS code, outbox, session;
- ``home`` — what the home page reads: headline figures, open polls, news;
- ``polls`` — the poll list of a logged-in resident;
- ``poll_before`` — a bench poll's page by a resident who has not voted in it yet;
- ``vote`` — ``POST …/ballot``, every resident once in every bench poll (the phase ends early when
  the pairs run out);
- ``poll_after`` — the page of a poll the resident voted in (intermediate results shown);
- ``points`` — «Мои баллы».

Before every phase and after the last one, the same clients hit ``GET /api/v1/health`` (the empty
route through the same stack) for half a phase: the floor. A route's ``ratio`` is its requests per
second over the mean of the floors measured just before and just after its phase, so a machine
shared with other work still gives comparable figures. When the server's processes can be found
(the processes holding the listening socket of the URL's port, readable under ``/proc``), the
server CPU time per request is reported too (``server_cpu_ms``) and ``cpu_ratio`` = the floor's CPU
per request ÷ the route's: what the route costs the server whatever else runs on the machine.

Each route prints one JSON line: requests per second, p50/p99, answers by status, timeouts and
connection errors, the floor and the ratios. The last line is the summary of DESIGN.md §5 (``n``
every request of the route phases, ``ops_per_s`` their rate, ``floor_ops_per_s`` the mean floor,
``routes`` each route's figures). ``db`` is the dialect of ``AG_DATABASE_URL`` of the bench's
environment (start it with the app's environment) unless ``--db-label`` says otherwise.

:mod:`.recorder` records requests per route and logs residents in, :mod:`.scenario` prepares the bench
polls and runs one phase, :mod:`.measure` runs the phases and prints the figures.
"""

from ag_app.bench.http.measure import run, run_async
from ag_app.bench.http.recorder import (
    API,
    CODE,
    LOCAL_HOSTS,
    POLL_TITLE,
    STAFF_PHONE,
    BenchError,
    Recorder,
    Resident,
    RouteStats,
    check_local,
    cpu_seconds,
    fresh_phones,
    login,
    server_pids,
)
from ag_app.bench.http.scenario import Plan, ballot_body, bench_polls, run_phase

__all__ = [
    "API",
    "BenchError",
    "CODE",
    "LOCAL_HOSTS",
    "POLL_TITLE",
    "Plan",
    "Recorder",
    "Resident",
    "RouteStats",
    "STAFF_PHONE",
    "ballot_body",
    "bench_polls",
    "check_local",
    "cpu_seconds",
    "fresh_phones",
    "login",
    "run",
    "run_async",
    "run_phase",
    "server_pids",
]
