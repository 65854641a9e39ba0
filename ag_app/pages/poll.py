"""A poll page: description, «Подробнее», experts, the questionnaire, results, decisions, sharing."""

import reflex as rx

from ag_app.components.common import card, feedback, section
from ag_app.components.layout import page_layout
from ag_app.components.poll_stats import poll_stats_block
from ag_app.components.polls import results_view
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.poll import OWN_TEXT_LIMIT
from ag_app.state.poll import PollState as S
from ag_app.state.stats import StatsState


def _facts() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(S.scope, variant="soft", color_scheme="gray"),
            rx.badge(S.state_name, variant="soft", color_scheme="blue"),
            rx.badge(S.points_text, variant="soft", color_scheme="green"),
            spacing="2",
            wrap="wrap",
        ),
        rx.text(label("ui.poll.territoriia"), S.territory, as_="p", size="2", margin_top="0.5em"),
        rx.text(label("ui.poll.sroki"), S.period, as_="p", size="2"),
        rx.text(S.ballots_text, as_="p", size="2", color_scheme="gray"),
    )


def _about() -> rx.Component:
    return rx.box(
        rx.cond(
            S.image_url != "",
            rx.image(
                src=S.image_url,
                alt="",
                width="100%",
                max_height="320px",
                object_fit="cover",
                border_radius="8px",
                margin_y="0.8em",
            ),
        ),
        rx.cond(S.summary != "", rx.text(S.summary, as_="p", size="4", margin_top="0.8em")),
        rx.cond(
            S.details != "",
            rx.el.details(
                rx.el.summary(
                    label("ui.poll.podrobnee"),
                    style={"cursor": "pointer", "fontWeight": "600", "marginTop": "0.8em"},
                    id="details-toggle",
                ),
                rx.text(S.details, as_="p", white_space="pre-wrap", margin_top="0.5em"),
            ),
        ),
    )


def _expert(row: rx.Var) -> rx.Component:
    return card(
        rx.heading(row["name"], as_="h3", size="3"),
        rx.cond(row["title"] != "", rx.text(row["title"], size="2", color_scheme="gray", as_="p")),
        rx.text(row["text"], as_="p", white_space="pre-wrap", margin_top="0.4em"),
    )


def _radio_options() -> rx.Component:
    return rx.radio_group.root(
        rx.flex(
            rx.foreach(
                S.q_options,
                lambda o: rx.el.label(
                    rx.flex(
                        rx.radio_group.item(value=o["id"], id="option-" + o["id"]),
                        rx.text(o["text"]),
                        spacing="2",
                        align="center",
                    ),
                    style={"cursor": "pointer"},
                ),
            ),
            direction="column",
            spacing="3",
        ),
        value=S.single_value,
        on_change=S.choose_single,
        aria_labelledby="question-text",
        size="3",
    )


def _check_options() -> rx.Component:
    return rx.flex(
        rx.text(
            label("ui.poll.mozhno_vybrat_ne_bol_she"),
            S.q_max.to_string(),
            message("ui.poll.variantov"),
            size="2",
            color_scheme="gray",
            as_="p",
            id="max-choices",
        ),
        rx.foreach(
            S.q_options,
            lambda o: rx.checkbox(
                o["text"],
                checked=S.selected.contains(o["id"]),
                on_change=lambda checked: S.toggle_option(o["id"], checked),
                id="option-" + o["id"],
                size="3",
            ),
        ),
        direction="column",
        spacing="3",
        role="group",
        aria_labelledby="question-text",
    )


def _own_text() -> rx.Component:
    return rx.cond(
        S.own_selected,
        rx.flex(
            rx.el.label(label("ui.common.svoi_variant"), html_for="own-text", style={"fontWeight": "500"}),
            rx.text_area(
                id="own-text",
                value=S.own_text,
                on_change=S.set_own_text,
                max_length=OWN_TEXT_LIMIT,
                rows="4",
                width="100%",
                aria_describedby="own-text-counter",
            ),
            rx.text(
                S.own_text.length().to_string(),
                f" / {OWN_TEXT_LIMIT}",
                size="1",
                color_scheme="gray",
                id="own-text-counter",
            ),
            direction="column",
            spacing="1",
            margin_top="0.8em",
        ),
    )


def _questionnaire() -> rx.Component:
    return card(
        rx.text(S.progress_text, size="2", color_scheme="gray", as_="p", id="question-progress"),
        rx.heading(S.q_text, as_="h3", size="4", id="question-text", margin_y="0.6em"),
        rx.cond(S.q_multiple, _check_options(), _radio_options()),
        _own_text(),
        feedback(S.error, ""),
        rx.flex(
            rx.button(
                label("ui.poll.nazad"),
                on_click=S.previous_question,
                disabled=S.step == 0,
                variant="soft",
                size="3",
                id="prev-question",
            ),
            rx.cond(
                S.is_last,
                rx.button(
                    label("ui.poll.zavershit_golosovanie"), on_click=S.finish, size="3", id="finish-vote"
                ),
                rx.button(label("ui.poll.dalee"), on_click=S.next_question, size="3", id="next-question"),
            ),
            spacing="3",
            margin_top="1em",
            wrap="wrap",
        ),
        id="questionnaire",
    )


def _vote() -> rx.Component:
    return section(
        label("ui.common.golosovanie"),
        rx.cond(
            S.success != "",
            rx.callout(
                S.success,
                icon="circle_check",
                color_scheme="green",
                role="status",
                id="vote-success",
                size="3",
            ),
        ),
        rx.cond(
            S.can_vote,
            _questionnaire(),
            rx.cond(
                S.success == "",
                rx.box(
                    rx.callout(S.cannot_vote_reason, icon="info", color_scheme="amber", id="cannot-vote"),
                    rx.cond(
                        S.invite_login,
                        rx.text(
                            rx.link(label("ui.poll.voidite"), href=f"/login?next=%2Fpolls%2F{S.pid}"),
                            message("ui.poll.chtoby_progolosovat"),
                            as_="p",
                            margin_top="0.5em",
                            id="poll-login-invite",
                        ),
                    ),
                    rx.cond(
                        S.results_final,
                        rx.link(
                            label("ui.poll.smotret_itogi_golosovaniia"),
                            href="#poll-results-section",
                            id="poll-results-link",
                            display="inline-block",
                            margin_top="0.5em",
                        ),
                    ),
                ),
            ),
        ),
    )


def _decision(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.badge(
            row["status_name"],
            color_scheme=rx.cond(row["status"] == "implemented", "green", "blue"),
            variant="soft",
        ),
        rx.text(" ", row["date"], size="2", color_scheme="gray"),
        rx.text(row["text"], as_="p", white_space="pre-wrap", margin_top="0.3em"),
        style={"listStyle": "none", "marginBottom": "0.8em"},
    )


def _share_link(row: rx.Var) -> rx.Component:
    return rx.link(
        row["name"],
        href=row["href"],
        is_external=True,
        on_click=S.share(row["network"]),
        id="share-" + row["network"],
        aria_label=label("ui.poll.podelit_sia_v") + row["name"] + message("ui.poll.otkroetsia_v_novom_okne"),
        underline="none",
        padding="0.35em 0.9em",
        border="1px solid var(--accent-8)",
        border_radius="6px",
        size="2",
        weight="medium",
    )


def _share() -> rx.Component:
    return section(
        label("ui.poll.podelit_sia"),
        rx.flex(
            rx.foreach(S.share_links, _share_link),
            rx.button(
                "MAX",
                variant="outline",
                size="2",
                on_click=S.share("max"),
                id="share-max",
                aria_label=label("ui.poll.skopirovat_ssylku_dlia_max"),
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            S.share_message != "",
            rx.text(S.share_message, as_="p", role="status", margin_top="0.5em", id="share-message"),
        ),
    )


def _poll() -> rx.Component:
    return rx.box(
        _facts(),
        _about(),
        rx.cond(
            S.experts.length() > 0,
            section(
                label("ui.poll.mneniia_ekspertov"),
                rx.flex(rx.foreach(S.experts, _expert), direction="column", spacing="3"),
            ),
        ),
        _vote(),
        rx.cond(
            S.has_results,
            rx.box(
                section(
                    rx.cond(
                        S.results_final,
                        label("ui.poll.itogi_golosovaniia"),
                        label("ui.poll.promezhutochnye_rezul_taty"),
                    ),
                    results_view(S.results, S.results_final, S.results_caption),
                ),
                id="poll-results-section",
            ),
        ),
        poll_stats_block(),
        rx.cond(
            S.open_data_hash != "",
            section(
                label("ui.poll.otkrytye_dannye"),
                rx.text(
                    label("ui.poll.massiv_uchtennykh_golosov_opublikovan_i"),
                    rx.code(S.open_data_hash, id="poll-final-hash", style={"wordBreak": "break-all"}),
                    as_="p",
                ),
                rx.link(
                    label("ui.poll.otkrytye_dannye_i_proverka_svoego"),
                    href=f"/polls/{S.pid}/open-data",
                    id="poll-open-data-link",
                ),
            ),
        ),
        rx.cond(
            S.decisions.length() > 0,
            section(
                label("ui.poll.resheniia_po_itogam"),
                rx.el.ul(rx.foreach(S.decisions, _decision), style={"padding": "0"}),
            ),
        ),
        _share(),
    )


def _outsider() -> rx.Component:
    """A territorial poll seen from a share link by someone outside its territory: no voting."""
    return rx.box(
        rx.badge(S.state_name, variant="soft", color_scheme="blue"),
        rx.text(label("ui.poll.sroki"), S.period, as_="p", size="2", margin_top="0.5em"),
        rx.callout(
            S.who_may_vote, icon="map-pin", color_scheme="blue", id="poll-who-may-vote", margin_top="1em"
        ),
        rx.text(message("poll.outsider_note"), as_="p", size="2", margin_top="0.5em"),
        rx.cond(
            S.invite_login,
            rx.text(
                rx.link(label("ui.poll.voidite"), href=f"/login?next=%2Fpolls%2F{S.pid}"),
                message("ui.poll.esli_vy_zhitel_etoi_territorii"),
                as_="p",
                margin_top="0.5em",
                id="poll-login-invite",
            ),
        ),
        id="poll-outsider",
    )


def poll_page() -> rx.Component:
    return page_layout(
        rx.cond(S.found | S.outsider, S.title, label("ui.common.golosovanie")),
        rx.cond(
            S.found,
            _poll(),
            rx.cond(
                S.outsider,
                _outsider(),
                rx.cond(S.loaded, feedback(S.error, ""), rx.text(label("ui.poll.zagruzka"), as_="p")),
            ),
        ),
        rx.link(label("ui.poll.vse_golosovaniia"), href="/polls", margin_top="2em", display="inline-block"),
    )


PAGES = [
    (
        "/polls/[poll_id]",
        poll_page,
        label("ui.common.golosovanie"),
        [SessionState.refresh, S.load, StatsState.load_poll],
    )
]
