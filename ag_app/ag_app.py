"""The Reflex application: UI pages plus the REST API mounted through ``api_transformer``."""

import reflex as rx

from ag_app.api import create_api
from ag_app.pages import register_pages
from ag_app.services.jobs import run_jobs_periodically

app = rx.App(
    api_transformer=create_api(),
    html_lang="ru",
    stylesheets=["/ag.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
register_pages(app)
# The background jobs (services/jobs.py: JOBS) every minute; each job is idempotent across workers.
app.register_lifespan_task(run_jobs_periodically)
