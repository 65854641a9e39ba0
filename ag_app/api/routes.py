"""The list of routers the API serves (each feature module adds its router here)."""

from fastapi import APIRouter

from ag_app.api import auth, dev, me, opendata, points, polls, stats
from ag_app.api import house_registry as house_registry_api
from ag_app.api import meetings as meetings_api
from ag_app.api import renovation as renovation_api
from ag_app.api.house_polls import router as house_polls_router

ROUTERS: list[APIRouter] = [
    auth.router,
    me.router,
    dev.router,
    points.router,
    polls.router,
    opendata.router,
    stats.router,
    renovation_api.router,
    # «Электронный дом»: house lookup.
    house_registry_api.router,
    # «Электронный дом»: owners' meetings.
    meetings_api.router,
]

# «Электронный дом»: house polls and informings.
ROUTERS.append(house_polls_router)

# Subscriptions, unsubscribe links and feedback tickets.
from ag_app.api import feedback as feedback_api  # noqa: E402

ROUTERS.append(feedback_api.router)

# «Магазин поощрений»: catalogue, orders and cancelling.
from ag_app.api import shop as shop_api  # noqa: E402

ROUTERS.append(shop_api.router)

# «Любимый город»: receipts, ratings, final results and prize claims.
from ag_app.api import contest as contest_api  # noqa: E402

ROUTERS.append(contest_api.router)

# The empty route (liveness; the floor of ``ag-app bench http``).
from ag_app.api import health as health_api  # noqa: E402

ROUTERS.append(health_api.router)

# «#ВыбираемВместе»: the promo campaign, its published draws, the citizen's state and staff imports.
from ag_app.api import promo as promo_api  # noqa: E402

ROUTERS.append(promo_api.router)

# «Лидеры цифровой трансформации»: the commission — score sheets, recusals, tie votes; the operator's
# commission, expert groups, sittings and computing a task's results.
from ag_app.api import award_jury as award_jury_api  # noqa: E402

ROUTERS.append(award_jury_api.router)

# «Лидеры цифровой трансформации»: contests, teams, applications and the operator's review.
from ag_app.api import award as award_api  # noqa: E402

ROUTERS.append(award_api.router)

# «Лидеры цифровой трансформации»: the published results, protocols, approval, diplomas and payouts.
from ag_app.api import award_results as award_results_api  # noqa: E402

ROUTERS.append(award_results_api.router)
