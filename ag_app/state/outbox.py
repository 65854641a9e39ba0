"""The SMS / e-mail outbox page (demo mode only: «не найдено» otherwise)."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.i18n import label
from ag_app.services import notifications
from ag_app.settings import get_settings
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call


class OutboxState(FeedbackMixin, rx.State):
    """Messages sent to one phone number or e-mail address, newest first."""

    recipient: str = ""
    # Rows: channel (СМС / E-mail), recipient, subject, body, created_at (formatted).
    messages: list[dict[str, str]] = []
    searched: bool = False
    # False outside demo mode: the page shows «Страница не найдена.» and no form.
    available: bool = True

    async def _search(self) -> None:
        self._clear_feedback()
        actor = await actor_of(self)
        try:
            rows = await call(notifications.outbox, actor_id=actor, phone=self.recipient, limit=50)
        except DomainError as error:
            self.error = str(error)
            self.messages = []
            return
        self.searched = True
        self.messages = [
            {
                "id": str(row.id),
                "channel": label("ui.outbox.sms") if row.channel == "sms" else label("outbox.channel_email"),
                "recipient": row.recipient,
                "subject": row.subject,
                "body": row.body,
                "created_at": fmt.when(row.created_at),
            }
            for row in rows
        ]

    @rx.event
    async def load(self):
        """Open the page; ``?phone=`` shows that number's messages at once."""
        self.recipient = self.router.url.query_parameters.get("phone", "").strip()[:254]
        self.messages = []
        self.searched = False
        self.available = get_settings().demo_mode
        if not self.available:
            self.recipient = ""
            self._clear_feedback()
            return
        if self.recipient:
            await self._search()
        else:
            self._clear_feedback()

    @rx.event
    async def search(self, form: dict):
        """Show the messages sent to the phone or e-mail of the form."""
        self.recipient = str(form.get("recipient", "")).strip()[:254]
        await self._search()
