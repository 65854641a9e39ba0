"""``/house/polls/mine``: the initiator's applications, their status and results."""

import reflex as rx

from ag_app.components.common import card, empty, feedback
from ag_app.components.house_polls import notes_table, results_block
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.pages.house_polls.nav import house_links, login_hint
from ag_app.state.house_polls.mine import MyHousePollsState


def _application(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row.kind_name, variant="soft", color_scheme="gray"),
            rx.badge(
                row.status_name,
                variant="soft",
                color_scheme=rx.cond(
                    row.status == "refused", "red", rx.cond(row.status == "moderation", "amber", "green")
                ),
            ),
            spacing="2",
        ),
        rx.heading(row.title, as_="h2", size="4", margin_y="0.4em"),
        rx.text(row.address, as_="p", size="2"),
        rx.text(label("ui.poll.sroki"), row.period, as_="p", size="2"),
        rx.text(label("ui.common.podana"), row.filed, as_="p", size="2", color_scheme="gray"),
        rx.cond(
            row.status == "moderation",
            rx.text(
                label("ui.mine.reshenie_moderatora_do"), row.due, message("ui.common.msk"), as_="p", size="2"
            ),
        ),
        rx.cond(
            row.reasons.length() > 0,
            rx.box(
                rx.text(label("ui.mine.prichiny_otkaza"), as_="p", weight="medium", margin_top="0.5em"),
                rx.el.ul(rx.foreach(row.reasons, lambda reason: rx.el.li(reason))),
            ),
        ),
        rx.cond(
            row.approved,
            rx.box(
                rx.heading(label("ui.mine.rezultaty"), as_="h3", size="3", margin_top="0.8em"),
                results_block(row.results, row.participants, "hp-mine-results-" + row.id),
                rx.heading(
                    label("ui.common.kvartiry_i_kommentarii_uchastnikov"),
                    as_="h3",
                    size="3",
                    margin_top="0.8em",
                ),
                rx.cond(
                    row.notes.length() > 0,
                    notes_table(row.notes, "hp-mine-notes-" + row.id),
                    empty(message("ui.mine.uchastniki_poka_ne_ostavili_nomerov")),
                ),
                rx.text(
                    message("ui.mine.kto_imenno_prinyal_uchastie_ne"),
                    as_="p",
                    size="1",
                    color_scheme="gray",
                    margin_top="0.4em",
                ),
            ),
        ),
        id="hp-application-" + row.id,
    )


def mine_page() -> rx.Component:
    """``/house/polls/mine``."""
    S = MyHousePollsState
    return page_layout(
        label("ui.common.moi_zayavki"),
        house_links(),
        feedback(S.error, S.notice),
        login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.cond(
                S.applications.length() > 0,
                rx.flex(rx.foreach(S.applications, _application), direction="column", spacing="3"),
                empty(message("ui.mine.vy_eshche_ne_podavali_zayavok")),
            ),
        ),
    )
