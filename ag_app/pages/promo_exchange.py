"""«Обменять баллы»: the campaign's partner catalogue in prize points and «Мои обмены» (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    empty,
    feedback,
    scroll_table,
    section,
    stat,
)
from ag_app.components.layout import page_layout
from ag_app.pages.promo import NOWRAP, scroll_cue
from ag_app.state.base import SessionState
from ag_app.state.promo_exchange import PromoExchangeState


def _exchange_facts() -> rx.Component:
    E = PromoExchangeState
    return rx.box(
        rx.text(
            "Призовые баллы акции ",
            rx.text.strong(E.title),
            " (1 балл = 1 ₽) — отдельный счёт, не гражданские баллы. Обмен: ",
            E.period,
            "; поощрения используются до ",
            E.use_until,
            " (время московское).",
            as_="p",
            id="exchange-period",
        ),
        rx.cond(
            E.logged_in,
            rx.grid(
                stat(E.balance, "Призовые баллы на счёте", "exchange-balance"),
                rx.cond(
                    E.discount != "", stat(E.discount, "Скидка в категории (один раз)", "exchange-discount")
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                margin_y="0.8em",
            ),
            rx.callout(
                rx.text(
                    "Войдите, чтобы обменять призовые баллы. ",
                    rx.link("Войти", href="/login", id="exchange-login"),
                ),
                icon="info",
                color_scheme="gray",
                id="exchange-guest",
                margin_y="0.8em",
            ),
        ),
        rx.cond(
            E.discount_categories != "",
            rx.text(
                "Скидка действует на поощрения категории: ",
                E.discount_categories,
                as_="p",
                id="exchange-gift-categories",
            ),
        ),
        rx.cond(
            E.discount_needs_activation,
            rx.callout(
                rx.text(
                    "Чтобы воспользоваться скидкой, нажмите «Активировать код» на странице ",
                    rx.link("«Акция»", href="/promo"),
                    " ещё раз.",
                ),
                icon="info",
                color_scheme="amber",
                id="exchange-activate-again",
            ),
        ),
        rx.cond(
            E.problem != "",
            rx.callout(E.problem, icon="info", color_scheme="gray", id="exchange-problem", margin_y="0.6em"),
        ),
    )


def _exchange_filter() -> rx.Component:
    E = PromoExchangeState
    return rx.cond(
        E.discount_categories != "",
        rx.el.nav(
            rx.flex(
                rx.button(
                    "Все поощрения",
                    on_click=E.show_gifts(False),
                    variant=rx.cond(E.gifts_only, "soft", "solid"),
                    aria_pressed=rx.cond(E.gifts_only, "false", "true"),
                    id="exchange-all",
                ),
                rx.button(
                    "Подарки по скидке",
                    on_click=E.show_gifts(True),
                    variant=rx.cond(E.gifts_only, "solid", "soft"),
                    aria_pressed=rx.cond(E.gifts_only, "true", "false"),
                    id="exchange-gifts",
                ),
                spacing="2",
                wrap="wrap",
            ),
            aria_label="Какие поощрения показать",
            margin_y="0.6em",
        ),
    )


def _exchange_confirm(row: rx.Var) -> rx.Component:
    E = PromoExchangeState
    return rx.flex(
        rx.text("Обменять на «", E.chosen_title, "» за ", E.chosen_pay, "?", as_="p", weight="medium"),
        rx.flex(
            rx.button("Подтвердить обмен", on_click=E.confirm, id="exchange-confirm-" + row["id"]),
            rx.button("Отмена", on_click=E.cancel_choice, variant="soft", color_scheme="gray"),
            spacing="2",
            wrap="wrap",
        ),
        direction="column",
        spacing="2",
        role="group",
        aria_label="Подтверждение обмена",
    )


def _exchange_item(row: rx.Var) -> rx.Component:
    E = PromoExchangeState
    problem_id = "exchange-problem-" + row["id"]
    return rx.card(
        rx.flex(
            rx.text(row["category"], size="1", color_scheme="gray", as_="p"),
            rx.heading(row["title"], as_="h3", size="3"),
            rx.cond(
                row["discount"] != "",
                rx.box(
                    rx.text("Цена: ", rx.el.s(row["price"]), as_="p", size="2"),
                    rx.text("Скидка покрывает: ", row["discount"], as_="p", size="2"),
                    rx.text("К оплате: ", row["pay"], as_="p", weight="bold", size="4"),
                ),
                rx.text(row["pay"], as_="p", weight="bold", size="4"),
            ),
            rx.text(row["stock"], size="2", as_="p", color_scheme="gray"),
            rx.cond(row["validity"] != "", rx.text(row["validity"], size="2", as_="p", color_scheme="gray")),
            rx.cond(row["description"] != "", rx.text(row["description"], size="2", as_="p")),
            rx.spacer(),
            rx.cond(
                E.chosen == row["id"],
                _exchange_confirm(row),
                rx.cond(
                    row["can_order"] == "1",
                    rx.button(
                        "Обменять",
                        on_click=E.choose(row["id"]),
                        id="exchange-" + row["id"],
                        aria_label="Обменять баллы на: " + row["title"],
                        width="100%",
                    ),
                    rx.flex(
                        rx.text(row["problem"], size="2", as_="p", id=problem_id),
                        rx.button(
                            "Обменять",
                            disabled=True,
                            id="exchange-" + row["id"],
                            aria_describedby=problem_id,
                            width="100%",
                        ),
                        direction="column",
                        spacing="2",
                    ),
                ),
            ),
            direction="column",
            spacing="2",
            height="100%",
        ),
        id="exchange-item-" + row["id"],
    )


def _exchange_order(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["number"], style=NOWRAP),
        rx.el.td(row["title"], rx.text(row["category"], size="1", color_scheme="gray"), style=CELL),
        rx.el.td(
            row["points"],
            rx.cond(row["discount"] != "", rx.text("скидка: ", row["discount"], size="1")),
            style=NOWRAP,
        ),
        rx.el.td(row["status"], style=CELL),
        rx.el.td(
            rx.cond(
                row["code"] != "",
                rx.code(
                    row["code"], color_scheme="gray", high_contrast=True, style={"wordBreak": "break-all"}
                ),
            ),
            rx.cond(row["parking"] != "", rx.text(row["parking"], " парковочных баллов")),
            style=CELL,
        ),
        rx.el.td(row["until"], style=CELL),
        rx.el.td(row["ordered"], style=CELL),
        id="exchange-order-" + row["id"],
    )


def exchange_page() -> rx.Component:
    E = PromoExchangeState
    return page_layout(
        "Обменять баллы",
        rx.link("← Акция", href="/promo", id="exchange-back"),
        feedback(E.error, E.notice),
        rx.cond(
            E.loaded,
            rx.cond(
                E.has_campaign,
                rx.box(
                    _exchange_facts(),
                    section(
                        "Каталог партнёров",
                        _exchange_filter(),
                        rx.cond(
                            E.items.length() > 0,
                            rx.grid(
                                rx.foreach(E.items, _exchange_item),
                                columns=rx.breakpoints(initial="1", sm="2", md="3"),
                                spacing="3",
                            ),
                            empty("В каталоге партнёров пока нет поощрений."),
                        ),
                        id="exchange-catalogue",
                    ),
                    rx.cond(
                        E.logged_in,
                        section(
                            "Мои обмены",
                            rx.cond(
                                E.orders.length() > 0,
                                rx.box(
                                    scroll_cue(),
                                    scroll_table(
                                        "Мои обмены призовых баллов",
                                        [
                                            "№ заказа",
                                            "Поощрение",
                                            "Списано",
                                            "Статус",
                                            "Код",
                                            "Действует до",
                                            "Оформлен",
                                        ],
                                        E.orders,
                                        _exchange_order,
                                        id_="exchange-orders",
                                    ),
                                ),
                                empty("Обменов пока нет."),
                            ),
                        ),
                    ),
                ),
                empty("Акция пока не объявлена."),
            ),
        ),
    )


PAGES = [
    ("/promo/exchange", exchange_page, "Обменять баллы", [SessionState.refresh, PromoExchangeState.load]),
]
