"""``/staff/houses`` «Реестр домов»: import the house registry from CSV; management companies and HOAs."""

import reflex as rx

from ag_app.components.common import feedback, field, panel, staff_gate, staff_nav, static_select
from ag_app.components.layout import page_layout
from ag_app.domain.limits import PASTE_LIMIT_CHARS
from ag_app.pages.staff_registry import CSV_ACCEPT
from ag_app.state.base import SessionState
from ag_app.state.staff_houses import COLUMNS_TEXT, ROLE_OPTIONS
from ag_app.state.staff_houses import StaffHousesState as S

UPLOAD_ID = "houses-upload"
EXAMPLE = (
    "Арбат,улица Арбат,1,3,apartment,78.05,owner,person,R-0005,Белов,Станислав,Олегович,1958-06-30,,"
    "1/3,7700000031,77:01:0001001:1003-77/011/2019-2"
)
_SELECT_STYLE = {
    "padding": "0.35em 0.5em",
    "border": "1px solid var(--gray-7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-background)",
    "font_size": "1em",
    "min_height": "2.25em",
    "max_width": "100%",
}


def _import_block() -> rx.Component:
    return panel(
        "Загрузка реестра домов (CSV)",
        rx.text(
            "Одна строка — один собственник, наниматель или зарегистрированный житель помещения. "
            "Формат: CSV с заголовком, разделитель — запятая или точка с запятой, кодировка UTF-8.",
            size="2",
        ),
        rx.text("Столбцы: ", rx.code(COLUMNS_TEXT), size="2"),
        rx.text("Пример строки: ", rx.code(EXAMPLE), size="2"),
        rx.text(
            "Повторная загрузка обновляет данные: помещение узнаётся по дому и номеру, человек — по ",
            rx.code("person_ref"),
            " и роли; люди помещения, которых нет в новом файле, удаляются вместе с их "
            "подтверждениями. Любая ошибка отменяет загрузку целиком.",
            size="2",
            margin_bottom="0.8em",
        ),
        rx.heading("Загрузить файл", as_="h3", size="3"),
        rx.box(
            rx.upload(
                id=UPLOAD_ID,
                accept=CSV_ACCEPT,
                multiple=False,
                max_files=1,
                on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("upload", aria_hidden="true"),
            "Выбрать CSV-файл реестра домов и загрузить",
            id="houses-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{UPLOAD_ID} input[type=file]').click()"),
            margin="0.4em 0 1em",
        ),
        rx.heading("Или вставить текст", as_="h3", size="3"),
        rx.flex(
            field(
                "Содержимое CSV (до 400 000 символов; файл больше — загрузите выше)",
                rx.text_area(
                    id="houses-csv",
                    value=S.csv_text,
                    on_change=S.set_csv_text,
                    max_length=PASTE_LIMIT_CHARS,
                    rows="6",
                    font_family="monospace",
                ),
                "houses-csv",
            ),
            rx.button("Загрузить из текста", id="import-houses", on_click=S.import_text, type="button"),
            direction="column",
            spacing="2",
            align="start",
            margin_bottom="0.8em",
        ),
        rx.box(
            rx.cond(
                S.import_error != "",
                rx.box(
                    rx.callout(S.import_error, icon="triangle_alert", color_scheme="red"),
                    rx.el.ul(
                        rx.foreach(S.import_errors, lambda e: rx.el.li(e)),
                        style={"margin": "0.5em 0 0 1.2em"},
                        id="houses-errors",
                    ),
                ),
            ),
            rx.cond(
                S.import_summary.length() > 0,
                rx.box(
                    rx.callout("Реестр домов загружен.", icon="check", color_scheme="green"),
                    rx.foreach(S.import_summary, lambda line: rx.text(line, as_="p", size="2")),
                    id="houses-summary",
                ),
            ),
            role="alert",
            id="houses-result",
        ),
    )


def _organisation_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["address"]),
        rx.table.cell(row["role"]),
        rx.table.cell(row["name"]),
        rx.table.cell(row["phone"]),
        rx.table.cell(
            rx.button(
                "Удалить",
                on_click=S.remove(row["id"]),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label="Удалить запись: " + row["name"],
            )
        ),
    )


def _organisation_block() -> rx.Component:
    return panel(
        "Управляющие организации и ТСЖ",
        rx.text(
            "Пользователь, записанный представителем управляющей организации или ТСЖ дома, может подавать "
            "опросы и информирования по дому, а управляющая организация — проводить собрания собственников.",
            size="2",
            margin_bottom="0.8em",
        ),
        rx.flex(
            field(
                "Адрес дома",
                rx.input(
                    id="org-address", value=S.address_query, on_change=S.set_address_query, width="100%"
                ),
                "org-address",
                "Улица и номер дома, например «Арбат 1».",
            ),
            rx.button("Найти дом", id="org-search", on_click=S.search, type="button"),
            direction="column",
            spacing="2",
            align="start",
            max_width="32em",
        ),
        rx.form(
            rx.flex(
                field(
                    "Дом",
                    rx.el.select(
                        rx.el.option("— сначала найдите дом —", value=""),
                        rx.foreach(S.found, lambda h: rx.el.option(h["label"], value=h["id"])),
                        id="org-house",
                        name="org_house",
                        value=S.house_id,
                        on_change=S.set_house_id,
                        style=_SELECT_STYLE,
                    ),
                    "org-house",
                ),
                field(
                    "Телефон пользователя",
                    rx.input(id="org-phone", name="org_phone", type="tel", width="100%", required=True),
                    "org-phone",
                ),
                field(
                    "Роль",
                    static_select(
                        "org-role", ROLE_OPTIONS, value=S.org_role, on_change=S.set_org_role, name="org_role"
                    ),
                    "org-role",
                ),
                field(
                    "Название организации",
                    rx.input(id="org-name", name="org_name", width="100%", required=True),
                    "org-name",
                ),
                rx.button("Записать", id="org-record", type="submit"),
                direction="column",
                spacing="2",
                align="start",
                max_width="32em",
                margin_top="0.8em",
            ),
            on_submit=S.record,
            reset_on_submit=False,
            key=S.org_version.to_string() + "-org",
        ),
        feedback(S.org_error, S.org_notice, id_="org-result"),
        rx.cond(
            S.organisations.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t)
                            for t in ("Дом", "Роль", "Организация", "Телефон", "")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.organisations, _organisation_row)),
                size="1",
                width="100%",
                id="organisations",
            ),
        ),
    )


def houses_page() -> rx.Component:
    """``/staff/houses``."""
    return page_layout(
        "Реестр домов",
        staff_gate(S.loaded, S.allowed, staff_nav(), _import_block(), _organisation_block()),
    )


PAGES = [("/staff/houses", houses_page, "Реестр домов — кабинет сотрудника", [SessionState.refresh, S.load])]
