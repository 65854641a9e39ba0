"""«Мой профиль»: identifier, level, personal data, family, e-mail, addresses, level 3, deactivation."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import (
    card,
    feedback,
    field,
    invalid_props,
    section,
    static_select,
    submit,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.i18n import label
from ag_app.pages.profile_addresses import addresses_section
from ag_app.state.address import AddressState
from ag_app.state.base import SessionState
from ag_app.state.profile import GENDER_OPTIONS, MARITAL_OPTIONS, ProfileState

S = ProfileState


def _feedback(key: str) -> rx.Component:
    return rx.cond(S.feedback_for == key, feedback(S.error, S.notice))


def _fact(label: str, value: rx.Component | rx.Var, id_: str = "") -> rx.Component:
    extra = {"id": id_} if id_ else {}
    return rx.flex(
        rx.text(label, color_scheme="gray", size="2", min_width="13em"),
        rx.text(value, weight="medium", **extra),
        spacing="2",
        wrap="wrap",
    )


def _summary() -> rx.Component:
    return card(
        rx.flex(
            _fact(i18n.message("ui.profile.unikal_nyi_identifikator_dlia_sluzhby"), S.uid, "profile-uid"),
            _fact(i18n.label("ui.common.telefon"), S.phone, "profile-phone"),
            _fact(
                i18n.label("ui.profile.uroven_identifikatsii"),
                rx.text.span(S.level.to_string(), " — ", S.level_name),
                "profile-level",
            ),
            _fact(
                i18n.label("ui.common.status_2"),
                rx.cond(S.status != "", S.status, i18n.label("ui.common.uchastnik")),
            ),
            rx.cond(
                S.full_profile,
                rx.text(
                    i18n.message("ui.profile.profil_zapolnen_polnost_iu"), color_scheme="green", size="2"
                ),
                rx.text(
                    i18n.message("ui.profile.za_kazhdyi_zapolnennyi_blok_profilia"),
                    size="2",
                    color_scheme="gray",
                ),
            ),
            direction="column",
            spacing="2",
        )
    )


def _bad(name: str) -> rx.Var:
    """Whether the last refused save named the form field ``name``."""
    return ProfileState.invalid_fields.contains(name)


def _personal() -> rx.Component:
    return section(
        i18n.label("ui.profile.lichnye_dannye"),
        rx.form(
            rx.grid(
                field(
                    i18n.label("ui.common.familiia"),
                    text_input(
                        "last_name",
                        invalid=_bad("last_name"),
                        default_value=S.last_name,
                        auto_complete="family-name",
                    ),
                    "last_name",
                ),
                field(
                    i18n.label("ui.common.imia"),
                    text_input(
                        "first_name",
                        invalid=_bad("first_name"),
                        default_value=S.first_name,
                        auto_complete="given-name",
                    ),
                    "first_name",
                ),
                field(
                    i18n.label("ui.profile.otchestvo"),
                    text_input(
                        "patronymic",
                        invalid=_bad("patronymic"),
                        default_value=S.patronymic,
                        auto_complete="additional-name",
                    ),
                    "patronymic",
                    hint=i18n.message("ui.profile.esli_otchestva_net_postav_te"),
                ),
                field(
                    i18n.label("ui.profile.pol"),
                    static_select(
                        "gender",
                        GENDER_OPTIONS,
                        default_value=S.gender,
                        **invalid_props(_bad("gender"), frame=False),
                    ),
                    "gender",
                ),
                field(
                    i18n.label("ui.profile.data_rozhdeniia"),
                    text_input(
                        "birth_date",
                        invalid=_bad("birth_date"),
                        type="date",
                        default_value=S.birth_date,
                        auto_complete="bday",
                    ),
                    "birth_date",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                S.identity_verified,
                rx.text(
                    i18n.message("ui.profile.fio_i_datu_rozhdeniia_posle"),
                    size="2",
                    color_scheme="gray",
                    as_="p",
                ),
            ),
            _feedback("personal"),
            submit(i18n.label("ui.profile.sokhranit_lichnye_dannye"), "save-personal", margin_top="0.8em"),
            on_submit=S.save_personal,
            reset_on_submit=False,
            key=S.version.to_string() + "-personal",
        ),
    )


def _child(year: rx.Var, index: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.text(
                i18n.label("ui.profile.rebenok"),
                (index + 1).to_string(),
                ": ",
                year,
                i18n.message("ui.profile.g_r"),
            ),
            rx.button(
                i18n.label("ui.common.udalit"),
                type="button",
                variant="soft",
                color_scheme="gray",
                size="1",
                on_click=S.remove_child(index),
                aria_label=i18n.label("ui.profile.udalit_rebenka")
                + year
                + i18n.label("ui.profile.goda_rozhdeniia"),
            ),
            spacing="3",
            align="center",
        ),
        margin_bottom="0.4em",
    )


def _family() -> rx.Component:
    return section(
        i18n.label("ui.profile.sem_ia"),
        rx.form(
            rx.flex(
                field(
                    i18n.label("ui.profile.semeinoe_polozhenie"),
                    static_select("marital_status", MARITAL_OPTIONS, default_value=S.marital_status),
                    "marital_status",
                ),
                rx.heading(i18n.label("ui.profile.deti"), as_="h3", size="3"),
                rx.cond(
                    S.children.length() > 0,
                    rx.el.ul(rx.foreach(S.children, _child), style={"paddingLeft": "0", "listStyle": "none"}),
                    rx.text(i18n.message("ui.profile.deti_ne_ukazany"), size="2", color_scheme="gray"),
                ),
                rx.flex(
                    field(
                        i18n.label("ui.profile.god_rozhdeniia_rebenka"),
                        rx.input(
                            id="child_year",
                            name="child_year",
                            value=S.new_child_year,
                            on_change=S.set_new_child_year,
                            input_mode="numeric",
                            max_length=4,
                            placeholder=i18n.label("ui.profile.naprimer_2015"),
                            size="3",
                        ),
                        "child_year",
                    ),
                    rx.button(
                        i18n.label("ui.profile.dobavit_rebenka"),
                        type="button",
                        on_click=S.add_child,
                        variant="soft",
                        size="3",
                        id="add-child",
                    ),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                ),
                _feedback("family"),
                submit(i18n.label("ui.profile.sokhranit_svedeniia_o_sem_e"), "save-family"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.save_family,
            reset_on_submit=False,
            key=S.version.to_string() + "-family",
        ),
    )


def _email() -> rx.Component:
    return section(
        i18n.label("ui.profile.elektronnaia_pochta"),
        rx.cond(
            S.email != "",
            rx.text(
                i18n.label("ui.profile.tekushchii_adres"),
                rx.text.strong(S.email),
                rx.cond(
                    S.email_confirmed,
                    i18n.message("ui.profile.podtverzhden"),
                    i18n.message("ui.profile.ne_podtverzhden_pereidite_po_ssylke"),
                ),
                as_="p",
                id="email-status",
            ),
        ),
        rx.form(
            rx.flex(
                field(
                    i18n.label("ui.profile.adres_elektronnoi_pochty"),
                    text_input("email", type="email", default_value=S.email, auto_complete="email"),
                    "email",
                ),
                submit(label("profile.email_confirm_button"), "send-email-link"),
                direction="column",
                spacing="3",
                align="start",
            ),
            _feedback("email"),
            on_submit=S.send_email_link,
            reset_on_submit=False,
            key=S.version.to_string() + "-email",
            margin_top="0.6em",
        ),
        rx.text(
            i18n.label("ui.profile.kakie_uvedomleniia_i_pis_ma"),
            rx.link(
                i18n.message("ui.profile.upravlenie_podpiskami"),
                href="/subscriptions",
                id="profile-subscriptions",
            ),
            ".",
            as_="p",
            size="2",
            margin_top="0.8em",
        ),
    )


def _identity() -> rx.Component:
    return section(
        i18n.label("ui.profile.polnaia_identifikatsiia"),
        rx.cond(
            S.identity_verified,
            rx.text(
                i18n.message("ui.profile.lichnost_podtverzhdena_uroven_identifikatsii_pol"),
                as_="p",
                id="identity-done",
            ),
            rx.form(
                rx.text(
                    i18n.message("ui.profile.dlia_urovnia_polnyi_ukazhite_pasport"),
                    as_="p",
                    size="2",
                ),
                rx.grid(
                    field(
                        i18n.label("ui.profile.seriia_pasporta"),
                        text_input(
                            "passport_series",
                            input_mode="numeric",
                            max_length=4,
                            placeholder=i18n.label("ui.profile.4_tsifry"),
                        ),
                        "passport_series",
                    ),
                    field(
                        i18n.label("ui.profile.nomer_pasporta"),
                        text_input(
                            "passport_number",
                            input_mode="numeric",
                            max_length=6,
                            placeholder=i18n.label("ui.common.6_tsifr"),
                        ),
                        "passport_number",
                    ),
                    field(
                        i18n.label("ui.profile.snils"),
                        text_input(
                            "snils", input_mode="numeric", max_length=14, placeholder="123-456-789 01"
                        ),
                        "snils",
                    ),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                    margin_y="0.6em",
                ),
                _feedback("identity"),
                submit(i18n.label("ui.profile.podtverdit_lichnost"), "verify-identity"),
                on_submit=S.verify_identity,
                reset_on_submit=False,
            ),
        ),
    )


def _deactivate() -> rx.Component:
    return section(
        i18n.label("ui.profile.deaktivatsiia_profilia"),
        rx.text(
            i18n.message("ui.profile.personal_nye_dannye_budut_udaleny"),
            as_="p",
            size="2",
        ),
        _feedback("deactivate"),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(
                rx.button(
                    i18n.label("ui.profile.deaktivirovat_profil"),
                    color_scheme="red",
                    variant="outline",
                    id="deactivate",
                    margin_top="0.6em",
                ),
            ),
            rx.alert_dialog.content(
                rx.alert_dialog.title(i18n.message("ui.profile.deaktivirovat_profil_2")),
                rx.alert_dialog.description(i18n.message("ui.profile.eto_deistvie_nel_zia_otmenit")),
                rx.flex(
                    rx.alert_dialog.cancel(
                        rx.button(i18n.label("ui.common.otmena"), variant="soft", color_scheme="gray")
                    ),
                    rx.alert_dialog.action(
                        rx.button(
                            i18n.label("ui.profile.da_deaktivirovat"),
                            color_scheme="red",
                            on_click=S.deactivate,
                            id="confirm-deactivate",
                        ),
                    ),
                    spacing="3",
                    justify="end",
                    margin_top="1em",
                ),
            ),
            open=S.deactivate_open,
            on_open_change=S.set_deactivate_open,
        ),
    )


def profile_page() -> rx.Component:
    return page_layout(
        i18n.label("ui.profile.moi_profil"),
        _feedback("page"),
        rx.cond(
            S.loaded,
            rx.box(
                _summary(), _personal(), _family(), _email(), addresses_section(), _identity(), _deactivate()
            ),
            rx.text(i18n.label("ui.profile.zagruzka_profilia"), as_="p"),
        ),
    )


PAGES = [
    (
        "/profile",
        profile_page,
        i18n.label("ui.profile.moi_profil"),
        [SessionState.refresh, ProfileState.load, AddressState.load],
    ),
]
