"""«Голосования»: tabs «Активные» and «Прошедшие»."""

import reflex as rx

from ag_app.components.common import empty, feedback, pager, section
from ag_app.components.layout import page_layout
from ag_app.components.polls import past_poll_card, poll_grid
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.polls import PollsState as S


def _active() -> rx.Component:
    return rx.box(
        rx.cond(
            S.loaded & (S.active.length() == 0),
            empty(message("ui.polls.seichas_net_golosovanii_otkrytykh_dlia")),
        ),
        rx.cond(
            ~S.logged_in,
            rx.text(
                message("ui.polls.vy_vidite_obshchegorodskie_golosovaniia"),
                rx.link(label("ui.poll.voidite"), href="/login"),
                message("ui.polls.chtoby_uvidet_golosovaniia_svoego_raiona"),
                as_="p",
                size="2",
                margin_bottom="0.8em",
            ),
        ),
        poll_grid(S.active, "h2"),
        id="active-polls",
    )


def _past() -> rx.Component:
    return rx.box(
        rx.cond(
            S.logged_in,
            section(
                label("ui.polls.moi_golosovaniia"),
                rx.cond(S.mine.length() == 0, empty(message("ui.polls.vy_eshche_ne_uchastvovali_v"))),
                rx.text(
                    message("ui.polls.vashi_otvety_vydeleny_zhirnym"), size="2", color_scheme="gray", as_="p"
                ),
                rx.flex(
                    rx.foreach(S.mine, lambda row: past_poll_card(row, "h3")), direction="column", spacing="3"
                ),
                pager(S.mine_page, S.mine_pages, S.mine_prev, S.mine_next, "mine"),
                id="my-past-polls",
                margin_top="0",
            ),
        ),
        section(
            label("ui.polls.zavershennye_golosovaniia"),
            rx.cond(S.closed.length() == 0, empty(message("ui.polls.zavershennykh_golosovanii_poka_net"))),
            poll_grid(S.closed, "h3"),
            pager(S.closed_page, S.closed_pages, S.closed_prev, S.closed_next, "closed"),
            id="closed-polls",
        ),
    )


def polls_page() -> rx.Component:
    return page_layout(
        label("site.not_found_polls"),
        feedback(S.error, S.notice),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(label("ui.polls.aktivnye"), value="active", id="tab-active"),
                rx.tabs.trigger(label("ui.polls.proshedshie"), value="past", id="tab-past"),
            ),
            rx.tabs.content(_active(), value="active", padding_top="1em"),
            rx.tabs.content(_past(), value="past", padding_top="1em"),
            value=S.tab,
            on_change=S.set_tab,
        ),
    )


PAGES = [("/polls", polls_page, label("site.not_found_polls"), [SessionState.refresh, S.load])]
