"""Login and registration by phone and SMS code."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.return_path import safe_return_path
from ag_app.i18n import message
from ag_app.services import auth
from ag_app.settings import get_settings
from ag_app.state.base import FeedbackMixin, SessionState, actor_of, call, now


class LoginState(FeedbackMixin, rx.State):
    """Two steps: the phone gets a code, then phone + code (+ terms for a new phone) log in."""

    # Normalised phone the last code was sent to.
    phone: str = ""
    # Whether a code was sent (shows the second step).
    code_sent: bool = False
    # A new phone: the terms checkbox is required.
    needs_terms: bool = False
    accept_terms: bool = False
    # Referral uid from ``?ref=`` of the invitation link, kept until registration.
    referrer_uid: str = ""
    # The local page (``?next=``) to return to after logging in; "" sends the user to «Голосования».
    return_to: str = ""
    demo_mode: bool = False

    @rx.event
    async def load(self):
        """Open the page: remember ``?ref=`` and a safe ``?next=``; a logged-in user goes on at once."""
        self._clear_feedback()
        self.demo_mode = get_settings().demo_mode
        query = self.router.url.query_parameters
        ref = query.get("ref", "")
        if ref:
            self.referrer_uid = ref[:40]
        self.return_to = safe_return_path(query.get("next")) or ""
        if await actor_of(self) is not None:
            return rx.redirect(self.return_to or "/polls")

    @rx.event
    def set_accept_terms(self, value: bool):
        """Tick or untick «Я принимаю условия оферты»."""
        self.accept_terms = bool(value)

    @rx.event
    async def request_code(self, form: dict):
        """Send a login code by SMS to the phone of the form."""
        self._clear_feedback()
        raw = str(form.get("phone", "")).strip()
        try:
            # The browser's address (Reflex applies AG_TRUSTED_PROXY_HOPS): SMS codes are limited per client.
            client = self.router.session.client_ip
            phone = await call(auth.request_code, phone=raw, now=now(), client=client)
            registered = await call(auth.is_registered, phone=phone)
        except DomainError as error:
            self.error = str(error)
            return
        self.phone = phone
        self.code_sent = True
        self.needs_terms = not registered
        self.notice = message("ui.login.kod_otpravlen_v_sms_na", phone=phone)

    @rx.event
    def change_phone(self):
        """Go back to the first step to use another number."""
        self._clear_feedback()
        self.code_sent = False

    @rx.event
    async def login(self, form: dict):
        """Log in with the code; a new phone registers (needs the terms)."""
        self._clear_feedback()
        code = str(form.get("code", "")).strip()
        try:
            result = await call(
                auth.login,
                phone=self.phone,
                code=code,
                now=now(),
                accept_terms=self.accept_terms,
                referrer_uid=self.referrer_uid,
            )
        except DomainError as error:
            self.error = str(error)
            return
        session = await self.get_state(SessionState)
        session._set_token(result.token)
        self.code_sent = False
        self.accept_terms = False
        self.referrer_uid = ""
        # A new resident fills in the profile first; others go back to the page they came from.
        target = "/profile" if result.is_new else (safe_return_path(self.return_to) or "/polls")
        self.return_to = ""
        return [SessionState.refresh, rx.redirect(target)]
