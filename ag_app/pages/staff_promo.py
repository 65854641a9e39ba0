"""``/staff/promo`` «Акция: управление» (staff): the campaign's configuration, its draws with the
published inputs and files, public randomness, and the upload of the voting system's file."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import (
    feedback,
    field,
    native_select,
    panel,
    row_table,
    staff_gate,
    static_select,
)
from ag_app.components.layout import page_layout
from ag_app.components.record_form import INPUT_STYLE, form_input, form_textarea, record_choice
from ag_app.services.promo.config_form import INSTANTS
from ag_app.state.base import SessionState
from ag_app.state.staff_promo import MAX_VOTES_BYTES, VOTES_UPLOAD_ID
from ag_app.state.staff_promo import StaffPromoState as M

FORBIDDEN_TEXT = i18n.message("ui.promo.nedostatochno_prav_upravlenie_aktsiey_dostupno")
_CODE = {"wordBreak": "break-all", "fontSize": "0.85em"}


def promo_staff_nav() -> rx.Component:
    """Links between the campaign's staff pages and the public one."""
    return rx.el.nav(
        rx.flex(
            rx.link(i18n.label("ui.promo.upravlenie"), href="/staff/promo", id="nav-promo-manage"),
            rx.link(i18n.label("menu.stats"), href="/staff/promo/stats", id="nav-promo-stats"),
            rx.link(
                i18n.label("ui.promo.stranitsa_aktsii_dlya_zhiteley"), href="/promo", id="nav-promo-public"
            ),
            spacing="4",
            wrap="wrap",
        ),
        aria_label=i18n.label("ui.promo.razdely_aktsii"),
        style={"margin_bottom": "1em"},
    )


def _choice() -> rx.Component:
    return record_choice(
        i18n.label("menu.promo"),
        select_id="promo-campaign",
        select_label=i18n.label("ui.promo.pokazat_aktsiyu"),
        items=M.campaigns,
        placeholder=i18n.message("ui.promo.novaya_aktsiya_ne_sokhranena"),
        value=M.campaign_id,
        on_change=M.choose_campaign,
        new_label=i18n.label("ui.promo.novaya_aktsiya"),
        new_id="promo-new",
        on_new=M.new_campaign,
    )


def _text_input(name: str, label: str, hint: str = "", **props) -> rx.Component:
    return form_input(M.form, f"promo-{name.replace('_', '-')}", name, label, hint, **props)


def _textarea(name: str, label: str, hint: str = "", rows: str = "4") -> rx.Component:
    return form_textarea(M.form, f"promo-{name.replace('_', '-')}", name, label, hint, rows)


def _instants() -> rx.Component:
    inputs = [
        _text_input(
            name,
            label,
            i18n.label("ui.promo.poslednyaya_vklyuchennaya_minuta") if deadline else "",
            placeholder=i18n.label("ui.promo.dd_mm_gggg_chch_mm"),
            max_length=20,
            input_mode="numeric",
        )
        for name, label, deadline in INSTANTS
    ]
    return rx.el.fieldset(
        rx.el.legend(i18n.message("ui.promo.fazy_i_sroki_vremya_moskovskoe"), style={"fontWeight": "500"}),
        rx.text(
            i18n.message("ui.promo.kazhdyy_moment_v_vide_dd"),
            size="2",
            as_="p",
            margin_bottom="0.5em",
        ),
        rx.grid(*inputs, columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3"),
        style={"border": "1px solid var(--gray-5)", "borderRadius": "var(--radius-2)", "padding": "0.75em"},
    )


def _vote_source() -> rx.Component:
    return rx.grid(
        field(
            i18n.label("ui.promo.istochnik_faktov_golosovaniya"),
            static_select(
                "promo-vote-source",
                [
                    ("import", i18n.label("ui.promo.fayl_sistemy_golosovaniya")),
                    ("poll", i18n.label("ui.promo.golosovanie_platformy")),
                ],
                name="vote_source",
                default_value=M.form["vote_source"],
            ),
            "promo-vote-source",
        ),
        field(
            i18n.label("ui.promo.golosovanie_platformy"),
            native_select(
                "promo-vote-poll",
                M.polls,
                placeholder=i18n.label("ui.promo.ne_vybrano"),
                name="vote_poll_id",
                label_key="title",
                default_value=M.form["vote_poll_id"],
            ),
            "promo-vote-poll",
            i18n.message("ui.promo.tolko_dlya_istochnika_golosovanie_platformy"),
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )


def _config_form() -> rx.Component:
    return panel(
        i18n.label("ui.promo.nastroyki_aktsii"),
        rx.cond(
            M.creating,
            rx.text(i18n.message("ui.promo.novaya_aktsiya_rozygryshi_i_ikh"), size="2", as_="p"),
            rx.text(
                i18n.message("ui.promo.to_chto_opredelyaet_uzhe_zakrytyy"),
                size="2",
                as_="p",
            ),
        ),
        rx.form(
            rx.flex(
                rx.grid(
                    _text_input(
                        "slug",
                        i18n.label("ui.promo.korotkoe_imya"),
                        i18n.label("ui.promo.latinitsa_tsifry_ne_menyaetsya_posle"),
                        max_length=40,
                        read_only=~M.creating,
                    ),
                    _text_input("title", i18n.label("ui.common.nazvanie"), max_length=200),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                _textarea("summary", i18n.label("ui.promo.opisanie_aktsii_dlya_zhiteley")),
                _textarea("prize_rules", i18n.label("ui.promo.pravila_polucheniia_priza")),
                _instants(),
                _textarea(
                    "windows",
                    i18n.label("ui.promo.okna_rozygryshey"),
                    i18n.message("ui.promo.po_stroke_na_okno_poslednyaya"),
                    rows="4",
                ),
                rx.grid(
                    _text_input(
                        "extra_prize", i18n.label("ui.promo.dopolnitelnyy_priz_ballov"), input_mode="numeric"
                    ),
                    _text_input(
                        "category_discount",
                        i18n.label("ui.promo.skidka_v_kategorii_ballov"),
                        input_mode="numeric",
                    ),
                    _text_input(
                        "category_winners",
                        i18n.label("ui.promo.pobediteley_v_kazhdoy_kategorii"),
                        input_mode="numeric",
                    ),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
                _vote_source(),
                rx.button(
                    rx.cond(
                        M.creating,
                        i18n.label("ui.promo.sozdat_aktsiyu"),
                        i18n.label("ui.promo.sokhranit_nastroyki"),
                    ),
                    type="submit",
                    id="promo-save",
                ),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=M.save,
            reset_on_submit=False,
            key=M.form_version.to_string(),
            aria_label=i18n.label("ui.promo.nastroyki_aktsii"),
        ),
    )


def _file_link(text: str, href: rx.Var, id_: rx.Var) -> rx.Component:
    return rx.cond(href != "", rx.el.a(text, href=href, id=id_, download=True, style={"display": "block"}))


def _entropy_form(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["can_entropy"] != "",
        rx.form(
            rx.el.input(type="hidden", name="draw_id", value=row["id"]),
            rx.el.label(
                i18n.label("ui.promo.publichnaya_sluchaynost"),
                html_for="entropy-" + row["id"],
                style={"fontSize": "0.85em"},
            ),
            rx.flex(
                rx.el.input(
                    id="entropy-" + row["id"],
                    name="entropy",
                    default_value=row["entropy"],
                    max_length=200,
                    placeholder=i18n.label("ui.promo.naprimer_12_31_4_7"),
                    style={**INPUT_STYLE, "width": "14em"},
                ),
                rx.button(
                    i18n.label("ui.common.sokhranit"), size="1", type="submit", id="entropy-save-" + row["id"]
                ),
                spacing="2",
                align="center",
            ),
            on_submit=M.set_entropy,
            reset_on_submit=False,
            aria_label=i18n.label("ui.promo.publichnaya_sluchaynost_rozygrysha") + row["id"],
        ),
        rx.cond(
            row["entropy"] != "",
            rx.text(i18n.label("ui.promo.sluchaynost") + row["entropy"], size="1", as_="p"),
        ),
    )


def _draw_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["kind"], weight="medium", as_="p"),
            rx.text(i18n.label("ui.promo.okno_2") + row["window"], size="1", as_="p"),
        ),
        rx.table.cell(
            rx.text(i18n.label("ui.promo.do") + row["ends"], as_="p", size="1"),
            rx.text(i18n.label("ui.promo.rozygrysh_2") + row["due"], as_="p", size="1"),
        ),
        rx.table.cell(row["prizes"]),
        rx.table.cell(rx.el.code(row["commitment"], style=_CODE)),
        rx.table.cell(
            rx.cond(
                row["sha256"] != "",
                rx.fragment(
                    rx.el.code(row["sha256"], style=_CODE),
                    rx.text(i18n.label("ui.promo.uchastnikov") + row["count"], size="1", as_="p"),
                ),
                rx.text("—"),
            )
        ),
        rx.table.cell(rx.text(row["state"], id="draw-state-" + row["id"])),
        rx.table.cell(rx.cond(row["winners"] != "", row["winners"], "—")),
        rx.table.cell(
            _entropy_form(row),
            _file_link(
                i18n.label("ui.promo.spisok_uchastnikov"),
                row["participants_url"],
                "participants-" + row["id"],
            ),
            _file_link(
                i18n.label("ui.contest_results.pobediteli"), row["winners_url"], "winners-" + row["id"]
            ),
        ),
    )


def _draws() -> rx.Component:
    return rx.cond(
        ~M.creating,
        panel(
            i18n.label("ui.promo.rozygryshi"),
            rx.text(
                i18n.message("ui.promo.obyazatelstvo_sha_256_sekretnogo_zerna"),
                size="2",
                as_="p",
                margin_bottom="0.5em",
            ),
            row_table(
                [
                    i18n.label("ui.promo.rozygrysh"),
                    i18n.message("ui.promo.okno_i_srok_msk"),
                    i18n.label("ui.common.prizy"),
                    i18n.label("ui.promo.obyazatelstvo"),
                    i18n.label("ui.promo.spisok_sha_256"),
                    i18n.label("ui.common.sostoianie"),
                    i18n.label("ui.contest_results.pobeditelei"),
                    i18n.label("ui.promo.sluchaynost_i_fayly"),
                ],
                M.draws,
                _draw_row,
                "promo-draws",
                caption=i18n.label("ui.promo.rozygryshi"),
                empty=i18n.message("ui.promo.u_aktsii_net_rozygryshey"),
                empty_id="promo-draws-empty",
            ),
        ),
    )


def _votes() -> rx.Component:
    limit_mb = MAX_VOTES_BYTES // (1024 * 1024)
    return rx.cond(
        ~M.creating,
        panel(
            i18n.label("ui.promo.fakty_golosovaniya"),
            rx.text(
                i18n.label("ui.promo.fayl_sistemy_golosovaniya_utf_8", limit_mb=limit_mb),
                rx.el.code("person;voted_at;channel;first_online"),
                i18n.label("ui.promo.chelovek_snils_ili_telefon_vremya"),
                rx.el.code("online"),
                i18n.label("ui.promo.ili"),
                rx.el.code("terminal"),
                i18n.label("ui.promo.pervoe_onlayn_golosovanie"),
                rx.el.code("yes"),
                i18n.label("ui.promo.ili"),
                rx.el.code("no"),
                i18n.message("ui.promo.stroka_s_oshibkoy_otklonyaet_ves"),
                size="2",
                as_="p",
            ),
            rx.cond(
                M.form["vote_source"] == "poll",
                rx.callout(
                    i18n.message("ui.promo.eta_aktsiya_poluchaet_fakty_golosovaniya"),
                    icon="info",
                    id="promo-votes-from-poll",
                    margin_top="0.5em",
                ),
            ),
            # The dropzone's own file input is unlabeled, so it stays hidden; the labelled button opens it.
            rx.box(
                rx.upload(
                    id=VOTES_UPLOAD_ID,
                    accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]},
                    multiple=False,
                    max_files=1,
                    max_size=MAX_VOTES_BYTES,
                    on_drop=M.upload_votes(rx.upload_files(upload_id=VOTES_UPLOAD_ID)),
                ),
                display="none",
            ),
            rx.button(
                rx.icon("upload", aria_hidden="true"),
                i18n.label("ui.promo.vybrat_fayl_golosov_i_zagruzit"),
                id="promo-votes-choose-file",
                type="button",
                variant="soft",
                on_click=rx.call_script(
                    f"document.querySelector('#{VOTES_UPLOAD_ID} input[type=file]').click()"
                ),
                margin_top="0.5em",
            ),
            rx.cond(
                M.import_lines.length() > 0,
                rx.el.ul(
                    rx.foreach(M.import_lines, lambda line: rx.el.li(line)),
                    id="promo-import-lines",
                    style={"marginTop": "0.5em"},
                ),
            ),
        ),
    )


def promo_manage_page() -> rx.Component:
    return page_layout(
        i18n.label("menu.staff_promo"),
        promo_staff_nav(),
        staff_gate(
            M.loaded,
            M.allowed,
            feedback(M.error, M.notice, id_="promo-feedback"),
            _choice(),
            _draws(),
            _votes(),
            _config_form(),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    ("/staff/promo", promo_manage_page, i18n.label("menu.staff_promo"), [SessionState.refresh, M.load]),
]
