"""«Конкурс чеков» «Любимый город»: the live rating, the rules and «Мои чеки» (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    scroll_table,
    section,
    submit,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.domain import numfmt
from ag_app.domain.contest import GENERAL_PRIZES, POINTS_FUEL, POINTS_ORDINARY
from ag_app.i18n import message
from ag_app.state.base import SessionState
from ag_app.state.contest import TIEBREAK_RULE, ContestRatingState, ContestReceiptsState, ContestState

PHOTO_UPLOAD_ID = "contest-photo-upload"
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}
MINE = {"background": "var(--accent-4)", "fontWeight": "600"}

# ------------------------------------------------------------------------------------------ /contest


def _links() -> rx.Component:
    return rx.flex(
        rx.link("Правила конкурса", href="/contest/rules", id="contest-rules-link"),
        rx.link("Мои чеки", href="/contest/receipts", id="contest-receipts-link"),
        rx.link("Итоги прошлых месяцев", href="/contest/results", id="contest-results-link"),
        rx.cond(
            SessionState.logged_in, rx.link("Мои призы", href="/contest/prizes", id="contest-prizes-link")
        ),
        spacing="4",
        wrap="wrap",
        margin_bottom="0.6em",
    )


def _tab(row: rx.Var) -> rx.Component:
    chosen = ContestState.cid.to_string() == row["id"]
    return rx.button(
        row["title"],
        on_click=ContestState.select_contest(row["id"]),
        variant=rx.cond(chosen, "solid", "soft"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        title=row["conditions"],
        id="contest-tab-" + row["id"],
        size="2",
    )


def _tabs() -> rx.Component:
    return rx.cond(
        ContestState.tabs.length() > 1,
        rx.el.nav(
            rx.flex(rx.foreach(ContestState.tabs, _tab), spacing="2", wrap="wrap"),
            aria_label="Конкурсы месяца",
            margin_bottom="0.8em",
        ),
    )


def _facts() -> rx.Component:
    S, R = ContestState, ContestRatingState
    return rx.box(
        rx.heading(S.title, as_="h2", size="5", id="contest-title"),
        rx.text("Условия: ", S.conditions, as_="p", size="2", id="contest-conditions"),
        rx.text(S.time_left, as_="p", weight="medium", id="contest-time-left"),
        rx.cond(
            (R.cid == S.cid) & (S.cid != 0),
            rx.text("Участников в рейтинге: ", R.total, as_="p", size="2", id="contest-total"),
        ),
        rx.text(
            "Рейтинг предварительный и обновляется сразу после каждого принятого чека; "
            "итоги подводятся после окончания месяца и проверки чеков.",
            as_="p",
            size="2",
            color_scheme="gray",
        ),
    )


def _rating_row(row: rx.Var, mine: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["name"], rx.cond(mine, " (вы)", ""), style=CELL),
        rx.el.td(row["number"], style=CELL),
        rx.el.td(row["points"], style=CELL),
        aria_current=rx.cond(mine, "true", "false"),
        style=rx.cond(mine, MINE, {}),
    )


def _top_row(row: rx.Var) -> rx.Component:
    # The viewer's own row is found in the browser: no per-viewer push of the live table.
    return _rating_row(row, (ContestState.my_number != "") & (row["number"] == ContestState.my_number))


def _own_row(row: rx.Var) -> rx.Component:
    return _rating_row(row, row["mine"] == "1")


_HEADER = ["Место", "Участник", "№ участника", "Баллы"]


def _own() -> rx.Component:
    S = ContestState
    return section(
        "Моё место",
        rx.cond(
            S.own_rows.length() > 0,
            rx.box(
                rx.text(
                    "Место: ",
                    rx.text.strong(S.own_place, id="contest-own-place"),
                    " · ",
                    S.own_points,
                    as_="p",
                ),
                rx.text(S.to_next, as_="p", id="contest-to-next", weight="medium"),
                scroll_table("Вы и соседи по рейтингу", _HEADER, S.own_rows, _own_row, id_="contest-own"),
            ),
            rx.cond(
                S.reason != "",
                rx.callout(
                    rx.text(
                        S.reason,
                        rx.cond(
                            S.reason_link != "",
                            rx.fragment(
                                " ", rx.link(S.reason_action, href=S.reason_link, id="contest-reason-link")
                            ),
                        ),
                    ),
                    icon="info",
                    color_scheme="gray",
                    id="contest-reason",
                ),
            ),
        ),
    )


def _rating() -> rx.Component:
    S, R = ContestState, ContestRatingState
    shown = (R.cid == S.cid) & (S.cid != 0)
    return section(
        "Рейтинг: первые 100 участников",
        rx.cond(
            shown & (R.rows.length() > 0),
            rx.box(
                scroll_table("Рейтинг участников", _HEADER, R.rows, _top_row, id_="contest-top"),
                rx.text(
                    "Обновлено в ",
                    R.updated,
                    " (мск)",
                    as_="p",
                    size="1",
                    color_scheme="gray",
                    id="contest-updated",
                ),
            ),
            empty("В рейтинге пока никого нет: добавьте первый чек месяца."),
        ),
        id="contest-rating",
    )


def _prize_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(rx.el.td(row["place"], style=CELL), rx.el.td(row["amount"], style=CELL))


def _prizes() -> rx.Component:
    return section(
        "Призы",
        scroll_table(
            "Призы по местам", ["Место", "Приз"], ContestState.prizes, _prize_row, id_="contest-prizes"
        ),
        rx.text(
            "Победитель получает приз переводом по СБП, если обратится за ним в течение одного "
            "календарного месяца после публикации итогов.",
            as_="p",
            size="2",
        ),
    )


def contest_page() -> rx.Component:
    S = ContestState
    return page_layout(
        "Конкурс чеков",
        rx.text(
            f"Сохраняйте чеки покупок и получайте баллы: обычный чек — {POINTS_ORDINARY} балл, "
            f"чек с АЗС — {POINTS_FUEL} баллов. Участники с наибольшим числом баллов за месяц "
            "получают денежные призы.",
            as_="p",
        ),
        _links(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.box(
                _tabs(),
                _facts(),
                _own(),
                _rating(),
                _prizes(),
                section("Если баллов поровну", rx.text(TIEBREAK_RULE, as_="p", id="contest-tiebreak")),
            ),
        ),
    )


# ------------------------------------------------------------------------------------ /contest/rules


def _rule(title: str, *paragraphs: str) -> rx.Component:
    return section(title, *[rx.text(text, as_="p", margin_bottom="0.5em") for text in paragraphs])


def _prize_list() -> rx.Component:
    return rx.el.ul(
        *[
            rx.el.li(f"{place} место — {numfmt.rubles(amount)}")
            for place, amount in enumerate(GENERAL_PRIZES, start=1)
        ]
    )


def rules_page() -> rx.Component:
    return page_layout(
        "Правила конкурса чеков «Любимый город»",
        rx.text(
            "Конкурс проводит Оператор платформы. Это не лотерея и не азартная игра: победителей определяет "
            "рейтинг по баллам за принятые чеки, а не случай. Участие бесплатное и добровольное.",
            as_="p",
        ),
        _rule(
            "Сроки",
            "Конкурс проводится каждый месяц. Период — календарный месяц по московскому времени: "
            "с 00:00:00 первого дня до 23:59:59 последнего дня.",
            "Чек учитывается в месяце покупки и только если сохранён в том же месяце. Чеки прошлых месяцев "
            "и чеки с будущим временем покупки не принимаются.",
        ),
        _rule(
            "Кто участвует",
            "Совершеннолетние пользователи платформы (с 18 лет по дате рождения в профиле). Сотрудники, "
            "которые проводят конкурс, проверяют чеки или решают о дисквалификации, не участвуют.",
        ),
        _rule(
            "Как сохранить чек",
            "На странице «Мои чеки»: вставьте строку из QR-кода чека, загрузите фото QR-кода (JPEG или PNG "
            "до 10 МБ) или введите данные чека вручную. Участвуют только чеки продажи; возвраты и другие "
            "операции не принимаются.",
            "Один и тот же чек учитывается один раз. Повторная загрузка чека, в том числе с другого "
            "аккаунта, отклоняется и передаётся на проверку модератору.",
        ),
        _rule(
            "Баллы",
            f"Обычный чек — {POINTS_ORDINARY} балл, чек с АЗС — {POINTS_FUEL} баллов. Категория чека "
            "определяется по реестру продавцов; чек неизвестного продавца считается обычным, пока "
            "модератор не уточнит категорию.",
            "Подозрительные чеки (например, очень много чеков за день или серия чеков одного продавца "
            "за несколько минут) попадают «на проверку» и приносят баллы только после проверки. "
            "Отклонённый позже чек баллы снимает.",
        ),
        _rule(
            "Параллельные конкурсы",
            "Одновременно с общим конкурсом могут проходить параллельные: по категории чеков, региону "
            "продавца, партнёрам или округу участника — со своим рейтингом и своими призами. Если вы "
            "подходите под условия, вы участвуете и в общем, и в параллельном конкурсе; один чек может "
            "учитываться в нескольких.",
        ),
        _rule(
            "Рейтинг и победители",
            "Рейтинг строится по баллам, от большего к меньшему. " + TIEBREAK_RULE,
            "Текущий рейтинг предварительный. После окончания месяца и проверки чеков Оператор платформы "
            "подводит итоги; итоговый рейтинг публикуется вместе с его контрольной суммой SHA-256.",
        ),
        section(
            "Призы общего конкурса",
            _prize_list(),
            rx.text(
                "В параллельных конкурсах призы и число победителей указаны на странице конкурса. "
                "Один участник может получить призы в нескольких конкурсах одного месяца.",
                as_="p",
            ),
        ),
        _rule(
            "Получение приза",
            "Победитель обращается за призом в течение одного календарного месяца с даты публикации итогов "
            "и указывает фамилию, имя, телефон для перевода по СБП и банк. Срок не продлевается, "
            "даже если уведомление не дошло. Невостребованный приз Оператор платформы может передать "
            "следующему участнику итогового рейтинга.",
        ),
        _rule(
            "Дисквалификация",
            "Чек исключается, а участник может быть дисквалифицирован за поддельные, изменённые или чужие "
            "чеки, повторную загрузку одного чека, несколько аккаунтов одного человека, ботов и скрипты, "
            "вмешательство в работу платформы, ложные данные для получения приза.",
            "Дисквалифицированный участник выбывает из всех конкурсов месяца, остальные поднимаются в "
            "рейтинге. Если нарушение выявлено после публикации итогов, приз переходит следующему участнику.",
        ),
        _rule(
            "Персональные данные",
            message("contest.rules_personal_data"),
        ),
        rx.link("Вернуться к рейтингу", href="/contest", id="contest-back"),
    )


# --------------------------------------------------------------------------------- /contest/receipts


def _qr_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading("Вставить строку из QR-кода", as_="h3", size="4"),
        rx.form(
            rx.flex(
                field(
                    "Строка QR-кода чека",
                    rx.text_area(
                        id="contest-qr",
                        name="qr",
                        rows="3",
                        max_length=2000,
                        width="100%",
                        font_family="monospace",
                        placeholder="t=20261207T1830&s=1234.50&fn=9960440300000010&i=1234&fp=987654321&n=1",
                    ),
                    "contest-qr",
                    hint="Поля можно указывать в любом порядке, секунды во времени — по желанию.",
                ),
                submit("Сохранить чек", "contest-save-qr"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.save_qr,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-qr",
        ),
    )


def _photo_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading("Загрузить фото QR-кода", as_="h3", size="4"),
        rx.text(
            "Снимок в формате JPEG или PNG до 10 МБ; QR-код должен быть виден целиком и резко.", size="2"
        ),
        rx.box(
            rx.upload(
                id=PHOTO_UPLOAD_ID,
                accept=PHOTO_ACCEPT,
                multiple=False,
                max_files=1,
                on_drop=S.upload_photo(rx.upload_files(upload_id=PHOTO_UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("camera", aria_hidden="true"),
            "Выбрать фото чека и загрузить",
            id="contest-photo",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{PHOTO_UPLOAD_ID} input[type=file]').click()"),
            margin_top="0.6em",
        ),
    )


def _fields_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading("Ввести данные чека вручную", as_="h3", size="4"),
        rx.form(
            rx.grid(
                field(
                    "Дата и время покупки",
                    text_input("contest-t", name="t", type="datetime-local", step="1"),
                    "contest-t",
                ),
                field(
                    "Сумма, ₽",
                    text_input("contest-s", name="s", input_mode="decimal", max_length=12),
                    "contest-s",
                ),
                field(
                    "ФН (номер фискального накопителя)",
                    text_input("contest-fn", name="fn", input_mode="numeric", max_length=16),
                    "contest-fn",
                ),
                field(
                    "ФД (номер документа)",
                    text_input("contest-fd", name="fd", input_mode="numeric", max_length=10),
                    "contest-fd",
                ),
                field(
                    "ФП (фискальный признак)",
                    text_input("contest-fp", name="fp", input_mode="numeric", max_length=10),
                    "contest-fp",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                "Тип операции — продажа (приход): в конкурсе участвуют только такие чеки.",
                size="2",
                margin_y="0.6em",
            ),
            submit("Сохранить чек", "contest-save-fields"),
            on_submit=S.save_fields,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-fields",
        ),
    )


def _status(row: rx.Var) -> rx.Component:
    color = rx.match(row["status"], ("accepted", "green"), ("review", "amber"), "red")
    return rx.flex(
        rx.badge(row["status_name"], color_scheme=color, variant="soft", high_contrast=True),
        rx.cond(row["reason"] != "", rx.text(row["reason"], size="1")),
        direction="column",
        spacing="1",
        align="start",
    )


def _receipt_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            row["seller"],
            rx.cond(row["category"] != "", rx.text(row["category"], size="1", color_scheme="gray")),
            style=CELL,
        ),
        rx.el.td(row["amount"], style={**CELL, "whiteSpace": "nowrap"}),
        rx.el.td(row["purchased"], style={**CELL, "whiteSpace": "nowrap"}),
        rx.el.td(row["points"], style=CELL),
        rx.el.td(_status(row), style=CELL),
        id="receipt-" + row["id"],
    )


def receipts_page() -> rx.Component:
    S = ContestReceiptsState
    return page_layout(
        "Мои чеки",
        rx.text(
            "Добавьте чек покупки одним из трёх способов. Чек учитывается в конкурсе месяца покупки, "
            "если сохранён в том же месяце. ",
            rx.link("Рейтинг конкурса", href="/contest", id="receipts-contest-link"),
            " · ",
            rx.link("Правила", href="/contest/rules"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        section(
            "Добавить чек",
            rx.grid(_qr_form(), _photo_form(), columns=rx.breakpoints(initial="1", md="2"), spacing="3"),
            rx.box(_fields_form(), margin_top="0.8em"),
        ),
        section(
            "История чеков",
            rx.cond(
                S.rows.length() > 0,
                scroll_table(
                    "Мои чеки",
                    ["Продавец", "Сумма", "Время покупки (мск)", "Баллы", "Статус"],
                    S.rows,
                    _receipt_row,
                    id_="contest-receipts",
                ),
                rx.cond(S.loaded, empty("Вы ещё не сохранили ни одного чека.")),
            ),
        ),
    )


PAGES = [
    ("/contest", contest_page, "Конкурс чеков", [SessionState.refresh, ContestState.load]),
    ("/contest/rules", rules_page, "Правила конкурса чеков", SessionState.refresh),
    ("/contest/receipts", receipts_page, "Мои чеки", [SessionState.refresh, ContestReceiptsState.load]),
]
