"""``/house/polls/mine``: the initiator's applications, their status and results."""

import reflex as rx

from ag_app.components.common import card, empty, feedback
from ag_app.components.house_polls import notes_table, results_block
from ag_app.components.layout import page_layout
from ag_app.pages.house_polls.nav import house_links, login_hint
from ag_app.state.house_polls.mine import MyHousePollsState


def _application(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row.kind_name, variant="soft", color_scheme="gray"),
            rx.badge(
                row.status_name,
                variant="soft",
                color_scheme=rx.cond(
                    row.status == "refused", "red", rx.cond(row.status == "moderation", "amber", "green")
                ),
            ),
            spacing="2",
        ),
        rx.heading(row.title, as_="h2", size="4", margin_y="0.4em"),
        rx.text(row.address, as_="p", size="2"),
        rx.text("Сроки: ", row.period, as_="p", size="2"),
        rx.text("Подана: ", row.filed, as_="p", size="2", color_scheme="gray"),
        rx.cond(
            row.status == "moderation",
            rx.text("Решение модератора — до ", row.due, " (мск)", as_="p", size="2"),
        ),
        rx.cond(
            row.reasons.length() > 0,
            rx.box(
                rx.text("Причины отказа:", as_="p", weight="medium", margin_top="0.5em"),
                rx.el.ul(rx.foreach(row.reasons, lambda reason: rx.el.li(reason))),
            ),
        ),
        rx.cond(
            row.approved,
            rx.box(
                rx.heading("Результаты", as_="h3", size="3", margin_top="0.8em"),
                results_block(row.results, row.participants, "hp-mine-results-" + row.id),
                rx.heading("Квартиры и комментарии участников", as_="h3", size="3", margin_top="0.8em"),
                rx.cond(
                    row.notes.length() > 0,
                    notes_table(row.notes, "hp-mine-notes-" + row.id),
                    empty("Участники пока не оставили номеров квартир и комментариев."),
                ),
                rx.text(
                    "Кто именно принял участие, не раскрывается никому.",
                    as_="p",
                    size="1",
                    color_scheme="gray",
                    margin_top="0.4em",
                ),
            ),
        ),
        id="hp-application-" + row.id,
    )


def mine_page() -> rx.Component:
    """``/house/polls/mine``."""
    S = MyHousePollsState
    return page_layout(
        "Мои заявки",
        house_links(),
        feedback(S.error, S.notice),
        login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.cond(
                S.applications.length() > 0,
                rx.flex(rx.foreach(S.applications, _application), direction="column", spacing="3"),
                empty("Вы ещё не подавали заявок."),
            ),
        ),
    )
