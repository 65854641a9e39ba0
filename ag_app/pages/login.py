"""«Вход»: phone → SMS code → login (registration for a new phone with the terms accepted)."""

import reflex as rx

from ag_app.components.common import card, feedback, field, submit, text_input
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.login import LoginState


def _phone_form() -> rx.Component:
    return rx.form(
        rx.flex(
            field(
                "Номер мобильного телефона",
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
                hint="Российский мобильный номер; на него придёт код из СМС.",
            ),
            submit("Получить код", "get-code"),
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
                "Код из СМС",
                text_input(
                    "code",
                    input_mode="numeric",
                    auto_complete="one-time-code",
                    max_length=6,
                    placeholder="6 цифр",
                    required=True,
                ),
                "code",
            ),
            rx.cond(
                LoginState.demo_mode,
                rx.text(
                    "Код можно посмотреть на ",
                    rx.link(
                        "странице СМС-уведомлений",
                        href="/outbox?phone=" + LoginState.phone,
                        id="outbox-link",
                        is_external=True,
                    ),
                    " (демонстрационный режим).",
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
                        "Я принимаю ",
                        rx.link("условия оферты", href="/terms", is_external=True),
                        html_for="terms",
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.flex(
                submit("Войти", "login"),
                rx.button(
                    "Другой номер",
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
        "Вход и регистрация",
        rx.box(
            card(
                rx.flex(
                    rx.text(
                        "Войдите по номеру мобильного телефона. Если вы здесь впервые, "
                        "учётная запись будет создана автоматически.",
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


PAGES = [("/login", login_page, "Вход", [SessionState.refresh, LoginState.load])]
