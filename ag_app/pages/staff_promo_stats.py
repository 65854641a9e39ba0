"""``/staff/promo/stats`` «Акция: статистика» (staff): a campaign's funnel, draws, days and prize points."""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, panel, staff_gate
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.i18n import message
from ag_app.state.base import SessionState
from ag_app.state.staff_promo_stats import StaffPromoStatsState as T

SELECT_STYLE = {**NATIVE_SELECT_STYLE, "min_width": "16em"}


def campaign_form() -> rx.Component:
    """«Акция» (newest first) with «Показать»."""
    return rx.form(
        rx.flex(
            field(
                "Акция",
                rx.el.select(
                    rx.foreach(T.campaigns, lambda c: rx.el.option(c["title"], value=c["id"])),
                    id="promo-stats-campaign",
                    name="campaign_id",
                    default_value=T.campaign_id,
                    style=SELECT_STYLE,
                ),
                "promo-stats-campaign",
            ),
            rx.button("Показать", type="submit", id="promo-stats-campaign-show"),
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
            "Воронка участия",
            chart(
                T.funnel_fig, "Граждане на каждом шаге акции; числа — в таблице ниже.", "chart-promo-funnel"
            ),
            data_table("Воронка участия", ["Шаг", "Граждан"], T.funnel_rows, "table-promo-funnel"),
        ),
        panel(
            "Основные розыгрыши",
            chart(
                T.main_fig,
                "Участники и победители каждого розыгрыша; числа — в таблице ниже.",
                "chart-promo-main-draws",
            ),
            data_table(
                "Участники и победители основных розыгрышей",
                ["Розыгрыш", "Участников", "Победителей"],
                T.main_rows,
                "table-promo-main-draws",
            ),
        ),
        panel(
            "Розыгрыши в категориях",
            chart(
                T.category_fig,
                "Участники и победители розыгрышей в категориях; числа — в таблице ниже.",
                "chart-promo-category-draws",
            ),
            data_table(
                "Участники и победители розыгрышей в категориях",
                ["Категория и розыгрыш", "Участников", "Победителей"],
                T.category_rows,
                "table-promo-category-draws",
            ),
        ),
        panel(
            "Коды и отказы по дням",
            chart(
                T.codes_fig, "Коды, отправленные по СМС за день; числа — в таблице ниже.", "chart-promo-codes"
            ),
            chart(
                T.opt_outs_fig,
                "Отказы от участия за день (без отменённых); числа — в таблице ниже.",
                "chart-promo-opt-outs",
            ),
            data_table(
                "Коды и отказы по дням (по московскому времени)",
                ["День", "Кодов отправлено", "Отказов"],
                T.day_rows,
                "table-promo-days",
            ),
        ),
        panel(
            "Призовые баллы",
            chart(
                T.points_fig,
                "Начислено по активированным кодам, обменяно на подарки партнёров, осталось на счетах; "
                "числа — в таблице ниже.",
                "chart-promo-points",
            ),
            data_table("Призовые баллы", ["Баллы", "Сумма"], T.points_rows, "table-promo-points"),
        ),
    )


def stats_page() -> rx.Component:
    return page_layout(
        "Акция: статистика",
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
    ("/staff/promo/stats", stats_page, "Акция: статистика", [SessionState.refresh, T.load]),
]
