"""``/staff/renovation``: house votes for staff and the verification queue for moderators."""

import reflex as rx

from ag_app.components.common import feedback, field, native_select, panel, staff_gate, staff_nav, text_input
from ag_app.components.form_marks import aria_invalid, marked, named
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.staff_renovation import StaffRenovationState as S


def _campaign_row(campaign: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(campaign["label"]), as_="p"),
        rx.text(campaign["period"], label("ui.renovation.domov"), campaign["houses"], size="2", as_="p"),
        margin_bottom="0.5em",
    )


def _open_form() -> rx.Component:
    return panel(
        label("ui.renovation.otkryt_golosovanie_po_domam"),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.nazvanie"),
                    text_input(
                        "renovation-title", name="title", max_length=300, **marked(S.invalid_fields, "title")
                    ),
                    "renovation-title",
                ),
                field(
                    label("ui.common.vopros"),
                    text_input(
                        "renovation-question",
                        name="question",
                        max_length=1000,
                        **marked(S.invalid_fields, "question"),
                        default_value=message("ui.renovation.vkliuchit_dom_v_programmu_renovatsii"),
                    ),
                    "renovation-question",
                ),
                rx.flex(
                    field(
                        message("ui.renovation.nachalo_msk"),
                        rx.input(
                            type="datetime-local",
                            id="renovation-starts",
                            name="starts_at",
                            **marked(S.invalid_fields, "starts", "period"),
                        ),
                        "renovation-starts",
                    ),
                    field(
                        message("ui.renovation.okonchanie_msk"),
                        rx.input(
                            type="datetime-local",
                            id="renovation-ends",
                            name="ends_at",
                            **marked(S.invalid_fields, "ends", "period"),
                        ),
                        "renovation-ends",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.el.fieldset(
                    rx.el.legend(
                        message("ui.renovation.doma_iz_reestra_s_kvartirami"), style={"fontWeight": "500"}
                    ),
                    rx.flex(
                        rx.foreach(
                            S.houses,
                            lambda house: rx.checkbox(
                                house["label"],
                                id="renovation-house-" + house["id"],
                                checked=S.chosen_houses.contains(house["id"]),
                                on_change=lambda checked: S.toggle_house(house["id"], checked),
                            ),
                        ),
                        direction="column",
                        spacing="1",
                        max_height="16em",
                        overflow_y="auto",
                    ),
                    id="renovation-houses",
                    **aria_invalid(S.invalid_fields, "houses"),
                    style={
                        "border": rx.cond(
                            named(S.invalid_fields, "houses"),
                            "2px solid var(--red-9)",
                            "1px solid var(--gray-5)",
                        ),
                        "padding": "0.6em",
                        "borderRadius": "6px",
                    },
                ),
                rx.button(label("ui.renovation.otkryt_golosovanie"), type="submit", id="renovation-open"),
                direction="column",
                spacing="3",
            ),
            on_submit=S.open_campaign,
            reset_on_submit=False,
        ),
        rx.heading(label("menu.polls"), as_="h3", size="4", margin_top="1em"),
        rx.el.ul(rx.foreach(S.campaigns, _campaign_row), id="renovation-campaigns"),
    )


def _holder(holder: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(holder["label"]),
        rx.button(
            label("ui.common.za"),
            on_click=S.enter_paper_vote(holder["id"], "for"),
            size="1",
            color_scheme="green",
            aria_label=label("ui.renovation.vnesti_golos_za") + holder["label"],
        ),
        rx.button(
            label("ui.common.protiv"),
            on_click=S.enter_paper_vote(holder["id"], "against"),
            size="1",
            color_scheme="red",
            variant="soft",
            aria_label=label("ui.renovation.vnesti_golos_protiv") + holder["label"],
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def _house_desk() -> rx.Component:
    return panel(
        label("ui.renovation.golosa_podannye_lichno_i_resheniia"),
        rx.flex(
            field(
                label("ui.common.golosovanie"),
                native_select(
                    "entry-campaign",
                    S.campaigns,
                    placeholder=label("ui.renovation.vyberite"),
                    value=S.entry_campaign,
                    on_change=S.choose_entry_campaign,
                    label_key="label",
                ),
                "entry-campaign",
            ),
            field(
                label("ui.renovation.dom"),
                native_select(
                    "entry-house",
                    S.entry_houses,
                    placeholder=label("ui.renovation.vyberite"),
                    value=S.entry_house,
                    on_change=S.choose_entry_house,
                    label_key="label",
                ),
                "entry-house",
            ),
            direction="column",
            spacing="3",
            max_width="40em",
        ),
        rx.heading(
            label("ui.renovation.golos_podannyi_lichno_v_tsentre"), as_="h3", size="4", margin_top="1em"
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.renovation.nomer_kvartiry"),
                    text_input("entry-apartment", name="apartment", max_length=10),
                    "entry-apartment",
                ),
                rx.button(label("ui.renovation.naiti_v_reestre"), type="submit", id="entry-find"),
                spacing="3",
                align="end",
            ),
            on_submit=S.find_holders,
            reset_on_submit=False,
        ),
        rx.flex(rx.foreach(S.holders, _holder), direction="column", spacing="2", margin_top="0.6em"),
        rx.cond(
            S.paper_code != "",
            rx.text(
                label("ui.renovation.kod_proverki_dlia_raspiski"),
                rx.text.strong(S.paper_code, id="paper-code"),
                as_="p",
                margin_top="0.6em",
            ),
        ),
        rx.heading(
            label("ui.renovation.reshenie_obshchego_sobraniia_sobstvennikov"),
            as_="h3",
            size="4",
            margin_top="1.2em",
        ),
        rx.form(
            rx.flex(
                field(
                    message("ui.renovation.protokol_nomer_i_data"),
                    text_input("meeting-protocol", name="protocol", max_length=300),
                    "meeting-protocol",
                ),
                field(
                    label("ui.renovation.golosov_za_m"),
                    text_input("meeting-for", name="for_votes", max_length=40, input_mode="decimal"),
                    "meeting-for",
                ),
                field(
                    label("ui.renovation.vsego_golosov_v_dome_m"),
                    text_input("meeting-total", name="total_votes", max_length=40, input_mode="decimal"),
                    "meeting-total",
                    hint=message("ui.renovation.dom_vkliuchaetsia_esli_za_ne"),
                ),
                rx.button(label("ui.common.vnesti_reshenie"), type="submit", id="meeting-submit"),
                direction="column",
                spacing="3",
                max_width="30em",
            ),
            on_submit=S.enter_meeting,
            reset_on_submit=False,
        ),
    )


def _queue_item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(item["what"]), as_="p"),
        rx.text(label("ui.renovation.podan"), item["cast"], " · ", item["channel"], size="2", as_="p"),
        rx.text(
            label("ui.renovation.proverit_do"),
            item["due"],
            rx.cond(item["overdue"] == "1", label("ui.renovation.srok_istek"), ""),
            size="2",
            as_="p",
            color_scheme=rx.cond(item["overdue"] == "1", "red", "gray"),
        ),
        rx.text(
            label("ui.renovation.uchetnaia_zapis"),
            item["voter"],
            label("ui.renovation.v_reestre"),
            item["registry"],
            size="2",
            as_="p",
        ),
        rx.flex(
            rx.button(
                label("ui.renovation.podtverdit"),
                on_click=S.verify(item["id"]),
                size="2",
                id="verify-" + item["id"],
            ),
            rx.form(
                rx.flex(
                    rx.el.input(type="hidden", name="ballot_id", value=item["id"]),
                    rx.input(
                        name="reason",
                        id="reason-" + item["id"],
                        placeholder=label("ui.renovation.prichina_otkaza"),
                        aria_label=label("ui.renovation.prichina_otkaza"),
                        max_length=500,
                    ),
                    rx.button(
                        label("ui.common.otklonit"),
                        type="submit",
                        size="2",
                        color_scheme="red",
                        variant="soft",
                    ),
                    spacing="2",
                ),
                on_submit=S.reject,
                reset_on_submit=True,
            ),
            spacing="3",
            wrap="wrap",
            margin_top="0.3em",
        ),
        padding_y="0.6em",
        border_bottom="1px solid var(--gray-5)",
    )


def _queue() -> rx.Component:
    return panel(
        label("ui.renovation.proverka_golosov"),
        rx.text(message("ui.renovation.golosa_na_proverke_blizhaishii_srok"), size="2"),
        rx.cond(
            S.queue.length() == 0,
            rx.text(message("ui.renovation.golosov_na_proverke_net"), as_="p", color_scheme="gray"),
        ),
        rx.el.ul(
            rx.foreach(S.queue, _queue_item),
            id="renovation-queue",
            style={"listStyle": "none", "padding": "0"},
        ),
    )


def staff_renovation_page() -> rx.Component:
    return page_layout(
        label("menu.staff_renovation"),
        staff_nav(),
        staff_gate(
            S.loaded,
            S.is_staff | S.is_moderator,
            feedback(S.error, S.notice, id_="form-errors"),
            rx.cond(S.is_staff, rx.fragment(_open_form(), _house_desk())),
            rx.cond(S.is_moderator, _queue()),
        ),
    )


PAGES = [
    (
        "/staff/renovation",
        staff_renovation_page,
        label("menu.staff_renovation"),
        [SessionState.refresh, S.load],
    )
]
