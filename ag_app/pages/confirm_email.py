"""«Подтверждение e-mail»: the page the confirmation link opens."""

import reflex as rx

from ag_app.components.common import feedback
from ag_app.components.layout import page_layout
from ag_app.i18n import label
from ag_app.state.base import SessionState
from ag_app.state.confirm_email import ConfirmEmailState


def confirm_email_page() -> rx.Component:
    return page_layout(
        label("ui.confirm_email.podtverzhdenie_elektronnoi_pochty"),
        feedback(ConfirmEmailState.error, ConfirmEmailState.notice),
        rx.flex(
            rx.link(label("ui.confirm_email.pereiti_v_profil"), href="/profile"),
            rx.link(label("ui.confirm_email.k_golosovaniiam"), href="/polls"),
            spacing="4",
            margin_top="1em",
        ),
    )


PAGES = [
    (
        "/confirm-email",
        confirm_email_page,
        label("site.email_confirm_title"),
        [SessionState.refresh, ConfirmEmailState.load],
    )
]
