"""``/house/polls/[poll_id]``: a house poll or informing — taking part and results."""

import reflex as rx

from ag_app.components.common import card, feedback, field, section
from ag_app.components.house_polls import results_block
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.pages.house_polls.nav import house_links
from ag_app.state.house_polls.poll import HousePollState
from ag_app.state.house_polls.rows import APARTMENT_LIMIT, COMMENT_LIMIT


def _option_input(question: rx.Var, option: rx.Var) -> rx.Component:
    S = HousePollState
    return rx.el.label(
        rx.flex(
            rx.cond(
                question.multiple,
                rx.el.input(
                    type="checkbox",
                    id="hp-option-" + option.id,
                    checked=S.chosen.contains(option.key),
                    on_change=lambda checked: S.toggle(question.id, option.id, checked),
                ),
                rx.el.input(
                    type="radio",
                    name="hp-question-" + question.id,
                    id="hp-option-" + option.id,
                    checked=S.chosen.contains(option.key),
                    on_change=S.choose(question.id, option.id),
                ),
            ),
            rx.text(option.text),
            spacing="2",
            align="center",
        ),
        style={"cursor": "pointer"},
    )


def _question(question: rx.Var) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(
            question.number,
            ". ",
            question.text,
            rx.cond(question.multiple, message("ui.poll.mozhno_vybrat_neskolko"), ""),
            style={"fontWeight": "600", "marginBottom": "0.4em"},
        ),
        rx.flex(
            rx.foreach(question.options, lambda o: _option_input(question, o)),
            direction="column",
            spacing="2",
        ),
        style={"border": "none", "padding": "0", "margin": "0 0 1em 0"},
    )


def _rating() -> rx.Component:
    S = HousePollState
    return rx.el.fieldset(
        rx.el.legend(
            label("ui.poll.vasha_otsenka_soobshcheniya"), style={"fontWeight": "600", "marginBottom": "0.4em"}
        ),
        rx.flex(
            *[
                rx.el.label(
                    rx.flex(
                        rx.el.input(
                            type="radio",
                            name="hp-rating",
                            id=f"hp-rating-{value}",
                            checked=S.rating == value,
                            on_change=S.set_rating(value),
                        ),
                        rx.text(text),
                        spacing="2",
                        align="center",
                    ),
                    style={"cursor": "pointer"},
                )
                for value, text in (
                    ("like", label("house_poll.page_like")),
                    ("dislike", label("house_poll.page_dislike")),
                )
            ],
            spacing="5",
        ),
        style={"border": "none", "padding": "0", "margin": "0 0 1em 0"},
    )


def _participation() -> rx.Component:
    S = HousePollState
    return card(
        rx.cond(S.kind == "poll", rx.foreach(S.questions, _question), _rating()),
        rx.text(
            message("ui.poll.uchastie_anonimno_initsiator_vidit_tolko"),
            as_="p",
            size="2",
            color_scheme="gray",
            margin_bottom="0.6em",
        ),
        field(
            message("ui.poll.nomer_kvartiry_neobyazatelno"),
            rx.input(
                id="hp-apartment",
                value=S.apartment,
                on_change=S.set_apartment,
                max_length=APARTMENT_LIMIT,
                width="10em",
            ),
            "hp-apartment",
        ),
        field(
            message("ui.poll.kommentariy_dlya_initsiatora_neobyazatelno"),
            rx.text_area(
                id="hp-comment", value=S.comment, on_change=S.set_comment, max_length=COMMENT_LIMIT, rows="3"
            ),
            "hp-comment",
        ),
        rx.button(label("ui.poll.otpravit"), on_click=S.submit, size="3", id="hp-submit", margin_top="0.8em"),
        id="hp-participation",
    )


def _poll_view() -> rx.Component:
    S = HousePollState
    return rx.box(
        rx.flex(
            rx.badge(S.kind_name, variant="soft", color_scheme="gray"),
            rx.badge(S.status_name, variant="soft", color_scheme="blue"),
            spacing="2",
        ),
        rx.text(label("ui.meetings.dom"), S.address, as_="p", size="2", margin_top="0.5em"),
        rx.text(label("ui.common.uchastniki"), S.audience, as_="p", size="2"),
        rx.text(label("ui.poll.sroki"), S.period, as_="p", size="2"),
        rx.cond(
            S.message_text != "", rx.text(S.message_text, as_="p", white_space="pre-wrap", margin_top="0.8em")
        ),
        feedback(S.error, S.notice),
        section(
            label("ui.poll.uchastie"),
            rx.cond(
                S.can_participate,
                _participation(),
                rx.callout(S.cannot_reason, icon="info", color_scheme="amber", id="hp-cannot"),
            ),
        ),
        rx.cond(
            S.has_results,
            section(
                rx.cond(S.results_final, label("ui.news.itogi"), label("ui.poll.promezhutochnye_rezul_taty")),
                results_block(S.results, S.participants_text, "hp-results"),
            ),
        ),
    )


def poll_page() -> rx.Component:
    """``/house/polls/[poll_id]``."""
    S = HousePollState
    return page_layout(
        rx.cond(S.found, S.title, label("ui.common.opros_doma")),
        house_links(),
        rx.cond(
            S.found,
            _poll_view(),
            rx.cond(S.loaded, feedback(S.error, ""), rx.text(label("ui.poll.zagruzka"), as_="p")),
        ),
    )
