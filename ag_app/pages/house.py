"""«Электронный дом» → «Мой дом» (``/house``): the user's houses, confirmed premises and the link form.

Each house is a card of its own (``#house-<id>``): the place where the house's polls, meetings and
votes are listed as those features arrive.
"""

import reflex as rx

from ag_app.components.common import (
    card,
    empty,
    feedback,
    field,
    section,
    static_select,
    submit,
    table_region,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.house import METHOD_OPTIONS, HouseState

S = HouseState


def _holding_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.premise),
        rx.table.cell(row.kind),
        rx.table.cell(row.area),
        rx.table.cell(row.share),
        rx.table.cell(row.role),
        rx.table.cell(row.method),
        rx.table.cell(
            rx.button(
                "Отменить подтверждение",
                on_click=S.unlink(row.holder_id),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label="Отменить подтверждение: " + row.premise,
            )
        ),
        class_name="holding",
    )


def _house(house: rx.Var) -> rx.Component:
    return card(
        rx.heading(house.address, as_="h3", size="4"),
        rx.text(house.place, size="2", color_scheme="gray", as_="p"),
        rx.cond(house.from_profile != "", rx.text(house.from_profile, size="2", as_="p")),
        rx.cond(
            house.holdings.length() > 0,
            table_region(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(title)
                                for title in (
                                    "Помещение",
                                    "Вид",
                                    "Площадь",
                                    "Доля",
                                    "Роль",
                                    "Подтверждено по",
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(house.holdings, _holding_row)),
                    size="1",
                    width="100%",
                ),
                "Подтверждённые помещения: " + house.address,
            ),
            rx.text(
                "Помещения в этом доме не подтверждены: введите ФЛС или номер регистрации права выше.",
                size="2",
                color_scheme="gray",
                as_="p",
            ),
        ),
        id="house-" + house.house_id.to_string(),
        class_name="my-house",
        margin_top="0.8em",
    )


def _link_form() -> rx.Component:
    return section(
        "Подтвердить помещение",
        rx.text(
            "Собственники и наниматели подтверждают помещение по ФЛС (номер лицевого счёта из платёжного "
            "документа за ЖКУ, 10 цифр) или по номеру государственной регистрации права собственности "
            "(из выписки ЕГРН). Номер должен принадлежать вам: ФИО и дата рождения в реестре домов "
            "сверяются с подтверждёнными данными вашего профиля.",
            size="2",
            as_="p",
        ),
        rx.cond(
            S.identity_verified,
            rx.form(
                rx.flex(
                    field(
                        "Что вы вводите",
                        static_select(
                            "premise_method",
                            METHOD_OPTIONS,
                            value=S.method,
                            on_change=S.set_method,
                        ),
                        "premise_method",
                    ),
                    field(
                        rx.cond(S.method == "account_number", "ФЛС", "Номер регистрации права"),
                        text_input("premise_number", auto_complete="off", required=True),
                        "premise_number",
                    ),
                    submit("Подтвердить помещение", "link-premise"),
                    direction="column",
                    spacing="3",
                    align="start",
                    max_width="32em",
                ),
                on_submit=S.link,
                reset_on_submit=False,
                key=S.version.to_string() + "-link",
            ),
            rx.callout(
                rx.text(
                    "Подтвердить помещение можно только с полным уровнем идентификации (3). ",
                    rx.link("Подтвердите паспорт и СНИЛС в профиле", href="/profile"),
                    ".",
                ),
                icon="info",
                id="level-required",
            ),
        ),
    )


# The parts of «Электронный дом», each a page of its own.
_SECTIONS = (
    ("Опросы и информирование", "/house/polls", "house-nav-polls"),
    ("Собрания собственников", "/house/meetings", "house-nav-meetings"),
    ("Голосование по дому", "/house/renovation", "house-nav-renovation"),
    ("Итоги голосования по адресу", "/renovation", "house-nav-lookup"),
)


def _sections() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *(rx.link(label, href=href, id=id_, weight="medium") for label, href, id_ in _SECTIONS),
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Разделы «Электронного дома»",
        margin_bottom="1em",
    )


def house_page() -> rx.Component:
    """``/house``."""
    return page_layout(
        "Электронный дом — Мой дом",
        _sections(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.logged_in,
                rx.fragment(
                    rx.text(
                        "Здесь ваши дома: подтверждённые помещения с площадью и долей в праве собственности, "
                        "и дома из адресов вашего профиля.",
                        as_="p",
                    ),
                    _link_form(),
                    section(
                        "Мои дома",
                        rx.cond(
                            S.houses.length() > 0,
                            rx.box(rx.foreach(S.houses, _house), id="my-houses"),
                            empty(
                                "Пока нет ни одного дома: подтвердите помещение или укажите адрес в профиле."
                            ),
                        ),
                    ),
                ),
                rx.callout(
                    rx.text(
                        "«Электронный дом» — опросы, собрания собственников и голосования вашего дома. ",
                        rx.link("Войдите", href="/login"),
                        ", чтобы увидеть свой дом.",
                    ),
                    icon="log_in",
                    id="house-login",
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


PAGES = [("/house", house_page, "Электронный дом — Мой дом", [SessionState.refresh, S.load])]
