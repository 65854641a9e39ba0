"""«СМС и письма»: the built-in gateway's outbox (demo users read their login codes here)."""

import reflex as rx

from ag_app.components.common import card, empty, feedback, field, submit, text_input
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.outbox import OutboxState


def _message(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row["channel"], variant="soft"),
            rx.text(row["recipient"], weight="medium"),
            rx.text(row["created_at"], size="2", color_scheme="gray"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        rx.cond(row["subject"] != "", rx.heading(row["subject"], as_="h2", size="3", margin_top="0.4em")),
        rx.text(row["body"], as_="p", white_space="pre-wrap", margin_top="0.4em", class_name="outbox-body"),
    )


def outbox_page() -> rx.Component:
    return page_layout(
        label("ui.outbox.sms_i_pis_ma"),
        rx.cond(OutboxState.available, _outbox(), empty(message("api.not_found"))),
    )


def _outbox() -> rx.Component:
    return rx.fragment(
        rx.text(
            message("ui.outbox.demonstratsionnyi_rezhim_zdes_vidny_sms"),
            as_="p",
        ),
        rx.form(
            rx.flex(
                field(
                    label("outbox.address_label"),
                    text_input(
                        "recipient",
                        type="text",
                        default_value=OutboxState.recipient,
                        key=OutboxState.recipient,
                        placeholder="+7 9XX XXX-XX-XX",
                    ),
                    "recipient",
                ),
                submit(label("ui.common.pokazat"), "show-outbox"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            on_submit=OutboxState.search,
            reset_on_submit=False,
            max_width="560px",
            margin_y="1em",
        ),
        feedback(OutboxState.error, OutboxState.notice),
        rx.cond(
            OutboxState.searched & (OutboxState.messages.length() == 0),
            empty(message("ui.outbox.soobshchenii_net")),
        ),
        rx.flex(
            rx.foreach(OutboxState.messages, _message), direction="column", spacing="3", id="outbox-list"
        ),
    )


PAGES = [("/outbox", outbox_page, label("ui.outbox.sms_i_pis_ma"), [SessionState.refresh, OutboxState.load])]
