"""``/staff/house-polls``: the moderation queue (moderators and administrators)."""

import reflex as rx

from ag_app.components.common import card, empty, feedback
from ag_app.components.layout import page_layout
from ag_app.domain.house_polls import REFUSAL_REASONS
from ag_app.i18n import label, message
from ag_app.state.house_polls.moderation import HouseModerationState


def _reason_box(row: rx.Var, key: str, text: str) -> rx.Component:
    S = HouseModerationState
    return rx.checkbox(
        text,
        id="hp-reason-" + row.id + f"-{key}",
        checked=S.ticked.contains(row.id + f":{key}"),
        on_change=lambda checked: S.toggle_reason(row.id, key, checked),
        size="1",
    )


def _queue_item(row: rx.Var) -> rx.Component:
    S = HouseModerationState
    return card(
        rx.flex(
            rx.badge(row.kind_name, variant="soft", color_scheme="gray"),
            rx.cond(
                row.overdue, rx.badge(label("ui.moderation.srok_istek"), color_scheme="red", variant="solid")
            ),
            spacing="2",
        ),
        rx.heading(row.title, as_="h2", size="4", margin_y="0.4em"),
        rx.text(label("ui.meetings.dom"), row.address, as_="p", size="2"),
        rx.text(label("ui.meetings.initsiator"), row.initiator, as_="p", size="2"),
        rx.text(label("ui.common.uchastniki"), row.audience, as_="p", size="2"),
        rx.text(label("ui.poll.sroki"), row.period, as_="p", size="2"),
        rx.text(label("ui.common.podana"), row.filed, message("ui.common.msk"), as_="p", size="2"),
        rx.text(
            rx.text.strong(label("ui.moderation.reshit_do"), row.due, message("ui.common.msk")),
            as_="p",
            size="2",
            id="hp-due-" + row.id,
        ),
        rx.cond(row.calendar_note != "", rx.text(row.calendar_note, as_="p", size="1", color_scheme="amber")),
        rx.cond(row.message != "", rx.text(row.message, as_="p", white_space="pre-wrap", margin_top="0.5em")),
        rx.el.ol(
            rx.foreach(
                row.questions,
                lambda q: rx.el.li(
                    rx.text(
                        q.text,
                        rx.cond(q.multiple, message("ui.moderation.neskolko_variantov"), ""),
                        weight="medium",
                    ),
                    rx.el.ul(rx.foreach(q.options, lambda o: rx.el.li(o.text))),
                ),
            ),
        ),
        rx.el.fieldset(
            rx.el.legend(label("ui.moderation.prichiny_otkaza"), style={"fontWeight": "500"}),
            rx.flex(
                *[_reason_box(row, key, text) for key, text in REFUSAL_REASONS.items()],
                direction="column",
                spacing="2",
            ),
            style={"border": "none", "padding": "0", "marginTop": "0.6em"},
        ),
        rx.flex(
            rx.button(
                label("ui.moderation.odobrit"),
                on_click=S.approve(row.id),
                id="hp-approve-" + row.id,
                color_scheme="green",
            ),
            rx.button(
                label("ui.common.otklonit"),
                on_click=S.refuse(row.id),
                id="hp-refuse-" + row.id,
                color_scheme="red",
                variant="soft",
            ),
            spacing="3",
            margin_top="0.8em",
        ),
        id="hp-queue-" + row.id,
    )


def moderation_page() -> rx.Component:
    """``/staff/house-polls``."""
    S = HouseModerationState
    return page_layout(
        message("ui.moderation.moderatsiya_oprosov_elektronnogo_doma"),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.cond(
                    S.queue.length() > 0,
                    rx.flex(rx.foreach(S.queue, _queue_item), direction="column", spacing="3", id="hp-queue"),
                    empty(message("ui.moderation.zayavok_na_moderatsii_net")),
                ),
                rx.callout(message("auth.forbidden"), icon="lock", color_scheme="red"),
            ),
            rx.text(label("ui.poll.zagruzka"), as_="p"),
        ),
    )
