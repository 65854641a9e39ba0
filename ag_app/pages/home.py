"""Home page: headline figures, open city-wide polls, published results."""

import reflex as rx

from ag_app.components.common import empty, feedback, section
from ag_app.components.layout import page_layout
from ag_app.components.news import news_item
from ag_app.components.polls import poll_grid
from ag_app.state.base import SessionState
from ag_app.state.home import HomeState as S


def _figure(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.text(row["value"], size="7", weight="bold", as_="p", id=row["id"]),
        rx.text(
            row["caption"],
            size=rx.breakpoints(initial="1", sm="2"),
            color_scheme="gray",
            as_="p",
            style={"hyphens": "auto"},
        ),
        width="100%",
    )


def index() -> rx.Component:
    return page_layout(
        "Активный гражданин",
        rx.text(
            "Голосуйте по вопросам развития города и своего района, следите за итогами и решениями, "
            "получайте баллы за участие.",
            as_="p",
            size="4",
        ),
        feedback(S.error, S.notice),
        rx.el.section(
            rx.heading("Проект в цифрах", as_="h2", size="5", class_name="ag-visually-hidden"),
            rx.grid(
                rx.foreach(S.figures, _figure),
                columns=rx.breakpoints(initial="2", md="4"),
                spacing="3",
                width="100%",
            ),
            margin_top="1.2em",
            id="headline",
        ),
        section(
            "Открытые городские голосования",
            rx.cond(S.loaded & (S.polls.length() == 0), empty("Сейчас нет открытых городских голосований.")),
            poll_grid(S.polls, "h3"),
            rx.link("Все голосования →", href="/polls", margin_top="0.8em", display="inline-block"),
            id="home-polls",
        ),
        section(
            "Итоги голосований",
            rx.cond(S.loaded & (S.results.length() == 0), empty("Итоги пока не опубликованы.")),
            rx.flex(rx.foreach(S.results, lambda row: news_item(row, "h3")), direction="column", spacing="3"),
            rx.link("Все новости →", href="/news", margin_top="0.8em", display="inline-block"),
            id="home-results",
        ),
    )


PAGES = [("/", index, "Главная", [SessionState.refresh, S.load])]
