"""What a visitor sees, and what the log keeps, when an event handler crashes.

Reflex's default shows an English toast («An error occurred.») and logs the exception text, which
often quotes what the client sent. Here the visitor gets a Russian message and the log gets the
traceback's frames and exception types only, never the exception texts
(:func:`ag_app.logsafe.safe_traceback`).
"""

import logging

import reflex as rx
from reflex.event import EventSpec

from ag_app.i18n import message
from ag_app.logsafe import safe_traceback

logger = logging.getLogger(__name__)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log a crashed handler without its payload; show the visitor a Russian error toast."""
    logger.error("Ошибка обработчика события:\n%s", safe_traceback(exception, texts=False))
    return rx.toast.error(message("ui.server_error"), position="top-center", duration=8000)
