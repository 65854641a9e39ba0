"""The «Поощрения» tab of ``/staff/shop``: the items table with its stock forms and the item form."""

import reflex as rx

from ag_app.components.common import (
    field,
    form_checkbox,
    invalid_props,
    native_select,
    panel,
    row_table,
    text_input,
)
from ag_app.i18n import label, message
from ag_app.pages.staff_shop.parts import row_actions, save_or_cancel
from ag_app.state.staff_shop import StaffShopState as S


def _stock_form(row: rx.Var) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(
                type="number",
                min="0",
                name="stock",
                id="stock-" + row["id"],
                default_value=row["stock"],
                aria_label=label("ui.items.ostatok") + row["title"],
                size="1",
                width="7em",
            ),
            rx.el.input(type="hidden", name="item_id", value=row["id"]),
            rx.button(
                label("ui.common.sokhranit"),
                type="submit",
                size="1",
                id="stock-save-" + row["id"],
                aria_label=label("ui.items.sokhranit_ostatok") + row["title"],
            ),
            spacing="1",
            align="center",
        ),
        on_submit=S.set_stock,
        reset_on_submit=False,
        key=row["id"] + "-" + row["stock"],
    )


def _item_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["title"], as_="p", weight="medium"),
            rx.cond(row["extra"] != "", rx.text(row["extra"], size="1", color_scheme="gray", as_="p")),
        ),
        rx.table.cell(row["category"]),
        rx.table.cell(row["price"]),
        rx.table.cell(_stock_form(row)),
        rx.table.cell(row["visible"], id="visible-" + row["id"]),
        rx.table.cell(row["ordered"]),
        rx.table.cell(
            row_actions(
                row["title"],
                on_edit=S.edit_item(row["id"]),
                edit_id="edit-item-" + row["id"],
                on_toggle=S.toggle_visible(row["id"]),
                toggle_id="toggle-item-" + row["id"],
                on=row["shown"] != "",
                on_text=label("ui.contest.skryt"),
                off_text=label("ui.common.pokazat"),
            )
        ),
    )


def _bad(name: str) -> rx.Var:
    """Whether the last refused save named the item form field ``name``."""
    return S.item_invalid_fields.contains(name)


def _item_form() -> rx.Component:
    f = S.item_form
    return rx.form(
        rx.grid(
            field(
                label("ui.common.kategoriia"),
                native_select(
                    "item-category",
                    S.categories,
                    placeholder=label("ui.renovation.vyberite"),
                    name="category_id",
                    default_value=f["category_id"],
                    **invalid_props(_bad("category_id"), frame=False),
                ),
                "item-category",
            ),
            field(
                label("ui.common.nazvanie"),
                text_input(
                    "item-title",
                    name="title",
                    invalid=_bad("title"),
                    default_value=f["title"],
                    max_length=200,
                ),
                "item-title",
            ),
            field(
                label("ui.items.tsena_ballov"),
                text_input(
                    "item-price",
                    name="price",
                    invalid=_bad("price"),
                    default_value=f["price"],
                    type="number",
                    min="1",
                    max="100000",
                ),
                "item-price",
            ),
            field(
                label("ui.items.ostatok_shtuk"),
                text_input(
                    "item-stock",
                    name="stock",
                    invalid=_bad("stock"),
                    default_value=f["stock"],
                    type="number",
                    min="0",
                    max="1000000",
                ),
                "item-stock",
            ),
            field(
                label("ui.shop.data_spektaklia"),
                text_input(
                    "item-performance",
                    name="performance_on",
                    invalid=_bad("performance_on"),
                    default_value=f["performance_on"],
                    type="date",
                ),
                "item-performance",
                message("ui.items.tolko_dlya_teatrov_sertifikat_obmenivayut"),
            ),
            field(
                label("shop.page_fulfilment_parking"),
                text_input(
                    "item-parking",
                    name="parking_points",
                    invalid=_bad("parking_points"),
                    default_value=f["parking_points"],
                    type="number",
                    min="0",
                ),
                "item-parking",
                message("ui.items.tolko_dlya_parkovok_skolko_ballov"),
            ),
            field(
                label("ui.items.foto_put_k_failu_izobrazheniia"),
                text_input(
                    "item-photo",
                    name="photo",
                    invalid=_bad("photo"),
                    default_value=f["photo"],
                    max_length=200,
                ),
                "item-photo",
                message("ui.items.naprimer_shop_mug_svg"),
            ),
            field(
                label("ui.items.srok_deystviya_usloviya"),
                text_input(
                    "item-validity",
                    name="validity_note",
                    invalid=_bad("validity_note"),
                    default_value=f["validity_note"],
                    max_length=300,
                ),
                "item-validity",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        field(
            label("ui.award.opisanie"),
            rx.text_area(
                id="item-description",
                name="description",
                default_value=f["description"],
                rows="3",
                max_length=2000,
                width="100%",
                **invalid_props(_bad("description")),
            ),
            "item-description",
        ),
        rx.flex(
            form_checkbox(
                "item-visible", "visible", label("ui.items.pokazyvat_v_kataloge"), f["visible"] != ""
            ),
            form_checkbox(
                "item-open",
                "open_to_all",
                label("ui.items.dostupno_dlya_zakaza_vsem_polzovatelyam"),
                f["open_to_all"] != "",
            ),
            form_checkbox("item-pair", "is_pair", message("ui.items.parnyy_na_dvoikh"), f["is_pair"] != ""),
            spacing="4",
            wrap="wrap",
            margin_y="0.8em",
        ),
        save_or_cancel(
            label("ui.items.sokhranit_pooshchrenie"),
            "item-save",
            S.editing_item != "",
            label("ui.items.novoe_pooshchrenie_vmesto_izmeneniya"),
            S.new_item,
            "item-new",
        ),
        on_submit=S.save_item,
        reset_on_submit=False,
        key=S.item_form_version.to_string() + "-item",
        id="item-form",
        aria_label=label("ui.promo_exchange.pooshchrenie"),
    )


def items_tab() -> rx.Component:
    """«Поощрения»: the items with their stock and visibility, and the item form."""
    return rx.box(
        panel(
            label("ui.common.pooshchreniya"),
            rx.text(
                message("ui.items.ostatok_novoe_chislo_shtuk_na"),
                size="2",
                as_="p",
                margin_bottom="0.6em",
            ),
            row_table(
                [
                    label("ui.promo_exchange.pooshchrenie"),
                    label("ui.common.kategoriia"),
                    label("ui.items.tsena"),
                    label("ui.common.ostatok"),
                    label("ui.items.v_kataloge"),
                    label("ui.items.zakazano"),
                    label("ui.common.deystviya"),
                ],
                S.items,
                _item_row,
                "items-table",
                caption=label("ui.common.pooshchreniya"),
            ),
        ),
        panel(
            rx.cond(
                S.editing_item != "",
                label("ui.items.izmenit_pooshchrenie") + S.editing_item,
                label("ui.items.novoe_pooshchrenie"),
            ),
            _item_form(),
            id="item-editor",
        ),
    )
