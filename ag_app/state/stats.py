"""«Статистика»: breakdowns of published polls as Plotly charts, tables and CSV links.

The same state serves the city-wide page ``/stats`` (a poll selector) and the statistics block of
a poll's page. Figures hold aggregates only (a few dozen bars); every handler calls the service,
which re-checks that the poll's statistics are visible to the session's user.
"""

import plotly.graph_objects as go
import reflex as rx

from ag_app.charts.stats import answers_figure, ballots_figure
from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.domain.stats import BREAKDOWNS, DIMENSION_NAMES, MIN_CELL
from ag_app.i18n import label, message
from ag_app.services import stats
from ag_app.services.stats import PollStatsView
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, now
from ag_app.state.guard import GuardedState

# The breakdowns offered in the selector (turnout by day has its own chart).
CHOICES = [{"id": d, "name": DIMENSION_NAMES[d]} for d in BREAKDOWNS if d != "day"]
NOTE = message("ui.stats.iacheiki_v_kotorykh_men_she", MIN_CELL=MIN_CELL)


def _csv_url(poll_id: int, by: str) -> str:
    return f"/api/v1/polls/{poll_id}/stats?by={by}&format=csv"


class StatsState(GuardedState, rx.State):
    """The chosen poll, breakdown and question, and what is drawn for them."""

    polls: list[dict[str, str]] = []
    selected_poll: str = ""
    dimension: str = "age"
    question: str = ""
    questions: list[dict[str, str]] = []
    title: str = ""
    total_text: str = ""
    # Figures are built by the handlers; None until then keeps the default state small (every
    # page view receives the defaults of every state).
    turnout_fig: go.Figure | None = None
    ballots_fig: go.Figure | None = None
    answers_fig: go.Figure | None = None
    turnout_header: list[str] = []
    turnout_rows: list[list[str]] = []
    table_header: list[str] = []
    table_rows: list[list[str]] = []
    table_caption: str = ""
    turnout_csv: str = ""
    table_csv: str = ""
    found: bool = False
    loaded: bool = False
    error: str = ""

    @rx.var
    def dimension_name(self) -> str:
        return DIMENSION_NAMES.get(self.dimension, "")

    def _route_poll_id(self) -> int | None:
        return id_or_none(self.poll_id)  # the dynamic route argument of /polls/[poll_id]

    def _show(self, turnout: PollStatsView, view: PollStatsView) -> None:
        if str(self.question) not in {str(q.id) for q in view.questions}:
            self.question = str(view.questions[0].id) if view.questions else ""
        self.questions = [
            {"id": str(q.id), "text": f"{n}. {q.text}"} for n, q in enumerate(view.questions, 1)
        ]
        question_id = int(self.question) if self.question else None
        self.title = view.poll_title
        self.total_text = label("ui.stats.vsego_biulletenei", total=fmt.num(view.total))
        self.turnout_fig = ballots_figure(turnout)
        self.ballots_fig = ballots_figure(view)
        self.answers_fig = answers_figure(view, question_id) if question_id else None
        self.turnout_header, self.turnout_rows = stats.stats_table(turnout, with_answers=False)
        self.table_header, self.table_rows = stats.stats_table(view, question_id=question_id)
        question_text = next((q["text"] for q in self.questions if q["id"] == self.question), "")
        self.table_caption = label(
            "ui.stats.biulleteni_i_otvety_na_vopros",
            question_text=question_text,
            p1=view.dimension_name.lower(),
        )
        self.turnout_csv = _csv_url(view.poll_id, "day")
        self.table_csv = _csv_url(view.poll_id, view.dimension)
        self.found = True

    async def _refresh(self, poll_id: int) -> None:
        """Load the turnout and the chosen breakdown of ``poll_id`` (one read of the aggregates)."""
        self.error = ""
        try:
            turnout, view = await call(
                stats.poll_stats_all,
                actor_id=await actor_of(self),
                poll_id=poll_id,
                dimensions=["day", self.dimension],
                now=now(),
            )
        except DomainError as error:
            self.found = False
            self.error = str(error)
            return
        self._show(turnout, view)

    @rx.event
    async def load(self):
        """Open «Статистика»: the polls with published results, the newest selected."""
        self.loaded = self.found = False
        self.error = ""
        found = await call(stats.stats_polls, now=now())
        self.polls = [{"id": str(p.id), "title": p.title} for p in found]
        if self.selected_poll not in {p["id"] for p in self.polls}:
            self.selected_poll = self.polls[0]["id"] if self.polls else ""
        if self.selected_poll:
            await self._refresh(int(self.selected_poll))
        self.loaded = True

    @rx.event
    async def load_poll(self):
        """The statistics block of a poll page (shown only when its statistics are visible)."""
        self.loaded = self.found = False
        poll_id = self._route_poll_id()
        if poll_id is not None:
            self.selected_poll = str(poll_id)
            await self._refresh(poll_id)
        self.loaded = True

    @rx.event
    async def select_poll(self, value: str):
        """Show another poll."""
        wanted = id_or_none(value)
        if wanted is not None:
            self.selected_poll = str(wanted)
            await self._refresh(wanted)

    @rx.event
    async def select_dimension(self, value: str):
        """Break the answers down by another dimension (age, gender, okrug, district, hour, region)."""
        if value in {c["id"] for c in CHOICES} and self.selected_poll:
            self.dimension = value
            await self._refresh(int(self.selected_poll))

    @rx.event
    async def select_question(self, value: str):
        """Show the answers to another question."""
        wanted = id_or_none(value)
        if wanted is not None and self.selected_poll:
            self.question = str(wanted)
            await self._refresh(int(self.selected_poll))
