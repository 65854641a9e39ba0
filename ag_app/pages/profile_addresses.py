"""The addresses block of «Мой профиль»: the list of the resident's addresses and the address form."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import (
    card,
    feedback,
    field,
    invalid_props,
    native_select,
    section,
    static_select,
    submit,
    text_input,
)
from ag_app.state.address import KIND_OPTIONS, AddressState
from ag_app.state.profile import ProfileState

S = ProfileState


def _bad(name: str) -> rx.Var:
    """Whether the last refused save named the address form field ``name``."""
    return AddressState.invalid_fields.contains(name)


def _address_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(row["kind_name"], weight="bold", as_="p"),
        rx.text(row["text"], as_="p"),
        rx.text(
            row["okrug"],
            i18n.label("ui.profile.raion"),
            row["district"],
            size="2",
            color_scheme="gray",
            as_="p",
        ),
        rx.cond(
            row["pending"] != "",
            rx.text(
                i18n.message("ui.profile.dom_na_proverke_u_sotrudnikov"),
                size="2",
                color_scheme="gray",
                as_="p",
            ),
        ),
        rx.cond(row["next_change"] != "", rx.text(row["next_change"], size="2", as_="p")),
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-5)",
    )


def _address_form() -> rx.Component:
    A = AddressState
    return card(
        rx.heading(
            i18n.label("ui.profile.ukazat_ili_izmenit_adres"), as_="h3", size="3", margin_bottom="0.6em"
        ),
        rx.form(
            rx.flex(
                field(
                    i18n.label("ui.profile.tip_adresa"),
                    static_select("address_kind", KIND_OPTIONS, value=A.kind, on_change=A.set_kind),
                    "address_kind",
                ),
                field(
                    i18n.label("ui.common.okrug"),
                    native_select(
                        "okrug",
                        A.okrugs,
                        placeholder=i18n.label("ui.profile.vyberite_okrug"),
                        value=A.okrug_id,
                        on_change=A.pick_okrug,
                    ),
                    "okrug",
                ),
                field(
                    i18n.label("ui.dashboard.raion"),
                    native_select(
                        "district",
                        A.districts,
                        placeholder=i18n.label("ui.profile.vyberite_raion"),
                        value=A.district_id,
                        on_change=A.pick_district,
                        disabled=A.okrug_id == "",
                    ),
                    "district",
                ),
                field(
                    i18n.label("ui.profile.ulitsa"),
                    native_select(
                        "street",
                        A.streets,
                        placeholder=i18n.label("ui.profile.vyberite_ulitsu"),
                        value=A.street_id,
                        on_change=A.pick_street,
                        disabled=A.district_id == "",
                        **invalid_props(_bad("street"), frame=False),
                    ),
                    "street",
                ),
                rx.cond(
                    A.missing_house,
                    field(
                        i18n.message("ui.profile.nomer_doma_net_v_spiske"),
                        text_input(
                            "house_number",
                            invalid=_bad("house_number"),
                            placeholder=i18n.label("ui.profile.naprimer_12k2"),
                        ),
                        "house_number",
                        hint=i18n.message("ui.profile.dom_budet_dobavlen_v_reestr"),
                    ),
                    field(
                        i18n.label("ui.renovation.dom"),
                        native_select(
                            "house",
                            A.houses,
                            placeholder=i18n.label("house_poll.page_house_required"),
                            value=A.house_id,
                            on_change=A.pick_house,
                            disabled=A.street_id == "",
                            **invalid_props(_bad("house"), frame=False),
                        ),
                        "house",
                    ),
                ),
                rx.button(
                    rx.cond(
                        A.missing_house,
                        i18n.label("ui.profile.vybrat_dom_iz_spiska"),
                        i18n.label("ui.profile.moego_doma_net_v_spiske"),
                    ),
                    type="button",
                    variant="ghost",
                    on_click=A.toggle_missing_house,
                    id="missing-house",
                ),
                field(
                    rx.cond(
                        A.kind == "property",
                        i18n.message("ui.profile.kvartira_obiazatel_no"),
                        i18n.label("ui.renovation.kvartira"),
                    ),
                    text_input("apartment", invalid=_bad("apartment"), max_length=10),
                    "apartment",
                ),
                feedback(A.error, A.notice),
                submit(i18n.label("ui.profile.sokhranit_adres"), "save-address"),
                direction="column",
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=A.save,
            reset_on_submit=False,
        ),
        margin_top="0.8em",
    )


def addresses_section() -> rx.Component:
    return section(
        i18n.label("ui.profile.adresa"),
        rx.text(
            i18n.message("ui.profile.kazhdyi_adres_mozhno_meniat_ne"), size="2", color_scheme="gray", as_="p"
        ),
        rx.cond(
            S.addresses.length() > 0,
            rx.el.ul(
                rx.foreach(S.addresses, _address_row),
                style={"paddingLeft": "0", "listStyle": "none"},
                id="address-list",
            ),
            rx.text(i18n.message("ui.profile.adresa_ne_ukazany_ukazhite_adres"), as_="p"),
        ),
        _address_form(),
    )
