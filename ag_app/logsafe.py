"""Logs never carry what a client sent: no cookies, headers, tokens or event payloads.

Reflex logs a websocket event it cannot route (an unknown handler name) with the whole event — its
router data holds the request headers with the session cookie — and the exception messages of
failing handlers often quote the payload (``invalid literal for int(): '…'``). A client controls
all of it, so a 500 KB event would also grow the log by 500 KB. Every record of the web stack's
loggers is rewritten when it is created: an event becomes its handler name, event data, cookies,
authorization headers and tokens are replaced by «<скрыто>», control characters are escaped, the
message is capped, and a traceback keeps its frames and exception types but not exception messages
longer than a short line.
"""

import logging
import re
import traceback
from types import TracebackType

# Loggers of the web stack whose records may quote what a client sent.
WEB_LOGGERS = ("reflex", "reflex_base", "reflex_components", "socketio", "engineio", "granian", "uvicorn")
HIDDEN = "<скрыто>"
MESSAGE_LIMIT = 1000
EXCEPTION_TEXT_LIMIT = 200
_NAME_LIMIT = 120

_EVENT_REPR = re.compile(r"Event\(.*", re.DOTALL)
_EVENT_NAME = re.compile(r"""name=(['"])(.{0,300}?)\1""", re.DOTALL)
_EVENT_DATA = re.compile(r"((?:event|Event) data\s*:?)\s.*", re.DOTALL)
_SECRET_ITEM = re.compile(
    r"""(['"]?(?:cookie|authorization|token|client_token|x-forwarded-for)['"]?\s*[:=]\s*)"""
    r"""(?:'[^']*'|"[^"]*"|[^,}\s]+)""",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_controls(text: str) -> str:
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} символов скрыто)"


def redact(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` without event payloads, cookies, headers or tokens; control characters escaped;
    at most ``limit`` characters."""
    match = _EVENT_REPR.search(text)
    if match:
        name = _EVENT_NAME.search(match.group())
        handler = _cap(name.group(2), _NAME_LIMIT) if name else "?"
        text = f"{text[: match.start()]}<событие {handler!r}: данные {HIDDEN}>"
    text = _EVENT_DATA.sub(lambda m: f"{m.group(1)} {HIDDEN}", text)
    text = _SECRET_ITEM.sub(lambda m: f"{m.group(1)}{HIDDEN}", text)
    return _cap(_escape_controls(text), limit)


def safe_traceback(exc: BaseException, tb: TracebackType | None = None, *, texts: bool = True) -> str:
    """The traceback of ``exc`` (and its causes): frames and exception types, each exception's own
    text redacted and cut to a short line (it may quote what the client sent) — or, with
    ``texts=False``, left out altogether."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(
            traceback.format_tb(tb if current is exc and tb is not None else current.__traceback__)
        )
        detail = f": {redact(str(current), EXCEPTION_TEXT_LIMIT)}" if texts else f" {HIDDEN}"
        parts.append(f"Traceback (most recent call last):\n{frames}{type(current).__name__}{detail}")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\n\nЭто исключение вызвало следующее:\n\n".join(reversed(parts))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a web-stack record in place: redacted message, traceback folded into it."""
    if not record.name.startswith(WEB_LOGGERS):
        return record
    try:
        text = record.getMessage()
    except (TypeError, ValueError):  # a malformed format string: keep the template only
        text = str(record.msg)
    text = redact(text)
    if record.exc_info and record.exc_info[1] is not None:
        text = f"{text}\n{safe_traceback(record.exc_info[1], record.exc_info[2])}"
        record.exc_info = None
        record.exc_text = None
    record.msg, record.args = text, ()
    return record


_installed = False


def install() -> None:
    """Redact every record of the web stack's loggers from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True
