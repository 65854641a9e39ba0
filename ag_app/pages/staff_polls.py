"""Staff pages for city polls: the list, the create/edit form, results and decisions."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import (
    feedback,
    field,
    link_button,
    panel,
    staff_gate,
    staff_nav,
    static_select,
    table_region,
)
from ag_app.components.layout import page_layout
from ag_app.components.poll_form import poll_form
from ag_app.domain.poll_actions import PollAction
from ag_app.state.base import SessionState
from ag_app.state.staff_poll_form import StaffPollFormState
from ag_app.state.staff_polls import DECISION_STATUSES, StaffDecisionsState, StaffPollsState

STATE_COLORS = {
    "draft": "gray",
    "scheduled": "blue",
    "active": "green",
    "closed": "orange",
    "results": "purple",
}


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.text(rx.text.strong(label + ": "), value, size="2")


def _close_dialog(row: rx.Var) -> rx.Component:
    """«Закрыть досрочно» with a confirmation: closing cannot be undone."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                i18n.label("ui.polls.zakryt_dosrochno"),
                id="close-" + row["id"],
                color_scheme="orange",
                variant="soft",
                size="2",
                high_contrast=True,
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(i18n.message("ui.polls.zakryt_golosovanie_dosrochno")),
            rx.alert_dialog.description(
                "«" + row["title"] + i18n.message("ui.polls.perestanet_prinimat_golosa_otmenit_eto")
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(i18n.label("ui.common.otmena"), variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        i18n.label("ui.polls.zakryt_golosovanie"),
                        id="confirm-close-" + row["id"],
                        color_scheme="orange",
                        on_click=StaffPollsState.close(row["id"]),
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
    )


def _may(row: rx.Var, action: PollAction) -> rx.Var:
    """Whether the row's poll state allows ``action`` (filled by the state from domain/poll_actions.py)."""
    return row[f"may_{action.value}"] != ""


def _actions(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.cond(
            _may(row, PollAction.EDIT),
            link_button(
                i18n.label("ui.polls.redaktirovat"),
                "/staff/polls/" + row["id"] + "/edit",
                "edit-" + row["id"],
                size="2",
                variant="outline",
            ),
        ),
        link_button(
            rx.cond(
                _may(row, PollAction.EDIT), i18n.label("ui.polls.predprosmotr"), i18n.label("ui.polls.otkryt")
            ),
            "/polls/" + row["id"],
            "preview-" + row["id"],
            size="2",
            variant="soft",
        ),
        rx.cond(
            _may(row, PollAction.PUBLISH),
            rx.button(
                i18n.label("ui.polls.opublikovat"),
                id="publish-" + row["id"],
                on_click=StaffPollsState.publish(row["id"]),
                size="2",
            ),
        ),
        rx.cond(_may(row, PollAction.CLOSE), _close_dialog(row)),
        rx.cond(
            _may(row, PollAction.PUBLISH_RESULTS),
            rx.button(
                i18n.label("ui.polls.opublikovat_itogi"),
                id="publish-results-" + row["id"],
                on_click=StaffPollsState.publish_results(row["id"]),
                size="2",
            ),
        ),
        rx.cond(
            _may(row, PollAction.RESULTS_PAGE),
            link_button(
                i18n.label("ui.polls.itogi_i_resheniia"),
                "/staff/polls/" + row["id"] + "/decisions",
                "decisions-" + row["id"],
                size="2",
                variant="outline",
            ),
        ),
        spacing="2",
        wrap="wrap",
        margin_top="0.6em",
    )


def _poll_card(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.heading(row["title"], as_="h2", size="4"),
            rx.badge(
                row["state_name"],
                color_scheme=rx.match(row["state"], *STATE_COLORS.items(), "gray"),
                size="2",
                high_contrast=True,
            ),
            justify="between",
            align="start",
            spacing="2",
            wrap="wrap",
        ),
        rx.flex(
            _fact("№", row["id"]),
            _fact(i18n.label("ui.polls.tip"), row["scope"]),
            rx.cond(row["territory"] != "", _fact(i18n.label("ui.polls.territoriia"), row["territory"])),
            _fact(i18n.label("ui.polls.nachalo"), row["starts"]),
            _fact(i18n.label("ui.polls.okonchanie"), row["ends"]),
            _fact(i18n.label("ui.polls.biulletenei"), row["ballots"]),
            _fact(i18n.label("ui.common.bally"), row["points"]),
            spacing="1",
            column_gap="1.5em",
            wrap="wrap",
            margin_top="0.3em",
        ),
        _actions(row),
        id="poll-row-" + row["id"],
        padding="0.9em",
        border="1px solid var(--gray-5)",
        border_radius="var(--radius-3)",
        margin_bottom="0.8em",
    )


def polls_list() -> rx.Component:
    """``/staff/polls``."""
    s = StaffPollsState
    return page_layout(
        i18n.label("ui.polls.golosovaniia_kabinet_sotrudnika_2"),
        staff_gate(
            s.loaded,
            s.allowed,
            staff_nav(),
            feedback(s.error, s.notice, id_="staff-polls-status"),
            link_button(
                i18n.label("ui.polls.sozdat_golosovanie"), "/staff/polls/new", "new-poll", margin_bottom="1em"
            ),
            rx.cond(
                s.rows.length() == 0,
                rx.text(i18n.message("ui.polls.golosovanii_poka_net"), color_scheme="gray"),
            ),
            rx.foreach(s.rows, _poll_card),
        ),
    )


def poll_new() -> rx.Component:
    """``/staff/polls/new``."""
    return page_layout(
        i18n.label("menu.staff_new_poll"),
        staff_gate(StaffPollFormState.loaded, StaffPollFormState.allowed, staff_nav(), poll_form()),
    )


def poll_edit() -> rx.Component:
    """``/staff/polls/[poll_id]/edit``."""
    return page_layout(
        i18n.label("ui.polls.redaktirovanie_golosovaniia"),
        staff_gate(
            StaffPollFormState.loaded,
            StaffPollFormState.allowed,
            staff_nav(),
            rx.cond(
                StaffPollFormState.pid > 0,
                poll_form(),
                feedback(StaffPollFormState.error, id_="poll-form-errors"),
            ),
        ),
    )


def _option_row(option: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(option["text"]),
        rx.table.cell(option["count"]),
        rx.table.cell(option["percent"]),
        rx.table.cell(option["moscow"]),
        rx.table.cell(option["other"]),
    )


def _question_result(question: rx.Var, index: rx.Var) -> rx.Component:
    return rx.box(
        rx.heading(question["number"] + ". " + question["text"], as_="h3", size="3"),
        rx.text(i18n.label("ui.polls.otvetili") + question["answered"], size="2", color_scheme="gray"),
        table_region(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(i18n.label("ui.polls.variant")),
                        rx.table.column_header_cell(i18n.label("ui.polls.golosov")),
                        rx.table.column_header_cell(i18n.label("ui.common.dolia")),
                        rx.table.column_header_cell(i18n.label("ui.polls.moskovskie_nomera")),
                        rx.table.column_header_cell(i18n.label("ui.polls.nemoskovskie_nomera_2")),
                    )
                ),
                rx.table.body(rx.foreach(StaffDecisionsState.options[index], _option_row)),
                size="1",
                variant="surface",
            ),
            i18n.label("ui.polls.rezultaty") + question["number"] + ". " + question["text"],
            margin_y="0.4em",
        ),
        rx.cond(
            StaffDecisionsState.own_texts[index].length() > 0,
            rx.el.details(
                rx.el.summary(
                    i18n.label("ui.polls.svoi_varianty_otveta")
                    + StaffDecisionsState.own_texts[index].length().to_string()
                    + ")"
                ),
                rx.el.ul(rx.foreach(StaffDecisionsState.own_texts[index], lambda t: rx.el.li(t))),
            ),
        ),
        margin_bottom="1em",
    )


def _decision(decision: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(
                decision["status_name"],
                color_scheme=rx.cond(decision["status"] == "implemented", "green", "blue"),
                size="2",
                high_contrast=True,
            ),
            rx.text(i18n.label("ui.polls.ot") + decision["created"], size="1", color_scheme="gray"),
            rx.cond(
                decision["implemented"] != "",
                rx.text(
                    i18n.label("ui.polls.realizovano") + decision["implemented"],
                    size="1",
                    color_scheme="gray",
                ),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(decision["text"], margin_top="0.3em", white_space="pre-wrap"),
        rx.cond(
            decision["status"] != "implemented",
            rx.button(
                i18n.message("ui.polls.otmetit_realizovano"),
                id="implement-" + decision["id"],
                on_click=StaffDecisionsState.mark_implemented(decision["id"]),
                size="2",
                variant="soft",
                margin_top="0.4em",
            ),
        ),
        id="decision-" + decision["id"],
        padding="0.6em 0",
        border_bottom="1px solid var(--gray-4)",
    )


def decisions_page() -> rx.Component:
    """``/staff/polls/[poll_id]/decisions``."""
    s = StaffDecisionsState
    return page_layout(
        i18n.label("ui.polls.itogi_i_resheniia"),
        staff_gate(
            s.loaded,
            s.allowed,
            staff_nav(),
            feedback(s.error, s.notice, id_="decisions-status"),
            rx.cond(
                s.found,
                rx.fragment(
                    rx.text(
                        rx.text.strong(i18n.label("ui.common.golosovanie_2")),
                        rx.link(s.title, href="/polls/" + s.pid.to_string(), id="open-poll"),
                        size="3",
                    ),
                    rx.text(
                        rx.text.strong(i18n.label("ui.polls.sostoianie")),
                        s.state_name,
                        size="2",
                        margin_bottom="1em",
                    ),
                    panel(
                        i18n.label("ui.news.itogi"),
                        rx.flex(
                            _fact(i18n.label("ui.polls.vsego_biulletenei"), s.ballots),
                            _fact(i18n.label("ui.polls.s_moskovskikh_nomerov"), s.moscow_ballots),
                            _fact(i18n.label("ui.polls.s_nemoskovskikh_nomerov"), s.other_ballots),
                            spacing="1",
                            column_gap="1.5em",
                            wrap="wrap",
                            margin_bottom="0.8em",
                        ),
                        rx.cond(
                            s.may_publish_results,
                            rx.button(
                                i18n.label("ui.polls.opublikovat_itogi"),
                                id="publish-results",
                                on_click=s.publish_results,
                                margin_bottom="1em",
                            ),
                        ),
                        rx.cond(
                            s.state == "results",
                            rx.text(
                                i18n.message("ui.polls.itogi_opublikovany_i_pokazany_v"),
                                color_scheme="green",
                                margin_bottom="0.8em",
                            ),
                        ),
                        rx.foreach(s.questions, _question_result),
                    ),
                    panel(
                        i18n.label("ui.poll.resheniia_po_itogam"),
                        rx.cond(
                            s.decisions.length() == 0,
                            rx.text(
                                i18n.message("ui.polls.reshenii_poka_net"), color_scheme="gray", size="2"
                            ),
                        ),
                        rx.foreach(s.decisions, _decision),
                        rx.cond(
                            s.may_decide,
                            rx.fragment(
                                rx.heading(
                                    i18n.label("ui.polls.dobavit_reshenie"),
                                    as_="h3",
                                    size="3",
                                    margin_top="1em",
                                ),
                                rx.flex(
                                    field(
                                        i18n.label("ui.polls.tekst_resheniia"),
                                        rx.text_area(
                                            id="decision-text",
                                            value=s.new_text,
                                            on_change=s.set_new_text,
                                            rows="3",
                                        ),
                                        "decision-text",
                                    ),
                                    field(
                                        i18n.label("ui.common.status_2"),
                                        static_select(
                                            "decision-status",
                                            list(DECISION_STATUSES.items()),
                                            value=s.new_status,
                                            on_change=s.set_new_status,
                                        ),
                                        "decision-status",
                                    ),
                                    rx.button(
                                        i18n.label("ui.polls.dobavit_reshenie"),
                                        id="add-decision",
                                        on_click=s.add_decision,
                                        type="button",
                                    ),
                                    direction="column",
                                    spacing="3",
                                    align="start",
                                ),
                            ),
                            rx.text(
                                i18n.message("ui.polls.resheniia_dobavliaiutsia_posle_okonchaniia_golos"),
                                color_scheme="gray",
                                size="2",
                                margin_top="0.8em",
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


_STAFF_POLLS_LOAD = [SessionState.refresh, StaffPollsState.load]
_FORM_LOAD = [SessionState.refresh, StaffPollFormState.load]
_DECISIONS_LOAD = [SessionState.refresh, StaffDecisionsState.load]

PAGES = [
    ("/staff/polls", polls_list, i18n.label("ui.polls.golosovaniia_kabinet_sotrudnika"), _STAFF_POLLS_LOAD),
    ("/staff/polls/new", poll_new, i18n.label("menu.staff_new_poll"), _FORM_LOAD),
    (
        "/staff/polls/[poll_id]/edit",
        poll_edit,
        i18n.label("ui.polls.redaktirovanie_golosovaniia"),
        _FORM_LOAD,
    ),
    (
        "/staff/polls/[poll_id]/decisions",
        decisions_page,
        i18n.label("ui.polls.itogi_i_resheniia"),
        _DECISIONS_LOAD,
    ),
]
