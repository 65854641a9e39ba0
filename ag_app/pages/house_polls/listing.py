"""``/house/polls``: open and past house polls of the user's houses."""

import reflex as rx

from ag_app.components.common import card, empty, feedback, section
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.pages.house_polls.nav import house_links, login_hint
from ag_app.state.house_polls.listing import HousePollsState


def _poll_card(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row["kind_name"], variant="soft", color_scheme="gray"),
            rx.badge(row["status_name"], variant="soft", color_scheme="blue"),
            rx.cond(
                row["participated"] != "",
                rx.badge(label("ui.listing.vy_uchastvovali"), variant="soft", color_scheme="green"),
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.heading(
            rx.link(row["title"], href="/house/polls/" + row["id"], id="house-poll-" + row["id"]),
            as_="h3",
            size="4",
            margin_y="0.4em",
        ),
        rx.text(row["address"], as_="p", size="2"),
        rx.text(row["period"], as_="p", size="2", color_scheme="gray"),
    )


def polls_page() -> rx.Component:
    """``/house/polls``."""
    S = HousePollsState
    return page_layout(
        label("ui.listing.oprosy_i_informirovaniya_doma"),
        house_links(),
        feedback(S.error, S.notice),
        login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.box(
                section(
                    label("ui.listing.otkrytye"),
                    rx.cond(
                        S.current.length() > 0,
                        rx.flex(rx.foreach(S.current, _poll_card), direction="column", spacing="3"),
                        empty(message("ui.listing.seychas_dlya_vashego_doma_net")),
                    ),
                    id="house-polls-current",
                ),
                section(
                    label("ui.polls.proshedshie"),
                    rx.cond(
                        S.past.length() > 0,
                        rx.flex(rx.foreach(S.past, _poll_card), direction="column", spacing="3"),
                        empty(message("ui.listing.zavershennykh_oprosov_poka_net")),
                    ),
                    id="house-polls-past",
                ),
            ),
        ),
    )
