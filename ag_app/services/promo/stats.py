"""The staff dashboard of a promo campaign (issue 15): the participation funnel, participants and
winners of every draw, codes sent and opt-outs per Moscow day, prize points credited, exchanged and left.

Everything is counted by the database (aggregates and GROUP BY over the campaign's citizens, draws
and partner orders): no citizen or order row is ever loaded here. The dashboard is staff-only, so
counts are exact (the small-cell rule of public statistics does not apply).

The rules of the counts:

- eligible: every citizen row of the campaign; codes sent: rows with ``code_sent_at``;
- opted out: ``opted_out_at`` set now (cancelling an opt-out clears it);
- with a vote: ``voted_at`` set; participants: with a vote and not opted out;
- winners / extra prizes / category winners: ``main_prize`` / ``extra_prize`` / ``category_prize`` > 0;
- activations: ``activated_at`` set; annulled: ``annulled_at`` set;
- a main draw's participants: participants whose ``main_window`` is that window; a category draw's:
  participants registered in that category whose ``category_window`` is that window;
- prize points credited: ``main_prize + extra_prize`` of activated citizens; exchanged: the points of
  the campaign catalogue's «promo» orders that were not cancelled; left: the citizens' ``prize_points``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, text
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import NotFound
from ag_app.domain.shop import CANCELLED
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, ShopCategory, ShopItem, ShopOrder
from ag_app.services.access import Capability, require
from ag_app.services.dashboard import moscow_day_sql

# The wallet of orders paid with a campaign's prize points (a cancelled one gave its points back).
PROMO_WALLET = "promo"
# Days shown one by one at most; a longer span (a clock skew) shows only the days with counts.
MAX_DAYS = 400


@dataclass(frozen=True)
class CampaignChoice:
    """A campaign in the dashboard's select."""

    id: int
    title: str


@dataclass(frozen=True)
class Funnel:
    """The campaign's citizens at each step (see the module docstring for the rules)."""

    eligible: int = 0
    codes_sent: int = 0
    opted_out: int = 0
    voted: int = 0
    participants: int = 0
    winners: int = 0
    extra_prizes: int = 0
    category_winners: int = 0
    activated: int = 0
    annulled: int = 0


@dataclass(frozen=True)
class DrawStats:
    """One draw: its window (0-based), category ("" for a main draw), Moscow day it is due, and counts."""

    window: int
    category: str
    # The Moscow day the draw is due; None when citizens are in a window no draw is configured for.
    due_on: date | None
    participants: int
    winners: int


@dataclass(frozen=True)
class DayStats:
    """One Moscow day: codes sent and opt-outs (of those still opted out) that day."""

    day: date
    codes_sent: int
    opted_out: int


@dataclass(frozen=True)
class PrizePoints:
    """Prize points of the campaign (1 prize point = 1 ₽)."""

    credited: int = 0
    exchanged: int = 0
    left: int = 0


@dataclass(frozen=True)
class PromoStats:
    """The dashboard of one campaign (``campaign`` None: no campaign exists yet)."""

    campaigns: tuple[CampaignChoice, ...]
    campaign: CampaignChoice | None
    funnel: Funnel
    main_draws: tuple[DrawStats, ...]
    category_draws: tuple[DrawStats, ...]
    days: tuple[DayStats, ...]
    points: PrizePoints


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _voted_in():
    """A citizen who takes part in the draws: with a vote and not opted out."""
    return and_(col(PromoCitizen.voted_at).is_not(None), col(PromoCitizen.opted_out_at).is_(None))


def _citizens(session: Session, campaign_id: int) -> tuple[Funnel, int, int]:
    """The funnel, prize points credited and prize points left, in one pass over the citizens."""
    credited = case(
        (col(PromoCitizen.activated_at).is_not(None), PromoCitizen.main_prize + PromoCitizen.extra_prize),
        else_=0,
    )
    *steps, points_credited, points_left = session.exec(
        select(
            func.count(),
            func.count(col(PromoCitizen.code_sent_at)),
            func.count(col(PromoCitizen.opted_out_at)),
            func.count(col(PromoCitizen.voted_at)),
            _count_if(_voted_in()),
            _count_if(col(PromoCitizen.main_prize) > 0),
            _count_if(col(PromoCitizen.extra_prize) > 0),
            _count_if(col(PromoCitizen.category_prize) > 0),
            func.count(col(PromoCitizen.activated_at)),
            func.count(col(PromoCitizen.annulled_at)),
            func.coalesce(func.sum(credited), 0),
            func.coalesce(func.sum(PromoCitizen.prize_points), 0),
        ).where(PromoCitizen.campaign_id == campaign_id)
    ).one()
    return Funnel(*(int(n) for n in steps)), int(points_credited), int(points_left)


def _draws(session: Session, campaign_id: int) -> tuple[tuple[DrawStats, ...], tuple[DrawStats, ...]]:
    """Main and category draws in window order, with the citizens' windows that have no draw too.

    One pass over the participants grouped by (main window, category, category window): a few dozen
    groups, added up here per main window and per category draw.
    """
    due: dict[tuple[str, int], date] = {
        (category, window): moscow_date(due_at)
        for category, window, due_at in session.exec(
            select(PromoDraw.category, PromoDraw.window, PromoDraw.due_at).where(
                PromoDraw.campaign_id == campaign_id
            )
        )
    }
    counts: dict[tuple[str, int], list[int]] = {}
    for main_window, category, category_window, n, main_winners, category_winners in session.exec(
        select(
            PromoCitizen.main_window,
            PromoCitizen.category,
            PromoCitizen.category_window,
            func.count(),
            _count_if(col(PromoCitizen.main_prize) > 0),
            _count_if(col(PromoCitizen.category_prize) > 0),
        )
        .where(PromoCitizen.campaign_id == campaign_id, _voted_in())
        .group_by(PromoCitizen.main_window, PromoCitizen.category, PromoCitizen.category_window)
    ):
        if main_window is not None:
            main = counts.setdefault(("", int(main_window)), [0, 0])
            main[0] += int(n)
            main[1] += int(main_winners)
        if category and category_window is not None:
            drawn = counts.setdefault((str(category), int(category_window)), [0, 0])
            drawn[0] += int(n)
            drawn[1] += int(category_winners)
    rows = [
        DrawStats(window, category, due.get((category, window)), *counts.get((category, window), (0, 0)))
        for category, window in sorted(set(due) | set(counts), key=lambda k: (k[1], k[0]))
    ]
    return (
        tuple(r for r in rows if r.category == ""),
        tuple(sorted((r for r in rows if r.category), key=lambda r: (r.category, r.window))),
    )


def _days(session: Session, campaign_id: int) -> tuple[DayStats, ...]:
    """Codes sent and opt-outs per Moscow day, every day between the first and the last one.

    One pass grouped by (day the code was sent, day of the opt-out): days × days groups at most.
    """
    dialect = session.get_bind().dialect.name
    sent, out = moscow_day_sql(dialect, "code_sent_at"), moscow_day_sql(dialect, "opted_out_at")
    per_day: dict[str, list[int]] = {}
    for sent_day, out_day, n in session.connection().execute(
        text(
            f"SELECT {sent} AS sent_day, {out} AS out_day, COUNT(*) FROM promocitizen "
            f"WHERE campaign_id = :c GROUP BY {sent}, {out}"
        ),
        {"c": campaign_id},
    ):
        if sent_day is not None:
            per_day.setdefault(str(sent_day), [0, 0])[0] += int(n)
        if out_day is not None:
            per_day.setdefault(str(out_day), [0, 0])[1] += int(n)
    if not per_day:
        return ()
    days = sorted(date.fromisoformat(d) for d in per_day)
    span = (days[-1] - days[0]).days
    if span < MAX_DAYS:
        days = [days[0] + timedelta(days=n) for n in range(span + 1)]
    return tuple(DayStats(d, *per_day.get(d.isoformat(), (0, 0))) for d in days)


def _exchanged(session: Session, campaign_id: int) -> int:
    """Prize points of the campaign catalogue's orders, except cancelled ones (their points came back)."""
    return int(
        session.exec(
            select(func.coalesce(func.sum(ShopOrder.points), 0))
            .join(ShopItem, col(ShopItem.id) == ShopOrder.item_id)
            .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
            .where(
                ShopCategory.campaign_id == campaign_id,
                ShopOrder.wallet == PROMO_WALLET,
                ShopOrder.status != CANCELLED,
            )
        ).one()
    )


@reads
def campaign_stats(session: Session, *, actor_id: int | None, campaign_id: int | None) -> PromoStats:
    """The dashboard of ``campaign_id`` (the newest campaign when None); staff only.

    An unknown campaign is «не найдена»; with no campaign at all the dashboard is empty.
    """
    require(session, actor_id, Capability.PROMO_MANAGE)
    campaigns = tuple(
        CampaignChoice(int(id_), title)
        for id_, title in session.exec(
            select(PromoCampaign.id, PromoCampaign.title).order_by(
                col(PromoCampaign.created_at).desc(), col(PromoCampaign.id).desc()
            )
        )
    )
    if campaign_id is None:
        chosen = campaigns[0] if campaigns else None
    else:
        chosen = next((c for c in campaigns if c.id == campaign_id), None)
        if chosen is None:
            raise NotFound("promo_stats.campaign_not_found")
    if chosen is None:
        return PromoStats(campaigns, None, Funnel(), (), (), (), PrizePoints())
    funnel, credited, left = _citizens(session, chosen.id)
    main_draws, category_draws = _draws(session, chosen.id)
    return PromoStats(
        campaigns=campaigns,
        campaign=chosen,
        funnel=funnel,
        main_draws=main_draws,
        category_draws=category_draws,
        days=_days(session, chosen.id),
        points=PrizePoints(credited=credited, exchanged=_exchanged(session, chosen.id), left=left),
    )
