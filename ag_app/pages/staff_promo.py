"""``/staff/promo`` «Акция: управление» (staff): the campaign's configuration, its draws with the
published inputs and files, public randomness, and the upload of the voting system's file."""

import reflex as rx

from ag_app.components.common import (
    feedback,
    field,
    native_select,
    panel,
    row_table,
    staff_gate,
    static_select,
)
from ag_app.components.layout import page_layout
from ag_app.components.record_form import INPUT_STYLE, form_input, form_textarea, record_choice
from ag_app.services.promo.config_form import INSTANTS
from ag_app.state.base import SessionState
from ag_app.state.staff_promo import MAX_VOTES_BYTES, VOTES_UPLOAD_ID
from ag_app.state.staff_promo import StaffPromoState as M

FORBIDDEN_TEXT = (
    "Недостаточно прав: управление акцией доступно сотрудникам города. "
    "Войдите под учётной записью сотрудника."
)
_CODE = {"wordBreak": "break-all", "fontSize": "0.85em"}


def promo_staff_nav() -> rx.Component:
    """Links between the campaign's staff pages and the public one."""
    return rx.el.nav(
        rx.flex(
            rx.link("Управление", href="/staff/promo", id="nav-promo-manage"),
            rx.link("Статистика", href="/staff/promo/stats", id="nav-promo-stats"),
            rx.link("Страница акции для жителей", href="/promo", id="nav-promo-public"),
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Разделы акции",
        style={"margin_bottom": "1em"},
    )


def _choice() -> rx.Component:
    return record_choice(
        "Акция",
        select_id="promo-campaign",
        select_label="Показать акцию",
        items=M.campaigns,
        placeholder="Новая акция (не сохранена)",
        value=M.campaign_id,
        on_change=M.choose_campaign,
        new_label="Новая акция",
        new_id="promo-new",
        on_new=M.new_campaign,
    )


def _text_input(name: str, label: str, hint: str = "", **props) -> rx.Component:
    return form_input(M.form, f"promo-{name.replace('_', '-')}", name, label, hint, **props)


def _textarea(name: str, label: str, hint: str = "", rows: str = "4") -> rx.Component:
    return form_textarea(M.form, f"promo-{name.replace('_', '-')}", name, label, hint, rows)


def _instants() -> rx.Component:
    inputs = [
        _text_input(
            name,
            label,
            "последняя включённая минута" if deadline else "",
            placeholder="ДД.ММ.ГГГГ ЧЧ:ММ",
            max_length=20,
            input_mode="numeric",
        )
        for name, label, deadline in INSTANTS
    ]
    return rx.el.fieldset(
        rx.el.legend("Фазы и сроки (время московское)", style={"fontWeight": "500"}),
        rx.text(
            "Каждый момент — в виде ДД.ММ.ГГГГ ЧЧ:ММ по Москве. Срок «до 23:59 5 сентября» вводится как "
            "последняя включённая минута: 05.09.2026 23:59 — отказ в 23:59:59 ещё принимается, в 00:00 "
            "уже нет. Начала вводятся как сам момент начала.",
            size="2",
            as_="p",
            margin_bottom="0.5em",
        ),
        rx.grid(*inputs, columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3"),
        style={"border": "1px solid var(--gray-5)", "borderRadius": "var(--radius-2)", "padding": "0.75em"},
    )


def _vote_source() -> rx.Component:
    return rx.grid(
        field(
            "Источник фактов голосования",
            static_select(
                "promo-vote-source",
                [("import", "Файл системы голосования"), ("poll", "Голосование платформы")],
                name="vote_source",
                default_value=M.form["vote_source"],
            ),
            "promo-vote-source",
        ),
        field(
            "Голосование платформы",
            native_select(
                "promo-vote-poll",
                M.polls,
                placeholder="— не выбрано —",
                name="vote_poll_id",
                label_key="title",
                default_value=M.form["vote_poll_id"],
            ),
            "promo-vote-poll",
            "Только для источника «Голосование платформы»: каждый завершённый бюллетень — онлайн-голос.",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _config_form() -> rx.Component:
    return panel(
        "Настройки акции",
        rx.cond(
            M.creating,
            rx.text(
                "Новая акция: розыгрыши и их обязательства появятся после сохранения.", size="2", as_="p"
            ),
            rx.text(
                "То, что определяет уже закрытый розыгрыш (его окно, призы, источник голосов, момент "
                "проверки права и сроки отказа), изменить нельзя.",
                size="2",
                as_="p",
            ),
        ),
        rx.form(
            rx.flex(
                rx.grid(
                    _text_input(
                        "slug",
                        "Короткое имя",
                        "латиница, цифры, «-»; не меняется после создания",
                        max_length=40,
                        read_only=~M.creating,
                    ),
                    _text_input("title", "Название", max_length=200),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                _textarea("summary", "Описание акции для жителей"),
                _textarea("prize_rules", "Правила получения приза"),
                _instants(),
                _textarea(
                    "windows",
                    "Окна розыгрышей",
                    "По строке на окно: последняя минута окна; срок розыгрыша; призы — например "
                    "«06.09.2026 20:00; 07.09.2026 10:00; 5000x10,3000x20,1000x70». Окно «до 20:00» "
                    "включает всю минуту 20:00.",
                    rows="4",
                ),
                rx.grid(
                    _text_input("extra_prize", "Дополнительный приз, баллов", input_mode="numeric"),
                    _text_input("category_discount", "Скидка в категории, баллов", input_mode="numeric"),
                    _text_input("category_winners", "Победителей в каждой категории", input_mode="numeric"),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
                _vote_source(),
                rx.button(
                    rx.cond(M.creating, "Создать акцию", "Сохранить настройки"),
                    type="submit",
                    id="promo-save",
                ),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=M.save,
            reset_on_submit=False,
            key=M.form_version.to_string(),
            aria_label="Настройки акции",
        ),
    )


def _file_link(text: str, href: rx.Var, id_: rx.Var) -> rx.Component:
    return rx.cond(href != "", rx.el.a(text, href=href, id=id_, download=True, style={"display": "block"}))


def _entropy_form(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["can_entropy"] != "",
        rx.form(
            rx.el.input(type="hidden", name="draw_id", value=row["id"]),
            rx.el.label(
                "Публичная случайность", html_for="entropy-" + row["id"], style={"fontSize": "0.85em"}
            ),
            rx.flex(
                rx.el.input(
                    id="entropy-" + row["id"],
                    name="entropy",
                    default_value=row["entropy"],
                    max_length=200,
                    placeholder="например 12 31 4 7 45 1",
                    style={**INPUT_STYLE, "width": "14em"},
                ),
                rx.button("Сохранить", size="1", type="submit", id="entropy-save-" + row["id"]),
                spacing="2",
                align="center",
            ),
            on_submit=M.set_entropy,
            reset_on_submit=False,
            aria_label="Публичная случайность розыгрыша " + row["id"],
        ),
        rx.cond(row["entropy"] != "", rx.text("Случайность: " + row["entropy"], size="1", as_="p")),
    )


def _draw_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["kind"], weight="medium", as_="p"),
            rx.text("Окно " + row["window"], size="1", as_="p"),
        ),
        rx.table.cell(
            rx.text("до " + row["ends"], as_="p", size="1"),
            rx.text("розыгрыш " + row["due"], as_="p", size="1"),
        ),
        rx.table.cell(row["prizes"]),
        rx.table.cell(rx.el.code(row["commitment"], style=_CODE)),
        rx.table.cell(
            rx.cond(
                row["sha256"] != "",
                rx.fragment(
                    rx.el.code(row["sha256"], style=_CODE),
                    rx.text("Участников: " + row["count"], size="1", as_="p"),
                ),
                rx.text("—"),
            )
        ),
        rx.table.cell(rx.text(row["state"], id="draw-state-" + row["id"])),
        rx.table.cell(rx.cond(row["winners"] != "", row["winners"], "—")),
        rx.table.cell(
            _entropy_form(row),
            _file_link("Список участников", row["participants_url"], "participants-" + row["id"]),
            _file_link("Победители", row["winners_url"], "winners-" + row["id"]),
        ),
    )


def _draws() -> rx.Component:
    return rx.cond(
        ~M.creating,
        panel(
            "Розыгрыши",
            rx.text(
                "Обязательство — SHA-256 секретного зерна, опубликованное до закрытия окна. После закрытия "
                "окна список участников фиксируется (SHA-256 и число строк); до розыгрыша можно добавить "
                "публичную случайность, опубликованную после закрытия окна (например, числа тиража лотереи).",
                size="2",
                as_="p",
                margin_bottom="0.5em",
            ),
            row_table(
                [
                    "Розыгрыш",
                    "Окно и срок (МСК)",
                    "Призы",
                    "Обязательство",
                    "Список: SHA-256",
                    "Состояние",
                    "Победителей",
                    "Случайность и файлы",
                ],
                M.draws,
                _draw_row,
                "promo-draws",
                caption="Розыгрыши",
                empty="У акции нет розыгрышей.",
                empty_id="promo-draws-empty",
            ),
        ),
    )


def _votes() -> rx.Component:
    limit_mb = MAX_VOTES_BYTES // (1024 * 1024)
    return rx.cond(
        ~M.creating,
        panel(
            "Факты голосования",
            rx.text(
                f"Файл системы голосования: UTF-8 до {limit_mb} МБ, поля через «;», первая строка ",
                rx.el.code("person;voted_at;channel;first_online"),
                ". Человек — СНИЛС или телефон; время по Москве, например 2026-09-06 19:59:30; канал ",
                rx.el.code("online"),
                " или ",
                rx.el.code("terminal"),
                "; первое онлайн-голосование ",
                rx.el.code("yes"),
                " или ",
                rx.el.code("no"),
                ". Строка с ошибкой отклоняет весь файл; повторная загрузка того же файла ничего не меняет.",
                size="2",
                as_="p",
            ),
            rx.cond(
                M.form["vote_source"] == "poll",
                rx.callout(
                    "Эта акция получает факты голосования из голосования платформы: каждый завершённый "
                    "бюллетень — онлайн-голос в момент его завершения. Файл для неё не загружается.",
                    icon="info",
                    id="promo-votes-from-poll",
                    margin_top="0.5em",
                ),
            ),
            # The dropzone's own file input is unlabeled, so it stays hidden; the labelled button opens it.
            rx.box(
                rx.upload(
                    id=VOTES_UPLOAD_ID,
                    accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]},
                    multiple=False,
                    max_files=1,
                    max_size=MAX_VOTES_BYTES,
                    on_drop=M.upload_votes(rx.upload_files(upload_id=VOTES_UPLOAD_ID)),
                ),
                display="none",
            ),
            rx.button(
                rx.icon("upload", aria_hidden="true"),
                "Выбрать файл голосов и загрузить",
                id="promo-votes-choose-file",
                type="button",
                variant="soft",
                on_click=rx.call_script(
                    f"document.querySelector('#{VOTES_UPLOAD_ID} input[type=file]').click()"
                ),
                margin_top="0.5em",
            ),
            rx.cond(
                M.import_lines.length() > 0,
                rx.el.ul(
                    rx.foreach(M.import_lines, lambda line: rx.el.li(line)),
                    id="promo-import-lines",
                    style={"marginTop": "0.5em"},
                ),
            ),
        ),
    )


def promo_manage_page() -> rx.Component:
    return page_layout(
        "Акция: управление",
        promo_staff_nav(),
        staff_gate(
            M.loaded,
            M.allowed,
            feedback(M.error, M.notice, id_="promo-feedback"),
            _choice(),
            _draws(),
            _votes(),
            _config_form(),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    ("/staff/promo", promo_manage_page, "Акция: управление", [SessionState.refresh, M.load]),
]
