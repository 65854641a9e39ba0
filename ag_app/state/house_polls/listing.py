"""``/house/polls``: the resident's open and past house polls."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.services import house_polls
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.house_polls.rows import period


@holds_user_data
class HousePollsState(FeedbackMixin, rx.State):
    """``/house/polls``: open and past house polls of the user's houses."""

    loaded: bool = False
    logged_in: bool = False
    # Rows: id, title, kind_name, address, status, status_name, period, participated ("1"/"").
    current: list[dict[str, str]] = []
    past: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Load the list for the logged-in user."""
        self._clear_feedback()
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.current, self.past = [], []
        if actor is not None:
            try:
                summaries = await call(house_polls.list_house_polls, actor_id=actor, now=now())
            except DomainError as error:
                self.error = str(error)
                summaries = []
            rows = [
                {
                    "id": str(s.id),
                    "title": s.title,
                    "kind_name": s.kind_name,
                    "address": s.address,
                    "status": s.status,
                    "status_name": s.status_name,
                    "period": period(s.starts_at, s.ends_at),
                    "participated": "1" if s.participated else "",
                }
                for s in summaries
            ]
            self.current = [r for r in rows if r["status"] != "finished"]
            self.past = [r for r in rows if r["status"] == "finished"]
        self.loaded = True
