"""``/house/polls/mine``: the initiator's applications, their status and results."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.i18n import message
from ag_app.services import house_polls
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.house_polls.rows import ApplicationRow, NoteRow, participants_text, period, result_rows


@holds_user_data
class MyHousePollsState(FeedbackMixin, rx.State):
    """``/house/polls/mine``: the initiator's applications, their status and results."""

    loaded: bool = False
    logged_in: bool = False
    applications: list[ApplicationRow] = []

    @rx.event
    async def load(self):
        """Load the actor's applications."""
        self._clear_feedback()
        if "filed=1" in str(self.router.url):
            self.notice = message("house_poll.page_filed")
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.applications = []
        if actor is not None:
            try:
                mine = await call(house_polls.my_applications, actor_id=actor, now=now())
            except DomainError as error:
                self.error = str(error)
                mine = []
            self.applications = [
                ApplicationRow(
                    id=str(a.id),
                    title=a.title,
                    kind_name=a.kind_name,
                    address=a.address,
                    status=a.status,
                    status_name=a.status_name,
                    period=period(a.starts_at, a.ends_at),
                    filed=fmt.when(a.filed_at),
                    due=fmt.when(a.due_at),
                    reasons=list(a.refusal_reasons),
                    participants=participants_text(a.participants),
                    approved=a.results is not None,
                    results=result_rows(a.results),
                    notes=[NoteRow(apartment=n.apartment or "—", comment=n.comment or "—") for n in a.notes],
                )
                for a in mine
            ]
        self.loaded = True
