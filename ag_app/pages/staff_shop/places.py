"""The «Категории» and «Пункты выдачи» tabs of ``/staff/shop``."""

import reflex as rx

from ag_app.components.common import field, form_checkbox, section, static_select, text_input
from ag_app.components.staff_ui import row_table
from ag_app.pages.staff_shop.parts import ROW_BUTTON, row_actions, save_or_cancel
from ag_app.state.staff_shop import FULFILMENT_OPTIONS
from ag_app.state.staff_shop import StaffShopState as S


def _category_row(c: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(c["name"]),
        rx.table.cell(c["fulfilment_name"]),
        rx.table.cell(
            rx.button(
                "Переименовать",
                **ROW_BUTTON,
                on_click=S.edit_category(c["id"]),
                id="edit-category-" + c["id"],
                aria_label="Переименовать: " + c["name"],
            )
        ),
    )


def categories_tab() -> rx.Component:
    """«Категории»: the categories and the category form."""
    return rx.box(
        section(
            "Категории",
            row_table(["Категория", "Способ выдачи", ""], S.categories, _category_row, "categories-table"),
        ),
        section(
            rx.cond(S.editing_category != "", "Переименовать: " + S.editing_category, "Новая категория"),
            rx.form(
                rx.flex(
                    field(
                        "Название категории",
                        text_input(
                            "category-name", name="name", default_value=S.category_name, max_length=60
                        ),
                        "category-name",
                    ),
                    field(
                        "Способ выдачи",
                        static_select(
                            "category-fulfilment",
                            FULFILMENT_OPTIONS,
                            name="fulfilment",
                            default_value=S.category_fulfilment,
                        ),
                        "category-fulfilment",
                    ),
                    save_or_cancel(
                        "Сохранить категорию",
                        "category-save",
                        S.editing_category != "",
                        "Отмена",
                        S.new_category,
                    ),
                    direction="column",
                    spacing="3",
                    max_width="32em",
                ),
                on_submit=S.save_category,
                reset_on_submit=False,
                key=S.category_form_version.to_string() + "-category",
            ),
        ),
    )


# ---------------------------------------------------------------------------------------- pickup points


def _point_row(p: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(p["name"]),
        rx.table.cell(p["address"]),
        rx.table.cell(p["state"]),
        rx.table.cell(
            row_actions(
                p["name"],
                on_edit=S.edit_point(p["id"]),
                edit_id="edit-point-" + p["id"],
                on_toggle=S.toggle_point(p["id"]),
                toggle_id="toggle-point-" + p["id"],
                on=p["active"] != "",
                on_text="Закрыть",
                off_text="Открыть",
            )
        ),
    )


def points_tab() -> rx.Component:
    """«Пункты выдачи»: the pickup points and their form."""
    return rx.box(
        section(
            "Пункты выдачи",
            row_table(
                ["Пункт выдачи", "Адрес", "Состояние", "Действия"],
                S.pickup_points,
                _point_row,
                "points-table",
            ),
        ),
        section(
            rx.cond(S.editing_point != "", "Изменить пункт: " + S.editing_point, "Новый пункт выдачи"),
            rx.form(
                rx.flex(
                    field(
                        "Название",
                        text_input("point-name", name="name", default_value=S.point_name, max_length=200),
                        "point-name",
                    ),
                    field(
                        "Адрес",
                        text_input(
                            "point-address", name="address", default_value=S.point_address, max_length=300
                        ),
                        "point-address",
                    ),
                    form_checkbox("point-active", "active", "Принимает новые заказы", S.point_active),
                    save_or_cancel(
                        "Сохранить пункт выдачи", "point-save", S.editing_point != "", "Отмена", S.new_point
                    ),
                    direction="column",
                    spacing="3",
                    max_width="32em",
                ),
                on_submit=S.save_point,
                reset_on_submit=False,
                key=S.point_form_version.to_string() + "-point",
            ),
        ),
    )
