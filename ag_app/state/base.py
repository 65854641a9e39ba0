"""The login session and the bridge from event handlers to services.

Identity lives server-side: the browser holds only an opaque session token in a cookie; every
handler resolves it again through :func:`SessionState._actor_id`, so a revoked or expired session
stops working at once and no handler ever trusts an id sent by the client.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import reflex as rx

from ag_app.db import is_read, run_in_transaction
from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import DomainError
from ag_app.domain.return_path import LOGIN_PATH, login_path
from ag_app.settings import get_settings
from ag_app.state.guard import GuardedState

T = TypeVar("T")

SESSION_COOKIE = "ag_session"

# States that hold one user's data; they are reset when the session ends (see ``holds_user_data``).
USER_DATA_STATES: list[type[rx.State]] = []


def holds_user_data(state_class: type[rx.State]) -> type[rx.State]:
    """Mark a state class whose vars belong to the logged-in user: logout and deactivation reset it,
    so the next person at the same browser never sees them."""
    USER_DATA_STATES.append(state_class)
    return state_class


def now() -> datetime:
    """The current instant (read per event, never at build time)."""
    return datetime.now(UTC)


async def call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run one use case in its own transaction on a worker thread (never blocks the event loop).

    A service marked with :func:`ag_app.db.reads` runs in a read-only transaction (no lock on
    SQLite); any other in a write transaction, writers on SQLite waiting for their turn in
    arrival order.
    """
    return await run_in_transaction(partial(fn, **kwargs), read=is_read(fn))


class SessionState(GuardedState, rx.State):
    """Who is logged in, resolved from the session cookie on every use."""

    # The opaque session token; the server keeps only its hash (with expiry and revocation).
    auth_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        max_age=get_settings().session_days * 24 * 3600,
        same_site="lax",
        secure=get_settings().public_url.startswith("https://"),
    )
    logged_in: bool = False
    display_name: str = ""
    roles: list[str] = []
    # What the user may do beyond a resident (``ag_app.domain.roles.Capability`` values), read from
    # the server on every page load; the menus are built from it, the services check it again.
    capabilities: list[str] = []
    unread: int = 0
    # «Войти» in the header: the login page, asked to bring the visitor back to this page.
    login_href: str = LOGIN_PATH
    # Moscow day («YYYY-MM-DD») of the last recorded daily visit of this browser session.
    _visit_day: str = ""

    async def _actor_id(self) -> int | None:
        """The user id of the valid session behind the cookie, or None."""
        if not self.auth_token:
            return None
        from ag_app.services.auth import user_id_for_token

        return await call(user_id_for_token, token=self.auth_token, now=now())

    def _forget(self) -> None:
        self.logged_in, self.display_name, self.roles, self.unread = False, "", [], 0
        self.capabilities = []
        self._visit_day = ""

    @rx.event
    async def refresh(self):
        """Reload the header facts (name, roles, capabilities, unread notifications, where «Войти» leads)
        for the current session.

        Also records the daily visit (3 points once per Moscow day) the first time a logged-in
        user opens a page on a new day.
        """
        from ag_app.services.notifications import unread_count
        from ag_app.services.points import record_visit
        from ag_app.services.profile.views import get_profile

        self.login_href = login_path(here_path(self))
        actor = await self._actor_id()
        if actor is None:
            self._forget()
            return
        moment = now()
        try:
            today = moscow_date(moment).isoformat()
            if self._visit_day != today:
                await call(record_visit, actor_id=actor, now=moment)
                self._visit_day = today
            profile = await call(get_profile, actor_id=actor, now=moment)
            self.unread = await call(unread_count, actor_id=actor)
        except DomainError:
            self._forget()
            return
        self.logged_in = True
        self.display_name = " ".join(p for p in (profile.first_name, profile.last_name) if p) or profile.phone
        self.roles = list(profile.roles)
        self.capabilities = list(profile.capabilities)

    def _set_token(self, token: str) -> None:
        """Remember a new session token (called by the login state after a successful login; server-side only)."""
        self.auth_token = token
        self._visit_day = ""

    async def _end_session(self) -> None:
        """Forget the cookie and every user-data state of this browser tab."""
        self.auth_token = ""
        self._forget()
        for state_class in USER_DATA_STATES:
            (await self.get_state(state_class)).reset()

    @rx.event
    async def logout(self):
        """End the session on the server and forget the cookie and the user's data in this tab."""
        from ag_app.services.auth import logout

        if self.auth_token:
            await call(logout, token=self.auth_token, now=now())
        await self._end_session()
        return rx.redirect("/")


def form_text(form: object, key: str, limit: int = 300) -> str | None:
    """A text field of a submitted form; None when it is missing, not text or longer than ``limit``."""
    if not isinstance(form, dict):
        return None
    value = form.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        return None
    return value


def here_path(state: rx.State) -> str:
    """The local path (with its query) of the page ``state`` serves."""
    url = state.router.url
    return url.path + (f"?{url.query}" if url.query else "")


def to_login(state: rx.State) -> rx.event.EventSpec:
    """Send a guest to the login page, which brings them back to this page afterwards."""
    return rx.redirect(login_path(here_path(state)))


async def actor_of(state: rx.State) -> int | None:
    """The logged-in user behind ``state``'s browser session (resolved server-side), or None."""
    return await (await state.get_state(SessionState))._actor_id()


class FeedbackMixin(GuardedState, mixin=True):
    """An error and a success message shown in the page's alert region."""

    # Russian message of the last refused action (``str(DomainError)``).
    error: str = ""
    # Russian confirmation of the last successful action.
    notice: str = ""

    def _clear_feedback(self) -> None:
        self.error = ""
        self.notice = ""


class UserPageMixin(FeedbackMixin, mixin=True):
    """A page of the logged-in user's own data, filled by the state's ``_fill(actor)``."""

    async def _open(self):
        """Fill the page for the logged-in user; a guest gets nothing and is sent to the login page."""
        self._clear_feedback()
        actor = await actor_of(self)
        if actor is None:
            self.reset()
            return to_login(self)
        try:
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
