"""The notification centre: newest first; mark one or all as read."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.services import notifications
from ag_app.state import fmt
from ag_app.state.base import SessionState, UserPageMixin, actor_of, call, holds_user_data, now

LIMIT = 100


@holds_user_data
class NotificationsState(UserPageMixin, rx.State):
    """The logged-in user's notifications; guests are sent to the login page."""

    loaded: bool = False
    # Rows: id, title, body, link, date, read ("1"/"").
    items: list[dict[str, str]] = []
    unread: int = 0

    async def _fill(self, actor: int) -> None:
        rows = await call(notifications.list_notifications, actor_id=actor, limit=LIMIT)
        self.items = [
            {
                "id": str(n.id),
                "title": n.title,
                "body": n.body,
                "link": n.link if n.link.startswith("/") else "",
                "date": fmt.when(n.created_at),
                "read": "1" if n.read else "",
            }
            for n in rows
        ]
        self.unread = sum(1 for n in rows if not n.read)
        self.loaded = True

    @rx.event
    async def load(self):
        """Open the page: guests go to the login page."""
        return await self._open()

    async def _mark(self, notification_id: int | None):
        self._clear_feedback()
        actor = await actor_of(self)
        try:
            await call(notifications.mark_read, actor_id=actor, notification_id=notification_id, now=now())
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
            return
        return SessionState.refresh

    @rx.event
    async def mark_read(self, notification_id: str):
        """Mark one notification as read."""
        wanted = id_or_none(notification_id)
        if wanted is None:
            return
        return await self._mark(wanted)

    @rx.event
    async def mark_all_read(self):
        """Mark every notification as read."""
        return await self._mark(None)
