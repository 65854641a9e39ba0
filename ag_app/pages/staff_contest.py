"""``/staff/contest`` «Конкурс чеков: проверка» (moderators; staff see the audit trail) and
``/staff/contest/stats`` «Конкурс чеков: статистика» (moderators and staff)."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, panel, row_table, staff_gate
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.state.base import SessionState
from ag_app.state.staff_contest import CATEGORY_OPTIONS
from ag_app.state.staff_contest import StaffContestState as S
from ag_app.state.staff_contest_stats import StaffContestStatsState as T

INPUT_STYLE = {**NATIVE_SELECT_STYLE, "width": "100%"}
SMALL_INPUT = {**NATIVE_SELECT_STYLE, "width": "14em", "padding": "0.3em 0.4em"}
FORBIDDEN_TEXT = i18n.message("ui.contest.nedostatochno_prav_razdel_konkursa_chekov")


def _gate(loaded: rx.Var, allowed: rx.Var, *children: rx.Component) -> rx.Component:
    """The staff gate with the contest's «Недостаточно прав» (moderators and staff)."""
    return staff_gate(loaded, allowed, *children, forbidden=FORBIDDEN_TEXT)


def contest_staff_nav() -> rx.Component:
    """Links between the contest's staff pages."""
    return rx.el.nav(
        rx.flex(
            rx.link(
                i18n.label("ui.contest.proverka_i_zhurnal"),
                href="/staff/contest",
                id="nav-contest-moderation",
            ),
            rx.link(
                i18n.label("ui.contest.konkursy_i_prizy"),
                href="/staff/contest/manage",
                id="nav-contest-manage",
            ),
            rx.link(i18n.label("menu.stats"), href="/staff/contest/stats", id="nav-contest-stats"),
            rx.link(i18n.label("ui.contest.reiting_dlia_zhitelei"), href="/contest", id="nav-contest-public"),
            spacing="4",
            wrap="wrap",
        ),
        aria_label=i18n.label("ui.contest.razdely_konkursa_chekov"),
        style={"margin_bottom": "1em"},
    )


def period_form(on_submit, value: rx.Var, id_: str) -> rx.Component:
    """«Месяц» (YYYY-MM) with «Показать»."""
    return rx.form(
        rx.flex(
            field(
                i18n.label("ui.common.mesiats"),
                rx.el.input(type="month", name="period", id=id_, default_value=value, style=SMALL_INPUT),
                id_,
            ),
            rx.button(i18n.label("ui.common.pokazat"), type="submit", id=id_ + "-show"),
            spacing="3",
            align="end",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        key=value,
        margin_bottom="1em",
    )


def _reason_form(handler, hidden_name: str, hidden_value: rx.Var, label: str, id_: rx.Var) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(type="hidden", name=hidden_name, value=hidden_value),
            rx.el.input(
                name="reason",
                id=id_,
                required=True,
                max_length=500,
                placeholder=i18n.label("ui.common.prichina"),
                aria_label=i18n.label("ui.contest.prichina") + label,
                style=SMALL_INPUT,
            ),
            rx.button(label, type="submit", size="1", color_scheme="red", variant="soft"),
            spacing="1",
            align="center",
        ),
        on_submit=handler,
        reset_on_submit=True,
    )


def _receipts_button(text: str, row: rx.Var, who: str) -> rx.Component:
    """Opens the receipts of the flag's ``who`` («owner» or «flagged») in the flag's month."""
    return rx.button(
        text + row[who],
        size="1",
        variant="ghost",
        type="button",
        on_click=S.show_receipts(row[who], row["period"]),
        id=who + "-receipts-" + row["flag_id"],
    )


def _queue_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["kind"], weight="medium", as_="p"),
            rx.text(row["evidence"], size="1", as_="p"),
            rx.text(
                i18n.label("ui.contest.otmecheno") + row["flagged_at"], size="1", color_scheme="gray", as_="p"
            ),
        ),
        rx.table.cell(
            rx.text(i18n.label("ui.contest.chek") + row["receipt_id"] + " (" + row["status"] + ")", as_="p"),
            rx.text(row["seller"], size="1", as_="p"),
            rx.text(row["amount"] + ", " + row["purchased_at"], size="1", as_="p"),
        ),
        rx.table.cell(
            rx.flex(
                _receipts_button(i18n.label("ui.contest.cheki_vladel_tsa"), row, "owner"),
                rx.cond(
                    row["flagged"] != row["owner"],
                    _receipts_button(i18n.label("ui.contest.cheki_uchastnika"), row, "flagged"),
                ),
                direction="column",
                spacing="1",
                align="start",
            )
        ),
        rx.table.cell(
            rx.flex(
                rx.flex(
                    rx.cond(
                        row["accepted"] == "",
                        rx.button(
                            i18n.label("ui.common.priniat"),
                            size="1",
                            type="button",
                            on_click=S.accept(row["receipt_id"]),
                            id="accept-" + row["flag_id"],
                        ),
                    ),
                    rx.cond(
                        row["on_review"] == "",
                        rx.button(
                            i18n.label("ui.contest.zakryt_otmetku"),
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            type="button",
                            on_click=S.dismiss(row["flag_id"]),
                            id="dismiss-" + row["flag_id"],
                        ),
                    ),
                    spacing="1",
                ),
                rx.cond(
                    row["rejected"] == "",
                    _reason_form(
                        S.reject,
                        "receipt_id",
                        row["receipt_id"],
                        i18n.label("ui.common.otklonit"),
                        "reject-" + row["flag_id"],
                    ),
                ),
                _reason_form(
                    S.disqualify,
                    "flag_id",
                    row["flag_id"],
                    i18n.label("ui.contest.iskliuchit_uchastnika"),
                    "disqualify-" + row["flag_id"],
                ),
                direction="column",
                spacing="2",
            )
        ),
        id="flag-" + row["flag_id"],
    )


def _queue() -> rx.Component:
    return panel(
        i18n.label("ui.contest.ochered_proverki"),
        rx.text(
            i18n.message("ui.contest.povtornye_zagruzki_s_drugogo_akkaunta"),
            size="2",
            as_="p",
            margin_bottom="0.6em",
        ),
        row_table(
            [
                i18n.label("ui.contest.otmetka_i_dokazatel_stva"),
                i18n.label("ui.contest.chek_2"),
                i18n.label("ui.contest.uchastniki"),
                i18n.label("ui.news.reshenie"),
            ],
            S.queue,
            _queue_row,
            "fraud-queue",
            caption=i18n.label("ui.contest.ochered_proverki"),
            empty=i18n.message("ui.contest.otkrytykh_otmetok_net"),
            empty_id="fraud-queue-empty",
        ),
    )


def _participant_lookup() -> rx.Component:
    """«Чеки участника»: any participant's receipts of a month, by the participant number."""
    return rx.form(
        rx.flex(
            field(
                i18n.label("ui.common.uchastnika"),
                rx.el.input(
                    name="participant",
                    id="lookup-participant",
                    required=True,
                    inputmode="numeric",
                    style=SMALL_INPUT,
                ),
                "lookup-participant",
            ),
            field(
                i18n.label("ui.common.mesiats"),
                rx.el.input(
                    type="month", name="period", id="lookup-period", default_value=S.period, style=SMALL_INPUT
                ),
                "lookup-period",
            ),
            rx.button(i18n.label("ui.contest.pokazat_cheki"), type="submit", id="lookup-show"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=S.open_participant,
        reset_on_submit=False,
        key=S.period,
    )


def _reject_any() -> rx.Component:
    """«Отклонить» any receipt of the open list (also an accepted one) by its number, with a reason."""
    return rx.form(
        rx.flex(
            field(
                i18n.label("ui.contest.cheka"),
                rx.el.input(
                    name="receipt_id",
                    id="reject-any-receipt",
                    required=True,
                    inputmode="numeric",
                    style=SMALL_INPUT,
                ),
                "reject-any-receipt",
            ),
            field(
                i18n.label("ui.common.prichina"),
                rx.el.input(
                    name="reason", id="reject-any-reason", required=True, max_length=500, style=SMALL_INPUT
                ),
                "reject-any-reason",
            ),
            rx.button(
                i18n.label("ui.contest.otklonit_chek"),
                type="submit",
                color_scheme="red",
                variant="soft",
                id="reject-any",
            ),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=S.reject,
        reset_on_submit=True,
        margin_top="0.5em",
    )


def _evidence() -> rx.Component:
    return panel(
        i18n.label("ui.contest.cheki_uchastnika_2"),
        _participant_lookup(),
        rx.cond(
            S.evidence_title != "",
            rx.box(
                data_table(
                    S.evidence_title,
                    [
                        i18n.label("ui.contest.cheka"),
                        i18n.label("ui.contest.pokupka"),
                        i18n.label("ui.contest.sokhranen"),
                        i18n.label("ui.contest.prodavets"),
                        i18n.label("ui.common.kategoriia"),
                        i18n.label("ui.common.summa"),
                        i18n.label("ui.common.bally"),
                        i18n.label("ui.common.status_2"),
                    ],
                    S.evidence,
                    "participant-receipts",
                ),
                _reject_any(),
                rx.button(
                    i18n.label("ui.contest.skryt"),
                    size="1",
                    variant="soft",
                    type="button",
                    on_click=S.hide_receipts,
                    margin_top="0.5em",
                ),
            ),
        ),
        id="evidence",
    )


def _seller_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["fn"]),
        rx.table.cell(row["name"]),
        rx.table.cell(row["inn"]),
        rx.table.cell(row["region"]),
        rx.table.cell(row["receipts"]),
        rx.table.cell(
            rx.form(
                rx.flex(
                    rx.el.input(type="hidden", name="seller_id", value=row["id"]),
                    rx.el.select(
                        rx.el.option(i18n.label("ui.contest.kategoriia"), value=""),
                        *[rx.el.option(name, value=key) for key, name in CATEGORY_OPTIONS],
                        name="category",
                        id="category-" + row["id"],
                        aria_label=i18n.label("ui.contest.kategoriia_prodavtsa_fn") + row["fn"],
                        style=SMALL_INPUT,
                    ),
                    rx.button(
                        i18n.label("ui.common.sokhranit"), type="submit", size="1", id="classify-" + row["id"]
                    ),
                    spacing="1",
                    align="center",
                ),
                on_submit=S.classify,
                reset_on_submit=False,
            )
        ),
    )


def _sellers() -> rx.Component:
    return panel(
        i18n.label("ui.contest.prodavtsy_bez_kategorii"),
        rx.text(
            i18n.message("ui.contest.fiskal_nye_nakopiteli_vpervye_vstrechennye"),
            size="2",
            as_="p",
        ),
        row_table(
            [
                i18n.label("ui.contest.fn"),
                i18n.label("ui.common.nazvanie"),
                i18n.label("ui.contest.inn"),
                i18n.label("ui.contest.region"),
                i18n.label("ui.contest.chekov"),
                i18n.label("ui.common.kategoriia"),
            ],
            S.unclassified,
            _seller_row,
            "unclassified-sellers",
            caption=i18n.label("ui.contest.prodavtsy_bez_kategorii"),
            empty=i18n.message("ui.contest.vse_prodavtsy_klassifitsirovany"),
        ),
    )


def moderation_page() -> rx.Component:
    return page_layout(
        i18n.label("menu.staff_contest"),
        contest_staff_nav(),
        _gate(
            S.loaded,
            S.allowed,
            feedback(S.error, S.notice, id_="contest-feedback"),
            rx.cond(
                S.can_moderate,
                rx.fragment(_queue(), _evidence(), _sellers()),
                rx.callout(
                    i18n.message("ui.contest.ochered_proverki_i_klassifikatsiia_prodavtsov"),
                    icon="info",
                    id="moderators-only",
                ),
            ),
            panel(
                i18n.label("ui.contest.zhurnal_deistvii"),
                period_form(S.set_period, S.period, "audit-period"),
                data_table(
                    i18n.message("ui.contest.kto_kogda_i_pochemu_novye"),
                    [
                        i18n.message("ui.contest.kogda_moskva"),
                        i18n.label("ui.contest.kto"),
                        i18n.label("ui.common.deistvie"),
                        i18n.label("ui.contest.o_chem"),
                        i18n.label("ui.common.prichina"),
                    ],
                    S.audit,
                    "audit-trail",
                ),
            ),
        ),
    )


def stats_page() -> rx.Component:
    return page_layout(
        i18n.label("menu.staff_contest_stats"),
        contest_staff_nav(),
        _gate(
            T.loaded,
            T.allowed,
            feedback(T.error, T.notice, id_="stats-feedback"),
            period_form(T.set_period, T.period, "stats-period"),
            panel(
                i18n.label("ui.contest.itogi_mesiatsa"),
                data_table(
                    i18n.label("ui.contest.vsego_za_mesiats"),
                    [i18n.label("ui.contest.pokazatel"), i18n.label("ui.common.znachenie")],
                    T.totals,
                    "table-contest-totals",
                ),
            ),
            panel(
                i18n.label("ui.contest.cheki_po_dniam"),
                chart(
                    T.receipts_fig,
                    i18n.message("ui.contest.cheki_po_date_sokhraneniia_chisla"),
                    "chart-contest-receipts",
                ),
                data_table(
                    i18n.label("ui.contest.cheki_po_dniam_i_statusam"),
                    [
                        i18n.label("ui.common.den"),
                        i18n.label("ui.contest.priniaty"),
                        i18n.label("ui.contest_stats.na_proverke"),
                        i18n.label("ui.contest.otkloneny"),
                        i18n.label("ui.contest_stats.vsego"),
                    ],
                    T.receipts_rows,
                    "table-contest-receipts",
                ),
            ),
            panel(
                i18n.label("ui.contest.uchastniki"),
                chart(
                    T.participants_fig,
                    i18n.message("ui.contest.raznykh_uchastnikov_za_den_chisla"),
                    "chart-contest-participants",
                ),
                chart(
                    T.cumulative_fig,
                    i18n.message("ui.contest.uchastnikov_s_nachala_mesiatsa_chisla"),
                    "chart-contest-cumulative",
                ),
                data_table(
                    i18n.label("ui.contest.uchastniki_po_dniam"),
                    [
                        i18n.label("ui.common.den"),
                        i18n.label("ui.contest.za_den"),
                        i18n.label("ui.contest.s_nachala_mesiatsa"),
                    ],
                    T.participants_rows,
                    "table-contest-participants",
                ),
            ),
            panel(
                i18n.label("ui.common.bally"),
                chart(
                    T.points_fig,
                    i18n.message("ui.contest.uchastniki_obshchego_konkursa_po_ballam"),
                    "chart-contest-points",
                ),
                data_table(
                    i18n.label("ui.contest.raspredelenie_ballov_v_obshchem_konkurse"),
                    [i18n.label("ui.dashboard.ballov"), i18n.label("ui.common.uchastnikov")],
                    T.points_rows,
                    "table-contest-points",
                ),
            ),
        ),
    )


PAGES = [
    ("/staff/contest", moderation_page, i18n.label("menu.staff_contest"), [SessionState.refresh, S.load]),
    (
        "/staff/contest/stats",
        stats_page,
        i18n.label("menu.staff_contest_stats"),
        [SessionState.refresh, T.load],
    ),
]
