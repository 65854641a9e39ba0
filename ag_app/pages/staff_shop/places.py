"""The «Категории» and «Пункты выдачи» tabs of ``/staff/shop``."""

import reflex as rx

from ag_app.components.common import field, form_checkbox, panel, row_table, static_select, text_input
from ag_app.i18n import label
from ag_app.pages.staff_shop.items import ROW_BUTTON
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
                    rx.flex(
                        rx.button(label("ui.places.sokhranit_kategoriyu"), type="submit", id="category-save"),
                        rx.cond(
                            S.editing_category != "",
                            rx.button(
                                label("ui.common.otmena"),
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                on_click=S.new_category,
                            ),
                        ),
                        spacing="3",
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
            rx.flex(
                rx.button(
                    label("ui.common.izmenit"),
                    **ROW_BUTTON,
                    on_click=S.edit_point(p["id"]),
                    id="edit-point-" + p["id"],
                    aria_label=label("ui.common.izmenit_2") + p["name"],
                ),
                rx.button(
                    rx.cond(p["active"] != "", label("ui.shop.zakryt_2"), label("ui.polls.otkryt")),
                    **ROW_BUTTON,
                    on_click=S.toggle_point(p["id"]),
                    id="toggle-point-" + p["id"],
                    color_scheme="gray",
                    aria_label=rx.cond(
                        p["active"] != "", label("ui.places.zakryt"), label("ui.places.otkryt")
                    )
                    + p["name"],
                ),
                spacing="1",
                wrap="wrap",
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
                    rx.flex(
                        rx.button(label("ui.places.sokhranit_punkt_vydachi"), type="submit", id="point-save"),
                        rx.cond(
                            S.editing_point != "",
                            rx.button(
                                label("ui.common.otmena"),
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                on_click=S.new_point,
                            ),
                        ),
                        spacing="3",
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
