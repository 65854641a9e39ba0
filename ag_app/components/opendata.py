"""Blocks of the open-data page: the seal, downloads, the table of rows, the receipt check."""

import json

import reflex as rx

from ag_app import i18n
from ag_app.components.common import field, submit, table_region, text_input
from ag_app.domain.opendata import file_format
from ag_app.i18n import MESSAGES, label

# The texts «Проверить файл» shows, by the names assets/verify_opendata.js uses.
_CHECK_MESSAGES = {
    name: MESSAGES[f"open_data.verify_{name}"]
    for name in (
        "checking",
        "progress",
        "failed",
        "failed_line",
        "failed_row",
        "not_csv",
        "unreadable",
        "seal_unavailable",
        "insecure",
    )
}

_MONO = {"fontFamily": "var(--code-font-family, monospace)", "wordBreak": "break-all"}


def seal_block(rows: rx.Var, final_hash: rx.Var) -> rx.Component:
    """How many rows and the final hash of the chain."""
    return rx.box(
        rx.text(
            i18n.label("ui.opendata.strok_uchtennykh_golosov"),
            rx.text.strong(rows, id="open-data-rows"),
            as_="p",
        ),
        rx.text(i18n.label("ui.opendata.itogovyi_khesh_tsepochki"), as_="p", margin_top="0.4em"),
        rx.code(final_hash, id="open-data-final-hash", style=_MONO),
        rx.text(
            i18n.message("ui.opendata.kazhdaya_stroka_soderzhit_khesh_predydushchey"),
            as_="p",
            size="2",
            margin_top="0.6em",
        ),
    )


def file_check(seal_url: rx.Var, success: rx.Var, command: rx.Var) -> rx.Component:
    """«Проверить файл»: the citizen picks the downloaded CSV and assets/verify_opendata.js checks it
    in their browser against the published seal (the file is never sent); the texts and the file
    format come from the catalogue and the domain as data attributes. The command line check stays
    under «Для специалистов»."""
    return rx.box(
        rx.text(MESSAGES["open_data.verify_intro"], as_="p", size="2"),
        rx.box(
            rx.el.input(
                type="file",
                id="verify-file-input",
                accept=".csv,text/csv",
                class_name="ag-visually-hidden ag-file-input",
            ),
            rx.el.label(
                label("open_data.verify_label"), html_for="verify-file-input", class_name="ag-file-button"
            ),
            margin_y="0.6em",
        ),
        rx.el.p(id="verify-file-result", role="status", aria_live="polite", style={"fontWeight": "500"}),
        rx.el.details(
            rx.el.summary(label("open_data.verify_experts"), style={"cursor": "pointer"}),
            rx.text(MESSAGES["open_data.verify_command_hint"], as_="p", size="2", margin_top="0.4em"),
            rx.code(command, id="open-data-verify-command", style=_MONO, display="block", padding="0.5em"),
            margin_top="0.6em",
        ),
        rx.script(src="/verify_opendata.js"),
        id="verify-file",
        custom_attrs={
            "data-format": json.dumps(file_format(), ensure_ascii=False),
            "data-messages": json.dumps(_CHECK_MESSAGES, ensure_ascii=False),
            "data-seal-url": seal_url,
            "data-success": success,
        },
    )


def downloads(csv_url: rx.Var, xlsx_url: rx.Var, seal_url: rx.Var) -> rx.Component:
    """Links to the CSV, the XLSX and the seal JSON (served by the API, so a full page load)."""
    return rx.flex(
        rx.link(i18n.label("ui.opendata.skachat_csv"), href=csv_url, reload_document=True, id="download-csv"),
        rx.link(
            i18n.label("ui.opendata.skachat_xlsx"), href=xlsx_url, reload_document=True, id="download-xlsx"
        ),
        rx.link(
            i18n.message("ui.opendata.pechat_json"), href=seal_url, reload_document=True, id="download-seal"
        ),
        spacing="4",
        wrap="wrap",
    )


def _cell(value: rx.Var) -> rx.Component:
    return rx.el.td(value, style={"padding": "0.3em 0.5em", "borderBottom": "1px solid var(--gray-5)"})


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.foreach(row.cells, _cell),
        id=rx.cond(row.mine, "my-row", ""),
        class_name=rx.cond(row.mine, "open-data-row my-row", "open-data-row"),
        aria_current=rx.cond(row.mine, "true", "false"),
        style=rx.cond(
            row.mine,
            {"background": "var(--amber-4)", "outline": "2px solid var(--amber-9)", "fontWeight": "600"},
            {},
        ),
    )


def rows_table(header: rx.Var, rows: rx.Var, caption: rx.Var | str) -> rx.Component:
    """The table of one page of rows, scrollable sideways (hash columns are long)."""
    return table_region(
        rx.el.table(
            rx.el.caption(caption, style={"textAlign": "left", "padding": "0.3em 0"}),
            rx.el.thead(
                rx.el.tr(
                    rx.foreach(
                        header,
                        lambda h: rx.el.th(
                            h,
                            scope="col",
                            style={"textAlign": "left", "padding": "0.3em 0.5em", "whiteSpace": "nowrap"},
                        ),
                    )
                )
            ),
            rx.el.tbody(rx.foreach(rows, _row)),
            style={"borderCollapse": "collapse", "fontSize": "0.85em"},
        ),
        caption,
        width="100%",
    )


def page_controls(page, pages, page_input, on_prev, on_next, on_input, on_submit) -> rx.Component:
    """«← Назад / Страница N из M / Вперёд →» and a page number field."""
    return rx.el.nav(
        rx.flex(
            rx.button(
                i18n.label("ui.opendata.nazad"),
                on_click=on_prev,
                disabled=page <= 1,
                variant="soft",
                id="open-data-prev",
            ),
            rx.text(
                i18n.label("ui.opendata.stranitsa"),
                rx.text.strong(page, id="open-data-page"),
                i18n.label("ui.opendata.iz"),
                pages,
                size="2",
            ),
            rx.button(
                i18n.label("ui.opendata.vpered"),
                on_click=on_next,
                disabled=page >= pages,
                variant="soft",
                id="open-data-next",
            ),
            rx.form(
                rx.flex(
                    rx.el.label(
                        i18n.label("ui.opendata.pereiti_na_stranitsu"),
                        html_for="open-data-page-input",
                        style={"fontSize": "0.9em"},
                    ),
                    rx.input(
                        id="open-data-page-input",
                        name="page",
                        value=page_input,
                        on_change=on_input,
                        input_mode="numeric",
                        width="7em",
                    ),
                    rx.button(
                        i18n.label("ui.opendata.pereiti"), type="submit", variant="soft", id="open-data-go"
                    ),
                    spacing="2",
                    align="center",
                ),
                on_submit=on_submit,
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        aria_label=i18n.label("ui.opendata.stranitsy_otkrytykh_dannykh"),
        margin_y="0.8em",
    )


def receipt_check(value, on_change, on_submit, message, header, row) -> rx.Component:
    """«Проверить голос по коду квитанции»: anyone pastes a code and sees that ballot's row."""
    return rx.box(
        rx.form(
            rx.flex(
                field(
                    i18n.label("ui.opendata.kod_kvitantsii"),
                    text_input(
                        "receipt-code",
                        value=value,
                        on_change=on_change,
                        placeholder="XXXX-XXXX-XXXX-XXXX",
                        auto_complete="off",
                    ),
                    "receipt-code",
                    i18n.message("ui.opendata.kod_pokazan_v_razdele_moi"),
                ),
                submit(i18n.label("ui.common.proverit"), "receipt-check"),
                direction="column",
                spacing="2",
                max_width="28em",
            ),
            on_submit=on_submit,
        ),
        rx.cond(
            message != "", rx.text(message, as_="p", role="status", id="receipt-message", margin_top="0.6em")
        ),
        rx.cond(
            row.length() > 0,
            rx.box(
                rx.el.dl(
                    rx.foreach(
                        header,
                        lambda h, i: rx.flex(
                            rx.el.dt(h, style={"minWidth": "14em", "color": "var(--gray-11)"}),
                            rx.el.dd(row[i], style={"margin": "0", **_MONO}),
                            spacing="2",
                        ),
                    ),
                ),
                id="receipt-row",
                margin_top="0.6em",
            ),
        ),
    )
