"""``/staff/shop/desk`` «Выдача заказов» (moderators and staff): find a souvenir order, issue or cancel it."""

import reflex as rx

from ag_app.components.common import FORBIDDEN, feedback, field, panel, text_input
from ag_app.components.layout import page_layout
from ag_app.state.staff_shop import StaffDeskState as D


def _fact(term: str, value: rx.Var, id_: str) -> rx.Component:
    return rx.fragment(
        rx.el.dt(term, style={"fontWeight": "600"}),
        rx.el.dd(value, id=id_, style={"margin": "0 0 0.5em 0"}),
    )


def _desk_order() -> rx.Component:
    o = D.order
    return rx.cond(
        o.contains("number"),
        panel(
            "Заказ № " + o["number"],
            rx.el.dl(
                _fact("Поощрение", o["item"], "desk-item"),
                _fact("Статус", o["status"], "desk-status"),
                _fact("Пункт выдачи", o["pickup"], "desk-pickup"),
                _fact("Забронирован до (время московское)", o["until"], "desk-until"),
                _fact("Оформитель", o["orderer"], "desk-orderer"),
                _fact("Стоимость", o["points"], "desk-points"),
            ),
            rx.cond(
                o["issued"] == "1",
                rx.button(
                    "Скачать акт приёма-передачи (PDF)",
                    on_click=D.download_act,
                    id="desk-act",
                    type="button",
                    variant="outline",
                    margin_bottom="0.8em",
                ),
            ),
            rx.cond(
                D.pending == "",
                rx.flex(
                    rx.button(
                        "Выдать (акт приёма-передачи)",
                        on_click=D.ask("issue"),
                        id="desk-issue",
                        type="button",
                    ),
                    rx.button(
                        "Отказ при примерке — отменить заказ",
                        on_click=D.ask("refuse"),
                        id="desk-refuse",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.box(
                    rx.text(
                        rx.cond(
                            D.pending == "issue",
                            "Выдать заказ № " + o["number"] + "? После выдачи отмена и возврат невозможны.",
                            "Отменить заказ № "
                            + o["number"]
                            + "? Баллы вернутся оформителю, товар — на склад.",
                        ),
                        as_="p",
                        weight="medium",
                        margin_bottom="0.6em",
                    ),
                    rx.flex(
                        rx.button(
                            rx.cond(D.pending == "issue", "Да, выдать", "Да, отменить заказ"),
                            on_click=D.confirm,
                            id="desk-confirm-yes",
                            type="button",
                        ),
                        rx.button(
                            "Нет, вернуться",
                            on_click=D.cancel_confirm,
                            id="desk-confirm-no",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                        ),
                        spacing="3",
                    ),
                    id="desk-confirm",
                    role="group",
                    aria_label="Подтверждение",
                    padding="0.8em",
                    border="1px solid var(--gray-7)",
                    border_radius="var(--radius-3)",
                ),
            ),
            id="desk-order",
        ),
    )


def desk_page() -> rx.Component:
    """``/staff/shop/desk``."""
    return page_layout(
        "Выдача заказов",
        rx.cond(
            D.loaded,
            rx.cond(
                D.allowed,
                rx.box(
                    rx.text(
                        "Найдите сувенир по номеру заказа и ФИО оформителя, дайте примерить, затем выдайте "
                        "его (акт приёма-передачи) или отмените заказ при отказе. Получить заказ может "
                        "любой, кто знает номер и ФИО.",
                        as_="p",
                        size="2",
                        margin_bottom="0.8em",
                    ),
                    rx.form(
                        rx.flex(
                            field(
                                "Номер заказа",
                                text_input("desk-number", name="number", max_length=40),
                                "desk-number",
                            ),
                            field(
                                "ФИО оформителя",
                                text_input("desk-name", name="full_name", max_length=300),
                                "desk-name",
                                "Фамилия, имя и отчество, как в профиле оформителя.",
                            ),
                            rx.button("Найти заказ", type="submit", id="desk-find"),
                            direction="column",
                            spacing="3",
                            align="start",
                            max_width="32em",
                        ),
                        on_submit=D.find,
                        reset_on_submit=False,
                        aria_label="Поиск заказа",
                    ),
                    feedback(D.error, D.notice, id_="desk-feedback"),
                    _desk_order(),
                ),
                rx.callout(
                    FORBIDDEN + ": выдача заказов доступна модераторам и сотрудникам города.",
                    icon="lock",
                    color_scheme="red",
                    id="forbidden",
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )
