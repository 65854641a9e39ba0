"""«Управление подписками» (topics × channels) and the unsubscribe link's page (SPEC §4.2)."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import empty, feedback, table_region
from ag_app.components.layout import page_layout
from ag_app.domain.subscriptions import CHANNELS
from ag_app.state.base import SessionState
from ag_app.state.subscriptions import SubscriptionsState as S
from ag_app.state.subscriptions import UnsubscribeState


def _cell(row: rx.Var, cell: rx.Var) -> rx.Component:
    return rx.table.cell(
        rx.cond(
            cell.available,
            rx.checkbox(
                checked=cell.enabled,
                on_change=lambda checked: S.toggle(row.topic, cell.channel, checked),
                id="sub-" + row.topic + "-" + cell.channel,
                aria_label=row.label + " — " + cell.channel_label,
                size="3",
            ),
            rx.text(
                rx.el.span("—", aria_hidden="true"),
                rx.el.span(i18n.label("ui.subscriptions.ne_rassylaetsia"), class_name="ag-visually-hidden"),
                color_scheme="gray",
            ),
        ),
        text_align="center",
    )


def _table() -> rx.Component:
    return table_region(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(i18n.label("ui.subscriptions.tema")),
                    *[rx.table.column_header_cell(label, text_align="center") for label in CHANNELS.values()],
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.rows,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row.label),
                        rx.foreach(row.cells, lambda cell: _cell(row, cell)),
                        id="sub-row-" + row.topic,
                    ),
                )
            ),
            variant="surface",
            width="100%",
            id="subscriptions",
        ),
        i18n.label("ui.subscriptions.podpiski_temy_i_kanaly"),
    )


def subscriptions_page() -> rx.Component:
    return page_layout(
        i18n.label("ui.common.upravlenie_podpiskami"),
        rx.text(
            i18n.label("ui.subscriptions.otmet_te_o_chem_i"),
            rx.link(i18n.label("ui.subscriptions.profilia"), href="/profile"),
            i18n.message("ui.subscriptions.v_kazhdom_pis_me_est"),
            as_="p",
            margin_bottom="1em",
        ),
        feedback(S.error, S.notice),
        rx.cond(S.loaded, _table(), empty(i18n.label("ui.poll.zagruzka"))),
        rx.text(
            rx.link(i18n.label("ui.subscriptions.pereiti_k_uvedomleniiam"), href="/notifications"),
            as_="p",
            margin_top="1em",
        ),
    )


def unsubscribe_page() -> rx.Component:
    U = UnsubscribeState
    return page_layout(
        i18n.label("ui.subscriptions.otpiska_ot_rassylki"),
        rx.cond(
            U.loaded, feedback(U.error, U.notice), empty(i18n.label("ui.subscriptions.proveriaem_ssylku"))
        ),
        rx.cond(
            U.done,
            rx.text(
                i18n.message("ui.subscriptions.pis_ma_na_etu_temu"),
                as_="p",
                id="unsubscribe-done",
            ),
        ),
        rx.flex(
            rx.link(i18n.label("ui.common.upravlenie_podpiskami"), href="/subscriptions"),
            rx.link(i18n.label("site.not_found_home"), href="/"),
            spacing="4",
            margin_top="1em",
        ),
    )


PAGES = [
    (
        "/subscriptions",
        subscriptions_page,
        i18n.label("ui.common.upravlenie_podpiskami"),
        [SessionState.refresh, S.load],
    ),
    (
        "/unsubscribe",
        unsubscribe_page,
        i18n.label("ui.subscriptions.otpiska_ot_rassylki"),
        [SessionState.refresh, UnsubscribeState.load],
    ),
]
