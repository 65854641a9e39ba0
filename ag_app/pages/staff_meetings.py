"""``/staff/meetings``: the register of enabled houses, paper decisions, the audit log, the export."""

import reflex as rx

from ag_app.components.common import CELL, feedback, field, panel, scroll_table, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.staff_meetings import StaffMeetingsState as S

_SELECT = {"padding": "0.4em", "width": "100%", "max_width": "40em"}
PAPER_CHOICES = [("", "— нет ответа —"), ("for", "За"), ("against", "Против"), ("abstain", "Воздержался")]


def _register() -> rx.Component:
    return panel(
        "Реестр домов, где собрания проводятся онлайн",
        scroll_table(
            "Дома в реестре",
            ["Дом", "Район", "Протокол, принятый инспекцией", "Внесён"],
            S.enabled,
            lambda h: rx.el.tr(
                rx.el.th(h["address"], scope="row", style=CELL),
                rx.el.td(h["district"], style=CELL),
                rx.el.td(h["reference"], style=CELL),
                rx.el.td(h["when"], style=CELL),
            ),
            id_="enabled-houses",
        ),
        rx.heading("Включить дом в реестр", as_="h3", size="3"),
        rx.flex(
            field(
                "Дом из реестра помещений",
                rx.el.select(
                    rx.el.option("— выберите дом —", value=""),
                    rx.foreach(S.candidates, lambda h: rx.el.option(h["address"], value=h["id"])),
                    id="enable-house",
                    value=S.enable_house_id,
                    on_change=lambda v: S.set_field("enable_house_id", v),
                    style=_SELECT,
                ),
                "enable-house",
            ),
            field(
                "Реквизиты протокола первого собрания, принятого жилищной инспекцией",
                rx.input(
                    id="enable-reference",
                    value=S.enable_reference,
                    on_change=lambda v: S.set_field("enable_reference", v),
                    width="100%",
                ),
                "enable-reference",
            ),
            rx.button("Включить в реестр", on_click=S.enable, id="enable-submit"),
            direction="column",
            spacing="2",
            align="start",
        ),
        feedback(S.enable_error, S.enable_notice, id_="enable-result"),
    )


def _paper_choice(q: rx.Var) -> rx.Component:
    return field(
        "Вопрос " + q["number"] + ": " + q["text"],
        rx.el.select(
            *[rx.el.option(label, value=value) for value, label in PAPER_CHOICES],
            id="paper-" + q["number"],
            value=q["paper"],
            on_change=lambda v: S.set_paper(q["id"], v),
            style=_SELECT,
        ),
        "paper-" + q["number"],
    )


def _meeting_tools() -> rx.Component:
    return rx.cond(
        S.chosen_meeting != "",
        rx.box(
            panel(
                "Бумажное решение собственника",
                rx.text(
                    "Решение, сданное по адресу приёма, вносится со SHA-256 его скана. Если собственник уже "
                    "принял решение по вопросу (онлайн или на бумаге), повторное не принимается и попадает "
                    "в журнал.",
                    size="2",
                    margin_bottom="0.6em",
                ),
                rx.flex(
                    field(
                        "Номер помещения",
                        rx.input(
                            id="paper-premise",
                            value=S.premise,
                            on_change=lambda v: S.set_field("premise", v),
                            width="12em",
                        ),
                        "paper-premise",
                    ),
                    rx.button("Найти собственников", on_click=S.find_owners, id="paper-find", variant="soft"),
                    rx.cond(
                        S.owners.length() > 0,
                        field(
                            "Собственник",
                            rx.el.select(
                                rx.foreach(S.owners, lambda o: rx.el.option(o["name"], value=o["ref"])),
                                id="paper-owner",
                                value=S.person_ref,
                                on_change=lambda v: S.set_field("person_ref", v),
                                style=_SELECT,
                            ),
                            "paper-owner",
                        ),
                    ),
                    rx.foreach(S.agenda, _paper_choice),
                    field(
                        "SHA-256 скана решения",
                        rx.input(
                            id="paper-scan",
                            value=S.scan,
                            on_change=lambda v: S.set_field("scan", v),
                            width="100%",
                            font_family="monospace",
                        ),
                        "paper-scan",
                    ),
                    rx.button("Внести решение", on_click=S.enter_paper, id="paper-submit"),
                    direction="column",
                    spacing="2",
                    align="start",
                ),
                feedback(S.paper_error, S.paper_notice, id_="paper-result"),
            ),
            panel(
                "Журнал отклонённых решений",
                rx.cond(
                    S.rejections.length() > 0,
                    scroll_table(
                        "Отклонённые решения",
                        [
                            "Когда",
                            "Собственник (реестр)",
                            "Вопрос",
                            "Способ",
                            "Решение",
                            "Причина",
                            "Скан",
                            "Внёс",
                        ],
                        S.rejections,
                        lambda r: rx.el.tr(
                            rx.el.th(r["when"], scope="row", style=CELL),
                            rx.el.td(r["owner"], style=CELL),
                            rx.el.td(r["question"], style=CELL),
                            rx.el.td(r["channel"], style=CELL),
                            rx.el.td(r["choice"], style=CELL),
                            rx.el.td(r["reason"], style=CELL),
                            rx.el.td(rx.code(r["scan"]), style=CELL),
                            rx.el.td(r["by"], style=CELL),
                        ),
                        id_="rejections",
                    ),
                    rx.text("Отклонённых решений нет.", color_scheme="gray"),
                ),
            ),
            panel(
                "Реестр решений для жилищной инспекции",
                rx.text(
                    "CSV: собственник по реестру, помещение, площадь, доля, голоса, решение по каждому вопросу, "
                    "способ и хеш скана.",
                    size="2",
                    margin_bottom="0.5em",
                ),
                rx.button(
                    "Выгрузить реестр решений (CSV)", on_click=S.export, id="export-decisions", variant="soft"
                ),
            ),
        ),
    )


def staff_meetings_page() -> rx.Component:
    """``/staff/meetings``."""
    return page_layout(
        "Собрания собственников (ОСС)",
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            _register(),
            panel(
                "Собрания",
                field(
                    "Собрание",
                    rx.el.select(
                        rx.el.option("— выберите собрание —", value=""),
                        rx.foreach(S.meetings_rows, lambda m: rx.el.option(m["name"], value=m["id"])),
                        id="staff-meeting",
                        value=S.chosen_meeting,
                        on_change=S.choose_meeting,
                        style=_SELECT,
                    ),
                    "staff-meeting",
                ),
                rx.cond(
                    S.chosen_meeting != "",
                    rx.link(
                        "Страница собрания",
                        href="/house/meetings/" + S.chosen_meeting,
                        id="staff-meeting-link",
                    ),
                ),
            ),
            _meeting_tools(),
        ),
    )


PAGES = [
    (
        "/staff/meetings",
        staff_meetings_page,
        "Собрания собственников — кабинет сотрудника",
        [SessionState.refresh, S.load],
    )
]
