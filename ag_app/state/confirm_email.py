"""The e-mail confirmation link target (works without logging in)."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.i18n import message
from ag_app.services import profile
from ag_app.state.base import FeedbackMixin, call, now


class ConfirmEmailState(FeedbackMixin, rx.State):
    """Confirms the address of the token in ``?token=`` once the page opens."""

    done: bool = False

    @rx.event
    async def load(self):
        """Confirm the e-mail of the link's token."""
        self._clear_feedback()
        self.done = False
        token = self.router.url.query_parameters.get("token", "").strip()
        try:
            await call(profile.confirm_email, token=token[:500], now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.done = True
        self.notice = message("ui.confirm_email.adres_elektronnoi_pochty_podtverzhden_spasibo")
