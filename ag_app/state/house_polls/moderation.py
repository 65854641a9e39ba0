"""``/staff/house-polls``: the moderators' queue of house poll applications."""

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.house_polls import REFUSAL_REASONS
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services import house_polls
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.house_polls.rows import QueueRow, period, question_rows


@holds_user_data
class HouseModerationState(FeedbackMixin, rx.State):
    """``/staff/house-polls``: the moderation queue (moderators and administrators)."""

    loaded: bool = False
    allowed: bool = False
    queue: list[QueueRow] = []
    # Refusal reasons ticked, as «application id:reason key».
    ticked: list[str] = []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            items = await call(house_polls.moderation_queue, actor_id=actor, now=now())
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.queue = False, []
            return
        self.allowed = True
        self.queue = [
            QueueRow(
                id=str(i.id),
                title=i.title,
                kind_name=i.kind_name,
                address=i.address,
                message=i.message,
                audience=", ".join(i.audience_names),
                period=period(i.starts_at, i.ends_at),
                initiator=i.initiator_role_name,
                filed=fmt.when(i.filed_at),
                due=fmt.when(i.due_at),
                overdue=i.overdue,
                calendar_note=("" if i.calendar_known else message("house_poll.page_calendar_unknown")),
                questions=question_rows(i.questions),
            )
            for i in items
        ]
        ids = {row.id for row in self.queue}
        self.ticked = [t for t in self.ticked if t.partition(":")[0] in ids]

    @rx.event
    async def load(self):
        """Load the queue (others see «Недостаточно прав»)."""
        self._clear_feedback()
        self.ticked = []
        await self._reload()
        self.loaded = True

    @rx.event
    def toggle_reason(self, poll_id: str, reason: str, checked: bool):
        """Tick or untick a refusal reason of one application."""
        if str(reason) not in REFUSAL_REASONS:
            return
        key = f"{poll_id}:{reason}"
        rest = [k for k in self.ticked if k != key]
        self.ticked = [*rest, key] if checked else rest

    @rx.event
    async def approve(self, poll_id: str):
        """Approve an application (the service checks the moderator role)."""
        self._clear_feedback()
        wanted = id_or_none(poll_id)
        if wanted is None:
            return
        try:
            await call(house_polls.approve, actor_id=await actor_of(self), poll_id=wanted, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("house_poll.page_approved")
        await self._reload()

    @rx.event
    async def refuse(self, poll_id: str):
        """Refuse an application with the ticked reasons (at least one)."""
        self._clear_feedback()
        wanted = id_or_none(poll_id)
        if wanted is None:
            return
        reasons = [k.partition(":")[2] for k in self.ticked if k.partition(":")[0] == str(poll_id)]
        try:
            await call(
                house_polls.refuse,
                actor_id=await actor_of(self),
                poll_id=wanted,
                reasons=reasons,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("house_poll.page_refused")
        await self._reload()
