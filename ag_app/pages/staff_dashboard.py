"""``/staff/dashboard``: the city staff dashboard (SPEC §5.4), staff only."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, label, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.domain.stats import MIN_CELL
from ag_app.state.base import SessionState
from ag_app.state.staff_dashboard import StaffDashboardState as S


def _select(id_: str, text: str, items: rx.Var, value: rx.Var, placeholder: str) -> rx.Component:
    return rx.flex(
        label(text, id_),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(items, lambda item: rx.el.option(item["name"], value=item["id"])),
            id=id_,
            name=id_.removeprefix("filter-"),
            default_value=value,
            key=value,
            style=NATIVE_SELECT_STYLE,
        ),
        direction="column",
        spacing="1",
        width="100%",
    )


def _date(id_: str, text: str, value: rx.Var) -> rx.Component:
    return field(
        text,
        rx.el.input(
            type="date",
            id=id_,
            name=id_.removeprefix("filter-"),
            default_value=value,
            key=value,
            style=NATIVE_SELECT_STYLE,
        ),
        id_,
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.grid(
            _date("filter-start", i18n.label("ui.dashboard.nachalo_perioda"), S.start),
            _date("filter-end", i18n.label("ui.dashboard.konets_perioda"), S.end),
            _select(
                "filter-okrug",
                i18n.label("ui.common.okrug"),
                S.okrugs,
                S.okrug,
                i18n.label("ui.dashboard.vse_okruga"),
            ),
            _select(
                "filter-district",
                i18n.label("ui.dashboard.raion"),
                S.districts,
                S.district,
                i18n.label("ui.dashboard.vse_raiony"),
            ),
            _select(
                "filter-poll",
                i18n.label("ui.common.golosovanie"),
                S.polls,
                S.poll,
                i18n.label("ui.dashboard.vse_golosovaniia_perioda"),
            ),
            columns=rx.breakpoints(initial="1", sm="2", md="5"),
            spacing="3",
            width="100%",
        ),
        rx.button(
            i18n.label("ui.common.pokazat"), type="submit", id="filter-apply", size="3", margin_top="0.8em"
        ),
        on_submit=S.apply,
        aria_label=i18n.label("ui.dashboard.fil_try_paneli_pokazatelei"),
    )


def _block(
    title: str, figure: rx.Var, description: str, caption: str, header: list[str], rows: rx.Var, id_: str
):
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", margin_top="1.4em"),
        chart(figure, description, f"chart-{id_}"),
        data_table(caption, header, rows, f"table-{id_}"),
    )


def dashboard_page() -> rx.Component:
    """``/staff/dashboard``."""
    return page_layout(
        i18n.label("ui.dashboard.panel_pokazatelei"),
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            _filters(),
            feedback(S.error, ""),
            rx.text(
                i18n.message("ui.dashboard.chisla_men_she_chelovek_skryty", MIN_CELL=MIN_CELL),
                as_="p",
                size="2",
                color_scheme="gray",
                margin_top="0.6em",
            ),
            _block(
                i18n.label("ui.dashboard.registratsii_i_aktivnost"),
                S.activity_fig,
                i18n.message("ui.dashboard.novye_registratsii_i_aktivnye_pol"),
                i18n.label("ui.dashboard.registratsii_i_aktivnye_pol_zovateli"),
                [
                    i18n.label("ui.common.den"),
                    i18n.label("ui.dashboard.registratsii"),
                    i18n.label("ui.dashboard.aktivnye_pol_zovateli"),
                ],
                S.activity_rows,
                "activity",
            ),
            _block(
                i18n.label("ui.dashboard.urovni_identifikatsii"),
                S.levels_fig,
                i18n.message("ui.dashboard.uchetnye_zapisi_po_urovniam_identifikatsii_2"),
                i18n.label("ui.dashboard.uchetnye_zapisi_po_urovniam_identifikatsii"),
                [i18n.label("ui.dashboard.uroven"), i18n.label("ui.dashboard.uchetnykh_zapisei")],
                S.levels_rows,
                "levels",
            ),
            _block(
                i18n.label("ui.dashboard.uchastie_v_golosovaniiakh"),
                S.polls_fig,
                i18n.message("ui.dashboard.iavka_biulleteni_zhitelei_zhiteli_imeiushchie"),
                i18n.label("ui.dashboard.biulleteni_zhiteli_s_pravom_golosa"),
                [
                    i18n.label("ui.common.golosovanie"),
                    i18n.label("ui.dashboard.biulleteni"),
                    i18n.label("ui.dashboard.imeiut_pravo_golosa"),
                    i18n.label("ui.dashboard.iavka_2"),
                ],
                S.polls_rows,
                "polls",
            ),
            _block(
                i18n.label("ui.dashboard.uchastie_po_raionam"),
                S.districts_fig,
                i18n.message("ui.dashboard.iavka_po_raionam_prozhivaniia_chisla"),
                i18n.label("ui.dashboard.biulleteni_zhiteli_s_pravom_golosa_2"),
                [
                    i18n.label("ui.dashboard.raion"),
                    i18n.label("ui.common.okrug"),
                    i18n.label("ui.dashboard.biulleteni"),
                    i18n.label("ui.dashboard.imeiut_pravo_golosa"),
                    i18n.label("ui.dashboard.iavka_2"),
                ],
                S.districts_rows,
                "districts",
            ),
            _block(
                i18n.label("ui.dashboard.bally_po_pravilam_nachisleniia"),
                S.points_fig,
                i18n.message("ui.dashboard.summa_nachislennykh_ballov_po_pravilam"),
                i18n.label("ui.dashboard.nachisleniia_ballov_po_pravilam_za"),
                [
                    i18n.label("ui.dashboard.pravilo"),
                    i18n.label("ui.dashboard.poluchili_chelovek"),
                    i18n.label("ui.dashboard.nachislenii"),
                    i18n.label("ui.dashboard.ballov"),
                ],
                S.points_rows,
                "points",
            ),
        ),
    )


PAGES = [
    (
        "/staff/dashboard",
        dashboard_page,
        i18n.label("ui.dashboard.panel_pokazatelei_kabinet_sotrudnika"),
        [SessionState.refresh, S.load],
    )
]
