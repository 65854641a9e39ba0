"""Owners' meetings for residents: ``/house/meetings``, ``/house/meetings/new`` and the meeting page
``/house/meetings/[meeting_id]`` with the agenda, the vote, the live meter and the protocol."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    scroll_table,
    section,
    static_select,
    text_input,
)
from ag_app.components.form_marks import aria_invalid, group_mark, marked
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.meetings import (
    THRESHOLD_CHOICES,
    TOPIC_CHOICES,
    MeetingFormState,
    MeetingListState,
    MeetingMeterState,
)
from ag_app.state.meetings import MeetingPageState as S

CHOICE_LABELS = [
    ("for", label("ui.common.za")),
    ("against", label("ui.common.protiv")),
    ("abstain", label("ui.meetings.vozderzhalsia")),
]


# ----------------------------------------------------------------------------------------------
# /house/meetings


def _meeting_card(row: rx.Var) -> rx.Component:
    return card(
        rx.heading(rx.link(row["address"], href="/house/meetings/" + row["id"]), as_="h2", size="4"),
        rx.flex(
            rx.badge(row["state"], variant="soft", color_scheme="blue"),
            rx.text(row["period"], size="2"),
            spacing="3",
            wrap="wrap",
            align="center",
            margin_top="0.4em",
        ),
        rx.text(row["questions"], size="2", color_scheme="gray", as_="p"),
    )


def list_page() -> rx.Component:
    """``/house/meetings``."""
    L = MeetingListState
    return page_layout(
        label("ui.common.sobraniia_sobstvennikov"),
        rx.cond(
            L.loaded,
            rx.cond(
                L.logged_in,
                rx.box(
                    rx.cond(
                        L.can_file,
                        rx.link(
                            label("ui.meetings.podat_zaiavku_na_sobranie"),
                            href="/house/meetings/new",
                            id="file-meeting",
                        ),
                    ),
                    rx.cond(
                        L.rows.length() > 0,
                        rx.flex(
                            rx.foreach(L.rows, _meeting_card),
                            direction="column",
                            spacing="3",
                            margin_top="1em",
                        ),
                        empty(message("ui.meetings.sobranii_v_vashikh_domakh_poka")),
                    ),
                ),
                rx.text(
                    rx.link(label("ui.poll.voidite"), href="/login"),
                    message("ui.meetings.chtoby_uvidet_sobraniia_sobstvennikov_svoego"),
                    as_="p",
                ),
            ),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/meetings/new


def _agenda_item(item: rx.Var, index: rx.Var) -> rx.Component:
    F = MeetingFormState
    number = (index + 1).to_string()
    return card(
        rx.heading(label("ui.meetings.vopros") + number, as_="h3", size="3"),
        rx.flex(
            rx.el.label(
                label("ui.meetings.tekst_voprosa") + number,
                html_for="item-text-" + number,
                style={"fontWeight": "500"},
            ),
            rx.text_area(
                id="item-text-" + number,
                value=item["text"],
                on_change=lambda v: F.set_item(index, "text", v),
                rows="3",
                width="100%",
                **marked(F.invalid_fields, "question-" + number, "agenda"),
            ),
            rx.el.label(
                label("ui.meetings.tema_voprosa") + number,
                html_for="item-topic-" + number,
                style={"fontWeight": "500"},
            ),
            static_select(
                "item-topic-" + number,
                TOPIC_CHOICES,
                value=item["topic"],
                on_change=lambda v: F.set_item(index, "topic", v),
                **aria_invalid(F.invalid_fields, "question-" + number),
            ),
            rx.el.label(
                label("ui.meetings.porog_priniatiia_voprosa") + number,
                html_for="item-threshold-" + number,
                style={"fontWeight": "500"},
            ),
            static_select(
                "item-threshold-" + number,
                THRESHOLD_CHOICES,
                value=item["threshold"],
                on_change=lambda v: F.set_item(index, "threshold", v),
                **aria_invalid(F.invalid_fields, "question-" + number),
            ),
            rx.button(
                label("ui.meetings.udalit_vopros") + number,
                type="button",
                variant="soft",
                color_scheme="red",
                on_click=F.remove_item(index),
                id="item-remove-" + number,
            ),
            direction="column",
            spacing="2",
            align="start",
        ),
        **group_mark(F.invalid_fields, "question-" + number),
    )


def new_page() -> rx.Component:
    """``/house/meetings/new``."""
    F = MeetingFormState
    return page_layout(
        label("ui.meetings.zaiavka_na_obshchee_sobranie_sobstvennikov"),
        feedback(F.error, F.notice),
        rx.cond(
            F.loaded,
            rx.box(
                rx.foreach(F.refusals, lambda r: rx.text(r, as_="p", size="2", color_scheme="gray")),
                rx.cond(
                    F.houses.length() > 0,
                    rx.flex(
                        rx.text(
                            message("ui.meetings.sobstvenniki_budut_uvedomleny_srazu_posle"),
                            as_="p",
                        ),
                        field(
                            label("ui.renovation.dom"),
                            rx.el.select(
                                rx.foreach(F.houses, lambda h: rx.el.option(h["address"], value=h["id"])),
                                id="meeting-house",
                                value=F.house_id,
                                on_change=lambda v: F.set_field("house_id", v),
                                style={"width": "100%", "padding": "0.5em"},
                                **aria_invalid(F.invalid_fields, "house"),
                            ),
                            "meeting-house",
                        ),
                        section(
                            label("ui.meetings.povestka_dnia"),
                            rx.flex(rx.foreach(F.items, _agenda_item), direction="column", spacing="3"),
                            rx.button(
                                label("ui.meetings.dobavit_vopros"),
                                type="button",
                                on_click=F.add_item,
                                id="item-add",
                                margin_top="0.6em",
                            ),
                        ),
                        field(
                            message("ui.meetings.nachalo_golosovaniia_msk"),
                            text_input(
                                "meeting-starts",
                                type="datetime-local",
                                value=F.starts,
                                on_change=lambda v: F.set_field("starts", v),
                                **marked(F.invalid_fields, "starts", "period"),
                            ),
                            "meeting-starts",
                        ),
                        field(
                            message("ui.meetings.okonchanie_golosovaniia_msk"),
                            text_input(
                                "meeting-ends",
                                type="datetime-local",
                                value=F.ends,
                                on_change=lambda v: F.set_field("ends", v),
                                **marked(F.invalid_fields, "ends", "period"),
                            ),
                            "meeting-ends",
                        ),
                        field(
                            label("ui.meetings.adres_priema_bumazhnykh_reshenii"),
                            text_input(
                                "meeting-address",
                                value=F.address,
                                on_change=lambda v: F.set_field("address", v),
                                **marked(F.invalid_fields, "address"),
                            ),
                            "meeting-address",
                        ),
                        rx.button(
                            label("ui.common.podat_zaiavku"), on_click=F.submit, id="meeting-submit", size="3"
                        ),
                        direction="column",
                        spacing="3",
                        margin_top="1em",
                    ),
                    empty(message("ui.meetings.provesti_sobranie_mogut_sobstvenniki_pomeshcheni")),
                ),
            ),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/meetings/[meeting_id]


def _facts() -> rx.Component:
    return rx.box(
        rx.flex(rx.badge(S.state_name, variant="soft", color_scheme="blue", id="meeting-state"), spacing="2"),
        rx.text(
            label("ui.meetings.dom"),
            S.address,
            " (",
            S.district,
            ")",
            as_="p",
            margin_top="0.5em",
            id="meeting-address",
        ),
        rx.text(label("ui.meetings.initsiator"), S.initiator, as_="p", size="2"),
        rx.text(label("ui.meetings.sobstvenniki_uvedomleny"), S.notified, as_="p", size="2"),
        rx.text(label("ui.common.golosovanie_2"), S.period, as_="p", size="2"),
        rx.text(
            label("ui.meetings.bumazhnye_resheniia_prinimaiutsia_po_adresu"),
            S.in_person_address,
            as_="p",
            size="2",
        ),
    )


def _meter_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["number"], scope="row", style=CELL),
        rx.el.td(row["for"], style=CELL),
        rx.el.td(row["against"], style=CELL),
        rx.el.td(row["abstain"], style=CELL),
        rx.el.td(row["needed"], id="meter-needed-" + row["number"], style=CELL),
    )


def _meter() -> rx.Component:
    M = MeetingMeterState
    return section(
        label("ui.meetings.khod_golosovaniia"),
        rx.text(M.collected, as_="p", id="meter-collected"),
        rx.box(
            rx.box(width=M.collected_width, height="100%", background="var(--accent-9)", border_radius="4px"),
            # The quorum line: half of all votes of the house.
            rx.box(
                position="absolute",
                left="50%",
                top="-4px",
                bottom="-4px",
                width="2px",
                background="var(--gray-12)",
            ),
            position="relative",
            height="14px",
            background="var(--gray-4)",
            border_radius="4px",
            margin_y="0.6em",
            role="img",
            aria_label=M.collected,
        ),
        rx.text(M.quorum_text, as_="p", id="meter-quorum", weight="medium"),
        rx.text(M.owners_text, as_="p", size="2", color_scheme="gray", id="meter-owners"),
        scroll_table(
            label("ui.meetings.itogi_po_voprosam_m"),
            [
                label("ui.common.vopros"),
                label("ui.common.za"),
                label("ui.common.protiv"),
                label("ui.meetings.vozderzhalsia"),
                label("ui.meetings.do_priniatiia"),
            ],
            M.questions,
            _meter_row,
            id_="meter-table",
        ),
        aria_live="polite",
        id="meter",
    )


def _choices(q: rx.Var) -> rx.Component:
    return rx.radio_group.root(
        rx.flex(
            *[
                rx.el.label(
                    rx.flex(
                        rx.radio_group.item(value=value, id="choice-" + q["id"] + "-" + value),
                        rx.text(text),
                        spacing="2",
                        align="center",
                    ),
                    style={"cursor": "pointer"},
                )
                for value, text in CHOICE_LABELS
            ],
            spacing="4",
            wrap="wrap",
        ),
        value=q["picked"],
        on_change=lambda v: S.pick(q["id"], v),
        aria_labelledby="question-" + q["id"],
        size="3",
    )


def _question(q: rx.Var) -> rx.Component:
    return card(
        rx.heading(label("ui.meetings.vopros") + q["number"], as_="h3", size="3", id="question-" + q["id"]),
        rx.text(q["text"], as_="p", white_space="pre-wrap"),
        rx.text(label("ui.common.tema"), q["topic"], as_="p", size="2", color_scheme="gray"),
        rx.text(label("ui.meetings.porog"), q["threshold"], as_="p", size="2", color_scheme="gray"),
        rx.cond(
            q["mine"] != "",
            rx.text(
                label("ui.meetings.vashe_reshenie"),
                rx.text.strong(q["mine"]),
                as_="p",
                margin_top="0.4em",
                id="mine-" + q["number"],
            ),
            rx.cond(S.can_vote, rx.box(_choices(q), margin_top="0.5em")),
        ),
    )


def _protocol() -> rx.Component:
    return rx.cond(
        S.protocol_sha256 != "",
        section(
            label("ui.meetings.protokol_sobraniia"),
            rx.link(
                message("ui.common.skachat_protokol_pdf"),
                href=S.protocol_url,
                is_external=False,
                reload_document=True,
                id="protocol-link",
            ),
            rx.text(
                label("ui.meetings.sha_256_faila_protokola"),
                rx.code(S.protocol_sha256, id="protocol-sha"),
                as_="p",
                size="2",
                margin_top="0.5em",
            ),
        ),
    )


def meeting_page() -> rx.Component:
    """``/house/meetings/[meeting_id]``."""
    return page_layout(
        label("ui.meetings.obshchee_sobranie_sobstvennikov"),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                rx.box(
                    _facts(),
                    _meter(),
                    _protocol(),
                    section(
                        label("ui.meetings.povestka_dnia"),
                        rx.cond(
                            S.cannot_vote_reason != "",
                            rx.callout(
                                S.cannot_vote_reason, icon="info", color_scheme="gray", id="cannot-vote"
                            ),
                        ),
                        rx.flex(
                            rx.foreach(S.agenda, _question),
                            direction="column",
                            spacing="3",
                            margin_top="0.6em",
                        ),
                        rx.cond(
                            S.can_vote,
                            rx.box(
                                rx.text(
                                    message("ui.meetings.reshenie_po_voprosu_okonchatel_noe"),
                                    as_="p",
                                    size="2",
                                    color_scheme="gray",
                                ),
                                rx.button(
                                    label("ui.meetings.otpravit_resheniia"),
                                    on_click=S.send,
                                    id="send-decisions",
                                    size="3",
                                    margin_top="0.4em",
                                ),
                                margin_top="0.8em",
                            ),
                        ),
                    ),
                ),
            ),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


PAGES = [
    (
        "/house/meetings",
        list_page,
        label("ui.common.sobraniia_sobstvennikov"),
        [SessionState.refresh, MeetingListState.load],
    ),
    (
        "/house/meetings/new",
        new_page,
        label("ui.meetings.zaiavka_na_sobranie_sobstvennikov"),
        [SessionState.refresh, MeetingFormState.load],
    ),
    (
        "/house/meetings/[meeting_id]",
        meeting_page,
        label("ui.meetings.sobranie_sobstvennikov"),
        [SessionState.refresh, S.load],
    ),
]
