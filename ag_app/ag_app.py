"""The Reflex application: UI pages plus the REST API mounted through ``api_transformer``."""

import os

import reflex as rx

from ag_app import logsafe
from ag_app.api import create_api, reflex_transformer
from ag_app.components.error_boundary import russian_error_boundary
from ag_app.domain.limits import BODY_LIMIT_BYTES
from ag_app.pages import register_pages
from ag_app.services.jobs import run_jobs_periodically
from ag_app.settings import get_settings
from ag_app.state.errors import backend_exception_handler, frontend_exception_handler
from ag_app.state.live import relay_live_updates

# The app refuses to start with the development secret outside demo mode.
get_settings().require_secret()

# Logs of the web stack never carry cookies, headers, tokens or event payloads.
logsafe.install()
# One websocket message (an event) is at most 1 MB, like a request body; files go through /_upload.
os.environ.setdefault("REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE", str(BODY_LIMIT_BYTES))

app = rx.App(
    # /api/v1 goes to the REST API only (Russian JSON errors); the rest to Reflex behind the body limit.
    api_transformer=reflex_transformer(create_api()),
    backend_exception_handler=backend_exception_handler,
    frontend_exception_handler=frontend_exception_handler,
    html_lang="ru",
    stylesheets=["/ag.css"],
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1"),
        # The brand-red «АГ» square (assets/): SVG for current browsers, ICO for the rest and /favicon.ico.
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="icon", href="/favicon.ico", sizes="any"),
    ],
)
# A page that crashes while rendering shows a Russian screen instead of Reflex's English one.
app.app_wraps[55, "ErrorBoundary"] = russian_error_boundary
register_pages(app)
# The background jobs (services/jobs.py: JOBS) every minute; each job is idempotent across workers.
app.register_lifespan_task(run_jobs_periodically)
# Live values (e.g. the meeting meter) published by any worker reach this worker's viewers via Redis.
app.register_lifespan_task(relay_live_updates)
