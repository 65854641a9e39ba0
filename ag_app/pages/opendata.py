"""«Открытые данные голосования»: the sealed array of counted ballots of a closed poll (SPEC §5)."""

import reflex as rx

from ag_app.components.common import feedback, section
from ag_app.components.layout import page_layout
from ag_app.components.opendata import (
    downloads,
    file_check,
    page_controls,
    receipt_check,
    rows_table,
    seal_block,
)
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.opendata import OpenDataState as S


def _mine() -> rx.Component:
    return rx.box(
        rx.cond(
            S.logged_in,
            rx.button(
                label("ui.opendata.naiti_moi_golos"), on_click=S.find_mine, id="find-my-vote", size="3"
            ),
            rx.text(
                rx.link(label("ui.poll.voidite"), href="/login"),
                message("ui.opendata.chtoby_naiti_svoi_golos_v"),
                as_="p",
            ),
        ),
        rx.cond(S.mine_message != "", rx.text(S.mine_message, as_="p", role="status", id="my-vote-message")),
        margin_y="0.6em",
    )


def _content() -> rx.Component:
    return rx.box(
        rx.text(rx.link(S.title, href=f"/polls/{S.pid}"), as_="p", size="4", weight="medium"),
        section(
            label("ui.opendata.pechat_dannykh"),
            seal_block(S.rows_text, S.final_hash),
            downloads(S.csv_url, S.xlsx_url, S.seal_url),
        ),
        section(label("open_data.verify_title"), file_check(S.seal_url, S.verify_success, S.verify_command)),
        section(
            label("ui.opendata.proverit_svoi_golos"),
            _mine(),
            receipt_check(
                S.receipt_input,
                S.set_receipt_input,
                S.check_receipt,
                S.receipt_message,
                S.header,
                S.receipt_row,
            ),
        ),
        section(
            label("ui.opendata.massiv_uchtennykh_golosov"),
            rx.text(
                message("ui.opendata.stroki_uporiadocheny_po_kodu_kvitantsii"),
                as_="p",
                size="2",
                color_scheme="gray",
            ),
            page_controls(
                S.page, S.pages, S.page_input, S.prev_page, S.next_page, S.set_page_input, S.go_to_page
            ),
            rows_table(
                S.header, S.rows, label("ui.opendata.uchtennye_golosa_stranitsa") + S.page.to_string()
            ),
        ),
    )


def open_data_page() -> rx.Component:
    return page_layout(
        label("ui.opendata.otkrytye_dannye_golosovaniia"),
        feedback(S.error, S.notice),
        rx.cond(
            S.found, _content(), rx.cond(S.loaded, rx.fragment(), rx.text(label("ui.poll.zagruzka"), as_="p"))
        ),
        rx.link(label("ui.poll.vse_golosovaniia"), href="/polls", margin_top="2em", display="inline-block"),
    )


PAGES = [
    (
        "/polls/[poll_id]/open-data",
        open_data_page,
        label("ui.opendata.otkrytye_dannye_golosovaniia"),
        [SessionState.refresh, S.load],
    )
]
