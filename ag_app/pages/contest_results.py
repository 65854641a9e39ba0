"""«Итоги конкурсов» (public winners and the seal of each final rating) and «Мои призы» (rendering only)."""

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
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.contest_results import ContestPrizesState, ContestResultsState

_MONO = {"fontFamily": "var(--code-font-family, monospace)", "wordBreak": "break-all"}
CHOSEN = {"background": "var(--accent-3)"}

# ------------------------------------------------------------------------------- /contest/results


def _contest_row(row: rx.Var) -> rx.Component:
    chosen = ContestResultsState.cid == row["id"]
    return rx.el.tr(
        rx.el.td(row["period"], style={**CELL, "whiteSpace": "nowrap"}),
        rx.el.td(row["title"], style=CELL),
        rx.el.td(row["published"], style={**CELL, "whiteSpace": "nowrap"}),
        rx.el.td(row["winners"], style=CELL),
        rx.el.td(
            rx.button(
                rx.cond(
                    chosen, label("ui.contest_results.pokazany"), label("ui.contest_results.pokazat_itogi")
                ),
                on_click=ContestResultsState.select_contest(row["id"]),
                variant=rx.cond(chosen, "solid", "soft"),
                aria_pressed=rx.cond(chosen, "true", "false"),
                id="results-show-" + row["id"],
                size="1",
            ),
            style=CELL,
        ),
        style=rx.cond(chosen, CHOSEN, {}),
    )


def _contests() -> rx.Component:
    S = ContestResultsState
    return section(
        label("ui.contest_results.opublikovannye_itogi"),
        rx.cond(
            S.contests.length() > 0,
            scroll_table(
                label("ui.contest_results.konkursy_s_opublikovannymi_itogami"),
                [
                    label("ui.common.mesiats"),
                    label("ui.common.konkurs"),
                    message("ui.contest_results.itogi_opublikovany_msk"),
                    label("ui.contest_results.pobeditelei"),
                    label("ui.news.itogi"),
                ],
                S.contests,
                _contest_row,
                id_="results-contests",
            ),
            rx.cond(S.loaded, empty(message("ui.contest_results.itogi_eshche_ne_publikovalis_pervyi"))),
        ),
    )


def _winner_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["name"], style=CELL),
        rx.el.td(row["email"], style=CELL),
        rx.el.td(row["number"], style=CELL),
        rx.el.td(row["points"], style=CELL),
        rx.el.td(row["prize"], style={**CELL, "whiteSpace": "nowrap"}),
    )


def _winners() -> rx.Component:
    S = ContestResultsState
    return section(
        label("ui.contest_results.pobediteli"),
        rx.cond(
            S.winners.length() > 0,
            scroll_table(
                label("ui.contest_results.pobediteli_konkursa"),
                [
                    label("ui.common.mesto_2"),
                    label("ui.common.uchastnik"),
                    label("site.email_column"),
                    label("ui.common.uchastnika"),
                    label("ui.common.bally"),
                    label("ui.common.priz"),
                ],
                S.winners,
                _winner_row,
                id_="results-winners",
            ),
            empty(message("ui.contest_results.v_itogovom_reitinge_etogo_konkursa")),
        ),
        rx.text(
            label("ui.contest_results.pobediteli_zaiavliaiut_priz_do"),
            rx.text.strong(S.claim_until, id="results-claim-until"),
            message("ui.contest_results.na_stranitse_moi_prizy_nevostrebovannyi"),
            as_="p",
            size="2",
        ),
    )


def _seal() -> rx.Component:
    S = ContestResultsState
    return section(
        label("ui.contest_results.pechat_itogovogo_reitinga"),
        rx.text(
            label("ui.contest_results.strok_v_itogovom_reitinge"),
            rx.text.strong(S.rows, id="results-rows"),
            label("ui.contest_results.versiia"),
            rx.text.strong(S.version, id="results-version"),
            as_="p",
        ),
        rx.cond(
            S.reason != "",
            rx.callout(
                rx.text(label("ui.contest_results.reiting_pereschitan_posle_publikatsii_prichina"), S.reason),
                icon="info",
                color_scheme="amber",
                id="results-reason",
                margin_y="0.5em",
            ),
        ),
        field(
            label("ui.contest_results.sha_256_faila_itogovogo_reitinga"),
            rx.flex(
                rx.input(
                    id="results-sha256",
                    value=S.sha256,
                    read_only=True,
                    width="100%",
                    style=_MONO,
                    on_focus=rx.call_script("document.getElementById('results-sha256').select()"),
                ),
                rx.button(
                    rx.icon("copy", aria_hidden="true"),
                    label("ui.contest_results.kopirovat"),
                    type="button",
                    variant="soft",
                    on_click=rx.set_clipboard(S.sha256),
                    id="results-copy-hash",
                ),
                spacing="2",
                width="100%",
            ),
            "results-sha256",
        ),
        rx.flex(
            rx.link(
                rx.icon("download", size=16, aria_hidden="true"),
                label("ui.contest_results.skachat_csv_itogovogo_reitinga"),
                href=S.csv_url,
                reload_document=True,
                id="results-download-csv",
            ),
            spacing="4",
            margin_y="0.8em",
        ),
        rx.text(
            message("contest.results_file_text"),
            as_="p",
            size="2",
        ),
        rx.code(S.command, id="results-verify-command", style=_MONO, display="block", padding="0.5em"),
    )


def _selected() -> rx.Component:
    S = ContestResultsState
    return rx.cond(
        S.cid != "",
        rx.box(
            rx.heading(S.title, as_="h2", size="5", id="results-title", margin_top="1.2em"),
            rx.text(
                label("ui.contest_results.mesiats"),
                S.period,
                label("ui.contest_results.itogi_opublikovany"),
                S.published,
                message("ui.common.msk"),
                as_="p",
                size="2",
            ),
            _winners(),
            _seal(),
        ),
    )


def results_page() -> rx.Component:
    S = ContestResultsState
    return page_layout(
        label("ui.contest_results.itogi_konkursov"),
        rx.text(
            message("contest.results_intro"),
            rx.link(
                label("ui.contest_results.tekushchii_konkurs"), href="/contest", id="results-contest-link"
            ),
            " · ",
            rx.link(label("ui.common.pravila"), href="/contest/rules"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        _selected(),
        _contests(),
    )


# -------------------------------------------------------------------------------- /contest/prizes


def _claim_form(row: rx.Var) -> rx.Component:
    S = ContestPrizesState
    prefix = "prize-" + row["id"]
    return rx.form(
        rx.el.input(type="hidden", name="prize_id", value=row["id"]),
        rx.grid(
            field(
                label("ui.common.familiia"),
                text_input(
                    prefix + "-last-name", name="last_name", max_length=100, auto_complete="family-name"
                ),
                prefix + "-last-name",
            ),
            field(
                label("ui.common.imia"),
                text_input(
                    prefix + "-first-name", name="first_name", max_length=100, auto_complete="given-name"
                ),
                prefix + "-first-name",
            ),
            field(
                label("ui.contest_results.telefon_dlia_perevoda_po_sbp"),
                text_input(prefix + "-phone", name="phone", type="tel", max_length=32, auto_complete="tel"),
                prefix + "-phone",
                hint=message("ui.contest_results.rossiiskii_mobil_nyi_nomer_k"),
            ),
            field(
                label("ui.contest_results.bank"),
                text_input(prefix + "-bank", name="bank", max_length=100),
                prefix + "-bank",
                hint=message("ui.contest_results.bank_v_kotoryi_perevesti_priz"),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.text(
            message("ui.contest_results.eti_dannye_vidiat_tol_ko"),
            as_="p",
            size="1",
            color_scheme="gray",
            margin_y="0.6em",
        ),
        submit(label("ui.contest_results.zaiavit_priz"), prefix + "-claim"),
        on_submit=S.claim,
        reset_on_submit=False,
        key=S.form_key.to_string() + "-" + row["id"],
        margin_top="0.6em",
    )


def _prize(row: rx.Var) -> rx.Component:
    color = rx.match(row["status"], ("claimed", "green"), ("late", "gray"), "amber")
    return card(
        rx.flex(
            rx.heading(row["contest"], as_="h2", size="4"),
            rx.badge(row["status_name"], color_scheme=color, variant="soft", high_contrast=True),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.text(
            row["place"], label("ui.contest_results.e_mesto_priz"), rx.text.strong(row["amount"]), as_="p"
        ),
        rx.cond(
            row["open"] == "1",
            rx.box(
                rx.text(
                    label("ui.contest_results.zaiavite_priz_do"),
                    rx.text.strong(row["until"]),
                    message("ui.contest_results.vkliuchitel_no"),
                    as_="p",
                    size="2",
                ),
                _claim_form(row),
            ),
            rx.cond(
                row["note"] != "",
                rx.text(row["note"], as_="p", size="2", id="prize-" + row["id"] + "-late"),
                rx.text(
                    message("ui.contest_results.zaiavka_priniata_priz_perevedut_po"),
                    as_="p",
                    size="2",
                    id="prize-" + row["id"] + "-claimed",
                ),
            ),
        ),
        id="prize-" + row["id"],
        margin_bottom="0.8em",
    )


def prizes_page() -> rx.Component:
    S = ContestPrizesState
    return page_layout(
        label("ui.common.moi_prizy"),
        rx.text(
            message("ui.contest_results.prizy_konkursa_chekov_kotorye_vy"),
            rx.link(
                label("ui.contest_results.itogi_konkursov"), href="/contest/results", id="prizes-results-link"
            ),
            " · ",
            rx.link(label("ui.common.pravila"), href="/contest/rules"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        rx.cond(
            S.prizes.length() > 0,
            rx.box(rx.foreach(S.prizes, _prize), margin_top="1em"),
            rx.cond(S.loaded, empty(message("ui.contest_results.u_vas_poka_net_prizov"))),
        ),
    )


PAGES = [
    (
        "/contest/results",
        results_page,
        label("ui.contest_results.itogi_konkursov"),
        [SessionState.refresh, ContestResultsState.load],
    ),
    (
        "/contest/prizes",
        prizes_page,
        label("ui.common.moi_prizy"),
        [SessionState.refresh, ContestPrizesState.load],
    ),
]
