"""The «Категории» and «Пункты выдачи» tabs of ``/staff/shop``."""

import reflex as rx

from ag_app.components.common import field, form_checkbox, panel, row_table, static_select, text_input
from ag_app.i18n import label
from ag_app.pages.staff_shop.parts import ROW_BUTTON, row_actions, save_or_cancel
from ag_app.state.staff_shop import FULFILMENT_OPTIONS
from ag_app.state.staff_shop import StaffShopState as S


def _category_row(c: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(c["name"]),
        rx.table.cell(c["fulfilment_name"]),
        rx.table.cell(
            rx.button(
                label("ui.places.pereimenovat"),
                **ROW_BUTTON,
                on_click=S.edit_category(c["id"]),
                id="edit-category-" + c["id"],
                aria_label=label("ui.places.pereimenovat_2") + c["name"],
            )
        ),
    )


def categories_tab() -> rx.Component:
    """«Категории»: the categories and the category form."""
    return rx.box(
        panel(
            label("ui.common.kategorii"),
            row_table(
                [label("ui.common.kategoriia"), label("ui.places.sposob_vydachi"), ""],
                S.categories,
                _category_row,
                "categories-table",
                caption=label("ui.common.kategorii"),
            ),
        ),
        panel(
            rx.cond(
                S.editing_category != "",
                label("ui.places.pereimenovat_2") + S.editing_category,
                label("ui.places.novaya_kategoriya"),
            ),
            rx.form(
                rx.flex(
                    field(
                        label("ui.places.nazvanie_kategorii"),
                        text_input(
                            "category-name", name="name", default_value=S.category_name, max_length=60
                        ),
                        "category-name",
                    ),
                    field(
                        label("ui.places.sposob_vydachi"),
                        static_select(
                            "category-fulfilment",
                            FULFILMENT_OPTIONS,
                            name="fulfilment",
                            default_value=S.category_fulfilment,
                        ),
                        "category-fulfilment",
                    ),
                    save_or_cancel(
                        label("ui.places.sokhranit_kategoriyu"),
                        "category-save",
                        S.editing_category != "",
                        label("ui.common.otmena"),
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
                on_text=label("ui.shop.zakryt_2"),
                off_text=label("ui.polls.otkryt"),
            )
        ),
    )


def points_tab() -> rx.Component:
    """«Пункты выдачи»: the pickup points and their form."""
    return rx.box(
        panel(
            label("ui.common.punkty_vydachi"),
            row_table(
                [
                    label("ui.shop.punkt_vydachi"),
                    label("ui.places.adres"),
                    label("ui.common.sostoianie"),
                    label("ui.common.deystviya"),
                ],
                S.pickup_points,
                _point_row,
                "points-table",
                caption=label("ui.common.punkty_vydachi"),
            ),
        ),
        panel(
            rx.cond(
                S.editing_point != "",
                label("ui.places.izmenit_punkt") + S.editing_point,
                label("ui.places.novyy_punkt_vydachi"),
            ),
            rx.form(
                rx.flex(
                    field(
                        label("ui.common.nazvanie"),
                        text_input("point-name", name="name", default_value=S.point_name, max_length=200),
                        "point-name",
                    ),
                    field(
                        label("ui.places.adres"),
                        text_input(
                            "point-address", name="address", default_value=S.point_address, max_length=300
                        ),
                        "point-address",
                    ),
                    form_checkbox(
                        "point-active", "active", label("ui.places.prinimaet_novye_zakazy"), S.point_active
                    ),
                    save_or_cancel(
                        label("ui.places.sokhranit_punkt_vydachi"),
                        "point-save",
                        S.editing_point != "",
                        label("ui.common.otmena"),
                        S.new_point,
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
