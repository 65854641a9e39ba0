"""The one list of routers the API serves, by context, in the order they are included."""

from fastapi import APIRouter

from ag_app.api import (
    auth,
    award,
    award_jury,
    award_results,
    contest,
    dev,
    feedback,
    health,
    house_polls,
    house_registry,
    me,
    meetings,
    opendata,
    points,
    polls,
    promo,
    renovation,
    shop,
    stats,
)

ROUTERS: list[APIRouter] = [
    # Signing in, the profile, demo helpers, points, polls, open data and statistics.
    auth.router,
    me.router,
    dev.router,
    points.router,
    polls.router,
    opendata.router,
    stats.router,
    # The renovation-type house vote.
    renovation.router,
    # «Электронный дом»: house lookup, owners' meetings, house polls and informings.
    house_registry.router,
    meetings.router,
    house_polls.router,
    # Subscriptions, unsubscribe links and feedback tickets.
    feedback.router,
    # «Магазин поощрений»: catalogue, orders and cancelling.
    shop.router,
    # «Любимый город»: receipts, ratings, final results and prize claims.
    contest.router,
    # The empty route (liveness; the floor of ``ag-app bench http``).
    health.router,
    # «#ВыбираемВместе»: the promo campaign, its published draws, the citizen's state and staff imports.
    promo.router,
    # «Лидеры цифровой трансформации»: the commission (score sheets, recusals, tie votes; the operator's
    # commission, groups, sittings, results); contests, teams, applications and the operator's review;
    # the published results, protocols, approval, diplomas and payouts.
    award_jury.router,
    award.router,
    award_results.router,
]
