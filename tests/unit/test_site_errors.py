"""A crash is shown to the visitor in Russian and logged without what the visitor sent."""

import logging

import pytest

from ag_app.components.error_boundary import russian_error_boundary
from ag_app.state.errors import backend_exception_handler, frontend_exception_handler


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def logged():
    handler = _Keep()
    logger = logging.getLogger("ag_app.state.errors")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _js_text(component) -> str:
    """The compiled JavaScript of ``component`` with its \\uXXXX escapes decoded."""
    return str(component).encode().decode("unicode_escape")


@pytest.mark.parametrize(
    ("report", "kind"),
    [
        ("[SID: abc123] TypeError: Ivanov Ivan +79161234567 is not a function", "TypeError"),
        ("RangeError: Ivanov Ivan +79161234567\n    at render (https://x/app.js:1:2)", "RangeError"),
        ("Ivanov Ivan +79161234567 without a kind", "unknown"),
    ],
)
def test_a_browser_error_is_logged_by_its_kind_never_its_message(logged, report, kind):
    frontend_exception_handler(Exception(report))
    assert len(logged) == 1
    assert kind in logged[0]
    assert "Ivanov" not in logged[0] and "79161234567" not in logged[0]


def test_a_crashing_handler_answers_with_a_russian_error_toast(logged):
    sent = "+79161234567"  # what a client sent
    try:
        {}[sent]
    except KeyError as exc:
        spec = backend_exception_handler(exc)
    shown = _js_text(" ".join(str(value) for _, value in spec.args))
    assert "refs['__toast']?.[\"error\"]" in shown  # an error toast, not a bare alert
    assert "Не удалось выполнить действие из-за ошибки на сервере" in shown
    assert "An error occurred" not in shown and "Contact the website administrator" not in shown
    assert "KeyError" in logged[0] and "79161234567" not in logged[0]


def test_a_page_that_fails_to_render_shows_a_russian_screen():
    text = _js_text(russian_error_boundary(True))
    assert "Страница не открылась из-за ошибки" in text
    assert "Обновить страницу" in text
    assert "An error occurred" not in text and "Copy" not in text
    # The error still reaches the server's frontend exception handler.
    assert "handle_frontend_exception" in text
