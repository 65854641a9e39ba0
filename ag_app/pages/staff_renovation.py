"""``/staff/renovation``: house votes for staff and the verification queue for moderators."""

import reflex as rx

from ag_app.components.common import feedback, field, native_select, panel, staff_gate, staff_nav, text_input
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.staff_renovation import StaffRenovationState as S


def _campaign_row(campaign: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(campaign["label"]), as_="p"),
        rx.text(campaign["period"], " · домов: ", campaign["houses"], size="2", as_="p"),
        margin_bottom="0.5em",
    )


def _open_form() -> rx.Component:
    return panel(
        "Открыть голосование по домам",
        rx.form(
            rx.flex(
                field(
                    "Название",
                    text_input("renovation-title", name="title", max_length=300),
                    "renovation-title",
                ),
                field(
                    "Вопрос",
                    text_input(
                        "renovation-question",
                        name="question",
                        max_length=1000,
                        default_value="Включить дом в программу реновации?",
                    ),
                    "renovation-question",
                ),
                rx.flex(
                    field(
                        "Начало (мск)",
                        rx.input(type="datetime-local", id="renovation-starts", name="starts_at"),
                        "renovation-starts",
                    ),
                    field(
                        "Окончание (мск)",
                        rx.input(type="datetime-local", id="renovation-ends", name="ends_at"),
                        "renovation-ends",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.el.fieldset(
                    rx.el.legend("Дома (из реестра, с квартирами)", style={"fontWeight": "500"}),
                    rx.flex(
                        rx.foreach(
                            S.houses,
                            lambda house: rx.checkbox(
                                house["label"],
                                id="renovation-house-" + house["id"],
                                checked=S.chosen_houses.contains(house["id"]),
                                on_change=lambda checked: S.toggle_house(house["id"], checked),
                            ),
                        ),
                        direction="column",
                        spacing="1",
                        max_height="16em",
                        overflow_y="auto",
                    ),
                    style={"border": "1px solid var(--gray-5)", "padding": "0.6em", "borderRadius": "6px"},
                ),
                rx.button("Открыть голосование", type="submit", id="renovation-open"),
                direction="column",
                spacing="3",
            ),
            on_submit=S.open_campaign,
            reset_on_submit=False,
        ),
        rx.heading("Голосования", as_="h3", size="4", margin_top="1em"),
        rx.el.ul(rx.foreach(S.campaigns, _campaign_row), id="renovation-campaigns"),
    )


def _holder(holder: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(holder["label"]),
        rx.button(
            "За",
            on_click=S.enter_paper_vote(holder["id"], "for"),
            size="1",
            color_scheme="green",
            aria_label="Внести голос «За»: " + holder["label"],
        ),
        rx.button(
            "Против",
            on_click=S.enter_paper_vote(holder["id"], "against"),
            size="1",
            color_scheme="red",
            variant="soft",
            aria_label="Внести голос «Против»: " + holder["label"],
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def _house_desk() -> rx.Component:
    return panel(
        "Голоса, поданные лично, и решения общих собраний",
        rx.flex(
            field(
                "Голосование",
                native_select(
                    "entry-campaign",
                    S.campaigns,
                    placeholder="— выберите —",
                    value=S.entry_campaign,
                    on_change=S.choose_entry_campaign,
                    label_key="label",
                ),
                "entry-campaign",
            ),
            field(
                "Дом",
                native_select(
                    "entry-house",
                    S.entry_houses,
                    placeholder="— выберите —",
                    value=S.entry_house,
                    on_change=S.choose_entry_house,
                    label_key="label",
                ),
                "entry-house",
            ),
            direction="column",
            spacing="3",
            max_width="40em",
        ),
        rx.heading("Голос, поданный лично в центре госуслуг", as_="h3", size="4", margin_top="1em"),
        rx.form(
            rx.flex(
                field(
                    "Номер квартиры",
                    text_input("entry-apartment", name="apartment", max_length=10),
                    "entry-apartment",
                ),
                rx.button("Найти в реестре", type="submit", id="entry-find"),
                spacing="3",
                align="end",
            ),
            on_submit=S.find_holders,
            reset_on_submit=False,
        ),
        rx.flex(rx.foreach(S.holders, _holder), direction="column", spacing="2", margin_top="0.6em"),
        rx.cond(
            S.paper_code != "",
            rx.text(
                "Код проверки для расписки: ",
                rx.text.strong(S.paper_code, id="paper-code"),
                as_="p",
                margin_top="0.6em",
            ),
        ),
        rx.heading("Решение общего собрания собственников", as_="h3", size="4", margin_top="1.2em"),
        rx.form(
            rx.flex(
                field(
                    "Протокол (номер и дата)",
                    text_input("meeting-protocol", name="protocol", max_length=300),
                    "meeting-protocol",
                ),
                field(
                    "Голосов «за», м²",
                    text_input("meeting-for", name="for_votes", max_length=40, input_mode="decimal"),
                    "meeting-for",
                ),
                field(
                    "Всего голосов в доме, м²",
                    text_input("meeting-total", name="total_votes", max_length=40, input_mode="decimal"),
                    "meeting-total",
                    hint="Дом включается, если «за» не меньше 2/3 всех голосов.",
                ),
                rx.button("Внести решение", type="submit", id="meeting-submit"),
                direction="column",
                spacing="3",
                max_width="30em",
            ),
            on_submit=S.enter_meeting,
            reset_on_submit=False,
        ),
    )


def _queue_item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(item["what"]), as_="p"),
        rx.text("Подан: ", item["cast"], " · ", item["channel"], size="2", as_="p"),
        rx.text(
            "Проверить до: ",
            item["due"],
            rx.cond(item["overdue"] == "1", " — срок истёк", ""),
            size="2",
            as_="p",
            color_scheme=rx.cond(item["overdue"] == "1", "red", "gray"),
        ),
        rx.text("Учётная запись: ", item["voter"], " · в реестре: ", item["registry"], size="2", as_="p"),
        rx.flex(
            rx.button(
                "Подтвердить",
                on_click=S.verify(item["id"]),
                size="2",
                id="verify-" + item["id"],
            ),
            rx.form(
                rx.flex(
                    rx.el.input(type="hidden", name="ballot_id", value=item["id"]),
                    rx.input(
                        name="reason",
                        id="reason-" + item["id"],
                        placeholder="Причина отказа",
                        aria_label="Причина отказа",
                        max_length=500,
                    ),
                    rx.button("Отклонить", type="submit", size="2", color_scheme="red", variant="soft"),
                    spacing="2",
                ),
                on_submit=S.reject,
                reset_on_submit=True,
            ),
            spacing="3",
            wrap="wrap",
            margin_top="0.3em",
        ),
        padding_y="0.6em",
        border_bottom="1px solid var(--gray-5)",
    )


def _queue() -> rx.Component:
    return panel(
        "Проверка голосов",
        rx.text("Голоса «на проверке»: ближайший срок — первым. Срок проверки — 4 рабочих дня.", size="2"),
        rx.cond(S.queue.length() == 0, rx.text("Голосов на проверке нет.", as_="p", color_scheme="gray")),
        rx.el.ul(
            rx.foreach(S.queue, _queue_item),
            id="renovation-queue",
            style={"listStyle": "none", "padding": "0"},
        ),
    )


def staff_renovation_page() -> rx.Component:
    return page_layout(
        "Голосования по домам",
        staff_nav(),
        staff_gate(
            S.loaded,
            S.is_staff | S.is_moderator,
            feedback(S.error, S.notice, id_="form-errors"),
            rx.cond(S.is_staff, rx.fragment(_open_form(), _house_desk())),
            rx.cond(S.is_moderator, _queue()),
        ),
    )


PAGES = [("/staff/renovation", staff_renovation_page, "Голосования по домам", [SessionState.refresh, S.load])]
