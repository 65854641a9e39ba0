"""The staff dashboard page: filters, figures and tables (staff only).

``load`` shows the page only to staff; every handler calls :func:`services.dashboard.staff_dashboard`,
which re-checks the role, so a handler called over the websocket by a resident gets nothing.
"""

from datetime import date

import plotly.graph_objects as go
import reflex as rx

from ag_app.charts.dashboard import activity_figure, bars_figure
from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.domain.stats import shown_count
from ag_app.i18n import label, message
from ag_app.services import dashboard
from ag_app.services.dashboard import DashboardFilter, DashboardView
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState


def _percent(value: float | None) -> str:
    return "<5" if value is None else fmt.percent(value)


def _id(value: object) -> int | None:
    return id_or_none(value)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@holds_user_data
class StaffDashboardState(GuardedState, rx.State):
    """Filters and what the dashboard shows for them."""

    loaded: bool = False
    allowed: bool = False
    error: str = ""
    start: str = ""
    end: str = ""
    okrug: str = ""
    district: str = ""
    poll: str = ""
    okrugs: list[dict[str, str]] = []
    districts: list[dict[str, str]] = []
    polls: list[dict[str, str]] = []
    # Built by ``load``/``apply``; None until then keeps the default state small (every page view
    # receives the defaults of every state).
    activity_fig: go.Figure | None = None
    levels_fig: go.Figure | None = None
    polls_fig: go.Figure | None = None
    districts_fig: go.Figure | None = None
    points_fig: go.Figure | None = None
    activity_rows: list[list[str]] = []
    levels_rows: list[list[str]] = []
    polls_rows: list[list[str]] = []
    districts_rows: list[list[str]] = []
    points_rows: list[list[str]] = []

    def _show(self, view: DashboardView) -> None:
        data = view.filter
        self.start, self.end = data.start.isoformat(), data.end.isoformat()
        self.okrugs = [{"id": str(c.id), "name": c.name} for c in view.okrugs]
        self.districts = [{"id": str(c.id), "name": c.name} for c in view.district_choices]
        self.polls = [{"id": str(c.id), "name": c.name} for c in view.poll_choices]
        self.activity_fig = activity_figure(view)
        self.activity_rows = [
            [fmt.short_day(d.day), shown_count(d.registrations), shown_count(d.active)] for d in view.days
        ]
        self.levels_fig = bars_figure(
            [lvl.name for lvl in view.levels],
            [lvl.users for lvl in view.levels],
            title=label("ui.dashboard.urovni_identifikatsii"),
            x_title=label("ui.dashboard.uroven"),
            y_title=label("ui.dashboard.uchetnykh_zapisei"),
        )
        self.levels_rows = [[f"{lvl.level} — {lvl.name}", shown_count(lvl.users)] for lvl in view.levels]
        self.polls_fig = bars_figure(
            [p.title[:40] for p in view.polls],
            [p.turnout for p in view.polls],
            title=label("ui.dashboard.iavka_po_golosovaniiam"),
            x_title=label("ui.common.golosovanie"),
            y_title=label("ui.dashboard.iavka"),
            percent=True,
        )
        self.polls_rows = [
            [p.title, shown_count(p.ballots), shown_count(p.eligible), _percent(p.turnout)]
            for p in view.polls
        ]
        self.districts_fig = bars_figure(
            [d.district for d in view.districts],
            [d.turnout for d in view.districts],
            title=label("ui.dashboard.iavka_po_raionam"),
            x_title=label("ui.dashboard.raion"),
            y_title=label("ui.dashboard.iavka"),
            percent=True,
        )
        self.districts_rows = [
            [d.district, d.okrug, shown_count(d.ballots), shown_count(d.eligible), _percent(d.turnout)]
            for d in view.districts
        ]
        self.points_fig = bars_figure(
            [p.name for p in view.points],
            [p.points for p in view.points],
            title=label("ui.dashboard.nachisleno_ballov_po_pravilam"),
            x_title=label("ui.dashboard.pravilo"),
            y_title=label("ui.dashboard.ballov"),
        )
        self.points_rows = [
            [p.name, shown_count(p.users), shown_count(p.entries), shown_count(p.points)] for p in view.points
        ]

    async def _refresh(self, data: DashboardFilter | None) -> None:
        self.error = ""
        try:
            view = await call(dashboard.staff_dashboard, actor_id=await actor_of(self), data=data, now=now())
        except (NotAllowed, NotAuthenticated):
            self.allowed = False
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.allowed = True
        self._show(view)

    @rx.event
    async def load(self):
        """Open the dashboard with the default filter (the last 30 days, whole city)."""
        self.loaded = False
        self.okrug = self.district = self.poll = ""
        await self._refresh(None)
        self.loaded = True

    @rx.event
    async def apply(self, form: dict):
        """Apply the filter form: period, okrug, district and poll."""
        start, end = _day(str(form.get("start", ""))), _day(str(form.get("end", "")))
        if start is None or end is None:
            self.error = message("ui.dashboard.ukazhite_nachalo_i_konets_perioda")
            return
        self.okrug = str(form.get("okrug", ""))
        self.district = str(form.get("district", ""))
        self.poll = str(form.get("poll", ""))
        await self._refresh(
            DashboardFilter(
                start=start,
                end=end,
                okrug_id=_id(self.okrug),
                district_id=_id(self.district),
                poll_id=_id(self.poll),
            )
        )
