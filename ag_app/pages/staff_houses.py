"""``/staff/houses`` «Реестр домов»: import the house registry from CSV; management companies and HOAs."""

import reflex as rx

from ag_app.components.common import (
    feedback,
    field,
    panel,
    staff_gate,
    staff_nav,
    static_select,
    table_region,
)
from ag_app.components.layout import page_layout
from ag_app.domain.limits import PASTE_LIMIT_CHARS
from ag_app.i18n import label, message
from ag_app.pages.staff_registry import CSV_ACCEPT
from ag_app.state.base import SessionState
from ag_app.state.staff_houses import COLUMNS_TEXT, ROLE_OPTIONS
from ag_app.state.staff_houses import StaffHousesState as S

UPLOAD_ID = "houses-upload"
EXAMPLE = label("ui.houses.arbat_ulitsa_arbat_1_3")
_SELECT_STYLE = {
    "padding": "0.35em 0.5em",
    "border": "1px solid var(--gray-7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-background)",
    "font_size": "1em",
    "min_height": "2.25em",
    "max_width": "100%",
}


def _import_block() -> rx.Component:
    return panel(
        message("ui.houses.zagruzka_reestra_domov_csv"),
        rx.text(
            message("ui.houses.odna_stroka_odin_sobstvennik_nanimatel"),
            size="2",
        ),
        rx.text(label("ui.common.stolbtsy"), rx.code(COLUMNS_TEXT), size="2"),
        rx.text(label("ui.common.primer_stroki"), rx.code(EXAMPLE), size="2"),
        rx.text(
            label("ui.houses.povtornaya_zagruzka_obnovlyaet_dannye_pomeshchen"),
            rx.code("person_ref"),
            message("ui.houses.i_roli_lyudi_pomeshcheniya_kotorykh"),
            size="2",
            margin_bottom="0.8em",
        ),
        rx.heading(label("ui.common.zagruzit_fail"), as_="h3", size="3"),
        rx.box(
            rx.upload(
                id=UPLOAD_ID,
                accept=CSV_ACCEPT,
                multiple=False,
                max_files=1,
                on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("upload", aria_hidden="true"),
            label("ui.houses.vybrat_csv_fail_reestra_domov"),
            id="houses-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{UPLOAD_ID} input[type=file]').click()"),
            margin="0.4em 0 1em",
        ),
        rx.heading(label("ui.common.ili_vstavit_tekst"), as_="h3", size="3"),
        rx.flex(
            field(
                message("ui.common.soderzhimoe_csv_do_400_000"),
                rx.text_area(
                    id="houses-csv",
                    value=S.csv_text,
                    on_change=S.set_csv_text,
                    max_length=PASTE_LIMIT_CHARS,
                    rows="6",
                    font_family="monospace",
                ),
                "houses-csv",
            ),
            rx.button(
                label("ui.common.zagruzit_iz_teksta"),
                id="import-houses",
                on_click=S.import_text,
                type="button",
            ),
            direction="column",
            spacing="2",
            align="start",
            margin_bottom="0.8em",
        ),
        rx.box(
            rx.cond(
                S.import_error != "",
                rx.box(
                    rx.callout(S.import_error, icon="triangle_alert", color_scheme="red"),
                    rx.el.ul(
                        rx.foreach(S.import_errors, lambda e: rx.el.li(e)),
                        style={"margin": "0.5em 0 0 1.2em"},
                        id="houses-errors",
                    ),
                ),
            ),
            rx.cond(
                S.import_summary.length() > 0,
                rx.box(
                    rx.callout(
                        message("ui.houses.reestr_domov_zagruzhen"), icon="check", color_scheme="green"
                    ),
                    rx.foreach(S.import_summary, lambda line: rx.text(line, as_="p", size="2")),
                    id="houses-summary",
                ),
            ),
            role="alert",
            id="houses-result",
        ),
    )


def _organisation_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["address"]),
        rx.table.cell(row["role"]),
        rx.table.cell(row["name"]),
        rx.table.cell(row["phone"]),
        rx.table.cell(
            rx.button(
                label("ui.common.udalit"),
                on_click=S.remove(row["id"]),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label=label("ui.houses.udalit_zapis") + row["name"],
            )
        ),
    )


def _organisation_block() -> rx.Component:
    return panel(
        label("ui.houses.upravliaiushchie_organizatsii_i_tszh"),
        rx.text(
            message("ui.houses.pol_zovatel_zapisannyi_predstavitelem_upravliaiu"),
            size="2",
            margin_bottom="0.8em",
        ),
        rx.flex(
            field(
                label("ui.common.adres_doma"),
                rx.input(
                    id="org-address", value=S.address_query, on_change=S.set_address_query, width="100%"
                ),
                "org-address",
                message("ui.houses.ulitsa_i_nomer_doma_naprimer"),
            ),
            rx.button(label("ui.houses.naiti_dom"), id="org-search", on_click=S.search, type="button"),
            direction="column",
            spacing="2",
            align="start",
            max_width="32em",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.renovation.dom"),
                    rx.el.select(
                        rx.el.option(label("ui.houses.snachala_naidite_dom"), value=""),
                        rx.foreach(S.found, lambda h: rx.el.option(h["label"], value=h["id"])),
                        id="org-house",
                        name="org_house",
                        value=S.house_id,
                        on_change=S.set_house_id,
                        style=_SELECT_STYLE,
                    ),
                    "org-house",
                ),
                field(
                    label("ui.houses.telefon_pol_zovatelia"),
                    rx.input(id="org-phone", name="org_phone", type="tel", width="100%", required=True),
                    "org-phone",
                ),
                field(
                    label("ui.common.rol"),
                    static_select(
                        "org-role", ROLE_OPTIONS, value=S.org_role, on_change=S.set_org_role, name="org_role"
                    ),
                    "org-role",
                ),
                field(
                    label("ui.houses.nazvanie_organizatsii"),
                    rx.input(id="org-name", name="org_name", width="100%", required=True),
                    "org-name",
                ),
                rx.button(label("ui.houses.zapisat"), id="org-record", type="submit"),
                direction="column",
                spacing="2",
                align="start",
                max_width="32em",
                margin_top="0.8em",
            ),
            on_submit=S.record,
            reset_on_submit=False,
            key=S.org_version.to_string() + "-org",
        ),
        feedback(S.org_error, S.org_notice, id_="org-result"),
        rx.cond(
            S.organisations.length() > 0,
            table_region(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(t)
                                for t in (
                                    label("ui.renovation.dom"),
                                    label("ui.common.rol"),
                                    label("ui.houses.organizatsiia"),
                                    label("ui.common.telefon"),
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.organisations, _organisation_row)),
                    size="1",
                    width="100%",
                    id="organisations",
                ),
                label("ui.houses.upravliaiushchie_organizatsii_i_tszh"),
            ),
        ),
    )


def houses_page() -> rx.Component:
    """``/staff/houses``."""
    return page_layout(
        label("menu.staff_houses"),
        staff_gate(S.loaded, S.allowed, staff_nav(), _import_block(), _organisation_block()),
    )


PAGES = [
    (
        "/staff/houses",
        houses_page,
        label("ui.houses.reestr_domov_kabinet_sotrudnika"),
        [SessionState.refresh, S.load],
    )
]
