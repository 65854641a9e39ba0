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
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.contest import TIEBREAK_RULE, ContestRatingState, ContestReceiptsState, ContestState

PHOTO_UPLOAD_ID = "contest-photo-upload"
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}
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


def _qr_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading(label("ui.contest.vstavit_stroku_iz_qr_koda"), as_="h3", size="4"),
        rx.form(
            rx.flex(
                field(
                    label("ui.contest.stroka_qr_koda_cheka"),
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
                    hint=message("ui.contest.polia_mozhno_ukazyvat_v_liubom"),
                ),
                submit(label("ui.contest.sokhranit_chek"), "contest-save-qr"),
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
        rx.heading(label("ui.contest.zagruzit_foto_qr_koda"), as_="h3", size="4"),
        rx.text(message("ui.contest.snimok_v_formate_jpeg_ili"), size="2"),
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
            label("ui.contest.vybrat_foto_cheka_i_zagruzit"),
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
        rx.heading(label("ui.contest.vvesti_dannye_cheka_vruchnuiu"), as_="h3", size="4"),
        rx.form(
            rx.grid(
                field(
                    label("ui.contest.data_i_vremia_pokupki"),
                    text_input("contest-t", name="t", type="datetime-local", step="1"),
                    "contest-t",
                ),
                field(
                    label("ui.contest.summa"),
                    text_input("contest-s", name="s", input_mode="decimal", max_length=12),
                    "contest-s",
                ),
                field(
                    message("ui.contest.fn_nomer_fiskal_nogo_nakopitelia"),
                    text_input("contest-fn", name="fn", input_mode="numeric", max_length=16),
                    "contest-fn",
                ),
                field(
                    message("ui.contest.fd_nomer_dokumenta"),
                    text_input("contest-fd", name="fd", input_mode="numeric", max_length=10),
                    "contest-fd",
                ),
                field(
                    message("ui.contest.fp_fiskal_nyi_priznak"),
                    text_input("contest-fp", name="fp", input_mode="numeric", max_length=10),
                    "contest-fp",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                message("ui.contest.tip_operatsii_prodazha_prikhod_v"),
                size="2",
                margin_y="0.6em",
            ),
            submit(label("ui.contest.sokhranit_chek"), "contest-save-fields"),
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
            rx.grid(_qr_form(), _photo_form(), columns=rx.breakpoints(initial="1", md="2"), spacing="3"),
            rx.box(_fields_form(), margin_top="0.8em"),
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
