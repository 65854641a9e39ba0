"""Reflex configuration: one app, ports, database and state manager from the environment."""

import os

import reflex as rx

config = rx.Config(
    app_name="ag_app",
    frontend_port=int(os.environ.get("AG_PORT", "3000")),
    backend_port=int(os.environ.get("AG_BACKEND_PORT", os.environ.get("AG_PORT", "3000"))),
    # The state manager's Redis (several backend workers share page state there); REFLEX_REDIS_URL wins.
    redis_url=os.environ.get("AG_REDIS_URL") or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="red", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # The same knob as the REST API's: whose X-Forwarded-For gives the client address (router.session.client_ip).
    trusted_proxy_hops=int(os.environ.get("AG_TRUSTED_PROXY_HOPS", "0")),
)
