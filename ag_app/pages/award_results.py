"""The award contest's results pages (rendering only): «Итоги премии», «Моя премия»,
«Утверждение итогов» and the operator's «Премия: выплаты»."""

import reflex as rx

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
                "Скачать протокол (PDF)", href=row["url"], id="award-protocol-" + row["id"], is_external=True
            ),
            style=CELL,
        ),
    )


def results_page() -> rx.Component:
    """«Итоги премии»: winners and prize-winners per task, the protocols and their SHA-256."""
    S = AwardResultsState
    return page_layout(
        "Итоги премии",
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.has_contest,
            rx.fragment(
                rx.text(
                    "Конкурс на соискание премий Мэра Москвы «Лидеры цифровой трансформации» ",
                    S.year,
                    " года",
                    as_="p",
                ),
                section(
                    "Победители и призёры",
                    rx.cond(
                        S.places.length() > 0,
                        scroll_table(
                            "Победители и призёры по задачам",
                            ["Задача", "Место", "Коллектив", "Проект", "Премия"],
                            S.places,
                            lambda row: _cells(row, ["task", "place", "team", "project", "prize"]),
                            id_="award-places",
                        ),
                        empty("Итоги конкурса ещё не утверждены."),
                    ),
                ),
                section(
                    "Протоколы заседаний комиссии",
                    rx.cond(
                        S.sittings.length() > 0,
                        scroll_table(
                            "Утверждённые протоколы",
                            ["Дата заседания", "Форма", "Утверждён (мск)", "SHA-256 протокола", "Файл"],
                            S.sittings,
                            _sitting_row,
                            id_="award-sittings",
                        ),
                        empty("Протоколов пока нет."),
                    ),
                    rx.text(
                        "SHA-256 — контрольная сумма файла протокола: она совпадёт у любого, кто скачает "
                        "этот файл.",
                        size="2",
                        color_scheme="gray",
                        as_="p",
                    ),
                ),
                rx.callout(S.no_appeal, icon="info", id="award-no-appeal", margin_top="1.5em"),
            ),
            rx.cond(S.loaded, empty("Конкурс ещё не объявлен.")),
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
            submit("Отправить данные для выплаты", "payout-submit"),
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
        "Моя премия",
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
                    rx.text("Коллектив: ", rx.text.strong(S.team), as_="p"),
                    rx.text("Задача: ", S.task, as_="p"),
                    rx.text("Место: ", rx.text.strong(S.place), as_="p", id="prize-place"),
                    rx.cond(
                        S.has_payout,
                        rx.text("Ваша доля премии: ", rx.text.strong(S.share), as_="p", id="prize-share"),
                    ),
                    rx.button(
                        "Скачать диплом (PDF)",
                        on_click=S.download_diploma,
                        id="prize-diploma",
                        margin_top="0.6em",
                    ),
                ),
                rx.cond(
                    S.has_payout,
                    section(
                        "Выплата премии",
                        rx.text("Статус: ", rx.text.strong(S.status_name), as_="p", id="payout-status"),
                        rx.text(
                            "Данные принимаются по ",
                            S.due,
                            " (время московское) — 30 календарных дней после утверждения итогов.",
                            as_="p",
                        ),
                        rx.cond(S.submitted != "", rx.text("Данные получены: ", S.submitted, as_="p")),
                        rx.cond(
                            S.masked.length() > 0,
                            scroll_table(
                                "Полученные данные (показаны последние 4 знака)",
                                ["Поле", "Значение"],
                                S.masked,
                                lambda row: _cells(row, ["label", "value"]),
                                id_="payout-masked",
                            ),
                        ),
                        rx.cond(
                            S.can_submit,
                            rx.fragment(
                                rx.text(
                                    "Заполните все поля (пункт 4.2.1 положения). До окончания срока данные можно "
                                    "исправить, отправив форму заново. Данные видит только оператор конкурса.",
                                    size="2",
                                    as_="p",
                                ),
                                _payout_form(),
                            ),
                            rx.text("Приём данных для выплаты закрыт.", as_="p", color_scheme="gray"),
                        ),
                    ),
                ),
            ),
            rx.cond(S.loaded, empty("Вы не входите в коллектив — победитель или призёр конкурса.")),
        ),
    )


# --------------------------------------------------------------------------------- /awards/approval


def _sitting_card(row: rx.Var) -> rx.Component:
    S = ApprovalState
    return card(
        rx.heading(row["title"], as_="h2", size="4"),
        rx.text("Форма: ", row["form"], ". Присутствовали: ", row["present"], ".", as_="p"),
        rx.cond(
            row["blocker"] != "", rx.callout(row["blocker"], icon="triangle_alert", color_scheme="orange")
        ),
        rx.cond(
            S.confirming == row["id"],
            rx.flex(
                rx.text(
                    "Утвердить результаты заседания? Будут сформированы протокол и выплаты; отменить нельзя.",
                    as_="p",
                ),
                rx.button(
                    "Да, утвердить",
                    on_click=S.approve,
                    color_scheme="green",
                    id="approve-confirm-" + row["id"],
                ),
                rx.button("Отмена", on_click=S.cancel, variant="soft", id="approve-cancel-" + row["id"]),
                spacing="3",
                wrap="wrap",
                align="center",
            ),
            rx.button(
                "Утвердить результаты",
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
        "Утверждение итогов",
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.sittings.length() > 0,
            rx.fragment(
                rx.foreach(S.sittings, _sitting_card),
                scroll_table(
                    "Итоги задач заседаний",
                    ["Заседание №", "Задача", "Коллектив", "Проект", "Сумма баллов", "Место", "Премия"],
                    S.lines,
                    lambda row: _cells(
                        row, ["sitting", "task", "team", "project", "total", "place", "prize"]
                    ),
                    id_="approval-lines",
                ),
            ),
            rx.cond(S.loaded, empty("Заседаний, ожидающих вашего утверждения, нет.")),
        ),
    )


# --------------------------------------------------------------------------- /staff/awards/payouts


def staff_payouts_page() -> rx.Component:
    """«Премия: выплаты»: payouts with status and the register download (operator)."""
    S = StaffAwardPayoutsState
    return page_layout(
        "Премия: выплаты",
        feedback(S.error, S.notice),
        staff_gate(
            S.loaded,
            S.allowed,
            rx.cond(
                S.rows.length() > 0,
                rx.fragment(
                    rx.button(
                        "Скачать реестр выплат (CSV)", on_click=S.download_register, id="payouts-register"
                    ),
                    scroll_table(
                        "Выплаты премии",
                        [
                            "Задача №",
                            "Место",
                            "Коллектив",
                            "Участник",
                            "Сумма",
                            "Статус",
                            "Срок подачи данных",
                            "Данные получены",
                        ],
                        S.rows,
                        lambda row: _cells(
                            row, ["task", "place", "team", "member", "amount", "status", "due", "submitted"]
                        ),
                        id_="payouts-table",
                    ),
                ),
                empty("Выплат пока нет: итоги конкурса не утверждены."),
            ),
        ),
    )


PAGES = [
    ("/awards/results", results_page, "Итоги премии", [SessionState.refresh, AwardResultsState.load]),
    ("/awards/prize", prize_page, "Моя премия", [SessionState.refresh, MyPrizeState.load]),
    ("/awards/approval", approval_page, "Утверждение итогов", [SessionState.refresh, ApprovalState.load]),
    (
        "/staff/awards/payouts",
        staff_payouts_page,
        "Премия: выплаты",
        [SessionState.refresh, StaffAwardPayoutsState.load],
    ),
]
