"""The Reflex application: UI pages plus the REST API mounted through ``api_transformer``."""

import reflex as rx

from ag_app.api import create_api, reflex_transformer
from ag_app.pages import register_pages
from ag_app.services.points import run_jobs_periodically
from ag_app.settings import get_settings

# The app refuses to start with the development secret outside demo mode.
get_settings().require_secret()

app = rx.App(
    # /api/v1 goes to the REST API only (Russian JSON errors); the rest to Reflex behind the body limit.
    api_transformer=reflex_transformer(create_api()),
    html_lang="ru",
    stylesheets=["/ag.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
register_pages(app)
# Monthly badges at the start of a month and e-mail delivery (idempotent across workers).
app.register_lifespan_task(run_jobs_periodically)
