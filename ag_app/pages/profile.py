"""«Мой профиль»: identifier, level, personal data, family, e-mail, addresses, level 3, deactivation."""

import reflex as rx

from ag_app.components.common import (
    card,
    feedback,
    field,
    native_select,
    section,
    static_select,
    submit,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.i18n import label
from ag_app.state.address import KIND_OPTIONS, AddressState
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
            _fact("Уникальный идентификатор (для службы поддержки)", S.uid, "profile-uid"),
            _fact("Телефон", S.phone, "profile-phone"),
            _fact(
                "Уровень идентификации",
                rx.text.span(S.level.to_string(), " — ", S.level_name),
                "profile-level",
            ),
            _fact("Статус", rx.cond(S.status != "", S.status, "Участник")),
            rx.cond(
                S.full_profile,
                rx.text("Профиль заполнен полностью.", color_scheme="green", size="2"),
                rx.text(
                    "За каждый заполненный блок профиля начисляется 10 баллов, за весь профиль — ещё 20.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            direction="column",
            spacing="2",
        )
    )


def _personal() -> rx.Component:
    return section(
        "Личные данные",
        rx.form(
            rx.grid(
                field(
                    "Фамилия",
                    text_input("last_name", default_value=S.last_name, auto_complete="family-name"),
                    "last_name",
                ),
                field(
                    "Имя",
                    text_input("first_name", default_value=S.first_name, auto_complete="given-name"),
                    "first_name",
                ),
                field(
                    "Отчество",
                    text_input("patronymic", default_value=S.patronymic, auto_complete="additional-name"),
                    "patronymic",
                    hint="Если отчества нет, поставьте «-».",
                ),
                field("Пол", static_select("gender", GENDER_OPTIONS, default_value=S.gender), "gender"),
                field(
                    "Дата рождения",
                    text_input("birth_date", type="date", default_value=S.birth_date, auto_complete="bday"),
                    "birth_date",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                S.identity_verified,
                rx.text(
                    "ФИО и дату рождения после подтверждения личности изменить нельзя.",
                    size="2",
                    color_scheme="gray",
                    as_="p",
                ),
            ),
            _feedback("personal"),
            submit("Сохранить личные данные", "save-personal", margin_top="0.8em"),
            on_submit=S.save_personal,
            reset_on_submit=False,
            key=S.version.to_string() + "-personal",
        ),
    )


def _child(year: rx.Var, index: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.text("Ребёнок ", (index + 1).to_string(), ": ", year, " г. р."),
            rx.button(
                "Удалить",
                type="button",
                variant="soft",
                color_scheme="gray",
                size="1",
                on_click=S.remove_child(index),
                aria_label="Удалить ребёнка " + year + " года рождения",
            ),
            spacing="3",
            align="center",
        ),
        margin_bottom="0.4em",
    )


def _family() -> rx.Component:
    return section(
        "Семья",
        rx.form(
            rx.flex(
                field(
                    "Семейное положение",
                    static_select("marital_status", MARITAL_OPTIONS, default_value=S.marital_status),
                    "marital_status",
                ),
                rx.heading("Дети", as_="h3", size="3"),
                rx.cond(
                    S.children.length() > 0,
                    rx.el.ul(rx.foreach(S.children, _child), style={"paddingLeft": "0", "listStyle": "none"}),
                    rx.text("Дети не указаны.", size="2", color_scheme="gray"),
                ),
                rx.flex(
                    field(
                        "Год рождения ребёнка",
                        rx.input(
                            id="child_year",
                            name="child_year",
                            value=S.new_child_year,
                            on_change=S.set_new_child_year,
                            input_mode="numeric",
                            max_length=4,
                            placeholder="например, 2015",
                            size="3",
                        ),
                        "child_year",
                    ),
                    rx.button(
                        "Добавить ребёнка",
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
                submit("Сохранить сведения о семье", "save-family"),
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
        "Электронная почта",
        rx.cond(
            S.email != "",
            rx.text(
                "Текущий адрес: ",
                rx.text.strong(S.email),
                rx.cond(
                    S.email_confirmed, " — подтверждён.", " — не подтверждён: перейдите по ссылке из письма."
                ),
                as_="p",
                id="email-status",
            ),
        ),
        rx.form(
            rx.flex(
                field(
                    "Адрес электронной почты",
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
            "Какие уведомления и письма вы получаете, можно выбрать в разделе ",
            rx.link("«Управление подписками»", href="/subscriptions", id="profile-subscriptions"),
            ".",
            as_="p",
            size="2",
            margin_top="0.8em",
        ),
    )


def _address_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(row["kind_name"], weight="bold", as_="p"),
        rx.text(row["text"], as_="p"),
        rx.text(row["okrug"], ", район ", row["district"], size="2", color_scheme="gray", as_="p"),
        rx.cond(
            row["pending"] != "",
            rx.text("Дом на проверке у сотрудников.", size="2", color_scheme="gray", as_="p"),
        ),
        rx.cond(row["next_change"] != "", rx.text(row["next_change"], size="2", as_="p")),
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-5)",
    )


def _address_form() -> rx.Component:
    A = AddressState
    return card(
        rx.heading("Указать или изменить адрес", as_="h3", size="3", margin_bottom="0.6em"),
        rx.form(
            rx.flex(
                field(
                    "Тип адреса",
                    static_select("address_kind", KIND_OPTIONS, value=A.kind, on_change=A.set_kind),
                    "address_kind",
                ),
                field(
                    "Округ",
                    native_select(
                        "okrug",
                        A.okrugs,
                        placeholder="Выберите округ",
                        value=A.okrug_id,
                        on_change=A.pick_okrug,
                    ),
                    "okrug",
                ),
                field(
                    "Район",
                    native_select(
                        "district",
                        A.districts,
                        placeholder="Выберите район",
                        value=A.district_id,
                        on_change=A.pick_district,
                        disabled=A.okrug_id == "",
                    ),
                    "district",
                ),
                field(
                    "Улица",
                    native_select(
                        "street",
                        A.streets,
                        placeholder="Выберите улицу",
                        value=A.street_id,
                        on_change=A.pick_street,
                        disabled=A.district_id == "",
                    ),
                    "street",
                ),
                rx.cond(
                    A.missing_house,
                    field(
                        "Номер дома (нет в списке)",
                        text_input("house_number", placeholder="например, 12к2"),
                        "house_number",
                        hint="Дом будет добавлен в реестр после проверки сотрудниками.",
                    ),
                    field(
                        "Дом",
                        native_select(
                            "house",
                            A.houses,
                            placeholder="Выберите дом",
                            value=A.house_id,
                            on_change=A.pick_house,
                            disabled=A.street_id == "",
                        ),
                        "house",
                    ),
                ),
                rx.button(
                    rx.cond(A.missing_house, "Выбрать дом из списка", "Моего дома нет в списке"),
                    type="button",
                    variant="ghost",
                    on_click=A.toggle_missing_house,
                    id="missing-house",
                ),
                field(
                    rx.cond(A.kind == "property", "Квартира (обязательно)", "Квартира"),
                    text_input("apartment", max_length=10),
                    "apartment",
                ),
                feedback(A.error, A.notice),
                submit("Сохранить адрес", "save-address"),
                direction="column",
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=A.save,
            reset_on_submit=False,
        ),
        margin_top="0.8em",
    )


def _addresses() -> rx.Component:
    return section(
        "Адреса",
        rx.text("Каждый адрес можно менять не чаще раза в 3 месяца.", size="2", color_scheme="gray", as_="p"),
        rx.cond(
            S.addresses.length() > 0,
            rx.el.ul(
                rx.foreach(S.addresses, _address_row),
                style={"paddingLeft": "0", "listStyle": "none"},
                id="address-list",
            ),
            rx.text("Адреса не указаны. Укажите адрес, чтобы голосовать в опросах своего района.", as_="p"),
        ),
        _address_form(),
    )


def _identity() -> rx.Component:
    return section(
        "Полная идентификация",
        rx.cond(
            S.identity_verified,
            rx.text("Личность подтверждена: уровень идентификации «полный».", as_="p", id="identity-done"),
            rx.form(
                rx.text(
                    "Для уровня «полный» укажите паспорт и СНИЛС: данные сверяются с реестром граждан "
                    "вместе с ФИО и датой рождения из профиля.",
                    as_="p",
                    size="2",
                ),
                rx.grid(
                    field(
                        "Серия паспорта",
                        text_input(
                            "passport_series", input_mode="numeric", max_length=4, placeholder="4 цифры"
                        ),
                        "passport_series",
                    ),
                    field(
                        "Номер паспорта",
                        text_input(
                            "passport_number", input_mode="numeric", max_length=6, placeholder="6 цифр"
                        ),
                        "passport_number",
                    ),
                    field(
                        "СНИЛС",
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
                submit("Подтвердить личность", "verify-identity"),
                on_submit=S.verify_identity,
                reset_on_submit=False,
            ),
        ),
    )


def _deactivate() -> rx.Component:
    return section(
        "Деактивация профиля",
        rx.text(
            "Персональные данные будут удалены, голоса останутся в открытых данных под кодами-квитанциями, "
            "баллы будут заморожены.",
            as_="p",
            size="2",
        ),
        _feedback("deactivate"),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(
                rx.button(
                    "Деактивировать профиль",
                    color_scheme="red",
                    variant="outline",
                    id="deactivate",
                    margin_top="0.6em",
                ),
            ),
            rx.alert_dialog.content(
                rx.alert_dialog.title("Деактивировать профиль?"),
                rx.alert_dialog.description(
                    "Это действие нельзя отменить: персональные данные будут удалены, баллы — "
                    "заморожены. Войти в этот профиль больше не получится."
                ),
                rx.flex(
                    rx.alert_dialog.cancel(rx.button("Отмена", variant="soft", color_scheme="gray")),
                    rx.alert_dialog.action(
                        rx.button(
                            "Да, деактивировать",
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
        "Мой профиль",
        _feedback("page"),
        rx.cond(
            S.loaded,
            rx.box(_summary(), _personal(), _family(), _email(), _addresses(), _identity(), _deactivate()),
            rx.text("Загрузка профиля…", as_="p"),
        ),
    )


PAGES = [
    ("/profile", profile_page, "Мой профиль", [SessionState.refresh, ProfileState.load, AddressState.load]),
]
