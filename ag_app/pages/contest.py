"""«Конкурс чеков» «Любимый город»: the live rating, the rules and «Мои чеки» (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    empty,
    feedback,
    scroll_table,
    section,
)
from ag_app.components.layout import page_layout
from ag_app.domain import numfmt
from ag_app.domain.contest import GENERAL_PRIZES, POINTS_FUEL, POINTS_ORDINARY
from ag_app.i18n import label, message
from ag_app.pages.contest_receipt_forms import receipt_forms
from ag_app.state.base import SessionState
from ag_app.state.contest import TIEBREAK_RULE, ContestRatingState, ContestReceiptsState, ContestState

MINE = {"background": "var(--accent-4)", "fontWeight": "600"}

# ------------------------------------------------------------------------------------------ /contest


def _links() -> rx.Component:
    return rx.flex(
        rx.link(label("ui.contest.pravila_konkursa"), href="/contest/rules", id="contest-rules-link"),
        rx.link(label("ui.contest.moi_cheki"), href="/contest/receipts", id="contest-receipts-link"),
        rx.link(
            label("ui.contest.itogi_proshlykh_mesiatsev"), href="/contest/results", id="contest-results-link"
        ),
        rx.cond(
            SessionState.logged_in,
            rx.link(label("ui.common.moi_prizy"), href="/contest/prizes", id="contest-prizes-link"),
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
            aria_label=label("ui.common.konkursy_mesiatsa"),
            margin_bottom="0.8em",
        ),
    )


def _facts() -> rx.Component:
    S, R = ContestState, ContestRatingState
    return rx.box(
        rx.heading(S.title, as_="h2", size="5", id="contest-title"),
        rx.text(label("ui.contest.usloviia"), S.conditions, as_="p", size="2", id="contest-conditions"),
        rx.text(S.time_left, as_="p", weight="medium", id="contest-time-left"),
        rx.cond(
            (R.cid == S.cid) & (S.cid != 0),
            rx.text(
                label("ui.contest.uchastnikov_v_reitinge"), R.total, as_="p", size="2", id="contest-total"
            ),
        ),
        rx.text(
            message("ui.contest.reiting_predvaritel_nyi_i_obnovliaetsia"),
            as_="p",
            size="2",
            color_scheme="gray",
        ),
    )


def _rating_row(row: rx.Var, mine: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["name"], rx.cond(mine, message("ui.common.vy"), ""), style=CELL),
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


_HEADER = [
    label("ui.common.mesto_2"),
    label("ui.common.uchastnik"),
    label("ui.common.uchastnika"),
    label("ui.common.bally"),
]


def _own() -> rx.Component:
    S = ContestState
    return section(
        label("ui.contest.moe_mesto"),
        rx.cond(
            S.own_rows.length() > 0,
            rx.box(
                rx.text(
                    label("ui.common.mesto"),
                    rx.text.strong(S.own_place, id="contest-own-place"),
                    " · ",
                    S.own_points,
                    as_="p",
                ),
                rx.text(S.to_next, as_="p", id="contest-to-next", weight="medium"),
                scroll_table(
                    label("ui.contest.vy_i_sosedi_po_reitingu"),
                    _HEADER,
                    S.own_rows,
                    _own_row,
                    id_="contest-own",
                ),
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
        label("ui.contest.reiting_pervye_100_uchastnikov"),
        rx.cond(
            shown & (R.rows.length() > 0),
            rx.box(
                scroll_table(
                    label("ui.contest.reiting_uchastnikov"), _HEADER, R.rows, _top_row, id_="contest-top"
                ),
                rx.text(
                    label("ui.contest.obnovleno_v"),
                    R.updated,
                    message("ui.common.msk"),
                    as_="p",
                    size="1",
                    color_scheme="gray",
                    id="contest-updated",
                ),
            ),
            empty(message("ui.contest.v_reitinge_poka_nikogo_net")),
        ),
        id="contest-rating",
    )


def _prize_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(rx.el.td(row["place"], style=CELL), rx.el.td(row["amount"], style=CELL))


def _prizes() -> rx.Component:
    return section(
        label("ui.common.prizy"),
        scroll_table(
            label("ui.contest.prizy_po_mestam"),
            [label("ui.common.mesto_2"), label("ui.common.priz")],
            ContestState.prizes,
            _prize_row,
            id_="contest-prizes",
        ),
        rx.text(
            message("ui.contest.pobeditel_poluchaet_priz_perevodom_po"),
            as_="p",
            size="2",
        ),
    )


def contest_page() -> rx.Component:
    S = ContestState
    return page_layout(
        label("menu.contest"),
        rx.text(
            message(
                "ui.contest.sokhraniaite_cheki_pokupok_i_poluchaite",
                POINTS_ORDINARY=POINTS_ORDINARY,
                POINTS_FUEL=POINTS_FUEL,
            ),
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
                section(
                    label("ui.contest.esli_ballov_porovnu"),
                    rx.text(TIEBREAK_RULE, as_="p", id="contest-tiebreak"),
                ),
            ),
        ),
    )


# ------------------------------------------------------------------------------------ /contest/rules


def _rule(title: str, *paragraphs: str) -> rx.Component:
    return section(title, *[rx.text(text, as_="p", margin_bottom="0.5em") for text in paragraphs])


def _prize_list() -> rx.Component:
    return rx.el.ul(
        *[
            rx.el.li(label("ui.contest.mesto_2", place=place, amount=numfmt.rubles(amount)))
            for place, amount in enumerate(GENERAL_PRIZES, start=1)
        ]
    )


def rules_page() -> rx.Component:
    return page_layout(
        message("ui.contest.pravila_konkursa_chekov_liubimyi_gorod"),
        rx.text(
            message("ui.contest.konkurs_provodit_operator_platformy_eto"),
            as_="p",
        ),
        _rule(
            label("ui.common.sroki"),
            message("ui.contest.konkurs_provoditsia_kazhdyi_mesiats_period"),
            message("ui.contest.chek_uchityvaetsia_v_mesiatse_pokupki"),
        ),
        _rule(
            label("ui.contest.kto_uchastvuet"),
            message("ui.contest.sovershennoletnie_pol_zovateli_platformy_s"),
        ),
        _rule(
            label("ui.contest.kak_sokhranit_chek"),
            message("ui.contest.na_stranitse_moi_cheki_vstav"),
            message("ui.contest.odin_i_tot_zhe_chek"),
        ),
        _rule(
            label("ui.common.bally"),
            message(
                "ui.contest.obychnyi_chek_ball_chek_s",
                POINTS_ORDINARY=POINTS_ORDINARY,
                POINTS_FUEL=POINTS_FUEL,
            ),
            message("ui.contest.podozritel_nye_cheki_naprimer_ochen"),
        ),
        _rule(
            label("ui.contest.parallel_nye_konkursy"),
            message("ui.contest.odnovremenno_s_obshchim_konkursom_mogut"),
        ),
        _rule(
            label("ui.contest.reiting_i_pobediteli"),
            message("ui.contest.reiting_stroitsia_po_ballam_ot") + TIEBREAK_RULE,
            message("ui.contest.tekushchii_reiting_predvaritel_nyi_posle"),
        ),
        section(
            label("ui.contest.prizy_obshchego_konkursa"),
            _prize_list(),
            rx.text(
                message("ui.contest.v_parallel_nykh_konkursakh_prizy"),
                as_="p",
            ),
        ),
        _rule(
            label("ui.contest.poluchenie_priza"),
            message("ui.contest.pobeditel_obrashchaetsia_za_prizom_v"),
        ),
        _rule(
            label("ui.contest.diskvalifikatsiia"),
            message("ui.contest.chek_iskliuchaetsia_a_uchastnik_mozhet"),
            message("ui.contest.diskvalifitsirovannyi_uchastnik_vybyvaet_iz_vsek"),
        ),
        _rule(
            label("ui.common.personal_nye_dannye"),
            message("contest.rules_personal_data"),
        ),
        rx.link(label("ui.contest.vernut_sia_k_reitingu"), href="/contest", id="contest-back"),
    )


# --------------------------------------------------------------------------------- /contest/receipts


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
        label("ui.contest.moi_cheki"),
        rx.text(
            message("ui.contest.dobav_te_chek_pokupki_odnim"),
            rx.link(label("ui.contest.reiting_konkursa"), href="/contest", id="receipts-contest-link"),
            " · ",
            rx.link(label("ui.common.pravila"), href="/contest/rules"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        section(
            label("ui.contest.dobavit_chek"),
            receipt_forms(),
        ),
        section(
            label("ui.contest.istoriia_chekov"),
            rx.cond(
                S.rows.length() > 0,
                scroll_table(
                    label("ui.contest.moi_cheki"),
                    [
                        label("ui.contest.prodavets"),
                        label("ui.common.summa"),
                        message("ui.contest.vremia_pokupki_msk"),
                        label("ui.common.bally"),
                        label("ui.common.status_2"),
                    ],
                    S.rows,
                    _receipt_row,
                    id_="contest-receipts",
                ),
                rx.cond(S.loaded, empty(message("ui.contest.vy_eshche_ne_sokhranili_ni"))),
            ),
        ),
    )


PAGES = [
    ("/contest", contest_page, label("menu.contest"), [SessionState.refresh, ContestState.load]),
    ("/contest/rules", rules_page, label("ui.contest.pravila_konkursa_chekov"), SessionState.refresh),
    (
        "/contest/receipts",
        receipts_page,
        label("ui.contest.moi_cheki"),
        [SessionState.refresh, ContestReceiptsState.load],
    ),
]
