"""``/awards/jury`` «Комиссия»: a member's projects and score sheets, conflicts of interest, the other
members' sheets after submitting, and the open tie votes (rendering only)."""

import reflex as rx

from ag_app.components.award_nav import award_nav
from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    native_select,
    scroll_table,
    section,
    submit,
)
from ag_app.components.layout import page_layout
from ag_app.services.award.scoring import COMMENT_LIMIT
from ag_app.state.award_jury import AwardJuryState as J
from ag_app.state.base import SessionState

INPUT = {
    "width": "100%",
    "padding": "0.5em 0.6em",
    "fontSize": "1em",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-8)",
    "background": "var(--color-panel-solid)",
    "color": "var(--gray-12)",
}
NOT_JUROR = (
    "Страница для членов комиссии конкурса «Лидеры цифровой трансформации». Вы не входите в состав "
    "комиссии: войдите под своей учётной записью или обратитесь к оператору конкурса."
)


def _choice() -> rx.Component:
    return rx.cond(
        J.contests.length() > 1,
        field(
            "Конкурс",
            native_select(
                "jury-contest",
                J.contests,
                placeholder="Выберите конкурс",
                value=J.contest_id,
                on_change=J.choose_contest,
                label_key="title",
            ),
            "jury-contest",
        ),
    )


def _project_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["team"], style=CELL),
        rx.el.td(row["title"], style=CELL),
        rx.el.td(row["status"], style=CELL),
        rx.el.td(
            rx.cond(
                row["open"] != "",
                rx.button(
                    "Анкета",
                    on_click=J.open_sheet(row["team_id"]),
                    variant="soft",
                    size="1",
                    aria_label="Открыть анкету проекта «" + row["team"] + "»",
                    id="jury-open-" + row["team_id"],
                ),
                rx.text("—"),
            ),
            style=CELL,
        ),
    )


def _projects() -> rx.Component:
    return section(
        "Мои задачи и проекты",
        rx.cond(
            J.projects.length() > 0,
            scroll_table(
                "Проекты задач моей экспертной группы",
                ["Задача", "Коллектив", "Проект", "Моя анкета", "Действие"],
                J.projects,
                _project_row,
                id_="jury-projects",
            ),
            empty(
                "Оператор ещё не включил вас в экспертную группу задачи или по ней нет допущенных коллективов."
            ),
        ),
    )


def _criterion(c: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(c["label"], html_for="jury-" + c["field"], style={"fontWeight": "500"}),
        rx.text(c["description"], size="2", color_scheme="gray", as_="p"),
        rx.el.input(
            id="jury-" + c["field"],
            name=c["field"],
            default_value=c["score"],
            input_mode="numeric",
            max_length=9,
            disabled=J.sheet["editable"] == "",
            style={**INPUT, "maxWidth": "10em"},
        ),
        margin_bottom="0.8em",
    )


def _other_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["juror"], style=CELL),
        rx.el.td(row["scores"], style=CELL),
        rx.el.td(row["total"], style=CELL),
        rx.el.td(row["comment"], style=CELL),
    )


def _sheet() -> rx.Component:
    return rx.cond(
        J.sheet.contains("team_id"),
        section(
            "Анкета проекта «" + J.sheet["team"] + "»",
            card(
                rx.text("Задача: ", J.sheet["task"], as_="p"),
                rx.text("Проект: ", J.sheet["title"], as_="p", weight="medium"),
                rx.text(J.sheet["description"], as_="p", white_space="pre-wrap"),
                rx.text("Технологии: ", J.sheet["technologies"], as_="p"),
                rx.text(
                    "Прототип: ",
                    rx.link(J.sheet["url"], href=J.sheet["url"], is_external=True),
                    as_="p",
                ),
                rx.text("Статус анкеты: ", J.sheet["status"], as_="p", id="jury-sheet-status"),
            ),
            rx.form(
                rx.foreach(J.criteria, _criterion),
                field(
                    "Комментарий (необязательно)",
                    rx.el.textarea(
                        id="jury-comment",
                        name="comment",
                        default_value=J.sheet["comment"],
                        rows="4",
                        max_length=COMMENT_LIMIT,
                        disabled=J.sheet["editable"] == "",
                        style=INPUT,
                    ),
                    "jury-comment",
                    f"Не больше {COMMENT_LIMIT} символов.",
                ),
                rx.cond(
                    J.sheet["editable"] != "",
                    rx.flex(
                        rx.el.label(
                            rx.el.input(type="checkbox", id="jury-final", name="final"),
                            " Отправить анкету: оценки станут окончательными, и откроются анкеты других "
                            "членов комиссии по этому проекту",
                            html_for="jury-final",
                            style={"display": "flex", "gap": "0.5em", "alignItems": "flex-start"},
                        ),
                        submit("Сохранить", "jury-save"),
                        direction="column",
                        spacing="3",
                        margin_top="0.6em",
                    ),
                ),
                on_submit=J.save_sheet,
                key=J.sheet_version,
                id="jury-sheet-form",
            ),
            rx.cond(
                J.sheet["submitted"] != "",
                rx.cond(
                    J.others.length() > 0,
                    scroll_table(
                        "Анкеты других членов комиссии",
                        ["Член комиссии", "Оценки", "Сумма", "Комментарий"],
                        J.others,
                        _other_row,
                        id_="jury-others",
                    ),
                    empty("Другие члены комиссии ещё не отправили анкеты по этому проекту."),
                ),
                rx.text(
                    "Анкеты других членов комиссии откроются после того, как вы отправите свою.",
                    color_scheme="gray",
                    as_="p",
                    margin_top="0.6em",
                ),
            ),
            rx.button("К списку проектов", on_click=J.close_sheet, variant="outline", margin_top="0.8em"),
            id="jury-sheet",
        ),
    )


def _recusal_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["team"], style=CELL),
        rx.el.td(row["note"], style=CELL),
    )


def _recusals() -> rx.Component:
    return section(
        "Конфликт интересов",
        rx.text(
            "Заявив о конфликте интересов с коллективом, вы не участвуете в оценке его задачи: не заполняете "
            "анкеты её проектов и не голосуете по ней. Черновики по задаче удаляются.",
            as_="p",
            size="2",
        ),
        rx.cond(
            J.recusals.length() > 0,
            scroll_table(
                "Мои заявления",
                ["Задача", "Коллектив", "Пояснение"],
                J.recusals,
                _recusal_row,
                id_="jury-recusals",
            ),
        ),
        rx.form(
            rx.flex(
                field(
                    "Коллектив",
                    native_select(
                        "jury-recusal-team",
                        J.recusal_choices,
                        placeholder="Выберите коллектив",
                        name="team_id",
                        label_key="title",
                    ),
                    "jury-recusal-team",
                ),
                field(
                    "Пояснение",
                    rx.el.textarea(
                        id="jury-recusal-note", name="note", rows="2", max_length=500, style=INPUT
                    ),
                    "jury-recusal-note",
                    "От 3 до 500 символов.",
                ),
                submit("Заявить о конфликте интересов", "jury-recusal-submit", variant="outline"),
                direction="column",
                spacing="3",
            ),
            on_submit=J.declare_recusal,
            reset_on_submit=True,
        ),
    )


def _vote_button(team: rx.Var, round_: rx.Var) -> rx.Component:
    return rx.cond(
        team["round_id"] == round_["id"],
        rx.button(
            "За «" + team["name"] + "»",
            on_click=J.vote(round_["id"], team["team_id"]),
            disabled=round_["can_vote"] == "",
            variant="soft",
            id="jury-vote-" + round_["id"] + "-" + team["team_id"],
        ),
    )


def _round(round_: rx.Var) -> rx.Component:
    return card(
        rx.heading(
            round_["task"] + ": " + round_["place"] + "-е место, тур " + round_["round"], as_="h3", size="3"
        ),
        rx.text("Голоса: ", round_["votes"], as_="p"),
        rx.text("Ещё не проголосовали: ", round_["waiting"], as_="p", size="2", color_scheme="gray"),
        rx.cond(round_["reason"] != "", rx.text(round_["reason"], as_="p", size="2", color_scheme="gray")),
        rx.flex(rx.foreach(J.round_teams, lambda team: _vote_button(team, round_)), spacing="2", wrap="wrap"),
        margin_bottom="0.6em",
    )


def _ties() -> rx.Component:
    return section(
        "Голосование при равенстве баллов",
        rx.text(
            "Голосование открытое: решение принимается простым большинством голосов присутствующих; при "
            "равенстве голосов решающим является голос председательствующего. Без решения проводится новый тур.",
            as_="p",
            size="2",
        ),
        rx.cond(J.rounds.length() > 0, rx.foreach(J.rounds, _round), empty("Открытых голосований нет.")),
        id="jury-ties",
    )


def jury_page() -> rx.Component:
    return page_layout(
        "Комиссия",
        award_nav(),
        rx.cond(
            J.loaded,
            rx.cond(
                J.allowed,
                rx.fragment(
                    feedback(J.error, J.notice),
                    _choice(),
                    _sheet(),
                    _projects(),
                    _ties(),
                    _recusals(),
                ),
                rx.fragment(
                    feedback(J.error, J.notice), rx.callout(NOT_JUROR, icon="lock", id="jury-forbidden")
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


PAGES = [
    ("/awards/jury", jury_page, "Комиссия", [SessionState.refresh, J.load]),
]
