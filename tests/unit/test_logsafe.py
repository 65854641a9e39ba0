"""Web-stack logs never carry cookies, headers, tokens or event payloads, and stay short."""

import logging

import pytest
from reflex_base.event import Event

from ag_app import logsafe
from ag_app.state.errors import backend_exception_handler

COOKIE = "ag_session=SESSION-TOKEN-42"
PAYLOAD = "P" * 500_000


@pytest.fixture
def records(monkeypatch):
    """Records of the web stack's loggers as written (through the redacting record factory)."""
    monkeypatch.setattr(logsafe, "_installed", False)
    previous = logging.getLogRecordFactory()
    logsafe.install()
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Keep()
    names = ["reflex_base.event.processor.event_processor", "reflex.app", "ag_app.state.errors"]
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield seen
    for name in names:
        logging.getLogger(name).removeHandler(handler)
    logging.setLogRecordFactory(previous)


def _written(record: logging.LogRecord) -> str:
    return logging.Formatter("%(message)s").format(record)


def _hostile_event(name: str = "state.no_such_handler") -> Event:
    return Event(
        name=name,
        router_data={
            "headers": {"cookie": COOKIE, "authorization": "Bearer XYZ"},
            "pathname": "/",
            "token": "client-token-abc",
        },
        payload={"text": PAYLOAD},
    )


def test_an_unknown_handler_event_is_logged_without_cookie_or_payload(records):
    event = _hostile_event()
    logger = logging.getLogger("reflex_base.event.processor.event_processor")
    try:
        try:
            raise KeyError(f"No registered handler found for event: {event.name}")
        except KeyError as ke:
            raise KeyError(f"No registered handler found for event: {event.name}") from ke
    except KeyError:
        # The very line Reflex's event processor logs.
        logger.exception(f"Error processing event queue entry for {event} [txid=1]:")
    [record] = records
    text = _written(record)
    assert "state.no_such_handler" in text and "KeyError" in text
    for secret in ("SESSION-TOKEN-42", "Bearer XYZ", "client-token-abc", "PPPP"):
        assert secret not in text
    assert len(text) < 5000


def test_a_huge_event_name_does_not_grow_the_log(records):
    event = _hostile_event(name="x" * 500_000)
    logging.getLogger("reflex_base.event.processor.event_processor").warning("Event data: %s", event)
    assert len(_written(records[0])) < 2000


def test_event_data_and_control_characters_are_hidden(records):
    logging.getLogger("reflex.app").warning(
        "Received event from session 1 with no associated token. Event data: {'cookie': 'SECRET'}\x1b[2J"
    )
    text = _written(records[0])
    assert "SECRET" not in text and "\x1b" not in text
    assert text.endswith("Event data: <скрыто>")


def test_our_own_logs_are_left_alone(records):
    logging.getLogger("ag_app.state.errors").error("cookie: kept as written")
    assert _written(records[0]) == "cookie: kept as written"


def test_a_crashing_handler_gets_a_russian_toast_and_a_log_without_the_payload(records):
    value = "²" * 1000 + "-".join(["SECRET", "VALUE"])  # what a client sent
    try:
        int(value)
    except ValueError as exc:
        spec = backend_exception_handler(exc)
    text = _written(records[0])
    assert "ValueError" in text and "test_logsafe.py" in text
    assert "SECRET-VALUE" not in text and "²" not in text
    rendered = str(spec.args)
    assert "Не удалось выполнить действие из-за ошибки на сервере" in rendered
    assert "An error occurred" not in rendered
