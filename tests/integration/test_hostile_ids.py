"""Hostile ids, page numbers and counts: every API route and every websocket handler refuses them.

Two walks, one over each surface a client can reach:

* the OpenAPI document of the REST API: every integer path, query and body field of every
  operation gets values that are not plain digits in the database's range («²», «-1», «1e3»,
  « 7», «0x10», 2³¹, 2⁶³, 5 000 digits, ``true``, ``1.5``…) and must answer 422 with a Russian
  ``detail`` naming the field — never a 5xx, never an answer from deeper code;
* the registered event handlers of every application state and every page load: each handler that
  takes arguments is called as a websocket client could call it, with the same values and with
  wrong types (lists, dicts, ``None``), and no exception may escape and no database row change.

Both run on SQLite and PostgreSQL (PostgreSQL's INTEGER overflows at 2³¹, SQLite's at 2⁶³).
"""

import asyncio
import importlib
import inspect
import pkgutil
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex.route import get_route_args
from reflex.state import State
from reflex_base.event.processor.base_state_processor import _prepare_event_payload
from sqlmodel import Session, SQLModel, select

import ag_app.state
from ag_app.api import create_api
from ag_app.domain.numbers import MAX_ID
from ag_app.state.base import SessionState
from ag_app.state.guard import _GUARDED
from tests.factories import make_geo, make_user, open_session
from tests.integration.poll_helpers import make_poll
from tests.integration.tabs import browser_tab

# Path and query values that are not an id: each must be refused before any route code runs.
HOSTILE_TEXT = [
    "9223372036854775808",
    str(MAX_ID + 1),
    "²",
    "١٢",
    "-1",
    "+1",
    "0",
    "1e3",
    " 7",
    "7 ",
    "0x10",
    "1.5",
    "1_000",
    "9" * 5000,
]
# JSON body values that are not an id.
HOSTILE_JSON: list[Any] = [2**63, MAX_ID + 1, -1, 1.5, True, "²", "1e3", " 7", "", [1], {"id": 1}]

_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
_LATIN = re.compile("[a-z]", re.IGNORECASE)


def _russian(detail: object) -> bool:
    """A Russian sentence: Cyrillic letters and no Latin words outside the «quoted» field name."""
    if not isinstance(detail, str):
        return False
    return bool(_CYRILLIC.search(detail)) and not _LATIN.search(re.sub(r"«[^»]*»", "", detail))


def _russian_message(text: str) -> bool:
    """A message shown on a page: Cyrillic, no English word (formats such as «+7 9XX» are fine)."""
    return bool(_CYRILLIC.search(text)) and not re.search(
        "[a-z]{4,}", re.sub(r"«[^»]*»", "", text), re.IGNORECASE
    )


# --- the REST API -------------------------------------------------------------------------------

_OPENAPI = create_api().openapi()
_SCHEMAS = _OPENAPI["components"]["schemas"]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = _SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_integer(schema: dict) -> bool:
    schema = _resolve(schema)
    return schema.get("type") == "integer" or any(_is_integer(s) for s in schema.get("anyOf", ()))


def _integer_paths(schema: dict, path: tuple = ()) -> list[tuple]:
    """The paths (keys and list indexes) of every integer field of a request body schema."""
    schema = _resolve(schema)
    if _is_integer(schema):
        return [path]
    found: list[tuple] = []
    for option in schema.get("anyOf", ()):
        found += _integer_paths(option, path)
    if schema.get("type") == "array":
        found += _integer_paths(schema.get("items", {}), (*path, 0))
    for key, sub in schema.get("properties", {}).items():
        found += _integer_paths(sub, (*path, key))
    return found


def _skeleton(schema: dict) -> Any:
    """A body of the schema's shape: every field present with a harmless value of its type."""
    schema = _resolve(schema)
    if _is_integer(schema):
        return 1
    options = [_resolve(s) for s in schema.get("anyOf", ()) if _resolve(s).get("type") != "null"]
    if options:
        return _skeleton(options[0])
    kind = schema.get("type")
    if kind == "array":
        return [_skeleton(schema.get("items", {}))]
    if kind == "object" or "properties" in schema:
        return {key: _skeleton(sub) for key, sub in schema.get("properties", {}).items()}
    if kind == "string" and schema.get("format") in _FORMATTED:
        return _FORMATTED[schema["format"]]
    if kind == "boolean":
        return False
    if kind == "number":
        return 1
    if "enum" in schema:
        return schema["enum"][0]
    return "x"


_FORMATTED = {"date-time": "2026-11-20T09:00:00Z", "date": "2026-11-20", "email": "a@example.ru"}


def _set(body: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        body = body[part]
    body[path[-1]] = value


def _operations() -> list:
    cases = []
    for path, operations in _OPENAPI["paths"].items():
        for method, operation in operations.items():
            cases.append(pytest.param(method, path, operation, id=f"{method.upper()} {path}"))
    return cases


def _field_name(path: tuple) -> str:
    return ".".join(str(part) for part in path)


@pytest.mark.parametrize(("method", "path", "operation"), _operations())
def test_api_refuses_hostile_numbers(client, session, now, method, path, operation):
    """Every integer in a path, query or JSON body: a Russian 422 naming it; never a 5xx."""
    admin = make_user(session, roles=("staff", "admin", "moderator"))
    headers = {"Authorization": f"Bearer {open_session(session, admin.id, now)}"}
    parameters = operation.get("parameters", [])
    path_params = {p["name"]: p for p in parameters if p["in"] == "path"}
    query_params = {p["name"]: p for p in parameters if p["in"] == "query"}
    body_schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    body = _skeleton(body_schema) if body_schema else None
    # Valid values for everything that is not under attack (required query strings get «x»).
    base_path = {name: "1" for name in path_params}
    base_query = {
        name: ("1" if _is_integer(p["schema"]) else "x")
        for name, p in query_params.items()
        if p.get("required")
    }

    def send(path_values: dict, query: dict, json_body: Any):
        url = path
        for name, value in path_values.items():
            url = url.replace("{" + name + "}", quote(value, safe=""))
        return client.request(method, url, params=query, json=json_body, headers=headers)

    def check(response, field: str, what: object) -> None:
        assert response.status_code == 422, (field, what, response.status_code, response.text[:300])
        detail = response.json()["detail"]
        assert _russian(detail), detail
        assert f"«{field}»" in detail and "целое число" in detail, detail

    attacked = 0
    for name, param in [*path_params.items(), *query_params.items()]:
        if not _is_integer(param["schema"]):
            continue
        values = HOSTILE_TEXT + ([""] if param["in"] == "query" else [])
        # «0» is a valid offset or count, only an invalid id.
        values = [v for v in values if not (v == "0" and _resolve(param["schema"]).get("minimum", 1) == 0)]
        for value in values:
            if param["in"] == "path":
                response = send({**base_path, name: value}, base_query, body)
            else:
                response = send(base_path, {**base_query, name: value}, body)
            check(response, name, value)
            attacked += 1
    for field in _integer_paths(body_schema) if body_schema else []:
        for value in HOSTILE_JSON:
            hostile = _skeleton(body_schema)
            _set(hostile, field, value)
            check(send(base_path, base_query, hostile), _field_name(field), value)
            attacked += 1
    # The largest id the database can hold passes the parser and meets the rules (never a 5xx).
    for name, param in path_params.items():
        if _is_integer(param["schema"]):
            response = send({**base_path, name: str(MAX_ID)}, base_query, body)
            assert response.status_code < 500, (name, response.status_code, response.text[:300])
            if response.status_code >= 400:
                assert _CYRILLIC.search(response.json()["detail"]), response.text[:300]
    if not attacked:
        # Operations without integers: their string path parameters get the same values (4xx, never 5xx).
        for name in path_params:
            for value in HOSTILE_TEXT:
                response = send({**base_path, name: value}, base_query, body)
                assert 400 <= response.status_code < 500 or response.status_code == 200, (
                    name,
                    value,
                    response.text,
                )


def test_the_walk_reaches_every_id_route():
    """The walk above is not empty: the routes the hostile-input report named are all attacked."""
    attacked = {
        f"{method.upper()} {path}"
        for path, operations in _OPENAPI["paths"].items()
        for method, operation in operations.items()
        if any(_is_integer(p["schema"]) for p in operation.get("parameters", []))
    }
    for route in (
        "GET /api/v1/polls/{poll_id}",
        "GET /api/v1/polls/{poll_id}/open-data.csv",
        "GET /api/v1/meetings/{meeting_id}",
        "GET /api/v1/house-polls/{poll_id}",
        "GET /api/v1/me/feedback/{ticket_id}",
        "GET /api/v1/registry/districts",
        "POST /api/v1/staff/polls/{poll_id}/publish",
        "POST /api/v1/shop/orders/{order_id}/cancel",
    ):
        assert route in attacked


# --- the websocket event handlers --------------------------------------------------------------

for _module in pkgutil.iter_modules(ag_app.state.__path__):
    importlib.import_module(f"ag_app.state.{_module.name}")


def _app_states() -> list[type[rx.State]]:
    found: list[type[rx.State]] = []
    pending = list(State.get_substates())
    while pending:
        cls = pending.pop()
        pending.extend(cls.get_substates())
        if cls.__module__.startswith("ag_app."):
            found.append(cls)
    return sorted(found, key=lambda c: c.get_full_name())


def _handlers_with_arguments() -> list:
    cases = []
    for cls in _app_states():
        for name, handler in sorted(cls.event_handlers.items()):
            # ``setvar`` is Reflex's own handler: it only calls the state's setters, walked here themselves.
            if name == "setvar" or len(inspect.signature(handler.fn).parameters) < 2:
                continue
            cases.append(pytest.param(cls, name, id=f"{cls.__name__}.{name}"))
    return cases


def test_every_handler_with_arguments_is_guarded():
    """Every state inherits the argument guard: a new state that forgets it fails here."""
    cases = _handlers_with_arguments()
    assert len(cases) > 100
    unguarded = [
        c.id for c in cases if not getattr(c.values[0].event_handlers[c.values[1]].fn, _GUARDED, False)
    ]
    assert unguarded == []


# Event arguments a websocket client can send in place of an id, index, page number or flag.
HOSTILE_ARGS: list[Any] = [
    "²",
    "9223372036854775808",
    str(MAX_ID + 1),
    2**63,
    MAX_ID + 1,
    -1,
    "-1",
    0,
    1.5,
    "1e3",
    " 7",
    "",
    None,
    True,
    [1, 2],
    {"id": "²"},
    "9" * 5000,
]


# Form fields that carry a number (besides ``id`` and ``*_id``).
_COUNT_KEYS = {"page", "number", "stock", "price", "points", "parking_points", "index", "year", "limit"}


def _form_keys(fn) -> set[str]:
    """The names a handler may read from a form dict: the identifier-like literals of its source."""
    return set(re.findall(r"[\"']([a-z_][a-z0-9_]{0,40})[\"']", inspect.getsource(fn)))


async def _drive(state: rx.State, handler, payload: dict) -> None:
    """Run a handler the way Reflex runs a websocket event: payload transformed by the annotations."""
    result = handler.fn(state, **_prepare_event_payload(handler, payload))
    if inspect.isawaitable(result):
        await result
    elif inspect.isasyncgen(result):
        async for _ in result:
            pass
    elif inspect.isgenerator(result):
        for _ in result:
            pass


def _database(session: Session) -> dict[str, list]:
    """Every row of every table (the tests' databases are small)."""
    session.expire_all()
    rows = {
        table.name: sorted(map(repr, session.exec(select(table)).all()))
        for table in SQLModel.metadata.sorted_tables
    }
    session.rollback()
    return rows


def _state_of(root: State, cls: type[rx.State]) -> rx.State:
    return root.get_substate(cls.get_full_name().split("."))


@pytest.fixture
def arena(app_engine, session, now):
    """Something for handlers to reach: a geography, a published poll and the login session of a user
    with every staff role (one session for all tabs: opening one per tab would itself be a change)."""
    geo = make_geo(session)
    admin = make_user(session, roles=("staff", "admin", "moderator"), house_id=geo["house:Арбат"])
    make_poll(app_engine, admin.id, now)
    return open_session(session, admin.id, datetime.now(UTC))


def _tab(token: str) -> State:
    root = browser_tab(None, None)
    root.substates[SessionState.get_name()].auth_token = token
    return root


@pytest.mark.parametrize(("cls", "name"), _handlers_with_arguments())
def test_handlers_refuse_hostile_arguments(arena, session, cls, name):
    """No exception escapes a handler and nothing is written, whatever the client sends.

    A form whose fields are texts may legitimately save «²» as a name, so forms with every field
    hostile run last and only must not raise; before them only their id and count fields are.
    """
    handler = cls.event_handlers[name]
    params = list(inspect.signature(handler.fn).parameters)[1:]
    keys = _form_keys(handler.fn)
    numeric_keys = {key for key in keys if key == "id" or key.endswith("_id") or key in _COUNT_KEYS}

    def run(payload: dict) -> None:
        state = _state_of(_tab(arena), cls)
        try:
            asyncio.run(_drive(state, handler, payload))
        except Exception as error:  # noqa: BLE001 — the assertion names what escaped
            pytest.fail(f"{cls.__name__}.{name}({payload!r:.200}) raised {error!r:.300}")
        error_text = getattr(state, "error", "")
        assert not error_text or _russian_message(error_text), error_text

    before = _database(session)
    for value in HOSTILE_ARGS:
        run({p: value for p in params})
        # One hostile argument at a time, the others plausible.
        for target in params if len(params) > 1 else ():
            run({p: (value if p == target else "1") for p in params})
        # A form whose id and count fields are hostile.
        run({p: dict.fromkeys(numeric_keys, value) for p in params})
    assert _database(session) == before
    for value in HOSTILE_ARGS:
        run({p: dict.fromkeys(keys, value) for p in params})


def _page_loads() -> list:
    from ag_app import pages

    cases = []
    for module_info in pkgutil.iter_modules(pages.__path__):
        module = importlib.import_module(f"ag_app.pages.{module_info.name}")
        for route, _page, _title, on_load in getattr(module, "PAGES", []):
            arguments = re.findall(r"\[(\w+)\]", route)
            if arguments or "page" in route:
                cases.append(pytest.param(route, arguments, on_load, id=route))
    return cases


@pytest.mark.parametrize(("route", "arguments", "on_load"), _page_loads())
def test_page_loads_refuse_hostile_route_params(arena, session, route, arguments, on_load):
    """A page opened at ``/polls/²`` or ``?page=1e3``: a Russian message or an empty page, no exception."""
    loads = on_load if isinstance(on_load, list) else [on_load]
    State.setup_dynamic_args(get_route_args(route))  # as ``app.add_page`` does
    # The day's visit (3 points) is recorded by the first page view of the day: not part of the check.
    header = _tab(arena).substates[SessionState.get_name()]
    asyncio.run(_drive(header, SessionState.event_handlers["refresh"], {}))
    before = _database(session)
    for value in [v for v in HOSTILE_ARGS if isinstance(v, str)]:
        params = dict.fromkeys(arguments, value)
        path = route
        for argument in arguments:
            path = path.replace(f"[{argument}]", quote(value, safe=""))
        query = f"page={quote(value, safe='')}&number={quote(value, safe='')}"
        router = RouterData.from_router_data(
            {"pathname": route, "asPath": f"{path}?{query}", "query": params, "headers": {}, "ip": ""}
        )
        root = _tab(arena)
        root.router = router
        for load in loads:
            state = _state_of(root, load.state)
            state.router = router
            try:
                asyncio.run(_drive(state, load, {}))
            except Exception as error:  # noqa: BLE001
                pytest.fail(f"{route} with {value!r:.60}: {load.fn.__qualname__} raised {error!r:.300}")
            error_text = getattr(state, "error", "")
            assert not error_text or _russian_message(error_text), error_text
    assert _database(session) == before
