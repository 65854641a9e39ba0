"""The links and the login hint shared by the resident pages of house polls."""

import reflex as rx

from ag_app.i18n import label, message


def house_links() -> rx.Component:
    """The links between the resident pages of house polls."""
    return rx.flex(
        rx.link(label("ui.nav.oprosy_moego_doma"), href="/house/polls", id="house-polls-link"),
        rx.link(label("ui.common.podat_zaiavku"), href="/house/polls/new", id="house-polls-new-link"),
        rx.link(label("ui.common.moi_zayavki"), href="/house/polls/mine", id="house-polls-mine-link"),
        spacing="4",
        wrap="wrap",
        margin_bottom="1em",
        as_="nav",
        aria_label=message("ui.nav.oprosy_elektronnogo_doma"),
    )


def login_hint(logged_in: rx.Var) -> rx.Component:
    """«Войдите, …» for a visitor who is not logged in."""
    return rx.cond(
        ~logged_in,
        rx.text(
            rx.link(label("ui.poll.voidite"), href="/login"),
            message("ui.nav.chtoby_uvidet_oprosy_svoego_doma"),
            as_="p",
        ),
    )
