"""«Акция»: the campaign, the citizen's own state and actions, the draws and how to verify them (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    scroll_table,
    section,
    stat,
    static_select,
    submit,
)
from ag_app.components.layout import page_layout
from ag_app.domain.promo import CATEGORIES
from ag_app.i18n import label, message
from ag_app.services.promo.citizen import REASON_LIMIT
from ag_app.state.base import SessionState
from ag_app.state.promo import PARTICIPANTS_FILE, WINNERS_FILE, PromoState

# Long hashes and seeds wrap anywhere on a narrow screen instead of widening the table.
HASH = {**CELL, "fontFamily": "monospace", "fontSize": "0.85em", "wordBreak": "break-all", "minWidth": "14ch"}
NOWRAP = {**CELL, "whiteSpace": "nowrap"}
CATEGORY_OPTIONS = [("", label("ui.promo.vyberite_kategoriiu")), *CATEGORIES.items()]


def _checkbox(id_: str, text: str) -> rx.Component:
    """A required-by-the-service consent tick box (sent as ``accept``)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name="accept"),
        " ",
        text,
        html_for=id_,
        style={"display": "flex", "gap": "0.5em", "alignItems": "flex-start"},
    )


def scroll_cue() -> rx.Component:
    """The visible hint on a phone that a wide table scrolls sideways."""
    return rx.text(
        label("ui.promo.tablitsa_shire_ekrana_prokrutite_ee"),
        size="1",
        color_scheme="gray",
        as_="p",
        display=rx.breakpoints(initial="block", md="none"),
    )


# ------------------------------------------------------------------------------------ the campaign


def _about() -> rx.Component:
    S = PromoState
    return rx.box(
        rx.heading(S.title, as_="h2", size="5", id="promo-title"),
        rx.text(S.summary, as_="p", id="promo-summary", margin_y="0.5em"),
        rx.text(label("ui.promo.seichas"), rx.text.strong(S.phase_name), as_="p", id="promo-phase"),
    )


def _deadline_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(rx.el.td(row["label"], style=CELL), rx.el.td(row["text"], style=NOWRAP))


def _deadlines() -> rx.Component:
    return section(
        label("ui.common.sroki"),
        scroll_table(
            message("ui.promo.etapy_i_sroki_aktsii_vremia"),
            [label("ui.promo.etap"), label("ui.promo.srok")],
            PromoState.deadlines,
            _deadline_row,
            id_="promo-deadlines",
        ),
    )


# ------------------------------------------------------------------------------------ own state


def _guest() -> rx.Component:
    return rx.callout(
        rx.text(
            message("ui.promo.voidite_chtoby_uznat_svoi_status"),
            rx.link(label("ui.contest.voiti"), href="/login", id="promo-login"),
        ),
        icon="info",
        color_scheme="gray",
        id="promo-guest",
    )


def _facts() -> rx.Component:
    S = PromoState
    return rx.box(
        rx.text(S.status_text, as_="p", size="4", weight="medium", id="promo-status"),
        rx.cond(
            S.code != "",
            rx.text(label("ui.promo.vash_unikal_nyi_kod"), rx.text.strong(S.code, id="promo-code"), as_="p"),
        ),
        rx.cond(
            S.key != "",
            rx.text(
                label("ui.promo.vash_kliuch_v_opublikovannykh_spiskakh"),
                rx.code(
                    S.key,
                    id="promo-key",
                    color_scheme="gray",
                    high_contrast=True,
                    style={"wordBreak": "break-all"},
                ),
                as_="p",
            ),
        ),
        rx.cond(
            S.draw_on != "",
            rx.text(label("ui.promo.data_rozygrysha"), S.draw_on, as_="p", id="promo-draw-on"),
        ),
        rx.cond(
            S.category_name != "",
            rx.text(
                label("ui.promo.kategoriia_rozygrysha"), S.category_name, as_="p", id="promo-category-name"
            ),
        ),
        rx.el.ul(rx.foreach(S.prizes, lambda line: rx.el.li(line)), id="promo-prizes"),
        rx.cond(
            S.show_balance,
            rx.grid(
                stat(S.balance, message("ui.promo.prizovye_bally_na_schete_1"), "promo-balance"),
                rx.cond(
                    S.discount != "", stat(S.discount, label("ui.promo.skidka_v_kategorii"), "promo-discount")
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                margin_y="0.6em",
            ),
        ),
        rx.cond(
            S.notes.length() > 0,
            rx.box(
                rx.foreach(
                    S.notes,
                    lambda note: rx.callout(note, icon="info", color_scheme="gray", margin_y="0.4em"),
                ),
                id="promo-notes",
            ),
        ),
    )


def _activate() -> rx.Component:
    S = PromoState
    return card(
        rx.heading(label("ui.promo.vy_pobeditel"), as_="h3", size="4"),
        rx.text(label("ui.promo.pravila_polucheniia_priza"), as_="p", weight="medium", margin_top="0.4em"),
        rx.text(S.prize_rules, as_="p", size="2", id="promo-prize-rules", margin_bottom="0.6em"),
        rx.form(
            rx.flex(
                _checkbox("promo-accept-prize", message("ui.promo.ia_oznakomilsia_as_s_pravilami")),
                submit(label("ui.promo.aktivirovat_kod"), "promo-activate"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.activate,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-activate",
        ),
        id="promo-winner",
    )


def _exchange_links() -> rx.Component:
    S = PromoState
    return rx.flex(
        rx.cond(
            S.can_exchange,
            rx.link(
                label("ui.common.obmeniat_bally"),
                href=PromoState.exchange_href,
                id="promo-exchange",
                weight="bold",
            ),
        ),
        rx.cond(
            S.can_choose_gift,
            rx.link(
                label("ui.promo.vybrat_podarok"),
                href=PromoState.exchange_href + "&gift=1",
                id="promo-gift",
                weight="bold",
            ),
        ),
        spacing="4",
        wrap="wrap",
        margin_y="0.4em",
    )


def _category() -> rx.Component:
    S = PromoState
    return card(
        rx.heading(label("ui.promo.rozygrysh_v_otdel_nykh_kategoriiakh"), as_="h3", size="4"),
        rx.callout(
            message("ui.promo.kategoriiu_mozhno_vybrat_tol_ko"),
            icon="triangle_alert",
            color_scheme="amber",
            margin_y="0.6em",
            id="promo-category-warning",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.kategoriia"),
                    static_select("promo-category", CATEGORY_OPTIONS, name="category"),
                    "promo-category",
                ),
                submit(label("ui.promo.zaregistrirovat_sia"), "promo-category-submit"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.choose_category,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-category",
        ),
    )


def _opt_out() -> rx.Component:
    S = PromoState
    return card(
        rx.heading(label("ui.promo.otkaz_ot_uchastiia"), as_="h3", size="4"),
        rx.text(
            message("ui.promo.uchastie_dobrovol_noe_otkaz_mozhno"),
            as_="p",
            size="2",
            margin_bottom="0.6em",
        ),
        rx.form(
            rx.flex(
                field(
                    message("ui.promo.prichina_otkaza_neobiazatel_no"),
                    rx.text_area(
                        id="promo-reason", name="reason", rows="3", max_length=REASON_LIMIT, width="100%"
                    ),
                    "promo-reason",
                    hint=message("ui.promo.ne_bol_she_simvolov", REASON_LIMIT=REASON_LIMIT),
                ),
                submit(
                    label("ui.promo.otkazat_sia_ot_uchastiia"),
                    "promo-opt-out",
                    variant="soft",
                    color_scheme="gray",
                ),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.opt_out,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-opt-out",
        ),
    )


def _opt_in() -> rx.Component:
    S = PromoState
    return card(
        rx.heading(label("ui.promo.vernut_sia_v_aktsiiu"), as_="h3", size="4"),
        rx.form(
            rx.flex(
                _checkbox("promo-accept-rules", message("ui.promo.ia_oznakomilsia_as_s_poriadkom")),
                submit(label("ui.promo.stat_uchastnikom_aktsii"), "promo-opt-in"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.opt_in,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-opt-in",
        ),
    )


def _own() -> rx.Component:
    S = PromoState
    return rx.flex(
        _facts(),
        rx.cond(S.can_activate, _activate()),
        _exchange_links(),
        rx.cond(S.can_choose_category, _category()),
        rx.cond(S.can_opt_out, _opt_out()),
        rx.cond(S.can_opt_in, _opt_in()),
        direction="column",
        spacing="3",
    )


def _me() -> rx.Component:
    return section(label("ui.promo.vash_status"), rx.cond(PromoState.has_me, _own(), _guest()), id="promo-me")


# ------------------------------------------------------------------------------------ the draws


def _list_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["participants_url"] != "",
        rx.flex(
            rx.text(label("ui.promo.uchastnikov"), row["list_count"]),
            rx.text("SHA-256: ", rx.el.span(row["list_sha256"], style=HASH)),
            rx.link(row["participants_file"], href=row["participants_url"], reload_document=True),
            direction="column",
            spacing="1",
        ),
        rx.text(label("ui.promo.opublikuetsia_posle_zakrytiia_okna"), color_scheme="gray"),
    )


def _result_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["seed"] != "",
        rx.flex(
            rx.text(label("ui.promo.zerno"), rx.el.span(row["seed"], style=HASH)),
            rx.cond(row["entropy"] != "", rx.text(label("ui.promo.publichnaia_sluchainost"), row["entropy"])),
            rx.text(label("ui.promo.pobeditelei"), row["winners_count"]),
            rx.link(row["winners_file"], href=row["winners_url"], reload_document=True),
            direction="column",
            spacing="1",
        ),
        rx.text(label("ui.promo.zerno_raskryvaetsia_pri_rozygryshe"), color_scheme="gray"),
    )


def _draw_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["title"], style=CELL),
        rx.el.td(row["window"], style=NOWRAP),
        rx.el.td(row["due"], style=CELL),
        rx.el.td(row["prizes"], style=CELL),
        rx.el.td(row["state_name"], style=CELL),
        rx.el.td(row["commitment"], style=HASH),
        rx.el.td(_list_cell(row), style={**CELL, "minWidth": "16ch"}),
        rx.el.td(_result_cell(row), style={**CELL, "minWidth": "16ch"}),
        id="promo-draw-" + row["id"],
    )


def _draws() -> rx.Component:
    return section(
        label("ui.promo.rozygryshi"),
        rx.text(
            message("ui.promo.do_zakrytiia_okna_publikuetsia_obiazatel"),
            as_="p",
            size="2",
        ),
        scroll_cue(),
        scroll_table(
            message("ui.promo.rozygryshi_aktsii_vremia_moskovskoe"),
            [
                label("ui.promo.rozygrysh"),
                label("ui.promo.okno_priema"),
                label("ui.promo.provoditsia"),
                label("ui.promo.prizy_ballov"),
                label("ui.common.sostoianie"),
                message("ui.promo.obiazatel_stvo_sha_256_zerna"),
                label("ui.promo.spisok_uchastnikov"),
                label("ui.promo.zerno_i_rezul_tat"),
            ],
            PromoState.draws,
            _draw_row,
            id_="promo-draws",
        ),
    )


def _check(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(row["title"], label("ui.promo.okno"), row["window"], as_="p", weight="medium"),
        rx.el.pre(
            row["command"],
            style={
                "whiteSpace": "pre-wrap",
                "wordBreak": "break-all",
                "fontSize": "0.85em",
                "padding": "0.6em",
                "background": "var(--gray-3)",
                "borderRadius": "6px",
            },
        ),
        id="promo-check-" + row["id"],
        margin_y="0.6em",
    )


def _checks() -> rx.Component:
    return section(
        label("ui.promo.kak_proverit_rozygrysh"),
        rx.text(
            message(
                "ui.promo.skachaite_spisok_uchastnikov_i_rezul",
                PARTICIPANTS_FILE=PARTICIPANTS_FILE,
                WINNERS_FILE=WINNERS_FILE,
            ),
            as_="p",
            size="2",
        ),
        rx.cond(
            PromoState.checks.length() > 0,
            rx.box(rx.foreach(PromoState.checks, _check), id="promo-checks"),
            empty(message("ui.promo.komanda_dlia_proverki_poiavitsia_posle")),
        ),
    )


def promo_page() -> rx.Component:
    S = PromoState
    return page_layout(
        label("ui.promo.aktsiia"),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.has_campaign,
                rx.box(_about(), _me(), _deadlines(), _draws(), _checks()),
                empty(message("promo.page_no_campaign")),
            ),
        ),
    )


PAGES = [
    ("/promo", promo_page, label("ui.promo.aktsiia"), [SessionState.refresh, PromoState.load]),
]
