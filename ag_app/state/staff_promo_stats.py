"""``/staff/promo/stats`` «Акция: статистика» (staff): one campaign's participation funnel,
participants and winners per draw, codes sent and opt-outs per day, prize points — each chart with
its table.

The figures are None until ``load`` builds them (small default state); the service checks the
actor's role, so anyone else gets no numbers.
"""

import plotly.graph_objects as go
import reflex as rx

from ag_app import i18n
from ag_app.charts.promo import (
    category_draw_label,
    category_draws_figure,
    codes_figure,
    day_label,
    draw_label,
    funnel_figure,
    funnel_steps,
    main_draws_figure,
    opt_outs_figure,
    points_figure,
    points_steps,
)
from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services.promo import stats
from ag_app.services.promo.stats import DrawStats, PromoStats
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data
from ag_app.state.staff_common import StaffActionMixin


def funnel_rows(data: PromoStats) -> list[list[str]]:
    """Step, citizens."""
    return [[label, fmt.num(n)] for label, n in funnel_steps(data.funnel)]


def _draw_rows(draws: tuple[DrawStats, ...], label) -> list[list[str]]:
    rows = [[label(d), fmt.num(d.participants), fmt.num(d.winners)] for d in draws]
    if not rows:
        return []
    total = [
        i18n.label("ui.contest_stats.vsego"),
        fmt.num(sum(d.participants for d in draws)),
        fmt.num(sum(d.winners for d in draws)),
    ]
    return [*rows, total]


def main_draw_rows(data: PromoStats) -> list[list[str]]:
    """Draw, participants, winners — and all draws last."""
    return _draw_rows(data.main_draws, draw_label)


def category_draw_rows(data: PromoStats) -> list[list[str]]:
    """Category and draw, participants, winners — and all category draws last."""
    return _draw_rows(data.category_draws, category_draw_label)


def day_rows(data: PromoStats) -> list[list[str]]:
    """Day, codes sent, opt-outs — and the campaign's totals last."""
    rows = [[day_label(d), fmt.num(d.codes_sent), fmt.num(d.opted_out)] for d in data.days]
    if not rows:
        return []
    total = [
        i18n.label("ui.contest_stats.vsego"),
        fmt.num(sum(d.codes_sent for d in data.days)),
        fmt.num(sum(d.opted_out for d in data.days)),
    ]
    return [*rows, total]


def points_rows(data: PromoStats) -> list[list[str]]:
    """Credited, exchanged, left."""
    return [[label, fmt.num(n)] for label, n in points_steps(data.points)]


@holds_user_data
class StaffPromoStatsState(StaffActionMixin, rx.State):
    """A campaign's dashboard: six figures and their tables."""

    loaded: bool = False
    allowed: bool = False
    # The campaign shown (its id as text, the select's value) and the campaigns to choose from.
    campaign_id: str = ""
    campaigns: list[dict[str, str]] = []
    # «Акций пока нет…» when there is no campaign to show.
    empty: str = ""
    funnel_fig: go.Figure | None = None
    main_fig: go.Figure | None = None
    category_fig: go.Figure | None = None
    codes_fig: go.Figure | None = None
    opt_outs_fig: go.Figure | None = None
    points_fig: go.Figure | None = None
    funnel_rows: list[list[str]] = []
    main_rows: list[list[str]] = []
    category_rows: list[list[str]] = []
    day_rows: list[list[str]] = []
    points_rows: list[list[str]] = []

    def _clear(self) -> None:
        self.funnel_fig = self.main_fig = self.category_fig = None
        self.codes_fig = self.opt_outs_fig = self.points_fig = None
        self.funnel_rows, self.main_rows, self.category_rows = [], [], []
        self.day_rows, self.points_rows = [], []

    def _forbid(self) -> None:
        self.allowed = False
        self.campaign_id = self.empty = ""
        self.campaigns = []
        self._clear()

    async def _show(self, campaign_id: int | None) -> None:
        """Fill the page with ``campaign_id`` (the newest when None); raises the service's refusal."""
        data = await call(stats.campaign_stats, actor_id=await actor_of(self), campaign_id=campaign_id)
        self.allowed = True
        self.campaigns = [{"id": str(c.id), "title": c.title} for c in data.campaigns]
        if data.campaign is None:
            self.campaign_id = ""
            self.empty = message("promo_stats.no_campaigns")
            self._clear()
            return
        self.campaign_id, self.empty = str(data.campaign.id), ""
        self.funnel_fig = funnel_figure(data.funnel)
        self.main_fig = main_draws_figure(data.main_draws)
        self.category_fig = category_draws_figure(data.category_draws)
        self.codes_fig = codes_figure(data.days)
        self.opt_outs_fig = opt_outs_figure(data.days)
        self.points_fig = points_figure(data.points)
        self.funnel_rows = funnel_rows(data)
        self.main_rows = main_draw_rows(data)
        self.category_rows = category_draw_rows(data)
        self.day_rows = day_rows(data)
        self.points_rows = points_rows(data)

    async def _reload(self) -> None:
        await self._show(id_or_none(self.campaign_id))

    @rx.event
    async def load(self):
        """Open the dashboard of the newest campaign; a refusal shows nothing (the page says why)."""
        self.loaded = False
        self._clear_feedback()
        try:
            await self._show(None)
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def choose_campaign(self, form: dict):
        """Show the campaign chosen in the select; the one shown before stays when it cannot be shown."""
        self._clear_feedback()
        chosen = id_or_none(form.get("campaign_id") if isinstance(form, dict) else None)
        try:
            if chosen is None:
                raise NotFound("promo_stats.campaign_not_found")
            await self._show(chosen)
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
        except DomainError as error:
            self.error = str(error)
