"""The Reflex application: UI pages plus the REST API mounted through ``api_transformer``."""

import reflex as rx

from ag_app.api import create_api
from ag_app.pages import register_pages
from ag_app.services.points import run_jobs_periodically
from ag_app.state.live import relay_live_updates

app = rx.App(
    api_transformer=create_api(),
    html_lang="ru",
    stylesheets=["/ag.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
register_pages(app)
# Monthly badges at the start of a month and e-mail delivery (idempotent across workers).
app.register_lifespan_task(run_jobs_periodically)
# Live values (e.g. the meeting meter) published by any worker reach this worker's viewers via Redis.
app.register_lifespan_task(relay_live_updates)
