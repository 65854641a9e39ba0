"""The renovation-type house vote: the resident's votes, the public lookup, a house's result and
the check code («код проверки»)."""

import reflex as rx

from ag_app.components.common import card, empty, feedback, field, section, submit, text_input
from ag_app.components.layout import page_layout
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
    name = "кв. " + apartment.apartment
    return rx.flex(
        rx.text(rx.text.strong(name), " — ", apartment.role, as_="p"),
        rx.cond(
            apartment.voted == "1",
            rx.flex(
                rx.text("Ваш выбор: ", rx.text.strong(apartment.choice), as_="p"),
                rx.text("Статус: ", apartment.status_text, as_="p", class_name="vote-status"),
                rx.cond(apartment.due != "", rx.text("Проверка до ", apartment.due, as_="p", size="2")),
                rx.cond(
                    apartment.code_tail != "",
                    rx.text(
                        "Код проверки заканчивается на …"
                        + apartment.code_tail
                        + " (полностью — в СМС и письме)",
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
                        "За",
                        on_click=S.cast(card_var.campaign_id, apartment.premise_id, "for"),
                        color_scheme="green",
                        id="vote-for-" + card_var.campaign_id + "-" + apartment.premise_id,
                        aria_label="Голосовать «За» за " + name,
                    ),
                    rx.button(
                        "Против",
                        on_click=S.cast(card_var.campaign_id, apartment.premise_id, "against"),
                        color_scheme="red",
                        variant="soft",
                        id="vote-against-" + card_var.campaign_id + "-" + apartment.premise_id,
                        aria_label="Голосовать «Против» за " + name,
                    ),
                    spacing="3",
                ),
                rx.text("Голосование завершено, вы не голосовали.", as_="p", size="2"),
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
            "Результаты по дому",
            href="/renovation/" + item.campaign_id + "/" + item.house_id,
            size="2",
        ),
        class_name="renovation-card",
    )


def resident_page() -> rx.Component:
    return page_layout(
        "Голосование по дому",
        rx.text(
            "Голосуют собственники и наниматели по договору социального найма с полной учётной записью, "
            "подтвердившие квартиру. Голос учитывается после проверки данных (до 4 рабочих дней); после "
            "неё приходит 12-значный код проверки.",
            as_="p",
        ),
        feedback(S.error, S.notice),
        rx.cond(
            S.new_code != "",
            rx.card(
                rx.text("Ваш код проверки: ", rx.text.strong(S.new_code, id="check-code"), as_="p", size="4"),
                rx.text(
                    "Сохраните его: по нему на странице «Проверить голос» видно, как учтён ваш голос.",
                    as_="p",
                    size="2",
                ),
                margin_y="0.6em",
                id="check-code-card",
            ),
        ),
        rx.cond(
            S.loaded & ~S.logged_in,
            rx.text(rx.link("Войдите", href="/login"), ", чтобы проголосовать по своему дому.", as_="p"),
        ),
        rx.cond(
            S.loaded & S.logged_in & (S.cards.length() == 0),
            empty(
                "Для ваших подтверждённых квартир голосований нет. Подтвердите квартиру в разделе "
                "«Электронный дом», если ещё не сделали этого."
            ),
        ),
        rx.flex(rx.foreach(S.cards, _vote_card), direction="column", spacing="4", id="renovation-votes"),
        rx.flex(
            rx.link("Проверить голос по коду", href="/renovation/check"),
            rx.link("Найти результаты по адресу", href="/renovation"),
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
        "Результаты голосования по домам",
        rx.text(
            "Введите адрес дома, чтобы узнать результат голосования: сколько квартир проголосовало, как учтены "
            "квартиры, где никто не голосовал, и включён ли дом в программу.",
            as_="p",
        ),
        rx.form(
            rx.flex(
                field(
                    "Адрес дома",
                    text_input("address", placeholder="Например: Тверская 7", max_length=200),
                    "address",
                ),
                submit("Найти", "lookup-submit"),
                direction="column",
                spacing="3",
                max_width="32em",
            ),
            on_submit=L.search,
            reset_on_submit=False,
            margin_y="1em",
        ),
        feedback(L.error, L.notice),
        rx.cond(L.searched & (L.hits.length() == 0), empty("Дом с таким адресом в голосованиях не найден.")),
        rx.el.ul(rx.foreach(L.hits, _hit), id="lookup-hits", style={"listStyle": "none", "padding": "0"}),
        rx.flex(
            rx.link("Проверить голос по коду", href="/renovation/check"),
            rx.link("Проголосовать за свою квартиру", href="/house/renovation"),
            spacing="4",
            margin_top="1.5em",
            wrap="wrap",
        ),
    )


def result_page() -> rx.Component:
    return page_layout(
        rx.cond(R.found, R.address, "Результаты голосования по дому"),
        feedback(R.error, R.notice),
        rx.cond(~R.loaded, rx.text("Загрузка…", as_="p")),
        rx.cond(
            R.found,
            rx.box(
                rx.text(R.district, as_="p", color_scheme="gray"),
                rx.text(R.title, " — ", R.state_name, as_="p", weight="medium"),
                rx.text(R.question, as_="p"),
                rx.cond(
                    R.preliminary,
                    rx.badge(
                        "Предварительно: голосование завершится " + R.ends,
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
                    rx.cond(R.preliminary, "Предварительные итоги по квартирам", "Итоги по квартирам"),
                    _figures(R.rows, "house-figures"),
                ),
                rx.text(
                    "Мнение квартиры — большинство голосов её собственников и нанимателей; квартиры, где никто не "
                    "голосовал, делятся между «за» и «против» в той же пропорции, что и проголосовавшие. Дом "
                    "включается, если «за» больше 2/3 учитываемых квартир; решение общего собрания собственников "
                    "имеет приоритет.",
                    as_="p",
                    size="2",
                    margin_top="1em",
                ),
            ),
        ),
        rx.link("Найти другой дом", href="/renovation", margin_top="1em"),
    )


# ----------------------------------------------------------------------------------------------
# /renovation/check


def check_page() -> rx.Component:
    return page_layout(
        "Проверить голос по коду",
        rx.text(
            "Введите 12-значный код проверки из СМС или письма: вы увидите, как учтён голос. Имя проголосовавшего "
            "не показывается.",
            as_="p",
        ),
        rx.form(
            rx.flex(
                field(
                    "Код проверки",
                    text_input("code", placeholder="1234 5678 9012", max_length=40, auto_complete="off"),
                    "code",
                ),
                submit("Проверить", "check-submit"),
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
                    rx.cond(C.counted, "Голос учтён", "Голос не учтён"),
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
    ("/house/renovation", resident_page, "Голосование по дому", [SessionState.refresh, S.load]),
    ("/renovation", lookup_page, "Результаты голосования по домам", [SessionState.refresh]),
    ("/renovation/check", check_page, "Проверить голос по коду", [SessionState.refresh]),
    (
        "/renovation/[campaign_id]/[house_id]",
        result_page,
        "Результаты по дому",
        [SessionState.refresh, R.load],
    ),
]
