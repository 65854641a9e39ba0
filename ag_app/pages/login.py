"""«Вход»: phone → SMS code → login (registration for a new phone with the terms accepted)."""

import reflex as rx

from ag_app.components.common import card, feedback, field, submit, text_input
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.login import LoginState


def _phone_form() -> rx.Component:
    return rx.form(
        rx.flex(
            field(
                label("ui.login.nomer_mobil_nogo_telefona"),
                text_input(
                    "phone",
                    type="tel",
                    placeholder="+7 9XX XXX-XX-XX",
                    auto_complete="tel",
                    required=True,
                    default_value=LoginState.phone,
                    key=LoginState.phone,
                ),
                "phone",
                hint=message("ui.login.rossiiskii_mobil_nyi_nomer_na"),
            ),
            submit(label("ui.login.poluchit_kod"), "get-code"),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=LoginState.request_code,
        reset_on_submit=False,
    )


def _code_form() -> rx.Component:
    return rx.form(
        rx.flex(
            field(
                label("ui.login.kod_iz_sms"),
                text_input(
                    "code",
                    input_mode="numeric",
                    auto_complete="one-time-code",
                    max_length=6,
                    placeholder=label("ui.common.6_tsifr"),
                    required=True,
                ),
                "code",
            ),
            rx.cond(
                LoginState.demo_mode,
                rx.text(
                    label("ui.login.kod_mozhno_posmotret_na"),
                    rx.link(
                        label("ui.login.stranitse_sms_uvedomlenii"),
                        href="/outbox?phone=" + LoginState.phone,
                        id="outbox-link",
                        is_external=True,
                    ),
                    message("ui.login.demonstratsionnyi_rezhim"),
                    size="2",
                    as_="p",
                ),
            ),
            rx.cond(
                LoginState.needs_terms,
                rx.flex(
                    rx.checkbox(
                        id="terms",
                        name="terms",
                        checked=LoginState.accept_terms,
                        on_change=LoginState.set_accept_terms,
                        size="3",
                    ),
                    rx.el.label(
                        label("ui.login.ia_prinimaiu"),
                        rx.link(label("ui.login.usloviia_oferty"), href="/terms", is_external=True),
                        html_for="terms",
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.flex(
                submit(label("ui.contest.voiti"), "login"),
                rx.button(
                    label("ui.login.drugoi_nomer"),
                    type="button",
                    variant="soft",
                    size="3",
                    on_click=LoginState.change_phone,
                    id="change-phone",
                ),
                spacing="3",
                wrap="wrap",
            ),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=LoginState.login,
        reset_on_submit=False,
    )


def login_page() -> rx.Component:
    return page_layout(
        label("ui.login.vkhod_i_registratsiia"),
        rx.box(
            card(
                rx.flex(
                    rx.text(
                        message("ui.login.voidite_po_nomeru_mobil_nogo"),
                        as_="p",
                    ),
                    feedback(LoginState.error, LoginState.notice),
                    rx.cond(LoginState.code_sent, _code_form(), _phone_form()),
                    direction="column",
                    spacing="3",
                ),
            ),
            max_width="480px",
        ),
    )


PAGES = [("/login", login_page, label("ui.login.vkhod"), [SessionState.refresh, LoginState.load])]
