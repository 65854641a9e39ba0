"""The list of routers the API serves (each feature module adds its router here)."""

from fastapi import APIRouter

from ag_app.api import auth, dev, me, opendata, points, polls, stats
from ag_app.api import meetings as meetings_api

ROUTERS: list[APIRouter] = [
    auth.router,
    me.router,
    dev.router,
    points.router,
    polls.router,
    opendata.router,
    stats.router,
    # «Электронный дом»: owners' meetings.
    meetings_api.router,
]
