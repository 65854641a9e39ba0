"""The renovation-type house vote: the resident's votes, the public lookup, a house's result and
the check code («код проверки»)."""

import reflex as rx

from ag_app.components.common import card, empty, feedback, field, section, submit, text_input
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.renovation import RenovationCheckState as C
from ag_app.state.renovation import RenovationLookupState as L
from ag_app.state.renovation import RenovationResultState as R
from ag_app.state.renovation import ResidentRenovationState as S


def _figures(rows: rx.Var, id_: str) -> rx.Component:
    return rx.el.dl(
        rx.foreach(
            rows,
            lambda row: rx.flex(
                rx.el.dt(row["caption"], style={"fontWeight": "500", "minWidth": "18em"}),
                rx.el.dd(row["value"], style={"margin": "0"}),
                spacing="3",
                wrap="wrap",
                padding_y="0.25em",
                border_bottom="1px solid var(--gray-5)",
            ),
        ),
        id=id_,
    )


# ----------------------------------------------------------------------------------------------
# /house/renovation


def _apartment(card_var: rx.Var, apartment: rx.Var) -> rx.Component:
    name = message("ui.renovation.kv_4") + apartment.apartment
    return rx.flex(
        rx.text(rx.text.strong(name), " — ", apartment.role, as_="p"),
        rx.cond(
            apartment.voted == "1",
            rx.flex(
                rx.text(label("ui.renovation.vash_vybor"), rx.text.strong(apartment.choice), as_="p"),
                rx.text(label("ui.common.status"), apartment.status_text, as_="p", class_name="vote-status"),
                rx.cond(
                    apartment.due != "",
                    rx.text(label("ui.renovation.proverka_do"), apartment.due, as_="p", size="2"),
                ),
                rx.cond(
                    apartment.code_tail != "",
                    rx.text(
                        label("ui.renovation.kod_proverki_zakanchivaetsia_na")
                        + apartment.code_tail
                        + message("ui.renovation.polnost_iu_v_sms_i"),
                        as_="p",
                        size="2",
                    ),
                ),
                direction="column",
                spacing="1",
            ),
            rx.cond(
                card_var.is_open == "1",
                rx.flex(
                    rx.button(
                        label("ui.common.za"),
                        on_click=S.cast(card_var.campaign_id, apartment.premise_id, "for"),
                        color_scheme="green",
                        id="vote-for-" + card_var.campaign_id + "-" + apartment.premise_id,
                        aria_label=label("ui.renovation.golosovat_za_za") + name,
                    ),
                    rx.button(
                        label("ui.common.protiv"),
                        on_click=S.cast(card_var.campaign_id, apartment.premise_id, "against"),
                        color_scheme="red",
                        variant="soft",
                        id="vote-against-" + card_var.campaign_id + "-" + apartment.premise_id,
                        aria_label=label("ui.renovation.golosovat_protiv_za") + name,
                    ),
                    spacing="3",
                ),
                rx.text(message("ui.renovation.golosovanie_zaversheno_vy_ne_golosovali"), as_="p", size="2"),
            ),
        ),
        direction="column",
        spacing="2",
        padding_y="0.6em",
        border_top="1px solid var(--gray-5)",
        class_name="renovation-apartment",
    )


def _vote_card(item: rx.Var) -> rx.Component:
    return card(
        rx.heading(item.address, as_="h2", size="5"),
        rx.text(item.title, " — ", item.state_name, as_="p", weight="medium"),
        rx.text(item.question, as_="p"),
        rx.text(item.period, as_="p", size="2", color_scheme="gray"),
        rx.foreach(item.apartments, lambda apartment: _apartment(item, apartment)),
        rx.link(
            label("ui.renovation.rezul_taty_po_domu"),
            href="/renovation/" + item.campaign_id + "/" + item.house_id,
            size="2",
        ),
        class_name="renovation-card",
    )


def resident_page() -> rx.Component:
    return page_layout(
        label("ui.common.golosovanie_po_domu"),
        rx.text(
            message("ui.renovation.golosuiut_sobstvenniki_i_nanimateli_po"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        rx.cond(
            S.new_code != "",
            rx.card(
                rx.text(
                    label("ui.renovation.vash_kod_proverki"),
                    rx.text.strong(S.new_code, id="check-code"),
                    as_="p",
                    size="4",
                ),
                rx.text(
                    message("ui.renovation.sokhranite_ego_po_nemu_na"),
                    as_="p",
                    size="2",
                ),
                margin_y="0.6em",
                id="check-code-card",
            ),
        ),
        rx.cond(
            S.loaded & ~S.logged_in,
            rx.text(
                rx.link(label("ui.poll.voidite"), href="/login"),
                message("ui.renovation.chtoby_progolosovat_po_svoemu_domu"),
                as_="p",
            ),
        ),
        rx.cond(
            S.loaded & S.logged_in & (S.cards.length() == 0),
            empty(message("ui.renovation.dlia_vashikh_podtverzhdennykh_kvartir_golosovani")),
        ),
        rx.flex(rx.foreach(S.cards, _vote_card), direction="column", spacing="4", id="renovation-votes"),
        rx.flex(
            rx.link(label("ui.renovation.proverit_golos_po_kodu"), href="/renovation/check"),
            rx.link(label("ui.renovation.naiti_rezul_taty_po_adresu"), href="/renovation"),
            spacing="4",
            margin_top="1.5em",
            wrap="wrap",
        ),
    )


# ----------------------------------------------------------------------------------------------
# /renovation and /renovation/[campaign_id]/[house_id]


def _hit(hit: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(hit.address, href=hit.href, weight="medium"),
        rx.text(
            hit.district, " · ", hit.campaign, " (", hit.state, ")", size="2", color_scheme="gray", as_="p"
        ),
        margin_bottom="0.6em",
    )


def lookup_page() -> rx.Component:
    return page_layout(
        label("ui.renovation.rezul_taty_golosovaniia_po_domam"),
        rx.text(
            message("ui.renovation.vvedite_adres_doma_chtoby_uznat"),
            as_="p",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.adres_doma"),
                    text_input(
                        "address", placeholder=label("ui.renovation.naprimer_tverskaia_7"), max_length=200
                    ),
                    "address",
                ),
                submit(label("ui.renovation.naiti"), "lookup-submit"),
                direction="column",
                spacing="3",
                max_width="32em",
            ),
            on_submit=L.search,
            reset_on_submit=False,
            margin_y="1em",
        ),
        feedback(L.error, L.notice),
        rx.cond(L.searched & (L.hits.length() == 0), empty(message("ui.renovation.dom_s_takim_adresom_v"))),
        rx.el.ul(rx.foreach(L.hits, _hit), id="lookup-hits", style={"listStyle": "none", "padding": "0"}),
        rx.flex(
            rx.link(label("ui.renovation.proverit_golos_po_kodu"), href="/renovation/check"),
            rx.link(label("ui.renovation.progolosovat_za_svoiu_kvartiru"), href="/house/renovation"),
            spacing="4",
            margin_top="1.5em",
            wrap="wrap",
        ),
    )


def result_page() -> rx.Component:
    return page_layout(
        rx.cond(R.found, R.address, label("ui.renovation.rezul_taty_golosovaniia_po_domu")),
        feedback(R.error, R.notice),
        rx.cond(~R.loaded, rx.text(label("ui.poll.zagruzka"), as_="p")),
        rx.cond(
            R.found,
            rx.box(
                rx.text(R.district, as_="p", color_scheme="gray"),
                rx.text(R.title, " — ", R.state_name, as_="p", weight="medium"),
                rx.text(R.question, as_="p"),
                rx.cond(
                    R.preliminary,
                    rx.badge(
                        label("ui.renovation.predvaritel_no_golosovanie_zavershitsia") + R.ends,
                        color_scheme="amber",
                        size="2",
                        margin_top="0.6em",
                        id="house-preliminary",
                    ),
                ),
                rx.callout(
                    R.decision,
                    icon=rx.cond(R.decided, rx.cond(R.included, "circle_check", "circle_x"), "info"),
                    color_scheme=rx.cond(R.decided & R.included, "green", "gray"),
                    margin_y="1em",
                    id="house-decision",
                ),
                section(
                    rx.cond(
                        R.preliminary,
                        label("ui.renovation.predvaritel_nye_itogi_po_kvartiram"),
                        label("ui.renovation.itogi_po_kvartiram"),
                    ),
                    _figures(R.rows, "house-figures"),
                ),
                rx.text(
                    message("ui.renovation.mnenie_kvartiry_bol_shinstvo_golosov"),
                    as_="p",
                    size="2",
                    margin_top="1em",
                ),
            ),
        ),
        rx.link(label("ui.renovation.naiti_drugoi_dom"), href="/renovation", margin_top="1em"),
    )


# ----------------------------------------------------------------------------------------------
# /renovation/check


def check_page() -> rx.Component:
    return page_layout(
        label("ui.renovation.proverit_golos_po_kodu"),
        rx.text(
            message("ui.renovation.vvedite_12_znachnyi_kod_proverki"),
            as_="p",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.renovation.kod_proverki"),
                    text_input("code", placeholder="1234 5678 9012", max_length=40, auto_complete="off"),
                    "code",
                ),
                submit(label("ui.common.proverit"), "check-submit"),
                direction="column",
                spacing="3",
                max_width="24em",
            ),
            on_submit=C.check,
            reset_on_submit=False,
            margin_y="1em",
        ),
        feedback(C.error, C.notice),
        rx.cond(
            C.found,
            card(
                rx.callout(
                    rx.cond(
                        C.counted, label("ui.renovation.golos_uchten"), label("ui.renovation.golos_ne_uchten")
                    ),
                    icon=rx.cond(C.counted, "circle_check", "info"),
                    color_scheme=rx.cond(C.counted, "green", "gray"),
                ),
                rx.text(C.explanation, as_="p", margin_y="0.6em", id="check-explanation"),
                _figures(C.rows, "check-figures"),
                id="check-result",
            ),
        ),
    )


PAGES = [
    (
        "/house/renovation",
        resident_page,
        label("ui.common.golosovanie_po_domu"),
        [SessionState.refresh, S.load],
    ),
    (
        "/renovation",
        lookup_page,
        label("ui.renovation.rezul_taty_golosovaniia_po_domam"),
        [SessionState.refresh],
    ),
    ("/renovation/check", check_page, label("ui.renovation.proverit_golos_po_kodu"), [SessionState.refresh]),
    (
        "/renovation/[campaign_id]/[house_id]",
        result_page,
        label("ui.renovation.rezul_taty_po_domu"),
        [SessionState.refresh, R.load],
    ),
]
