"""After logging in from a protected page the user returns to it (issue 17: they landed on
``/polls``); a ``next`` pointing to another site is ignored."""

import asyncio
import re

from reflex.istate.data import RouterData
from reflex.state import State
from sqlmodel import Session, select

from ag_app.models import OutboxMessage
from ag_app.state.login import LoginState
from ag_app.state.profile import ProfileState
from tests.factories import make_user

PHONE = "+79161234500"


def _at(state, path: str) -> None:
    """Open ``state``'s page at ``path`` (with its query string) as the browser would."""
    state.router = RouterData.from_router_data(
        {"pathname": path.split("?")[0], "asPath": path, "query": {}, "headers": {}, "ip": "127.0.0.1"}
    )


def _redirect_target(events) -> str:
    """The path of the ``rx.redirect`` among the events a handler returned."""
    events = events if isinstance(events, list) else [events]
    for event in events:
        handler = getattr(event, "handler", None)
        if handler is not None and getattr(handler.fn, "__qualname__", "") == "_redirect":
            return {str(name): value._var_value for name, value in event.args}["path"]
    raise AssertionError(f"no redirect in {events!r}")


def _code(engine) -> str:
    with Session(engine) as s:
        body = s.exec(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == PHONE)
            .order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def _log_in(app_engine, next_value: str) -> str:
    """Open the login page with ``?next=``, log in with the SMS code; where the browser is sent."""
    page = State(_reflex_internal_init=True).substates[LoginState.get_name()]
    _at(page, f"/login?next={next_value}")
    asyncio.run(LoginState.load.fn(page))
    asyncio.run(LoginState.request_code.fn(page, {"phone": PHONE}))
    assert page.error == ""
    return _redirect_target(asyncio.run(LoginState.login.fn(page, {"code": _code(app_engine)})))


def test_a_guest_on_a_protected_page_is_sent_to_login_with_the_way_back(app_engine, session):
    page = State(_reflex_internal_init=True).substates[ProfileState.get_name()]
    _at(page, "/profile?tab=children")
    target = _redirect_target(asyncio.run(ProfileState.load.fn(page)))
    assert target == "/login?next=%2Fprofile%3Ftab%3Dchildren"


def test_logging_in_returns_to_the_page_the_user_came_from(app_engine, session):
    make_user(session, phone=PHONE)
    session.commit()
    assert _log_in(app_engine, "%2Fprofile%3Ftab%3Dchildren") == "/profile?tab=children"


def test_a_foreign_next_is_ignored(app_engine, session):
    make_user(session, phone=PHONE)
    session.commit()
    assert _log_in(app_engine, "https%3A%2F%2Fevil.example%2F") == "/polls"
