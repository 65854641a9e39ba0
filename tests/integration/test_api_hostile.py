"""Hostile input over the REST API: Russian JSON errors everywhere, body limits before reading,
free text without control characters, explicit «mark all read», SMS codes limited per client."""

import asyncio
import json
import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from ag_app.api import deps
from ag_app.api.guard import BodyLimitMiddleware, reflex_transformer
from ag_app.db import transaction
from ag_app.domain.limits import BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES
from ag_app.models import FeedbackTicket, LoginCode
from ag_app.services import notifications
from ag_app.settings import get_settings
from tests.factories import make_user, open_session

TOO_LARGE_1MB = {"detail": "Запрос слишком большой: не больше 1 МБ."}


def bearer(session, user, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


# ---------------------------------------------------------------------------------------------
# Every error is {"detail": "<русское сообщение>"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "detail"),
    [
        ("get", "/api/v1/no/such/route", {}, 404, "Такого адреса в API нет."),
        (
            "post",
            "/api/v1/polls",
            {"json": {}},
            405,
            "Этот метод запроса не поддерживается по данному адресу.",
        ),
        ("delete", "/api/v1/auth/code", {}, 405, "Этот метод запроса не поддерживается по данному адресу."),
        (
            "post",
            "/api/v1/auth/code",
            {"content": b'{"phone": ', "headers": {"content-type": "application/json"}},
            422,
            "Тело запроса не разобрано: ожидается корректный JSON.",
        ),
        ("post", "/api/v1/auth/code", {"json": {}}, 422, "Некорректный запрос: не заполнено поле «phone»."),
        (
            "post",
            "/api/v1/auth/code",
            {"json": {"phone": ["+79161234567"]}},
            422,
            "Некорректный запрос: поле «phone» заполнено неверно.",
        ),
    ],
)
def test_framework_errors_are_russian_json(client, method, path, kwargs, status, detail):
    response = client.request(method, path, **kwargs)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"detail": detail}


def test_an_unhandled_exception_is_a_russian_500_logged_without_body_or_headers(client, caplog):
    def broken_clock():
        raise RuntimeError("boom")

    client.app.dependency_overrides[deps.clock] = broken_clock
    client = TestClient(client.app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/api/v1/auth/code?token=QUERY-SECRET",
            json={"phone": "BODY-SECRET"},
            headers={"Authorization": "Bearer HEADER-SECRET", "Cookie": "ag_session=COOKIE-SECRET"},
        )
    assert (response.status_code, response.json()) == (
        500,
        {"detail": "Внутренняя ошибка сервера. Попробуйте позже."},
    )
    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
    )
    assert "POST /api/v1/auth/code" in logged and "RuntimeError: boom" in logged
    for secret in ("QUERY-SECRET", "BODY-SECRET", "HEADER-SECRET", "COOKIE-SECRET"):
        assert secret not in logged


def test_openapi_documents_the_error_format_for_every_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["components"]["schemas"]["ErrorOut"] == {
        "description": "Every error answer of the API: one Russian sentence for the user.",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
        "title": "ErrorOut",
        "type": "object",
    }
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    operations = [(path, op) for path, item in doc["paths"].items() for op in item.values()]
    assert len(operations) > 50
    for path, op in operations:
        for status in ("422", "4XX", "5XX"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)


# ---------------------------------------------------------------------------------------------
# Body size limits


def test_a_declared_large_body_is_refused_before_it_is_read(client):
    response = client.post(
        "/api/v1/auth/code",
        content=b"x" * (BODY_LIMIT_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert (response.status_code, response.json()) == (413, TOO_LARGE_1MB)


def test_a_chunked_large_body_is_refused_as_it_streams(client):
    def chunks():
        for _ in range(40):  # 40 × 64 KB = 2.5 MB, no Content-Length
            yield b" " * 65536

    response = client.post(
        "/api/v1/auth/code", content=chunks(), headers={"content-type": "application/json"}
    )
    assert (response.status_code, response.json()) == (413, TOO_LARGE_1MB)


def test_a_body_within_the_limit_is_served(client):
    body = json.dumps({"phone": "+7 916 123-45-67", "pad": " " * 500_000})
    assert (
        client.post(
            "/api/v1/auth/code", content=body, headers={"content-type": "application/json"}
        ).status_code
        == 202
    )


class _Recorder:
    """A stand-in for Reflex's ASGI app: records what reached it and how much body it read."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.read = 0

    async def __call__(self, scope, receive, send):
        self.calls.append(scope["path"])
        if scope["type"] == "http":
            more = True
            while more:
                message = await receive()
                self.read += len(message.get("body", b""))
                more = message.get("more_body", False)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"reflex"})


@pytest.fixture
def mounted(client):
    """The API mounted in front of a recorder the way Reflex mounts it (``api_transformer``)."""
    inner = _Recorder()
    return TestClient(reflex_transformer(client.app)(inner)), inner


def test_unknown_api_paths_never_fall_through_to_reflex(mounted):
    app, inner = mounted
    response = app.get("/api/v1/polls/1/nonsense")
    assert (response.status_code, response.json()) == (404, {"detail": "Такого адреса в API нет."})
    assert app.put("/api/v1/polls").status_code == 405
    assert inner.calls == []
    assert app.get("/polls").text == "reflex"
    assert inner.calls == ["/polls"]


def test_uploads_have_the_20_mb_limit_and_other_reflex_paths_1_mb(mounted):
    app, inner = mounted
    five_mb = b"x" * (5 * 1024 * 1024)
    assert app.post("/_upload", content=five_mb).text == "reflex"
    assert inner.read == len(five_mb)
    inner.read = 0
    big = app.post(
        "/_upload", content=b"", headers={"content-length": str(UPLOAD_LIMIT_BYTES + 10 * 1024 * 1024)}
    )
    assert (big.status_code, big.json()) == (413, {"detail": "Запрос слишком большой: не больше 20 МБ."})
    other = app.post("/anything", content=b"x" * (BODY_LIMIT_BYTES + 1))
    assert (other.status_code, other.json()) == (413, TOO_LARGE_1MB)
    assert inner.read == 0


def test_the_app_never_sees_a_body_declared_too_large():
    inner = _Recorder()
    sent: list[dict] = []
    received = []

    async def receive():
        received.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": "/_upload",
        "method": "POST",
        "headers": [(b"content-length", b"31457280")],
    }
    asyncio.run(BodyLimitMiddleware(inner)(scope, receive, send))
    assert inner.calls == [] and received == []
    assert sent[0]["status"] == 413


# ---------------------------------------------------------------------------------------------
# Free text


@pytest.mark.parametrize(
    "text", ["Сломалось\x00 совсем, помогите", "Текст \x1b[2J\x1b[H очистка", "Файл \u202egpj.exe прислали"]
)
def test_feedback_with_control_characters_is_refused_and_not_stored(client, engine, session, now, text):
    user = make_user(session)
    response = client.post(
        "/api/v1/me/feedback", json={"topic": "other", "text": text}, headers=bearer(session, user, now)
    )
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "Текст содержит недопустимые управляющие символы. Уберите их и повторите."},
    )
    with transaction(engine) as s:
        assert s.exec(select(FeedbackTicket)).all() == []


def test_feedback_keeps_line_breaks_and_tabs(client, session, now):
    user = make_user(session)
    text = "Первая строка\nвторая\tс табуляцией"
    response = client.post(
        "/api/v1/me/feedback", json={"topic": "other", "text": text}, headers=bearer(session, user, now)
    )
    assert response.status_code == 201
    assert response.json()["text"] == text


# ---------------------------------------------------------------------------------------------
# Notifications: «all» must be explicit


def test_marking_read_needs_ids_or_an_explicit_all(client, engine, session, now):
    user = make_user(session)
    headers = bearer(session, user, now)
    with transaction(engine) as s:
        for i in range(3):
            notifications.notify(s, user_id=user.id, title=f"Уведомление {i}", now=now + timedelta(minutes=i))
    ids = [n["id"] for n in client.get("/api/v1/me/notifications", headers=headers).json()["items"]]
    refused = {
        "detail": "Укажите номера уведомлений (ids) или «all»: true, чтобы отметить все.",
    }
    for body in ({}, {"all": False}, {"id": None}, {"ids": []}, {"all": True, "id": ids[0]}):
        response = client.post("/api/v1/me/notifications/read", json=body, headers=headers)
        assert (response.status_code, response.json()) == (422, refused), body
    unknown = client.post("/api/v1/me/notifications/read", json={"foo": 1}, headers=headers)
    assert (unknown.status_code, unknown.json()) == (
        422,
        {"detail": "Некорректный запрос: поле «foo» не предусмотрено."},
    )
    assert client.get("/api/v1/me/notifications", headers=headers).json()["unread"] == 3
    assert client.post("/api/v1/me/notifications/read", json={"ids": ids[:2]}, headers=headers).json() == {
        "unread": 1
    }
    assert client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers).json() == {
        "unread": 0
    }


# ---------------------------------------------------------------------------------------------
# SMS codes per client


def _phone(i: int) -> str:
    return f"+7916{i:07d}"


def test_a_code_flood_from_one_client_is_limited_then_banned(client, engine, clock, now, monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxy_hops", 1)
    flood = {"X-Forwarded-For": "203.0.113.9"}
    for i in range(10):
        assert client.post("/api/v1/auth/code", json={"phone": _phone(i)}, headers=flood).status_code == 202
    refused = client.post("/api/v1/auth/code", json={"phone": _phone(99)}, headers=flood)
    assert refused.status_code == 429
    assert refused.json()["detail"] == (
        "Слишком много запросов кода с вашего устройства. Повторите после 13:00 по московскому времени."
    )
    # Another client is not affected, and the flooding client's phones can still be reached from it.
    assert (
        client.post(
            "/api/v1/auth/code", json={"phone": _phone(99)}, headers={"X-Forwarded-For": "198.51.100.1"}
        ).status_code
        == 202
    )
    # Keep flooding hour after hour: after 30 codes within a day the address is banned for the day.
    for hour in (1, 2):
        clock["now"] = now + timedelta(hours=hour, minutes=1)
        for i in range(10):
            phone = _phone(100 * hour + i)
            assert client.post("/api/v1/auth/code", json={"phone": phone}, headers=flood).status_code == 202
    clock["now"] = now + timedelta(hours=5)
    banned = client.post("/api/v1/auth/code", json={"phone": _phone(7777)}, headers=flood)
    assert banned.status_code == 429
    assert "Повторите после 21.11.2026 12:00" in banned.json()["detail"]  # 24 h after the flood began
    clock["now"] = now + timedelta(hours=24, minutes=1)
    assert client.post("/api/v1/auth/code", json={"phone": _phone(7777)}, headers=flood).status_code == 202
    # Only a keyed hash of the address is stored.
    with transaction(engine) as s:
        hashes = {c.client_hash for c in s.exec(select(LoginCode)).all()}
    assert len(hashes) == 2 and all(len(h) == 64 and "203.0.113" not in h for h in hashes)


def test_forwarded_for_is_ignored_without_trusted_proxies(client):
    # Without AG_TRUSTED_PROXY_HOPS a client cannot dodge the limit by writing X-Forwarded-For.
    for i in range(10):
        headers = {"X-Forwarded-For": f"198.51.100.{i}"}
        assert client.post("/api/v1/auth/code", json={"phone": _phone(i)}, headers=headers).status_code == 202
    assert (
        client.post(
            "/api/v1/auth/code", json={"phone": _phone(50)}, headers={"X-Forwarded-For": "1.1.1.1"}
        ).status_code
        == 429
    )


# ---------------------------------------------------------------------------------------------
# The login page counts the browser's address too


def _login_tab(ip: str):
    from reflex.state import State

    from ag_app.state.login import LoginState

    root = State(_reflex_internal_init=True)
    root._update_router_vars({"ip": ip, "token": "tab-token", "sid": "sid"}, {})
    return root.substates[LoginState.get_name()]


def test_the_login_page_limits_codes_per_browser_address(app_engine):
    from ag_app.state.login import LoginState

    flood = _login_tab("203.0.113.77")
    for i in range(10):
        asyncio.run(LoginState.request_code.fn(flood, {"phone": _phone(300 + i)}))
        assert flood.error == "" and flood.code_sent
    asyncio.run(LoginState.request_code.fn(flood, {"phone": _phone(399)}))
    assert flood.error.startswith("Слишком много запросов кода с вашего устройства. Повторите после ")
    other = _login_tab("2001:db8:5::1")
    asyncio.run(LoginState.request_code.fn(other, {"phone": _phone(399)}))
    assert other.error == ""
    # Loopback is exempt where AG_OTP_EXEMPT_CLIENTS lists it (the tests, as `make run`: load tests).
    local = _login_tab("127.0.0.1")
    for i in range(12):
        asyncio.run(LoginState.request_code.fn(local, {"phone": _phone(500 + i)}))
        assert local.error == ""


# ---------------------------------------------------------------------------------------------
# Demo mode off: commands that need no secret still run


def test_without_demo_mode_migrate_runs_and_seed_asks_for_a_secret(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ag_app.cli import app

    monkeypatch.setattr(get_settings(), "demo_mode", False)
    monkeypatch.setattr(get_settings(), "secret_key", "dev-secret-change-me")
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["migrate", "--url", url]).exit_code == 0
    refused = runner.invoke(app, ["seed", "--url", url, "--residents", "10", "--ballots", "10"])
    assert refused.exit_code == 2
    assert "Задайте AG_SECRET_KEY" in refused.output


def test_the_app_wires_the_limits_the_redaction_and_the_russian_toast():
    import logging as stdlib_logging

    from ag_app import logsafe
    from ag_app.ag_app import app
    from ag_app.components.error_boundary import russian_error_boundary
    from ag_app.state.errors import backend_exception_handler, frontend_exception_handler

    assert app.sio.eio.max_http_buffer_size == BODY_LIMIT_BYTES
    assert app.backend_exception_handler is backend_exception_handler
    # Issue 17: browser errors logged by kind only; a page that fails to render is explained in Russian.
    assert app.frontend_exception_handler is frontend_exception_handler
    assert app.app_wraps[55, "ErrorBoundary"] is russian_error_boundary
    record = stdlib_logging.getLogger("reflex.app").makeRecord(
        "reflex.app", stdlib_logging.WARNING, __file__, 1, "Event data: {'cookie': 'S'}", (), None
    )
    assert logsafe._installed and "'S'" not in record.getMessage()
