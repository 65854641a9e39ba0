"""The links and the login hint shared by the resident pages of house polls."""

import reflex as rx


def house_links() -> rx.Component:
    """The links between the resident pages of house polls."""
    return rx.flex(
        rx.link("Опросы моего дома", href="/house/polls", id="house-polls-link"),
        rx.link("Подать заявку", href="/house/polls/new", id="house-polls-new-link"),
        rx.link("Мои заявки", href="/house/polls/mine", id="house-polls-mine-link"),
        spacing="4",
        wrap="wrap",
        margin_bottom="1em",
        as_="nav",
        aria_label="Опросы «Электронного дома»",
    )


def login_hint(logged_in: rx.Var) -> rx.Component:
    """«Войдите, …» for a visitor who is not logged in."""
    return rx.cond(
        ~logged_in,
        rx.text(rx.link("Войдите", href="/login"), ", чтобы увидеть опросы своего дома.", as_="p"),
    )
