"""The API's answer to anything unexpected: Russian JSON errors, body size limits, the mount into Reflex.

Every answer under ``/api/v1`` that is not a success is ``{"detail": "<русское сообщение>"}``: domain
refusals, validation errors, malformed JSON, unknown paths (404), wrong methods (405), bodies over the
limit (413) and unhandled exceptions (500, logged with the method and path only — never the body,
the headers or the query string, which may carry tokens).
"""

import json
import logging
import re
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ag_app.api.params import NUMBER_ERROR
from ag_app.domain.errors import DomainError
from ag_app.domain.limits import BODY_LIMIT_BYTES, UPLOAD_ENVELOPE_BYTES, UPLOAD_LIMIT_BYTES, megabytes
from ag_app.i18n import message

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
# Reflex's upload endpoint (staff registry CSV files); everything else gets the 1 MB limit.
UPLOAD_PATH = "/_upload"
# API routes that take a staff file (the promo vote file) get the upload limit too.
_API_UPLOADS = re.compile(rf"^{API_PREFIX}/promo/campaigns/[^/]+/votes$")


class ErrorOut(BaseModel):
    """Every error answer of the API: one Russian sentence for the user."""

    detail: str


# Documented for every operation (the OpenAPI document says what the API really sends).
ERROR_RESPONSES: dict[int | str, dict] = {
    422: {"model": ErrorOut, "description": "Некорректный запрос (русское сообщение)"},
    "4XX": {"model": ErrorOut, "description": "Ошибка запроса (русское сообщение)"},
    "5XX": {"model": ErrorOut, "description": "Ошибка сервера (русское сообщение)"},
}

_STATUS_KEYS = {404: "http.not_found", 405: "http.method_not_allowed", 500: "http.server_error"}


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """``{"detail": detail}`` with ``status``."""
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path", "header")) or "запрос"


def validation_message(exc: RequestValidationError) -> str:
    """A Russian sentence for the first problem of a request: malformed JSON, a missing, unknown or
    invalid field."""
    first = exc.errors()[0] if exc.errors() else {}
    kind = first.get("type", "")
    if kind == "json_invalid":
        return message("http.json_invalid")
    field = _field_name(tuple(first.get("loc", ())))
    if kind == "extra_forbidden":
        return message("http.field_unknown", field=field)
    if kind == "missing":
        return message("http.field_missing", field=field)
    if kind == NUMBER_ERROR:
        return message("number.field_invalid", field=field, **first.get("ctx", {}))
    return message("http.field_invalid", field=field)


class BodyTooLarge(StarletteHTTPException):
    """The request body exceeds the limit of its path (raised while the body is received)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=message("http.body_too_large", limit=megabytes(limit)))


def http_error_detail(status: int) -> str:
    """The Russian text of a framework HTTP error (404, 405, …)."""
    if status in _STATUS_KEYS:
        return message(_STATUS_KEYS[status])
    return message("http.error", status=status)


def install_error_handlers(api: FastAPI) -> None:
    """Turn every error into ``{"detail": "<русское сообщение>"}``."""

    @api.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_message(exc))

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc, BodyTooLarge) else http_error_detail(exc.status_code)
        return error_response(exc.status_code, detail, exc.headers)

    # Innermost user middleware: catches what the exception handlers did not (the 500s).
    api.add_middleware(UnhandledErrorMiddleware)
    # Outermost: refuses a large body before the application reads it.
    api.add_middleware(BodyLimitMiddleware)


def _body_limit(path: str) -> int:
    if path == UPLOAD_PATH or path.startswith(UPLOAD_PATH + "/") or _API_UPLOADS.match(path):
        return UPLOAD_LIMIT_BYTES + UPLOAD_ENVELOPE_BYTES
    return BODY_LIMIT_BYTES


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over the limit of their path with 413 before they are read.

    A declared ``Content-Length`` over the limit is refused without calling the application; a
    chunked (or understated) body is counted as it streams and refused as soon as it passes the
    limit — whatever the application answered meanwhile is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int] = _body_limit) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared == -1:
            await _send_json(send, 400, message("http.content_length_invalid"))
            return
        if declared is not None and declared > limit:
            await _send_json(send, 413, message("http.body_too_large", limit=megabytes(limit)))
            return
        received = 0
        overflow = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, overflow
            if overflow:
                raise BodyTooLarge(limit)
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    overflow = True
                    raise BodyTooLarge(limit)
            return msg

        async def guarded_send(msg: Message) -> None:
            nonlocal started
            if overflow:
                return  # the application's own answer to the overflow is replaced below
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not overflow:
                raise
        if overflow and not started:
            await _send_json(send, 413, message("http.body_too_large", limit=megabytes(limit)))


def _content_length(scope: Scope) -> int | None:
    """The declared body size; None when absent, -1 when malformed."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else -1
    return None


class UnhandledErrorMiddleware:
    """An unhandled exception becomes a Russian 500; the log names the method and path only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, receive, tracking_send)
        except BodyTooLarge:
            raise
        except Exception:
            # exc_info gives the traceback; the request's body, headers and query are never logged.
            logger.exception("Необработанная ошибка API: %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _send_json(send, 500, message("http.server_error"))


def _is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def reflex_transformer(api: FastAPI) -> Callable[[ASGIApp], ASGIApp]:
    """The ``api_transformer`` for Reflex: ``/api/v1…`` goes to the API only (its own 404/405, never
    Reflex's HTML pages); everything else to Reflex, behind the body limit (uploads: 20 MB)."""

    def transform(reflex_app: ASGIApp) -> ASGIApp:
        limited = BodyLimitMiddleware(reflex_app)

        async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket") and _is_api_path(scope.get("path", "")):
                await api(scope, receive, send)
            else:
                await limited(scope, receive, send)

        return dispatch

    return transform
