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
from ag_app.i18n import label, message
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
NOT_JUROR = message("ui.award_jury.stranitsa_dlia_chlenov_komissii_konkursa")


def _choice() -> rx.Component:
    return rx.cond(
        J.contests.length() > 1,
        field(
            label("ui.common.konkurs"),
            native_select(
                "jury-contest",
                J.contests,
                placeholder=label("ui.award_jury.vyberite_konkurs"),
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
                    label("ui.award_jury.anketa"),
                    on_click=J.open_sheet(row["team_id"]),
                    variant="soft",
                    size="1",
                    aria_label=label("ui.award_jury.otkryt_anketu_proekta") + row["team"] + "»",
                    id="jury-open-" + row["team_id"],
                ),
                rx.text("—"),
            ),
            style=CELL,
        ),
    )


def _projects() -> rx.Component:
    return section(
        label("ui.award_jury.moi_zadachi_i_proekty"),
        rx.cond(
            J.projects.length() > 0,
            scroll_table(
                label("ui.award_jury.proekty_zadach_moei_ekspertnoi_gruppy"),
                [
                    label("ui.common.zadacha"),
                    label("ui.common.kollektiv"),
                    label("ui.common.proekt"),
                    label("ui.award_jury.moia_anketa"),
                    label("ui.common.deistvie"),
                ],
                J.projects,
                _project_row,
                id_="jury-projects",
            ),
            empty(message("ui.award_jury.operator_eshche_ne_vkliuchil_vas")),
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
            label("ui.award_jury.anketa_proekta") + J.sheet["team"] + "»",
            card(
                rx.text(label("ui.common.zadacha_2"), J.sheet["task"], as_="p"),
                rx.text(label("ui.award_jury.proekt"), J.sheet["title"], as_="p", weight="medium"),
                rx.text(J.sheet["description"], as_="p", white_space="pre-wrap"),
                rx.text(label("ui.common.tekhnologii"), J.sheet["technologies"], as_="p"),
                rx.text(
                    label("ui.award_jury.prototip"),
                    rx.link(J.sheet["url"], href=J.sheet["url"], is_external=True),
                    as_="p",
                ),
                rx.text(
                    label("ui.award_jury.status_ankety"), J.sheet["status"], as_="p", id="jury-sheet-status"
                ),
            ),
            rx.form(
                rx.foreach(J.criteria, _criterion),
                field(
                    message("ui.award_jury.kommentarii_neobiazatel_no"),
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
                    message("ui.award_jury.ne_bol_she_simvolov", COMMENT_LIMIT=COMMENT_LIMIT),
                ),
                rx.cond(
                    J.sheet["editable"] != "",
                    rx.flex(
                        rx.el.label(
                            rx.el.input(type="checkbox", id="jury-final", name="final"),
                            label("ui.award_jury.otpravit_anketu_otsenki_stanut_okonchatel"),
                            html_for="jury-final",
                            style={"display": "flex", "gap": "0.5em", "alignItems": "flex-start"},
                        ),
                        submit(label("ui.common.sokhranit"), "jury-save"),
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
                        label("ui.award_jury.ankety_drugikh_chlenov_komissii"),
                        [
                            label("ui.award_jury.chlen_komissii"),
                            label("ui.award_jury.otsenki"),
                            label("ui.common.summa"),
                            label("ui.award_jury.kommentarii"),
                        ],
                        J.others,
                        _other_row,
                        id_="jury-others",
                    ),
                    empty(message("ui.award_jury.drugie_chleny_komissii_eshche_ne")),
                ),
                rx.text(
                    message("ui.award_jury.ankety_drugikh_chlenov_komissii_otkroiutsia"),
                    color_scheme="gray",
                    as_="p",
                    margin_top="0.6em",
                ),
            ),
            rx.button(
                label("ui.award_jury.k_spisku_proektov"),
                on_click=J.close_sheet,
                variant="outline",
                margin_top="0.8em",
            ),
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
        label("ui.award_jury.konflikt_interesov"),
        rx.text(
            message("ui.award_jury.zaiaviv_o_konflikte_interesov_s"),
            as_="p",
            size="2",
        ),
        rx.cond(
            J.recusals.length() > 0,
            scroll_table(
                label("ui.award_jury.moi_zaiavleniia"),
                [label("ui.common.zadacha"), label("ui.common.kollektiv"), label("ui.award_jury.poiasnenie")],
                J.recusals,
                _recusal_row,
                id_="jury-recusals",
            ),
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.kollektiv"),
                    native_select(
                        "jury-recusal-team",
                        J.recusal_choices,
                        placeholder=label("ui.award_jury.vyberite_kollektiv"),
                        name="team_id",
                        label_key="title",
                    ),
                    "jury-recusal-team",
                ),
                field(
                    label("ui.award_jury.poiasnenie"),
                    rx.el.textarea(
                        id="jury-recusal-note", name="note", rows="2", max_length=500, style=INPUT
                    ),
                    "jury-recusal-note",
                    message("ui.award_jury.ot_3_do_500_simvolov"),
                ),
                submit(
                    label("ui.award_jury.zaiavit_o_konflikte_interesov"),
                    "jury-recusal-submit",
                    variant="outline",
                ),
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
            label("ui.award_jury.za") + team["name"] + "»",
            on_click=J.vote(round_["id"], team["team_id"]),
            disabled=round_["can_vote"] == "",
            variant="soft",
            id="jury-vote-" + round_["id"] + "-" + team["team_id"],
        ),
    )


def _round(round_: rx.Var) -> rx.Component:
    return card(
        rx.heading(
            round_["task"] + ": " + round_["place"] + label("ui.award_jury.e_mesto_tur") + round_["round"],
            as_="h3",
            size="3",
        ),
        rx.text(label("ui.award_jury.golosa"), round_["votes"], as_="p"),
        rx.text(
            label("ui.award_jury.eshche_ne_progolosovali"),
            round_["waiting"],
            as_="p",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(round_["reason"] != "", rx.text(round_["reason"], as_="p", size="2", color_scheme="gray")),
        rx.flex(rx.foreach(J.round_teams, lambda team: _vote_button(team, round_)), spacing="2", wrap="wrap"),
        margin_bottom="0.6em",
    )


def _ties() -> rx.Component:
    return section(
        label("ui.award_jury.golosovanie_pri_ravenstve_ballov"),
        rx.text(
            message("ui.award_jury.golosovanie_otkrytoe_reshenie_prinimaetsia_prost"),
            as_="p",
            size="2",
        ),
        rx.cond(
            J.rounds.length() > 0,
            rx.foreach(J.rounds, _round),
            empty(message("ui.award_jury.otkrytykh_golosovanii_net")),
        ),
        id="jury-ties",
    )


def jury_page() -> rx.Component:
    return page_layout(
        label("ui.common.komissiia"),
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
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


PAGES = [
    ("/awards/jury", jury_page, label("ui.common.komissiia"), [SessionState.refresh, J.load]),
]
