"""What a visitor sees, and what the log keeps, when an event handler crashes.

Reflex's default shows an English toast («An error occurred.») and logs the exception text, which
often quotes what the client sent. Here the visitor gets a Russian message and the log gets the
traceback's frames and exception types only, never the exception texts
(:func:`ag_app.logsafe.safe_traceback`). Errors reported by the browser are logged by their kind
only, since their message may quote what the visitor typed.
"""

import logging
import re

import reflex as rx
from reflex.event import EventSpec

from ag_app.i18n import label, message
from ag_app.logsafe import safe_traceback

logger = logging.getLogger(__name__)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log a crashed handler without its payload; show the visitor a Russian error toast."""
    logger.error(label("ui.errors.oshibka_obrabotchika_sobytiia_s"), safe_traceback(exception, texts=False))
    return rx.toast.error(message("ui.server_error"), position="top-center", duration=8000)


# "[SID: …] TypeError: message" (a socket report) or "TypeError: message\n    at …" (the error boundary).
_FRONTEND_KIND = re.compile(r"^(?:\[SID: [^\]]*\] )?([A-Za-z_][\w.]{0,60})(?=:)")


def frontend_exception_handler(exception: Exception) -> None:
    """Log a browser-side error by its kind and size, never its message (it may hold personal data)."""
    text = str(exception)
    found = _FRONTEND_KIND.match(text)
    kind = found.group(1) if found else "unknown"
    logger.error(message("ui.errors.oshibka_na_stranitse_v_brauzere"), kind, len(text))
