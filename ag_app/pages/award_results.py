"""The award contest's results pages (rendering only): «Итоги премии», «Моя премия»,
«Утверждение итогов» and the operator's «Премия: выплаты»."""

import reflex as rx

from ag_app import i18n
from ag_app.components.award_nav import award_nav
from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    scroll_table,
    section,
    staff_gate,
    submit,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.services.award.payouts import FIELD_LABELS
from ag_app.state.award_results import ApprovalState, AwardResultsState, MyPrizeState, StaffAwardPayoutsState
from ag_app.state.base import SessionState

_MONO = {"fontFamily": "var(--code-font-family, monospace)", "wordBreak": "break-all"}


def _cells(row: rx.Var, keys: list[str]) -> rx.Component:
    return rx.el.tr(*[rx.el.td(row[key], style=CELL) for key in keys])


# ---------------------------------------------------------------------------------- /awards/results


def _sitting_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["held_on"], style=CELL),
        rx.el.td(row["form"], style=CELL),
        rx.el.td(row["approved"], style=CELL),
        rx.el.td(rx.text(row["sha256"], style=_MONO), style=CELL),
        rx.el.td(
            rx.link(
                i18n.message("ui.common.skachat_protokol_pdf"),
                href=row["url"],
                id="award-protocol-" + row["id"],
                is_external=True,
            ),
            style=CELL,
        ),
    )


def results_page() -> rx.Component:
    """«Итоги премии»: winners and prize-winners per task, the protocols and their SHA-256."""
    S = AwardResultsState
    return page_layout(
        i18n.label("ui.common.itogi_premii"),
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.has_contest,
            rx.fragment(
                rx.text(
                    i18n.message("ui.award_results.konkurs_na_soiskanie_premii_mera"),
                    S.year,
                    i18n.label("ui.award_results.goda"),
                    as_="p",
                ),
                section(
                    i18n.label("ui.award_results.pobediteli_i_prizery"),
                    rx.cond(
                        S.places.length() > 0,
                        scroll_table(
                            i18n.label("ui.award_results.pobediteli_i_prizery_po_zadacham"),
                            [
                                i18n.label("ui.common.zadacha"),
                                i18n.label("ui.common.mesto_2"),
                                i18n.label("ui.common.kollektiv"),
                                i18n.label("ui.common.proekt"),
                                i18n.label("ui.common.premiia"),
                            ],
                            S.places,
                            lambda row: _cells(row, ["task", "place", "team", "project", "prize"]),
                            id_="award-places",
                        ),
                        empty(i18n.message("ui.award_results.itogi_konkursa_eshche_ne_utverzhdeny")),
                    ),
                ),
                section(
                    i18n.label("ui.award_results.protokoly_zasedanii_komissii"),
                    rx.cond(
                        S.sittings.length() > 0,
                        scroll_table(
                            i18n.label("ui.award_results.utverzhdennye_protokoly"),
                            [
                                i18n.label("ui.award_results.data_zasedaniia"),
                                i18n.label("ui.award_results.forma"),
                                i18n.message("ui.award_results.utverzhden_msk"),
                                i18n.label("ui.award_results.sha_256_protokola"),
                                i18n.label("ui.award_results.fail"),
                            ],
                            S.sittings,
                            _sitting_row,
                            id_="award-sittings",
                        ),
                        empty(i18n.message("ui.award_results.protokolov_poka_net")),
                    ),
                    rx.text(
                        i18n.message("ui.award_results.sha_256_kontrol_naia_summa"),
                        size="2",
                        color_scheme="gray",
                        as_="p",
                    ),
                ),
                rx.callout(S.no_appeal, icon="info", id="award-no-appeal", margin_top="1.5em"),
            ),
            rx.cond(S.loaded, empty(i18n.message("ui.common.konkurs_eshche_ne_ob_iavlen"))),
        ),
    )


# ------------------------------------------------------------------------------------ /awards/prize


def _payout_form() -> rx.Component:
    S = MyPrizeState
    return rx.form(
        rx.flex(
            *[
                field(label, text_input(f"payout-{name}", name=name, auto_complete="off"), f"payout-{name}")
                for name, label in FIELD_LABELS.items()
            ],
            submit(i18n.label("ui.award_results.otpravit_dannye_dlia_vyplaty"), "payout-submit"),
            direction="column",
            spacing="3",
        ),
        on_submit=S.submit_payout,
        reset_on_submit=False,
        key=S.form_key,
        id="payout-form",
    )


def prize_page() -> rx.Component:
    """«Моя премия»: place, share, diploma, payout status, deadline and the payout form."""
    S = MyPrizeState
    return page_layout(
        i18n.label("ui.common.moia_premiia"),
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.problems.length() > 0,
            rx.el.ul(rx.foreach(S.problems, lambda p: rx.el.li(p)), id="payout-problems", role="alert"),
        ),
        rx.cond(
            S.has_prize,
            rx.fragment(
                card(
                    rx.text(i18n.label("ui.award_results.kollektiv"), rx.text.strong(S.team), as_="p"),
                    rx.text(i18n.label("ui.common.zadacha_2"), S.task, as_="p"),
                    rx.text(
                        i18n.label("ui.common.mesto"), rx.text.strong(S.place), as_="p", id="prize-place"
                    ),
                    rx.cond(
                        S.has_payout,
                        rx.text(
                            i18n.label("ui.award_results.vasha_dolia_premii"),
                            rx.text.strong(S.share),
                            as_="p",
                            id="prize-share",
                        ),
                    ),
                    rx.button(
                        i18n.message("ui.award_results.skachat_diplom_pdf"),
                        on_click=S.download_diploma,
                        id="prize-diploma",
                        margin_top="0.6em",
                    ),
                ),
                rx.cond(
                    S.has_payout,
                    section(
                        i18n.label("ui.award_results.vyplata_premii"),
                        rx.text(
                            i18n.label("ui.common.status"),
                            rx.text.strong(S.status_name),
                            as_="p",
                            id="payout-status",
                        ),
                        rx.text(
                            i18n.label("ui.award_results.dannye_prinimaiutsia_po"),
                            S.due,
                            i18n.message("ui.award_results.vremia_moskovskoe_30_kalendarnykh_dnei"),
                            as_="p",
                        ),
                        rx.cond(
                            S.submitted != "",
                            rx.text(i18n.label("ui.award_results.dannye_polucheny_2"), S.submitted, as_="p"),
                        ),
                        rx.cond(
                            S.masked.length() > 0,
                            scroll_table(
                                i18n.message("ui.award_results.poluchennye_dannye_pokazany_poslednie_4"),
                                [i18n.label("ui.award_results.pole"), i18n.label("ui.common.znachenie")],
                                S.masked,
                                lambda row: _cells(row, ["label", "value"]),
                                id_="payout-masked",
                            ),
                        ),
                        rx.cond(
                            S.can_submit,
                            rx.fragment(
                                rx.text(
                                    i18n.message("ui.award_results.zapolnite_vse_polia_punkt_4"),
                                    size="2",
                                    as_="p",
                                ),
                                _payout_form(),
                            ),
                            rx.text(
                                i18n.message("ui.award_results.priem_dannykh_dlia_vyplaty_zakryt"),
                                as_="p",
                                color_scheme="gray",
                            ),
                        ),
                    ),
                ),
            ),
            rx.cond(S.loaded, empty(i18n.message("award.no_prize"))),
        ),
    )


# --------------------------------------------------------------------------------- /awards/approval


def _sitting_card(row: rx.Var) -> rx.Component:
    S = ApprovalState
    return card(
        rx.heading(row["title"], as_="h2", size="4"),
        rx.text(
            i18n.label("ui.award_results.forma_2"),
            row["form"],
            i18n.label("ui.award_results.prisutstvovali"),
            row["present"],
            ".",
            as_="p",
        ),
        rx.cond(
            row["blocker"] != "", rx.callout(row["blocker"], icon="triangle_alert", color_scheme="orange")
        ),
        rx.cond(
            S.confirming == row["id"],
            rx.flex(
                rx.text(
                    i18n.message("ui.award_results.utverdit_rezul_taty_zasedaniia_budut"),
                    as_="p",
                ),
                rx.button(
                    i18n.label("ui.award_results.da_utverdit"),
                    on_click=S.approve,
                    color_scheme="green",
                    id="approve-confirm-" + row["id"],
                ),
                rx.button(
                    i18n.label("ui.common.otmena"),
                    on_click=S.cancel,
                    variant="soft",
                    id="approve-cancel-" + row["id"],
                ),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            rx.button(
                i18n.label("ui.award_results.utverdit_rezul_taty"),
                on_click=S.ask(row["id"]),
                disabled=row["ready"] == "",
                id="approve-" + row["id"],
            ),
        ),
        margin_bottom="1em",
    )


def approval_page() -> rx.Component:
    """«Утверждение итогов»: the sittings awaiting the approval of the member holding the chair's powers."""
    S = ApprovalState
    return page_layout(
        i18n.label("ui.award_results.utverzhdenie_itogov"),
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.sittings.length() > 0,
            rx.fragment(
                rx.foreach(S.sittings, _sitting_card),
                scroll_table(
                    i18n.label("ui.award_results.itogi_zadach_zasedanii"),
                    [
                        i18n.label("ui.award_results.zasedanie"),
                        i18n.label("ui.common.zadacha"),
                        i18n.label("ui.common.kollektiv"),
                        i18n.label("ui.common.proekt"),
                        i18n.label("ui.award_results.summa_ballov"),
                        i18n.label("ui.common.mesto_2"),
                        i18n.label("ui.common.premiia"),
                    ],
                    S.lines,
                    lambda row: _cells(
                        row, ["sitting", "task", "team", "project", "total", "place", "prize"]
                    ),
                    id_="approval-lines",
                ),
            ),
            rx.cond(
                S.loaded,
                empty(i18n.message("ui.award_results.zasedanii_ozhidaiushchikh_vashego_utverzhdeniia")),
            ),
        ),
    )


# --------------------------------------------------------------------------- /staff/awards/payouts


def staff_payouts_page() -> rx.Component:
    """«Премия: выплаты»: payouts with status and the register download (operator)."""
    S = StaffAwardPayoutsState
    return page_layout(
        i18n.label("ui.award_results.premiia_vyplaty"),
        feedback(S.error, S.notice),
        staff_gate(
            S.loaded,
            S.allowed,
            rx.cond(
                S.rows.length() > 0,
                rx.fragment(
                    rx.button(
                        i18n.message("ui.award_results.skachat_reestr_vyplat_csv"),
                        on_click=S.download_register,
                        id="payouts-register",
                    ),
                    scroll_table(
                        i18n.label("ui.award_results.vyplaty_premii"),
                        [
                            i18n.label("ui.award_results.zadacha"),
                            i18n.label("ui.common.mesto_2"),
                            i18n.label("ui.common.kollektiv"),
                            i18n.label("ui.common.uchastnik"),
                            i18n.label("ui.common.summa"),
                            i18n.label("ui.common.status_2"),
                            i18n.label("ui.award_results.srok_podachi_dannykh"),
                            i18n.label("ui.award_results.dannye_polucheny"),
                        ],
                        S.rows,
                        lambda row: _cells(
                            row, ["task", "place", "team", "member", "amount", "status", "due", "submitted"]
                        ),
                        id_="payouts-table",
                    ),
                ),
                empty(i18n.message("ui.award_results.vyplat_poka_net_itogi_konkursa")),
            ),
        ),
    )


PAGES = [
    (
        "/awards/results",
        results_page,
        i18n.label("ui.common.itogi_premii"),
        [SessionState.refresh, AwardResultsState.load],
    ),
    (
        "/awards/prize",
        prize_page,
        i18n.label("ui.common.moia_premiia"),
        [SessionState.refresh, MyPrizeState.load],
    ),
    (
        "/awards/approval",
        approval_page,
        i18n.label("ui.award_results.utverzhdenie_itogov"),
        [SessionState.refresh, ApprovalState.load],
    ),
    (
        "/staff/awards/payouts",
        staff_payouts_page,
        i18n.label("ui.award_results.premiia_vyplaty"),
        [SessionState.refresh, StaffAwardPayoutsState.load],
    ),
]
