"""``/staff/promo/stats`` «Акция: статистика» (staff): a campaign's funnel, draws, days and prize points."""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, panel, staff_gate
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.staff_promo_stats import StaffPromoStatsState as T

SELECT_STYLE = {**NATIVE_SELECT_STYLE, "min_width": "16em"}


def campaign_form() -> rx.Component:
    """«Акция» (newest first) with «Показать»."""
    return rx.form(
        rx.flex(
            field(
                label("menu.promo"),
                rx.el.select(
                    rx.foreach(T.campaigns, lambda c: rx.el.option(c["title"], value=c["id"])),
                    id="promo-stats-campaign",
                    name="campaign_id",
                    default_value=T.campaign_id,
                    style=SELECT_STYLE,
                ),
                "promo-stats-campaign",
            ),
            rx.button(label("ui.common.pokazat"), type="submit", id="promo-stats-campaign-show"),
            spacing="3",
            align="end",
        ),
        on_submit=T.choose_campaign,
        reset_on_submit=False,
        key=T.campaign_id,
        margin_bottom="1em",
    )


def dashboard() -> rx.Component:
    """The six charts, each with its table."""
    return rx.fragment(
        panel(
            label("ui.promo_stats.voronka_uchastiya"),
            chart(
                T.funnel_fig,
                message("ui.promo_stats.grazhdane_na_kazhdom_shage_aktsii"),
                "chart-promo-funnel",
            ),
            data_table(
                label("ui.promo_stats.voronka_uchastiya"),
                [label("ui.promo_stats.shag"), label("ui.promo_stats.grazhdan")],
                T.funnel_rows,
                "table-promo-funnel",
            ),
        ),
        panel(
            label("ui.promo_stats.osnovnye_rozygryshi"),
            chart(
                T.main_fig,
                message("ui.promo_stats.uchastniki_i_pobediteli_kazhdogo_rozygrysha"),
                "chart-promo-main-draws",
            ),
            data_table(
                label("ui.promo_stats.uchastniki_i_pobediteli_osnovnykh_rozygryshey"),
                [
                    label("ui.promo.rozygrysh"),
                    label("ui.common.uchastnikov"),
                    label("ui.contest_results.pobeditelei"),
                ],
                T.main_rows,
                "table-promo-main-draws",
            ),
        ),
        panel(
            label("ui.promo_stats.rozygryshi_v_kategoriyakh"),
            chart(
                T.category_fig,
                message("ui.promo_stats.uchastniki_i_pobediteli_rozygryshey_v_2"),
                "chart-promo-category-draws",
            ),
            data_table(
                label("ui.promo_stats.uchastniki_i_pobediteli_rozygryshey_v"),
                [
                    label("ui.promo_stats.kategoriya_i_rozygrysh"),
                    label("ui.common.uchastnikov"),
                    label("ui.contest_results.pobeditelei"),
                ],
                T.category_rows,
                "table-promo-category-draws",
            ),
        ),
        panel(
            label("ui.promo_stats.kody_i_otkazy_po_dnyam_2"),
            chart(T.codes_fig, message("ui.promo_stats.kody_otpravlennye_po_sms_za"), "chart-promo-codes"),
            chart(
                T.opt_outs_fig,
                message("ui.promo_stats.otkazy_ot_uchastiya_za_den"),
                "chart-promo-opt-outs",
            ),
            data_table(
                message("ui.promo_stats.kody_i_otkazy_po_dnyam"),
                [
                    label("ui.common.den"),
                    label("ui.promo_stats.kodov_otpravleno"),
                    label("ui.promo_stats.otkazov"),
                ],
                T.day_rows,
                "table-promo-days",
            ),
        ),
        panel(
            label("ui.promo_stats.prizovye_bally"),
            chart(
                T.points_fig,
                message("ui.promo_stats.nachisleno_po_aktivirovannym_kodam_obmenyano"),
                "chart-promo-points",
            ),
            data_table(
                label("ui.promo_stats.prizovye_bally"),
                [label("ui.common.bally"), label("ui.common.summa")],
                T.points_rows,
                "table-promo-points",
            ),
        ),
    )


def stats_page() -> rx.Component:
    return page_layout(
        label("menu.staff_promo_stats"),
        staff_gate(
            T.loaded,
            T.allowed,
            feedback(T.error, T.notice, id_="promo-stats-feedback"),
            rx.cond(
                T.empty != "",
                rx.text(T.empty, id="promo-stats-empty"),
                rx.fragment(campaign_form(), dashboard()),
            ),
            forbidden=message("promo_stats.forbidden"),
        ),
    )


PAGES = [
    ("/staff/promo/stats", stats_page, label("menu.staff_promo_stats"), [SessionState.refresh, T.load]),
]
