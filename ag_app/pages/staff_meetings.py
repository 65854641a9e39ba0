"""``/staff/meetings``: the register of enabled houses, paper decisions, the audit log, the export."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import CELL, feedback, field, panel, scroll_table, staff_gate, staff_nav
from ag_app.components.form_marks import aria_invalid, marked
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.staff_meetings import StaffMeetingsState as S

_SELECT = {"padding": "0.4em", "width": "100%", "max_width": "40em"}
PAPER_CHOICES = [
    ("", i18n.label("ui.meetings.net_otveta")),
    ("for", i18n.label("ui.common.za")),
    ("against", i18n.label("ui.common.protiv")),
    ("abstain", i18n.label("ui.meetings.vozderzhalsia")),
]


def _register() -> rx.Component:
    return panel(
        i18n.label("ui.meetings.reestr_domov_gde_sobraniia_provodiatsia"),
        scroll_table(
            i18n.label("ui.meetings.doma_v_reestre"),
            [
                i18n.label("ui.renovation.dom"),
                i18n.label("ui.dashboard.raion"),
                i18n.label("ui.meetings.protokol_priniatyi_inspektsiei"),
                i18n.label("ui.meetings.vnesen"),
            ],
            S.enabled,
            lambda h: rx.el.tr(
                rx.el.th(h["address"], scope="row", style=CELL),
                rx.el.td(h["district"], style=CELL),
                rx.el.td(h["reference"], style=CELL),
                rx.el.td(h["when"], style=CELL),
            ),
            id_="enabled-houses",
        ),
        rx.heading(i18n.label("ui.meetings.vkliuchit_dom_v_reestr"), as_="h3", size="3"),
        rx.flex(
            field(
                i18n.label("ui.meetings.dom_iz_reestra_pomeshchenii"),
                rx.el.select(
                    rx.el.option(i18n.label("ui.meetings.vyberite_dom"), value=""),
                    rx.foreach(S.candidates, lambda h: rx.el.option(h["address"], value=h["id"])),
                    id="enable-house",
                    value=S.enable_house_id,
                    on_change=lambda v: S.set_field("enable_house_id", v),
                    style=_SELECT,
                    **aria_invalid(S.enable_invalid, "house"),
                ),
                "enable-house",
            ),
            field(
                i18n.label("ui.meetings.rekvizity_protokola_pervogo_sobraniia_priniatogo"),
                rx.input(
                    id="enable-reference",
                    value=S.enable_reference,
                    on_change=lambda v: S.set_field("enable_reference", v),
                    width="100%",
                    **marked(S.enable_invalid, "reference"),
                ),
                "enable-reference",
            ),
            rx.button(i18n.label("ui.meetings.vkliuchit_v_reestr"), on_click=S.enable, id="enable-submit"),
            direction="column",
            spacing="2",
            align="start",
        ),
        feedback(S.enable_error, S.enable_notice, id_="enable-result"),
    )


def _paper_choice(q: rx.Var) -> rx.Component:
    return field(
        i18n.label("ui.meetings.vopros") + q["number"] + ": " + q["text"],
        rx.el.select(
            *[rx.el.option(label, value=value) for value, label in PAPER_CHOICES],
            id="paper-" + q["number"],
            value=q["paper"],
            on_change=lambda v: S.set_paper(q["id"], v),
            style=_SELECT,
            **aria_invalid(S.paper_invalid, "choices"),
        ),
        "paper-" + q["number"],
    )


def _meeting_tools() -> rx.Component:
    return rx.cond(
        S.chosen_meeting != "",
        rx.box(
            panel(
                i18n.label("ui.meetings.bumazhnoe_reshenie_sobstvennika"),
                rx.text(
                    i18n.message("ui.meetings.reshenie_sdannoe_po_adresu_priema"),
                    size="2",
                    margin_bottom="0.6em",
                ),
                rx.flex(
                    field(
                        i18n.label("ui.meetings.nomer_pomeshcheniia"),
                        rx.input(
                            id="paper-premise",
                            value=S.premise,
                            on_change=lambda v: S.set_field("premise", v),
                            width="12em",
                            **marked(S.paper_invalid, "owner"),
                        ),
                        "paper-premise",
                    ),
                    rx.button(
                        i18n.label("ui.meetings.naiti_sobstvennikov"),
                        on_click=S.find_owners,
                        id="paper-find",
                        variant="soft",
                    ),
                    rx.cond(
                        S.owners.length() > 0,
                        field(
                            i18n.label("ui.meetings.sobstvennik"),
                            rx.el.select(
                                rx.foreach(S.owners, lambda o: rx.el.option(o["name"], value=o["ref"])),
                                id="paper-owner",
                                value=S.person_ref,
                                on_change=lambda v: S.set_field("person_ref", v),
                                style=_SELECT,
                                **aria_invalid(S.paper_invalid, "owner"),
                            ),
                            "paper-owner",
                        ),
                    ),
                    rx.foreach(S.agenda, _paper_choice),
                    field(
                        i18n.label("ui.meetings.sha_256_skana_resheniia"),
                        rx.input(
                            id="paper-scan",
                            value=S.scan,
                            on_change=lambda v: S.set_field("scan", v),
                            width="100%",
                            **marked(S.paper_invalid, "scan"),
                            font_family="monospace",
                        ),
                        "paper-scan",
                    ),
                    rx.button(
                        i18n.label("ui.common.vnesti_reshenie"), on_click=S.enter_paper, id="paper-submit"
                    ),
                    direction="column",
                    spacing="2",
                    align="start",
                ),
                feedback(S.paper_error, S.paper_notice, id_="paper-result"),
            ),
            panel(
                i18n.label("ui.meetings.zhurnal_otklonennykh_reshenii"),
                rx.cond(
                    S.rejections.length() > 0,
                    scroll_table(
                        i18n.label("ui.meetings.otklonennye_resheniia"),
                        [
                            i18n.label("ui.renovation.kogda"),
                            i18n.message("ui.meetings.sobstvennik_reestr"),
                            i18n.label("ui.common.vopros"),
                            i18n.label("ui.meetings.sposob"),
                            i18n.label("ui.news.reshenie"),
                            i18n.label("ui.common.prichina"),
                            i18n.label("ui.meetings.skan"),
                            i18n.label("ui.meetings.vnes"),
                        ],
                        S.rejections,
                        lambda r: rx.el.tr(
                            rx.el.th(r["when"], scope="row", style=CELL),
                            rx.el.td(r["owner"], style=CELL),
                            rx.el.td(r["question"], style=CELL),
                            rx.el.td(r["channel"], style=CELL),
                            rx.el.td(r["choice"], style=CELL),
                            rx.el.td(r["reason"], style=CELL),
                            rx.el.td(rx.code(r["scan"]), style=CELL),
                            rx.el.td(r["by"], style=CELL),
                        ),
                        id_="rejections",
                    ),
                    rx.text(i18n.message("ui.meetings.otklonennykh_reshenii_net"), color_scheme="gray"),
                ),
            ),
            panel(
                i18n.label("ui.meetings.reestr_reshenii_dlia_zhilishchnoi_inspektsii"),
                rx.text(
                    i18n.message("ui.meetings.csv_sobstvennik_po_reestru_pomeshchenie"),
                    size="2",
                    margin_bottom="0.5em",
                ),
                rx.button(
                    i18n.message("ui.meetings.vygruzit_reestr_reshenii_csv"),
                    on_click=S.export,
                    id="export-decisions",
                    variant="soft",
                ),
            ),
        ),
    )


def staff_meetings_page() -> rx.Component:
    """``/staff/meetings``."""
    return page_layout(
        i18n.message("ui.meetings.sobraniia_sobstvennikov_oss"),
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            _register(),
            panel(
                i18n.label("ui.meetings.sobraniia"),
                field(
                    i18n.label("ui.meetings.sobranie"),
                    rx.el.select(
                        rx.el.option(i18n.label("ui.meetings.vyberite_sobranie"), value=""),
                        rx.foreach(S.meetings_rows, lambda m: rx.el.option(m["name"], value=m["id"])),
                        id="staff-meeting",
                        value=S.chosen_meeting,
                        on_change=S.choose_meeting,
                        style=_SELECT,
                    ),
                    "staff-meeting",
                ),
                rx.cond(
                    S.chosen_meeting != "",
                    rx.link(
                        i18n.label("ui.meetings.stranitsa_sobraniia"),
                        href="/house/meetings/" + S.chosen_meeting,
                        id="staff-meeting-link",
                    ),
                ),
            ),
            _meeting_tools(),
        ),
    )


PAGES = [
    (
        "/staff/meetings",
        staff_meetings_page,
        i18n.label("ui.meetings.sobraniia_sobstvennikov_kabinet_sotrudnika"),
        [SessionState.refresh, S.load],
    )
]
