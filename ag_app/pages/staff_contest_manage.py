"""``/staff/contest/manage`` «Конкурс чеков: управление» (staff): contests, a new parallel contest,
the seller registry upload, «Подвести итоги» and the prizes of final ratings."""

import reflex as rx

from ag_app.components.common import feedback, field, panel, row_table, staff_gate
from ag_app.components.layout import page_layout
from ag_app.pages.staff_contest import INPUT_STYLE, contest_staff_nav, period_form
from ag_app.state.base import SessionState
from ag_app.state.staff_contest import CATEGORY_OPTIONS
from ag_app.state.staff_contest_manage import DEFAULT_RULES, REGISTRY_UPLOAD_ID
from ag_app.state.staff_contest_manage import StaffContestManageState as M

FORBIDDEN_TEXT = (
    "Недостаточно прав: управление конкурсом чеков доступно сотрудникам города. "
    "Войдите под учётной записью сотрудника."
)


def _contest_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["title"], weight="medium", as_="p"),
            rx.text(row["kind"] + ". " + row["conditions"], size="1", as_="p"),
            rx.text("Призы: " + row["prizes"], size="1", color_scheme="gray", as_="p"),
        ),
        rx.table.cell(row["participants"], id="participants-" + row["id"]),
        rx.table.cell(
            rx.text(row["status"], as_="p", id="status-" + row["id"]),
            rx.cond(
                row["published_at"] != "",
                rx.text("Опубликованы " + row["published_at"], size="1", as_="p"),
            ),
            rx.cond(
                row["claim_until"] != "",
                rx.text("Заявки на призы до " + row["claim_until"], size="1", as_="p"),
            ),
            rx.cond(
                row["sha256"] != "",
                rx.text(
                    "SHA-256: ",
                    rx.el.code(row["sha256"], style={"wordBreak": "break-all"}),
                    size="1",
                    as_="p",
                    id="sha-" + row["id"],
                ),
            ),
        ),
        rx.table.cell(
            rx.cond(
                row["can_finalise"] != "",
                rx.button(
                    "Подвести итоги",
                    size="1",
                    type="button",
                    on_click=M.finalise(row["id"]),
                    id="finalise-" + row["id"],
                    aria_label="Подвести итоги: " + row["title"],
                ),
            )
        ),
    )


def _contests() -> rx.Component:
    return panel(
        "Конкурсы месяца",
        period_form(M.set_period, M.period, "manage-period"),
        rx.cond(
            M.last_seal != "",
            rx.callout(
                rx.text("Итоги опубликованы. SHA-256 итогового рейтинга: ", rx.el.code(M.last_seal)),
                icon="check",
                color_scheme="green",
                id="last-seal",
            ),
        ),
        row_table(
            ["Конкурс", "Участников", "Статус", "Действие"],
            M.contests,
            _contest_row,
            "contests",
            caption="Конкурсы месяца",
            empty="В этом месяце конкурсов ещё нет: общий конкурс появится с первым чеком.",
            empty_id="contests-empty",
        ),
        rx.text(
            "Итоги подводятся после окончания месяца, когда не осталось чеков на проверке.",
            size="1",
            color_scheme="gray",
            as_="p",
            margin_top="0.5em",
        ),
    )


def _prize_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["contest"] + ", " + row["place"] + "-е место"),
        rx.table.cell(row["amount"]),
        rx.table.cell("№ " + row["holder"]),
        rx.table.cell(row["status"]),
        rx.table.cell(row["claim_until"]),
        rx.table.cell(row["claim"]),
        rx.table.cell(
            rx.cond(
                row["can_pass"] != "",
                rx.button(
                    "Передать следующему",
                    size="1",
                    variant="soft",
                    type="button",
                    on_click=M.pass_prize(row["id"]),
                    id="pass-" + row["id"],
                ),
            )
        ),
    )


def _prizes() -> rx.Component:
    return rx.cond(
        M.prizes.length() > 0,
        panel(
            "Призы",
            rx.text(
                "Данные для выплаты видят только сотрудники; они не публикуются. Незаявленный приз "
                "можно передать следующему участнику итогового рейтинга после срока заявки.",
                size="2",
                as_="p",
            ),
            row_table(
                ["Приз", "Сумма", "Участник", "Статус", "Заявить до", "Данные для выплаты", ""],
                M.prizes,
                _prize_row,
                "prizes",
                caption="Призы",
            ),
        ),
    )


def _checkbox(id_: str | rx.Var, name: str | rx.Var, text: str | rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name=name),
        " ",
        text,
        html_for=id_,
        style={"display": "flex", "gap": "0.4em", "alignItems": "center"},
    )


def _group(legend: str, *boxes: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, style={"fontWeight": "500"}),
        rx.grid(*boxes, columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="1"),
        style={"border": "1px solid var(--gray-5)", "borderRadius": "var(--radius-2)", "padding": "0.5em"},
    )


def _rule_field(text: str, id_: str, name: str, low: int, default: int) -> rx.Component:
    """A review rule's threshold (a whole number, at least ``low``) prefilled with the default."""
    return field(
        text,
        rx.el.input(
            id=id_, name=name, type="number", min=str(low), default_value=str(default), style=INPUT_STYLE
        ),
        id_,
    )


def _create_form() -> rx.Component:
    return panel(
        "Создать параллельный конкурс",
        rx.text(
            "Конкурс на показанный месяц (текущий или будущий) с собственным рейтингом и призами. "
            "Условия сочетаются: чек учитывается, если подходит под все заданные.",
            size="2",
            as_="p",
            margin_bottom="0.6em",
        ),
        rx.form(
            rx.flex(
                field(
                    "Название",
                    rx.el.input(id="new-title", name="title", max_length=200, style=INPUT_STYLE),
                    "new-title",
                ),
                _group(
                    "Категории продавцов",
                    *[
                        _checkbox(f"new-category-{key}", f"category_{key}", name)
                        for key, name in CATEGORY_OPTIONS
                    ],
                ),
                field(
                    "Регионы продавцов",
                    rx.el.input(id="new-regions", name="regions", max_length=200, style=INPUT_STYLE),
                    "new-regions",
                    "Коды через запятую, например «77, 50».",
                ),
                field(
                    "ИНН партнёров",
                    rx.el.textarea(id="new-inns", name="partner_inns", rows="3", style=INPUT_STYLE),
                    "new-inns",
                    "Через запятую или с новой строки.",
                ),
                _group(
                    "Округа участников",
                    rx.foreach(
                        M.okrugs,
                        lambda o: _checkbox("new-okrug-" + o["id"], "okrug_" + o["id"], o["name"]),
                    ),
                ),
                field(
                    "Призы, ₽ по местам",
                    rx.el.input(
                        id="new-prizes", name="prizes", placeholder="3000, 2000, 1000", style=INPUT_STYLE
                    ),
                    "new-prizes",
                    "Число сумм — число победителей.",
                ),
                rx.grid(
                    _rule_field(
                        "Больше скольких чеков за день — на проверку",
                        "new-daily",
                        "daily_limit",
                        1,
                        DEFAULT_RULES.daily_limit,
                    ),
                    _rule_field(
                        "Чеков одного ФН подряд — на проверку",
                        "new-split-count",
                        "split_count",
                        2,
                        DEFAULT_RULES.split_count,
                    ),
                    _rule_field(
                        "…за минут", "new-split-minutes", "split_minutes", 1, DEFAULT_RULES.split_minutes
                    ),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                ),
                rx.button("Создать конкурс", type="submit", id="new-contest"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=M.create,
            reset_on_submit=False,
            key=M.form_version.to_string(),
            aria_label="Новый параллельный конкурс",
        ),
    )


def _registry() -> rx.Component:
    return panel(
        "Реестр продавцов",
        rx.text(
            "CSV в кодировке UTF-8 до 5 МБ, первая строка: ",
            rx.el.code("fn;name;inn;category;region"),
            ". Категории: ",
            *[
                part
                for index, (key, name) in enumerate(CATEGORY_OPTIONS)
                for part in ((", " if index else ""), rx.el.code(key), f" — {name}")
            ],
            ".",
            size="2",
            as_="p",
        ),
        # The dropzone's own file input is unlabeled, so it stays hidden; the labelled button opens it.
        rx.box(
            rx.upload(
                id=REGISTRY_UPLOAD_ID,
                accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]},
                multiple=False,
                max_files=1,
                max_size=5 * 1024 * 1024,
                on_drop=M.upload_registry(rx.upload_files(upload_id=REGISTRY_UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("upload", aria_hidden="true"),
            "Выбрать CSV-файл реестра продавцов и загрузить",
            id="registry-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(
                f"document.querySelector('#{REGISTRY_UPLOAD_ID} input[type=file]').click()"
            ),
            margin_top="0.5em",
        ),
    )


def manage_page() -> rx.Component:
    return page_layout(
        "Конкурс чеков: управление",
        contest_staff_nav(),
        staff_gate(
            M.loaded,
            M.allowed,
            feedback(M.error, M.notice, id_="manage-feedback"),
            _contests(),
            _prizes(),
            _create_form(),
            _registry(),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    (
        "/staff/contest/manage",
        manage_page,
        "Конкурс чеков: управление",
        [SessionState.refresh, M.load],
    ),
]
