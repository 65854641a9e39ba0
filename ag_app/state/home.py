"""The home page: headline figures, open city-wide polls and published results."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.stats import MIN_CELL, SUPPRESSED
from ag_app.i18n import label
from ag_app.services import polls, stats
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, now
from ag_app.state.news import news_row
from ag_app.state.polls import poll_row

RESULTS_SHOWN = 6


def _count(value: int) -> str:
    """A count of people as the public sees it: grouped digits, or «<5» under the small-cell limit
    (counts of polls and decisions identify nobody and are shown as they are)."""
    return SUPPRESSED if value < MIN_CELL else fmt.num(value)


class HomeState(FeedbackMixin, rx.State):
    """Figures computed from the data, city-wide polls open now, the latest results."""

    # Each: value (formatted number), caption.
    figures: list[dict[str, str]] = []
    polls: list[dict[str, str]] = []
    results: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        """Load the figures, the open city-wide polls and the latest published results."""
        self._clear_feedback()
        actor = await actor_of(self)
        moment = now()
        try:
            head = await call(stats.headline, now=moment)
            active = await call(polls.list_polls, actor_id=actor, status="active", now=moment)
            news = await call(polls.list_news, limit=30)
        except DomainError as error:
            self.error = str(error)
            return
        self.figures = [
            {
                "value": _count(head.citizens),
                "caption": label("ui.home.zaregistrirovannykh_grazhdan"),
                "id": "stat-citizens",
            },
            {
                "value": fmt.num(head.polls_held),
                "caption": label("ui.home.provedeno_golosovanii"),
                "id": "stat-polls",
            },
            {
                "value": fmt.num(head.decisions_implemented),
                "caption": label("ui.home.realizovano_reshenii"),
                "id": "stat-decisions",
            },
            {
                "value": _count(head.opinions),
                "caption": label("ui.home.vyskazano_mnenii"),
                "id": "stat-opinions",
            },
        ]
        self.polls = [poll_row(p) for p in active if p.scope == "city"]
        self.results = [news_row(n) for n in news if n.kind == "results"][:RESULTS_SHOWN]
        self.loaded = True
