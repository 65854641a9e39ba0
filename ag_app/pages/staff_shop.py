"""``/staff/shop`` «Магазин: каталог и заказы» (staff) and ``/staff/shop/desk`` «Выдача заказов» (desk)."""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, table_region
from ag_app.components.layout import page_layout
from ag_app.components.staff_ui import FORBIDDEN, alert_region, field, section, staff_gate, staff_nav
from ag_app.components.stats import chart, data_table
from ag_app.state.base import SessionState
from ag_app.state.staff_shop import FULFILMENT_OPTIONS, STATUS_OPTIONS
from ag_app.state.staff_shop import StaffDeskState as D
from ag_app.state.staff_shop import StaffShopState as S

INPUT_STYLE = {**NATIVE_SELECT_STYLE, "width": "100%"}
SMALL_INPUT = {**NATIVE_SELECT_STYLE, "width": "7em", "padding": "0.3em 0.4em"}


def _input(id_: str, name: str, value: rx.Var | str, **props) -> rx.Component:
    return rx.el.input(id=id_, name=name, default_value=value, style=INPUT_STYLE, **props)


def _checkbox(id_: str, name: str, text: str, checked: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name=name, default_checked=checked),
        " " + text,
        html_for=id_,
        style={"display": "flex", "gap": "0.4em", "alignItems": "center"},
    )


def _head(*titles: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in titles]))


def _small_button(text: str | rx.Var, **props) -> rx.Component:
    return rx.button(text, size="1", variant="soft", type="button", **props)


# ------------------------------------------------------------------------------------------------ items


def _stock_form(row: rx.Var) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                type="number",
                min="0",
                name="stock",
                id="stock-" + row["id"],
                default_value=row["stock"],
                aria_label="Остаток: " + row["title"],
                style=SMALL_INPUT,
            ),
            rx.el.input(type="hidden", name="item_id", value=row["id"]),
            rx.button(
                "Сохранить",
                type="submit",
                size="1",
                id="stock-save-" + row["id"],
                aria_label="Сохранить остаток: " + row["title"],
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
            rx.flex(
                _small_button(
                    "Изменить",
                    on_click=S.edit_item(row["id"]),
                    id="edit-item-" + row["id"],
                    aria_label="Изменить: " + row["title"],
                ),
                _small_button(
                    rx.cond(row["shown"] != "", "Скрыть", "Показать"),
                    on_click=S.toggle_visible(row["id"]),
                    id="toggle-item-" + row["id"],
                    color_scheme="gray",
                    aria_label=rx.cond(row["shown"] != "", "Скрыть: ", "Показать: ") + row["title"],
                ),
                spacing="1",
                wrap="wrap",
            )
        ),
    )


def _item_form() -> rx.Component:
    f = S.item_form
    return rx.form(
        rx.grid(
            field(
                "Категория",
                rx.el.select(
                    rx.el.option("— выберите —", value=""),
                    rx.foreach(S.categories, lambda c: rx.el.option(c["name"], value=c["id"])),
                    id="item-category",
                    name="category_id",
                    default_value=f["category_id"],
                    style=INPUT_STYLE,
                ),
                "item-category",
            ),
            field("Название", _input("item-title", "title", f["title"], max_length=200), "item-title"),
            field(
                "Цена, баллов",
                _input("item-price", "price", f["price"], type="number", min="1", max="100000"),
                "item-price",
            ),
            field(
                "Остаток, штук",
                _input("item-stock", "stock", f["stock"], type="number", min="0", max="1000000"),
                "item-stock",
            ),
            field(
                "Дата спектакля",
                _input("item-performance", "performance_on", f["performance_on"], type="date"),
                "item-performance",
                "Только для театров: сертификат обменивают в кассе не позднее 7 дней до спектакля.",
            ),
            field(
                "Парковочные баллы",
                _input("item-parking", "parking_points", f["parking_points"], type="number", min="0"),
                "item-parking",
                "Только для парковок: сколько баллов зачислить на парковочный счёт.",
            ),
            field(
                "Фото (путь в папке assets)",
                _input("item-photo", "photo", f["photo"], max_length=200),
                "item-photo",
                "Например «shop/mug.svg».",
            ),
            field(
                "Срок действия, условия",
                _input("item-validity", "validity_note", f["validity_note"], max_length=300),
                "item-validity",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        field(
            "Описание",
            rx.el.textarea(
                id="item-description",
                name="description",
                default_value=f["description"],
                rows="3",
                max_length=2000,
                style=INPUT_STYLE,
            ),
            "item-description",
        ),
        rx.flex(
            _checkbox("item-visible", "visible", "Показывать в каталоге", f["visible"] != ""),
            _checkbox(
                "item-open", "open_to_all", "Доступно для заказа всем пользователям", f["open_to_all"] != ""
            ),
            _checkbox("item-pair", "is_pair", "Парный (на двоих)", f["is_pair"] != ""),
            spacing="4",
            wrap="wrap",
            margin_y="0.8em",
        ),
        rx.flex(
            rx.button("Сохранить поощрение", type="submit", id="item-save"),
            rx.cond(
                S.editing_item != "",
                rx.button(
                    "Новое поощрение вместо изменения",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.new_item,
                    id="item-new",
                ),
            ),
            spacing="3",
            wrap="wrap",
        ),
        on_submit=S.save_item,
        reset_on_submit=False,
        key=S.item_form_version.to_string() + "-item",
        id="item-form",
        aria_label="Поощрение",
    )


def _items_tab() -> rx.Component:
    return rx.box(
        section(
            "Поощрения",
            rx.text(
                "«Остаток» — новое число штук на складе. Скрытое поощрение не видно жителям, "
                "оформленные заказы остаются.",
                size="2",
                as_="p",
                margin_bottom="0.6em",
            ),
            table_region(
                rx.table.root(
                    _head("Поощрение", "Категория", "Цена", "Остаток", "В каталоге", "Заказано", "Действия"),
                    rx.table.body(rx.foreach(S.items, _item_row)),
                    size="1",
                    width="100%",
                    id="items-table",
                ),
                "Поощрения",
            ),
        ),
        section(
            rx.cond(S.editing_item != "", "Изменить поощрение: " + S.editing_item, "Новое поощрение"),
            _item_form(),
            id="item-editor",
        ),
    )


# ------------------------------------------------------------------------------------------- categories


def _categories_tab() -> rx.Component:
    return rx.box(
        section(
            "Категории",
            table_region(
                rx.table.root(
                    _head("Категория", "Способ выдачи", ""),
                    rx.table.body(
                        rx.foreach(
                            S.categories,
                            lambda c: rx.table.row(
                                rx.table.row_header_cell(c["name"]),
                                rx.table.cell(c["fulfilment_name"]),
                                rx.table.cell(
                                    _small_button(
                                        "Переименовать",
                                        on_click=S.edit_category(c["id"]),
                                        id="edit-category-" + c["id"],
                                        aria_label="Переименовать: " + c["name"],
                                    )
                                ),
                            ),
                        )
                    ),
                    size="1",
                    width="100%",
                    id="categories-table",
                ),
                "Категории",
            ),
        ),
        section(
            rx.cond(S.editing_category != "", "Переименовать: " + S.editing_category, "Новая категория"),
            rx.form(
                rx.flex(
                    field(
                        "Название категории",
                        _input("category-name", "name", S.category_name, max_length=60),
                        "category-name",
                    ),
                    field(
                        "Способ выдачи",
                        rx.el.select(
                            *[rx.el.option(text, value=value) for value, text in FULFILMENT_OPTIONS],
                            id="category-fulfilment",
                            name="fulfilment",
                            default_value=S.category_fulfilment,
                            style=INPUT_STYLE,
                        ),
                        "category-fulfilment",
                    ),
                    rx.flex(
                        rx.button("Сохранить категорию", type="submit", id="category-save"),
                        rx.cond(
                            S.editing_category != "",
                            rx.button(
                                "Отмена",
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


def _points_tab() -> rx.Component:
    return rx.box(
        section(
            "Пункты выдачи",
            table_region(
                rx.table.root(
                    _head("Пункт выдачи", "Адрес", "Состояние", "Действия"),
                    rx.table.body(
                        rx.foreach(
                            S.pickup_points,
                            lambda p: rx.table.row(
                                rx.table.row_header_cell(p["name"]),
                                rx.table.cell(p["address"]),
                                rx.table.cell(p["state"]),
                                rx.table.cell(
                                    rx.flex(
                                        _small_button(
                                            "Изменить",
                                            on_click=S.edit_point(p["id"]),
                                            id="edit-point-" + p["id"],
                                            aria_label="Изменить: " + p["name"],
                                        ),
                                        _small_button(
                                            rx.cond(p["active"] != "", "Закрыть", "Открыть"),
                                            on_click=S.toggle_point(p["id"]),
                                            id="toggle-point-" + p["id"],
                                            color_scheme="gray",
                                            aria_label=rx.cond(p["active"] != "", "Закрыть: ", "Открыть: ")
                                            + p["name"],
                                        ),
                                        spacing="1",
                                        wrap="wrap",
                                    )
                                ),
                            ),
                        )
                    ),
                    size="1",
                    width="100%",
                    id="points-table",
                ),
                "Пункты выдачи",
            ),
        ),
        section(
            rx.cond(S.editing_point != "", "Изменить пункт: " + S.editing_point, "Новый пункт выдачи"),
            rx.form(
                rx.flex(
                    field(
                        "Название", _input("point-name", "name", S.point_name, max_length=200), "point-name"
                    ),
                    field(
                        "Адрес",
                        _input("point-address", "address", S.point_address, max_length=300),
                        "point-address",
                    ),
                    _checkbox("point-active", "active", "Принимает новые заказы", S.point_active),
                    rx.flex(
                        rx.button("Сохранить пункт выдачи", type="submit", id="point-save"),
                        rx.cond(
                            S.editing_point != "",
                            rx.button(
                                "Отмена",
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


# ----------------------------------------------------------------------------------------------- orders


def _order_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["number"]),
        rx.table.cell(row["orderer"]),
        rx.table.cell(row["item"]),
        rx.table.cell(row["points"]),
        rx.table.cell(row["status"]),
        rx.table.cell(row["ordered_at"]),
        rx.table.cell(row["until"]),
        rx.table.cell(row["closed_at"]),
        rx.table.cell(
            _small_button(
                "История",
                on_click=S.show_events(row["id"]),
                id="events-" + row["number"],
                aria_label="История заказа № " + row["number"],
            )
        ),
    )


def _orders_tab() -> rx.Component:
    return rx.box(
        section(
            "Заказы",
            rx.flex(
                rx.el.label("Статус", html_for="orders-status", style={"fontWeight": "500"}),
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in STATUS_OPTIONS],
                    id="orders-status",
                    value=S.status_filter,
                    on_change=S.set_status_filter,
                    style={**NATIVE_SELECT_STYLE, "width": "auto"},
                ),
                spacing="2",
                align="center",
                margin_bottom="0.6em",
            ),
            rx.text("Показаны не более 200 последних заказов.", size="2", color_scheme="gray", as_="p"),
            table_region(
                rx.table.root(
                    _head(
                        "Номер",
                        "Оформитель",
                        "Поощрение",
                        "Баллов",
                        "Статус",
                        "Оформлен",
                        "Бронь / сертификат до",
                        "Закрыт",
                        "",
                    ),
                    rx.table.body(rx.foreach(S.orders, _order_row)),
                    size="1",
                    width="100%",
                    id="orders-table",
                ),
                "Заказы",
            ),
            rx.cond(S.orders.length() == 0, rx.text("Заказов нет.", as_="p", margin_top="0.6em")),
        ),
        rx.cond(
            S.events_of != "",
            section(
                "История заказа № " + S.events_of,
                data_table(
                    "Кто, когда и как менял статус заказа № " + S.events_of,
                    ["Когда (время московское)", "Кто", "Был статус", "Стал статус"],
                    S.events,
                    "order-events",
                ),
                id="order-history",
            ),
        ),
        section(
            "Остатки на складе",
            data_table(
                "Остатки поощрений, сначала заканчивающиеся", ["Поощрение", "Остаток"], S.stock_rows, "stock"
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------- report


def _report_tab() -> rx.Component:
    return rx.box(
        section(
            "Баллы по неделям",
            chart(
                S.weeks_fig,
                "Начисленные и списанные баллы за каждую неделю (с понедельника); числа — в таблице.",
                "chart-shop-weeks",
            ),
            data_table(
                "Начислено и списано баллов по неделям",
                ["Неделя с", "Начислено", "Списано"],
                S.weeks_rows,
                "table-shop-weeks",
            ),
            id="report-weeks",
        ),
        section(
            "Самые заказываемые поощрения",
            chart(S.top_fig, "Число заказов (без отменённых); числа — в таблице.", "chart-shop-top"),
            data_table("Заказы по поощрениям", ["Поощрение", "Заказов"], S.top_rows, "table-shop-top"),
        ),
        section(
            "Заказы по статусам",
            rx.text(
                "Заблокировано баллов сейчас: ", rx.el.strong(S.blocked_points, id="blocked-points"), as_="p"
            ),
            data_table("Заказы по статусам", ["Статус", "Заказов"], S.status_rows, "table-shop-status"),
        ),
    )


def shop_page() -> rx.Component:
    """``/staff/shop``."""
    return page_layout(
        "Магазин: каталог и заказы",
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.link("Выдача заказов в пункте выдачи", href="/staff/shop/desk", id="link-desk"),
            alert_region(S.error, S.notice, id="shop-feedback"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Поощрения", value="items", id="tab-items"),
                    rx.tabs.trigger("Категории", value="categories", id="tab-categories"),
                    rx.tabs.trigger("Пункты выдачи", value="points", id="tab-points"),
                    rx.tabs.trigger("Заказы", value="orders", id="tab-orders"),
                    rx.tabs.trigger("Отчёт", value="report", id="tab-report"),
                    wrap="wrap",
                ),
                rx.tabs.content(_items_tab(), value="items", padding_top="1em"),
                rx.tabs.content(_categories_tab(), value="categories", padding_top="1em"),
                rx.tabs.content(_points_tab(), value="points", padding_top="1em"),
                rx.tabs.content(_orders_tab(), value="orders", padding_top="1em"),
                rx.tabs.content(_report_tab(), value="report", padding_top="1em"),
                value=S.tab,
                on_change=S.set_tab,
                margin_top="1em",
            ),
        ),
    )


# ------------------------------------------------------------------------------------------------- desk


def _fact(term: str, value: rx.Var, id_: str) -> rx.Component:
    return rx.fragment(
        rx.el.dt(term, style={"fontWeight": "600"}),
        rx.el.dd(value, id=id_, style={"margin": "0 0 0.5em 0"}),
    )


def _desk_order() -> rx.Component:
    o = D.order
    return rx.cond(
        o.contains("number"),
        section(
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
                                rx.el.input(
                                    id="desk-number", name="number", max_length=40, style=INPUT_STYLE
                                ),
                                "desk-number",
                            ),
                            field(
                                "ФИО оформителя",
                                rx.el.input(
                                    id="desk-name", name="full_name", max_length=300, style=INPUT_STYLE
                                ),
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
                    alert_region(D.error, D.notice, id="desk-feedback"),
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


PAGES = [
    (
        "/staff/shop",
        shop_page,
        "Магазин: каталог и заказы — кабинет сотрудника",
        [SessionState.refresh, S.load],
    ),
    ("/staff/shop/desk", desk_page, "Выдача заказов — кабинет сотрудника", [SessionState.refresh, D.load]),
]
