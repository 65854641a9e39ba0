"""«Страница не найдена»: what any unknown address shows, inside the site's header and footer."""

import reflex as rx

from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState

# Reflex serves the page registered under this route for every address no other page matches.
NOT_FOUND_ROUTE = "404"


def not_found_page() -> rx.Component:
    """A Russian 404 page: a sentence and the way back to the home page and to «Голосования»."""
    return page_layout(
        label("site.not_found_title"),
        rx.text(message("site.not_found_text"), as_="p", id="not-found"),
        rx.flex(
            rx.link(label("site.not_found_home"), href="/", id="not-found-home"),
            rx.link(label("site.not_found_polls"), href="/polls", id="not-found-polls"),
            gap="1.5em",
            wrap="wrap",
            margin_top="1em",
        ),
    )


PAGES = [(NOT_FOUND_ROUTE, not_found_page, label("site.not_found_title"), SessionState.refresh)]
