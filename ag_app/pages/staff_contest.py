"""``/staff/contest`` «Конкурс чеков: проверка» (moderators; staff see the audit trail) and
``/staff/contest/stats`` «Конкурс чеков: статистика» (moderators and staff)."""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, panel, row_table, staff_gate
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.state.base import SessionState
from ag_app.state.staff_contest import CATEGORY_OPTIONS
from ag_app.state.staff_contest import StaffContestState as S
from ag_app.state.staff_contest_stats import StaffContestStatsState as T

INPUT_STYLE = {**NATIVE_SELECT_STYLE, "width": "100%"}
SMALL_INPUT = {**NATIVE_SELECT_STYLE, "width": "14em", "padding": "0.3em 0.4em"}
FORBIDDEN_TEXT = (
    "Недостаточно прав: раздел конкурса чеков доступен модераторам и сотрудникам города. "
    "Войдите под учётной записью модератора или сотрудника."
)


def _gate(loaded: rx.Var, allowed: rx.Var, *children: rx.Component) -> rx.Component:
    """The staff gate with the contest's «Недостаточно прав» (moderators and staff)."""
    return staff_gate(loaded, allowed, *children, forbidden=FORBIDDEN_TEXT)


def contest_staff_nav() -> rx.Component:
    """Links between the contest's staff pages."""
    return rx.el.nav(
        rx.flex(
            rx.link("Проверка и журнал", href="/staff/contest", id="nav-contest-moderation"),
            rx.link("Конкурсы и призы", href="/staff/contest/manage", id="nav-contest-manage"),
            rx.link("Статистика", href="/staff/contest/stats", id="nav-contest-stats"),
            rx.link("Рейтинг для жителей", href="/contest", id="nav-contest-public"),
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Разделы конкурса чеков",
        style={"margin_bottom": "1em"},
    )


def period_form(on_submit, value: rx.Var, id_: str) -> rx.Component:
    """«Месяц» (YYYY-MM) with «Показать»."""
    return rx.form(
        rx.flex(
            field(
                "Месяц",
                rx.el.input(type="month", name="period", id=id_, default_value=value, style=SMALL_INPUT),
                id_,
            ),
            rx.button("Показать", type="submit", id=id_ + "-show"),
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
                placeholder="Причина",
                aria_label="Причина: " + label,
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
            rx.text("Отмечено " + row["flagged_at"], size="1", color_scheme="gray", as_="p"),
        ),
        rx.table.cell(
            rx.text("Чек № " + row["receipt_id"] + " (" + row["status"] + ")", as_="p"),
            rx.text(row["seller"], size="1", as_="p"),
            rx.text(row["amount"] + ", " + row["purchased_at"], size="1", as_="p"),
        ),
        rx.table.cell(
            rx.flex(
                _receipts_button("Чеки владельца № ", row, "owner"),
                rx.cond(
                    row["flagged"] != row["owner"],
                    _receipts_button("Чеки участника № ", row, "flagged"),
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
                            "Принять",
                            size="1",
                            type="button",
                            on_click=S.accept(row["receipt_id"]),
                            id="accept-" + row["flag_id"],
                        ),
                    ),
                    rx.cond(
                        row["on_review"] == "",
                        rx.button(
                            "Закрыть отметку",
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
                        S.reject, "receipt_id", row["receipt_id"], "Отклонить", "reject-" + row["flag_id"]
                    ),
                ),
                _reason_form(
                    S.disqualify,
                    "flag_id",
                    row["flag_id"],
                    "Исключить участника",
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
        "Очередь проверки",
        rx.text(
            "Повторные загрузки с другого аккаунта и чеки, поставленные на проверку правилами конкурса. "
            "Чек на проверке учитывается только после «Принять»; отклонение снимает баллы сразу. "
            "«Исключить участника» убирает того, о ком отметка, из всех конкурсов месяца чека.",
            size="2",
            as_="p",
            margin_bottom="0.6em",
        ),
        row_table(
            ["Отметка и доказательства", "Чек", "Участники", "Решение"],
            S.queue,
            _queue_row,
            "fraud-queue",
            caption="Очередь проверки",
            empty="Открытых отметок нет.",
            empty_id="fraud-queue-empty",
        ),
    )


def _participant_lookup() -> rx.Component:
    """«Чеки участника»: any participant's receipts of a month, by the participant number."""
    return rx.form(
        rx.flex(
            field(
                "№ участника",
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
                "Месяц",
                rx.el.input(
                    type="month", name="period", id="lookup-period", default_value=S.period, style=SMALL_INPUT
                ),
                "lookup-period",
            ),
            rx.button("Показать чеки", type="submit", id="lookup-show"),
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
                "№ чека",
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
                "Причина",
                rx.el.input(
                    name="reason", id="reject-any-reason", required=True, max_length=500, style=SMALL_INPUT
                ),
                "reject-any-reason",
            ),
            rx.button("Отклонить чек", type="submit", color_scheme="red", variant="soft", id="reject-any"),
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
        "Чеки участника",
        _participant_lookup(),
        rx.cond(
            S.evidence_title != "",
            rx.box(
                data_table(
                    S.evidence_title,
                    ["№ чека", "Покупка", "Сохранён", "Продавец", "Категория", "Сумма", "Баллы", "Статус"],
                    S.evidence,
                    "participant-receipts",
                ),
                _reject_any(),
                rx.button(
                    "Скрыть",
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
                        rx.el.option("— категория —", value=""),
                        *[rx.el.option(name, value=key) for key, name in CATEGORY_OPTIONS],
                        name="category",
                        id="category-" + row["id"],
                        aria_label="Категория продавца ФН " + row["fn"],
                        style=SMALL_INPUT,
                    ),
                    rx.button("Сохранить", type="submit", size="1", id="classify-" + row["id"]),
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
        "Продавцы без категории",
        rx.text(
            "Фискальные накопители, впервые встреченные в чеках: их чеки считаются обычными (1 балл). "
            "Категория «АЗС» пересчитывает чеки продавца во всех открытых месяцах.",
            size="2",
            as_="p",
        ),
        row_table(
            ["ФН", "Название", "ИНН", "Регион", "Чеков", "Категория"],
            S.unclassified,
            _seller_row,
            "unclassified-sellers",
            caption="Продавцы без категории",
            empty="Все продавцы классифицированы.",
        ),
    )


def moderation_page() -> rx.Component:
    return page_layout(
        "Конкурс чеков: проверка",
        contest_staff_nav(),
        _gate(
            S.loaded,
            S.allowed,
            feedback(S.error, S.notice, id_="contest-feedback"),
            rx.cond(
                S.can_moderate,
                rx.fragment(_queue(), _evidence(), _sellers()),
                rx.callout(
                    "Очередь проверки и классификация продавцов доступны модераторам.",
                    icon="info",
                    id="moderators-only",
                ),
            ),
            panel(
                "Журнал действий",
                period_form(S.set_period, S.period, "audit-period"),
                data_table(
                    "Кто, когда и почему (новые сверху)",
                    ["Когда (Москва)", "Кто", "Действие", "О чём", "Причина"],
                    S.audit,
                    "audit-trail",
                ),
            ),
        ),
    )


def stats_page() -> rx.Component:
    return page_layout(
        "Конкурс чеков: статистика",
        contest_staff_nav(),
        _gate(
            T.loaded,
            T.allowed,
            feedback(T.error, T.notice, id_="stats-feedback"),
            period_form(T.set_period, T.period, "stats-period"),
            panel(
                "Итоги месяца",
                data_table("Всего за месяц", ["Показатель", "Значение"], T.totals, "table-contest-totals"),
            ),
            panel(
                "Чеки по дням",
                chart(
                    T.receipts_fig,
                    "Чеки по дате сохранения; числа — в таблице ниже.",
                    "chart-contest-receipts",
                ),
                data_table(
                    "Чеки по дням и статусам",
                    ["День", "Приняты", "На проверке", "Отклонены", "Всего"],
                    T.receipts_rows,
                    "table-contest-receipts",
                ),
            ),
            panel(
                "Участники",
                chart(
                    T.participants_fig,
                    "Разных участников за день; числа — в таблице.",
                    "chart-contest-participants",
                ),
                chart(
                    T.cumulative_fig,
                    "Участников с начала месяца; числа — в таблице.",
                    "chart-contest-cumulative",
                ),
                data_table(
                    "Участники по дням",
                    ["День", "За день", "С начала месяца"],
                    T.participants_rows,
                    "table-contest-participants",
                ),
            ),
            panel(
                "Баллы",
                chart(
                    T.points_fig,
                    "Участники общего конкурса по баллам; числа — в таблице.",
                    "chart-contest-points",
                ),
                data_table(
                    "Распределение баллов в общем конкурсе",
                    ["Баллов", "Участников"],
                    T.points_rows,
                    "table-contest-points",
                ),
            ),
        ),
    )


PAGES = [
    ("/staff/contest", moderation_page, "Конкурс чеков: проверка", [SessionState.refresh, S.load]),
    ("/staff/contest/stats", stats_page, "Конкурс чеков: статистика", [SessionState.refresh, T.load]),
]
