"""«Премия «Лидеры цифровой трансформации»» (``/awards``) and «Моя команда» (``/awards/team``):
the contest for everyone, and a participant's team, invitations and application (rendering only)."""

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
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.award import AwardState, AwardTeamState
from ag_app.state.base import SessionState

TITLE = message("ui.award.premiia_lidery_tsifrovoi_transformatsii")
_CELL = CELL
_URL = {**CELL, "wordBreak": "break-all"}


def _task_card(task: rx.Var) -> rx.Component:
    return card(
        rx.heading(task["label"], as_="h3", size="4"),
        rx.cond(task["description"] != "", rx.text(task["description"], as_="p", margin_y="0.4em")),
        rx.text(label("ui.award.premii_kollektivu"), task["prizes"], as_="p", size="2"),
        rx.text(
            label("ui.award.kollektivov_na_zadachu"),
            task["cap"],
            label("ui.award.zaiavok_podano_i_dopushcheno"),
            task["teams"],
            ")",
            as_="p",
            size="2",
        ),
        rx.cond(task["full"] != "", rx.badge(task["full"], color_scheme="red")),
    )


def _criterion_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["number"], style=_CELL),
        rx.el.td(row["name"], style=_CELL),
        rx.el.td(row["description"], style=_CELL),
        rx.el.td(row["max"], style=_CELL),
    )


def _admitted_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"], style=_CELL),
        rx.el.td(row["task"], style=_CELL),
        rx.el.td(row["project"], style=_CELL),
        rx.el.td(rx.link(row["url"], href=row["url"], is_external=True), style=_URL),
    )


def _contest() -> rx.Component:
    S = AwardState
    return rx.box(
        rx.heading(S.title, as_="h2", size="5", id="award-title"),
        rx.text(S.description, as_="p", margin_y="0.5em"),
        rx.text(label("ui.award.priem_zaiavok_2"), S.period, as_="p", id="award-period"),
        rx.text(rx.text.strong(S.open_text), as_="p", id="award-open"),
        rx.link(
            label("ui.award.moia_komanda_sozdat_kollektiv_priglasheniia"),
            href="/awards/team",
            id="award-cabinet",
        ),
        section(
            label("ui.award.zadachi_i_premii"),
            rx.text(
                message("ui.award.kollektiv_iz_2_5_sovershennoletnikh"),
                as_="p",
                size="2",
            ),
            rx.grid(
                rx.foreach(S.tasks, _task_card), columns=rx.breakpoints(initial="1", md="2"), spacing="3"
            ),
            id="award-tasks",
        ),
        section(
            label("ui.award.kriterii_otsenki"),
            scroll_table(
                label("ui.award.kriterii_otsenki_proektov"),
                [
                    "№",
                    label("ui.award.kriterii"),
                    label("ui.award.opisanie"),
                    label("ui.award.maksimal_nyi_ball"),
                ],
                S.criteria,
                _criterion_row,
                id_="award-criteria",
            ),
        ),
        section(
            label("ui.award.dopushchennye_kollektivy"),
            rx.cond(
                S.admitted_published,
                rx.cond(
                    S.admitted.length() > 0,
                    scroll_table(
                        label("ui.award.kollektivy_dopushchennye_k_konkursu"),
                        [
                            label("ui.common.kollektiv"),
                            label("ui.common.zadacha"),
                            label("ui.common.proekt"),
                            label("ui.award.prototip"),
                        ],
                        S.admitted,
                        _admitted_row,
                        id_="award-admitted",
                    ),
                    empty(message("ui.award.dopushchennykh_kollektivov_net")),
                ),
                empty(message("ui.award.spisok_dopushchennykh_kollektivov_eshche_ne")),
            ),
        ),
    )


def awards_page() -> rx.Component:
    S = AwardState
    return page_layout(
        TITLE,
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(S.has_contest, _contest(), empty(message("ui.common.konkurs_eshche_ne_ob_iavlen"))),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


# ------------------------------------------------------------------------------------ «Моя команда»


def _invitation(row: rx.Var) -> rx.Component:
    S = AwardTeamState
    return card(
        rx.text(
            label("ui.award.kollektiv"),
            row["team"],
            message("ui.award.priglashaet_vas"),
            row["task"],
            as_="p",
        ),
        rx.flex(
            rx.button(
                label("ui.common.priniat"), on_click=S.accept(row["id"]), id="award-accept-" + row["id"]
            ),
            rx.button(
                label("ui.common.otklonit"),
                on_click=S.decline(row["id"]),
                variant="soft",
                color_scheme="gray",
                id="award-decline-" + row["id"],
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def _invitations() -> rx.Component:
    S = AwardTeamState
    return rx.cond(
        S.invitations.length() > 0,
        section(
            label("ui.award.priglasheniia_mne"),
            rx.flex(rx.foreach(S.invitations, _invitation), direction="column", spacing="3"),
        ),
    )


def _task_select(id_: str) -> rx.Component:
    return native_select(
        id_,
        AwardTeamState.tasks,
        placeholder=label("ui.award.vyberite_zadachu"),
        name="task_id",
        label_key="label",
    )


def _create() -> rx.Component:
    S = AwardTeamState
    return section(
        label("ui.award.sozdat_kollektiv"),
        rx.form(
            rx.flex(
                field(
                    label("ui.award.nazvanie_kollektiva"),
                    text_input("award-team-name", "name", max_length=60, required=True),
                    "award-team-name",
                    hint=message("ui.award.ot_2_do_60_znakov"),
                ),
                field(label("ui.common.zadacha"), _task_select("award-team-task"), "award-team-task"),
                submit(label("ui.award.sozdat_kollektiv"), "award-create"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.create_team,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-create",
        ),
    )


def _member_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.cond(row["me"] != "", rx.text.strong(row["name"], message("ui.common.vy")), row["name"]),
            style=_CELL,
        ),
        rx.el.td(row["role"], style=_CELL),
    )


def _pending_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        label("ui.award.priglashen"), row["phone"], " (", row["since"], label("ui.award.zhdem_otveta")
    )


def _invite() -> rx.Component:
    S = AwardTeamState
    return rx.form(
        rx.flex(
            field(
                label("ui.award.priglasit_po_nomeru_telefona"),
                text_input(
                    "award-invite-phone",
                    "phone",
                    type="tel",
                    input_mode="tel",
                    placeholder="+7 9XX XXX-XX-XX",
                ),
                "award-invite-phone",
                hint=message("ui.award.u_priglashaemogo_dolzhna_byt_uchetnaia"),
            ),
            submit(label("ui.common.priglasit"), "award-invite"),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=S.invite,
        reset_on_submit=False,
        key=S.form_key.to_string() + "-invite",
    )


def _change_task() -> rx.Component:
    S = AwardTeamState
    return rx.form(
        rx.flex(
            field(
                message("ui.award.smenit_zadachu_do_podachi_zaiavki"),
                _task_select("award-change-task"),
                "award-change-task",
            ),
            submit(label("ui.award.smenit_zadachu"), "award-change-task-submit", variant="soft"),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=S.change_task,
        reset_on_submit=False,
        key=S.form_key.to_string() + "-task",
    )


def _application() -> rx.Component:
    S = AwardTeamState
    return section(
        label("ui.award.zaiavka"),
        rx.form(
            rx.flex(
                field(
                    label("ui.award.nazvanie_proekta"),
                    text_input("award-project-title", "title", max_length=200),
                    "award-project-title",
                ),
                field(
                    label("ui.award.ssylka_na_prototip"),
                    text_input("award-project-url", "prototype_url", type="url", max_length=500),
                    "award-project-url",
                    hint=label("ui.award.adres_nachinaiushchiisia_s_https_ili"),
                ),
                field(
                    label("ui.award.opisanie_proekta"),
                    rx.text_area(id="award-project-description", name="description", rows="5", width="100%"),
                    "award-project-description",
                    hint=message("ui.award.ot_20_do_5000_znakov"),
                ),
                field(
                    label("ui.award.tekhnologii"),
                    text_input("award-project-technologies", "technologies", max_length=500),
                    "award-project-technologies",
                ),
                submit(label("ui.common.podat_zaiavku"), "award-apply"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.submit_application,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-apply",
        ),
    )


def _project() -> rx.Component:
    P = AwardTeamState.project
    return rx.cond(
        P.contains("title"),
        card(
            rx.heading(label("ui.common.proekt"), as_="h3", size="4"),
            rx.text(rx.text.strong(P["title"]), as_="p"),
            rx.link(P["url"], href=P["url"], is_external=True, style={"wordBreak": "break-all"}),
            rx.text(P["description"], as_="p", white_space="pre-wrap"),
            rx.text(label("ui.common.tekhnologii"), P["technologies"], as_="p", size="2"),
            rx.text(label("ui.award.zaiavka_podana"), P["applied"], as_="p", size="2", color_scheme="gray"),
        ),
    )


def _leave() -> rx.Component:
    S = AwardTeamState
    return rx.cond(
        S.confirming_leave,
        rx.box(
            rx.text(
                message("ui.award.vyiti_iz_kollektiva_esli_v"),
                as_="p",
                weight="medium",
            ),
            rx.flex(
                rx.button(
                    label("ui.award.da_vyiti"), on_click=S.leave, color_scheme="red", id="award-leave-confirm"
                ),
                rx.button(
                    label("ui.award.ostat_sia"),
                    on_click=S.cancel_leave,
                    variant="soft",
                    id="award-leave-cancel",
                ),
                spacing="3",
                margin_top="0.5em",
            ),
            role="alertdialog",
            aria_label=label("ui.award.podtverzhdenie_vykhoda_iz_kollektiva"),
            padding="0.75em",
            border="1px solid var(--orange-8)",
            border_radius="var(--radius-3)",
        ),
        rx.button(
            label("ui.award.vyiti_iz_kollektiva"),
            on_click=S.ask_leave,
            variant="soft",
            color_scheme="red",
            id="award-leave",
        ),
    )


def _team() -> rx.Component:
    S = AwardTeamState
    return section(
        label("ui.award.moi_kollektiv"),
        rx.heading("«", S.team_name, "»", as_="h3", size="4", id="award-team-name-shown"),
        rx.text(S.task_label, as_="p"),
        rx.text(label("ui.common.status"), rx.text.strong(S.status_name), as_="p", id="award-team-status"),
        rx.cond(
            S.exclusion_text != "",
            rx.text(label("ui.award.osnovanie_iskliucheniia"), S.exclusion_text, as_="p"),
        ),
        rx.cond(
            S.review_note != "",
            rx.text(
                rx.cond(
                    S.status == "refused", label("ui.award.prichina_otkaza"), label("ui.award.primechanie")
                ),
                S.review_note,
                as_="p",
            ),
        ),
        scroll_table(
            label("ui.award.uchastniki_kollektiva"),
            [label("ui.common.uchastnik"), label("ui.common.rol")],
            S.members,
            _member_row,
            id_="award-members",
        ),
        rx.cond(S.pending.length() > 0, rx.el.ul(rx.foreach(S.pending, _pending_row), id="award-pending")),
        _project(),
        rx.flex(
            rx.cond(S.can_invite, _invite()),
            rx.cond(S.can_change_task, _change_task()),
            direction="column",
            spacing="4",
            margin_y="1em",
        ),
        rx.cond(S.can_apply, _application()),
        rx.cond(S.can_leave, rx.box(_leave(), margin_top="1em")),
        id="award-team",
    )


def _cabinet() -> rx.Component:
    S = AwardTeamState
    return rx.box(
        rx.text(S.contest_title, label("ui.award.priem_zaiavok"), S.period, as_="p"),
        rx.link(label("ui.award.usloviia_konkursa_zadachi_i_premii"), href="/awards", id="award-rules-link"),
        rx.cond(S.notes.length() > 0, rx.el.ul(rx.foreach(S.notes, lambda n: rx.el.li(n)), id="award-notes")),
        rx.cond(S.my_exclusion != "", rx.callout(S.my_exclusion, icon="info", color_scheme="orange")),
        _invitations(),
        rx.cond(S.has_team, _team()),
        rx.cond(S.can_create, _create()),
    )


def team_page() -> rx.Component:
    S = AwardTeamState
    return page_layout(
        label("ui.common.moia_komanda"),
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.logged_in,
                rx.cond(S.has_contest, _cabinet(), empty(message("ui.common.konkurs_eshche_ne_ob_iavlen"))),
                rx.text(
                    label("ui.award.chtoby_sozdat_kollektiv_ili_otvetit"),
                    rx.link(label("ui.award.voidite"), href="/login", id="award-login"),
                    ".",
                    as_="p",
                ),
            ),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


PAGES = [
    ("/awards", awards_page, label("ui.common.premiia"), [SessionState.refresh, AwardState.load]),
    ("/awards/team", team_page, label("ui.common.moia_komanda"), [SessionState.refresh, AwardTeamState.load]),
]
