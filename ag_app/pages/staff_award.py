"""``/staff/awards`` «Премия: конкурс» (the operator): the contest form and the review of applications
(rendering only)."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import feedback, field, native_select, panel, staff_gate, static_select
from ag_app.components.layout import page_layout
from ag_app.components.record_form import INPUT_STYLE, form_input, form_textarea, record_choice
from ag_app.state.base import SessionState
from ag_app.state.staff_award import GROUND_CHOICES, STATUS_CHOICES
from ag_app.state.staff_award import StaffAwardState as M

FORBIDDEN_TEXT = i18n.message("ui.award.nedostatochno_prav_konkurs_vedet_operator")
GROUND_OPTIONS = [("", i18n.label("ui.award.vyberite_osnovanie")), *GROUND_CHOICES]


def _input(name: str, label: str, hint: str = "", **props) -> rx.Component:
    return form_input(M.form, f"award-form-{name}", name, label, hint, **props)


def _textarea(name: str, label: str, hint: str = "", rows: str = "4") -> rx.Component:
    return form_textarea(M.form, f"award-form-{name}", name, label, hint, rows)


def _choice() -> rx.Component:
    return record_choice(
        i18n.label("ui.common.konkurs"),
        select_id="award-contest",
        select_label=i18n.label("ui.award.pokazat_konkurs"),
        items=M.contests,
        placeholder=i18n.message("ui.award.novyy_konkurs_ne_sokhranen"),
        value=M.contest_id,
        on_change=M.choose_contest,
        new_label=i18n.label("ui.award.novyy_konkurs"),
        new_id="award-new",
        on_new=M.new_contest,
    )


def _form() -> rx.Component:
    return panel(
        rx.cond(M.creating, i18n.label("ui.award.novyy_konkurs"), i18n.label("ui.award.nastroyki_konkursa")),
        rx.form(
            rx.flex(
                rx.grid(
                    _input("year", i18n.label("ui.award.god"), input_mode="numeric", max_length=4),
                    _input(
                        "opens",
                        i18n.label("ui.award.nachalo_priema_zayavok"),
                        i18n.label("ui.award.dd_mm_gggg_chch_mm"),
                        max_length=20,
                    ),
                    _input(
                        "closes",
                        i18n.label("ui.award.priem_zayavok_do"),
                        i18n.label("ui.award.poslednyaya_vklyuchennaya_minuta_naprimer_30"),
                        max_length=20,
                    ),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="3",
                ),
                _input("title", i18n.label("ui.common.nazvanie"), max_length=200),
                _textarea("description", i18n.label("ui.award.opisanie")),
                _textarea(
                    "tasks",
                    i18n.label("ui.award.zadachi_po_odnoy_v_stroke"),
                    i18n.message("ui.award.nomer_nazvanie_limit_kollektivov_pusto"),
                    rows="6",
                ),
                _textarea(
                    "criteria",
                    i18n.label("ui.award.kriterii_otsenki_po_odnomu_v"),
                    i18n.label("ui.award.nomer_nazvanie_maksimalnyy_ball_opisanie"),
                    rows="5",
                ),
                rx.button(
                    rx.cond(
                        M.creating,
                        i18n.label("ui.award.opublikovat_konkurs"),
                        i18n.label("ui.award.sokhranit_izmeneniya"),
                    ),
                    type="submit",
                    id="award-save",
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=M.save,
            reset_on_submit=False,
            key=M.form_version.to_string(),
        ),
    )


def _publish() -> rx.Component:
    return panel(
        i18n.label("ui.award.spisok_dopushchennykh_kollektivov"),
        rx.cond(
            M.admitted_published,
            rx.text(
                i18n.label("ui.award.opublikovan"),
                M.published_text,
                i18n.message("ui.award.stranitsa_premii_pokazyvaet_tekushchiy_spisok"),
                as_="p",
            ),
            rx.flex(
                rx.text(i18n.message("ui.award.poka_ne_opublikovan_zhiteli_vidyat"), as_="p"),
                rx.button(
                    i18n.label("ui.award.opublikovat_spisok_dopushchennykh"),
                    on_click=M.publish,
                    id="award-publish",
                ),
                direction="column",
                spacing="2",
                align="start",
            ),
        ),
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.flex(
            field(
                i18n.label("ui.common.zadacha"),
                native_select(
                    "award-filter-task",
                    M.tasks,
                    placeholder=i18n.label("ui.award.vse_zadachi"),
                    name="task_id",
                    label_key="label",
                ),
                "award-filter-task",
            ),
            field(
                i18n.label("ui.common.status_2"),
                static_select("award-filter-status", STATUS_CHOICES, name="status"),
                "award-filter-status",
            ),
            rx.button(i18n.label("ui.common.pokazat"), type="submit", id="award-filter"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=M.filter,
        reset_on_submit=False,
    )


def _team_form(row: rx.Var, handler, suffix: str, *controls: rx.Component, button: str) -> rx.Component:
    return rx.form(
        rx.el.input(type="hidden", name="team_id", value=row["id"]),
        rx.flex(
            *controls,
            rx.button(
                button, type="submit", variant="soft", color_scheme="red", id=f"award-{suffix}-" + row["id"]
            ),
            direction="column",
            spacing="2",
        ),
        on_submit=handler,
        reset_on_submit=True,
    )


def _labelled(id_: rx.Var, label: str, control: rx.Component) -> rx.Component:
    return rx.flex(
        rx.el.label(label, html_for=id_, style={"fontWeight": "500"}),
        control,
        direction="column",
        spacing="1",
    )


def _application(row: rx.Var) -> rx.Component:
    reason_id = "award-reason-" + row["id"]
    ground_id = "award-ground-" + row["id"]
    note_id = "award-note-" + row["id"]
    return rx.card(
        rx.heading("«", row["name"], i18n.label("ui.award.zadacha_3"), row["task"], as_="h3", size="4"),
        rx.text(
            i18n.label("ui.common.status"),
            rx.text.strong(row["status_name"]),
            i18n.label("ui.award.uchastnikov"),
            row["size"],
            as_="p",
        ),
        rx.text(i18n.label("ui.award.sostav"), row["members"], as_="p", size="2"),
        rx.cond(
            row["project"] != "",
            rx.box(
                rx.text(
                    i18n.label("ui.award_jury.proekt"),
                    rx.text.strong(row["project"]),
                    i18n.label("ui.award.podan"),
                    row["applied"],
                    ")",
                    as_="p",
                ),
                rx.link(row["url"], href=row["url"], is_external=True, style={"wordBreak": "break-all"}),
                rx.text(i18n.label("ui.common.tekhnologii"), row["technologies"], as_="p", size="2"),
                rx.text(row["description"], as_="p", size="2", white_space="pre-wrap"),
            ),
        ),
        rx.cond(
            row["note"] != "", rx.text(i18n.label("ui.award.primechanie"), row["note"], as_="p", size="2")
        ),
        rx.cond(
            row["ground"] != "",
            rx.text(i18n.label("ui.award.osnovanie_iskliucheniia"), row["ground"], as_="p", size="2"),
        ),
        rx.cond(
            row["can_review"] != "",
            rx.flex(
                rx.button(
                    i18n.label("ui.award.dopustit"),
                    on_click=M.admit(row["id"]),
                    id="award-admit-" + row["id"],
                ),
                _team_form(
                    row,
                    M.refuse,
                    "refuse",
                    _labelled(
                        reason_id,
                        i18n.label("ui.renovation.prichina_otkaza"),
                        rx.el.input(id=reason_id, name="reason", style=INPUT_STYLE, max_length=500),
                    ),
                    button=i18n.label("ui.award.otkazat"),
                ),
                direction="column",
                spacing="3",
                margin_top="0.5em",
            ),
        ),
        rx.cond(
            (row["status"] != "excluded") & (row["status"] != "withdrawn"),
            rx.el.details(
                rx.el.summary(i18n.label("ui.award.isklyuchit_kollektiv")),
                _team_form(
                    row,
                    M.exclude_team,
                    "exclude",
                    _labelled(
                        ground_id,
                        i18n.message("ui.award.osnovanie_p_1_14"),
                        static_select(ground_id, GROUND_OPTIONS, name="ground"),
                    ),
                    _labelled(
                        note_id,
                        i18n.label("ui.award.primechanie_2"),
                        rx.el.input(id=note_id, name="note", style=INPUT_STYLE, max_length=500),
                    ),
                    button=i18n.label("ui.award.isklyuchit_kollektiv"),
                ),
                style={"marginTop": "0.5em"},
            ),
        ),
        width="100%",
    )


def _exclude_member() -> rx.Component:
    return rx.cond(
        M.members.length() > 0,
        rx.el.details(
            rx.el.summary(i18n.label("ui.award.isklyuchit_uchastnika_iz_kollektiva")),
            rx.form(
                rx.flex(
                    field(
                        i18n.label("ui.common.uchastnik"),
                        native_select(
                            "award-member",
                            M.members,
                            placeholder=i18n.label("ui.award.vyberite_uchastnika"),
                            name="member_id",
                            label_key="label",
                        ),
                        "award-member",
                    ),
                    field(
                        i18n.message("ui.award.osnovanie_p_1_14"),
                        static_select("award-member-ground", GROUND_OPTIONS, name="ground"),
                        "award-member-ground",
                    ),
                    field(
                        i18n.label("ui.award.primechanie_2"),
                        rx.el.input(id="award-member-note", name="note", style=INPUT_STYLE, max_length=500),
                        "award-member-note",
                        i18n.message("ui.award.esli_v_kollektive_ostanetsya_menshe"),
                    ),
                    rx.button(
                        i18n.label("ui.contest.iskliuchit_uchastnika"),
                        type="submit",
                        color_scheme="red",
                        variant="soft",
                        id="award-exclude-member",
                    ),
                    direction="column",
                    spacing="3",
                    align="start",
                ),
                on_submit=M.exclude_member,
                reset_on_submit=True,
            ),
            style={"margin": "0.5em 0 1em"},
        ),
    )


def _applications() -> rx.Component:
    return panel(
        i18n.label("ui.award.zayavki"),
        _filters(),
        _exclude_member(),
        rx.cond(
            M.applications.length() > 0,
            rx.flex(
                rx.foreach(M.applications, _application), direction="column", spacing="3", margin_top="1em"
            ),
            rx.text(i18n.message("ui.award.zayavok_net"), color_scheme="gray", as_="p", margin_top="1em"),
        ),
        id="award-applications",
    )


def staff_awards_page() -> rx.Component:
    return page_layout(
        i18n.label("menu.staff_awards"),
        feedback(M.error, M.notice, id_="form-errors"),
        staff_gate(
            M.loaded,
            M.allowed,
            rx.link(
                i18n.label("ui.award.stranitsa_premii_dlya_zhiteley"), href="/awards", id="award-public-link"
            ),
            _choice(),
            _form(),
            rx.cond(~M.creating, rx.fragment(_publish(), _applications())),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    ("/staff/awards", staff_awards_page, i18n.label("menu.staff_awards"), [SessionState.refresh, M.load]),
]
