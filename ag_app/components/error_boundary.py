"""The Russian screen shown instead of a page whose rendering crashed in the browser.

Reflex's default boundary prints «An error occurred while rendering this page.» with the JavaScript
stack; a visitor here sees a Russian sentence and a reload button, and the error goes to the
app's ``frontend_exception_handler`` (logged on the server) as before.
"""

import reflex as rx
from reflex.components.base.error_boundary import ErrorBoundary
from reflex.event import noop
from reflex.vars.base import Var

from ag_app.i18n import label, message


def _fallback() -> rx.Component:
    """What replaces the crashed page: a heading, a sentence and «Обновить страницу»."""
    return rx.el.div(
        rx.el.h1(label("site.render_error_title"), font_size="1.6em", font_weight="bold"),
        rx.el.p(message("site.render_error_text"), margin_block="1em"),
        rx.el.button(
            label("site.render_error_reload"),
            on_click=rx.call_script("window.location.reload()"),
            padding="0.5em 1.4em",
            border_radius="0.4em",
            border="1px solid currentColor",
            background="transparent",
            cursor="pointer",
        ),
        class_name="ag-render-error",
        role="alert",
        lang="ru",
        max_width="40em",
        margin="15vh auto",
        padding="1.5em 1.25em",
        font_family="system-ui, sans-serif",
    )


def russian_error_boundary(stateful: bool) -> rx.Component:
    """Reflex's error boundary with the Russian fallback (an app wrap, like Reflex's default)."""
    props = {} if stateful else {"on_error": noop()}
    return ErrorBoundary.create(
        fallback_render=Var.create(_fallback()),
        **props,
    )
