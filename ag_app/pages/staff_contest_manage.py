"""``/staff/contest/manage`` «Конкурс чеков: управление» (staff): contests, a new parallel contest,
the seller registry upload, «Подвести итоги» and the prizes of final ratings."""

import reflex as rx

from ag_app.components.common import feedback, field, panel, row_table, staff_gate
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.pages.staff_contest import INPUT_STYLE, contest_staff_nav, period_form
from ag_app.state.base import SessionState
from ag_app.state.staff_contest import CATEGORY_OPTIONS
from ag_app.state.staff_contest_manage import DEFAULT_RULES, REGISTRY_UPLOAD_ID
from ag_app.state.staff_contest_manage import StaffContestManageState as M

FORBIDDEN_TEXT = message("ui.contest_manage.nedostatochno_prav_upravlenie_konkursom_chekov")


def _contest_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["title"], weight="medium", as_="p"),
            rx.text(row["kind"] + ". " + row["conditions"], size="1", as_="p"),
            rx.text(label("ui.contest_manage.prizy") + row["prizes"], size="1", color_scheme="gray", as_="p"),
        ),
        rx.table.cell(row["participants"], id="participants-" + row["id"]),
        rx.table.cell(
            rx.text(row["status"], as_="p", id="status-" + row["id"]),
            rx.cond(
                row["published_at"] != "",
                rx.text(label("ui.contest_manage.opublikovany") + row["published_at"], size="1", as_="p"),
            ),
            rx.cond(
                row["claim_until"] != "",
                rx.text(
                    label("ui.contest_manage.zaiavki_na_prizy_do") + row["claim_until"], size="1", as_="p"
                ),
            ),
            rx.cond(
                row["sha256"] != "",
                rx.text(
                    "SHA-256: ",
                    rx.el.code(row["sha256"], style={"wordBreak": "break-all"}),
                    size="1",
                    as_="p",
                    id="sha-" + row["id"],
                ),
            ),
        ),
        rx.table.cell(
            rx.cond(
                row["can_finalise"] != "",
                rx.button(
                    label("ui.contest_manage.podvesti_itogi"),
                    size="1",
                    type="button",
                    on_click=M.finalise(row["id"]),
                    id="finalise-" + row["id"],
                    aria_label=label("ui.contest_manage.podvesti_itogi_2") + row["title"],
                ),
            )
        ),
    )


def _contests() -> rx.Component:
    return panel(
        label("ui.common.konkursy_mesiatsa"),
        period_form(M.set_period, M.period, "manage-period"),
        rx.cond(
            M.last_seal != "",
            rx.callout(
                rx.text(
                    label("ui.contest_manage.itogi_opublikovany_sha_256_itogovogo"), rx.el.code(M.last_seal)
                ),
                icon="check",
                color_scheme="green",
                id="last-seal",
            ),
        ),
        row_table(
            [
                label("ui.common.konkurs"),
                label("ui.common.uchastnikov"),
                label("ui.common.status_2"),
                label("ui.common.deistvie"),
            ],
            M.contests,
            _contest_row,
            "contests",
            caption=label("ui.common.konkursy_mesiatsa"),
            empty=message("ui.contest_manage.v_etom_mesiatse_konkursov_eshche"),
            empty_id="contests-empty",
        ),
        rx.text(
            message("ui.contest_manage.itogi_podvodiatsia_posle_okonchaniia_mesiatsa"),
            size="1",
            color_scheme="gray",
            as_="p",
            margin_top="0.5em",
        ),
    )


def _prize_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["contest"] + ", " + row["place"] + label("ui.contest_manage.e_mesto")),
        rx.table.cell(row["amount"]),
        rx.table.cell("№ " + row["holder"]),
        rx.table.cell(row["status"]),
        rx.table.cell(row["claim_until"]),
        rx.table.cell(row["claim"]),
        rx.table.cell(
            rx.cond(
                row["can_pass"] != "",
                rx.button(
                    label("ui.contest_manage.peredat_sleduiushchemu"),
                    size="1",
                    variant="soft",
                    type="button",
                    on_click=M.pass_prize(row["id"]),
                    id="pass-" + row["id"],
                ),
            )
        ),
    )


def _prizes() -> rx.Component:
    return rx.cond(
        M.prizes.length() > 0,
        panel(
            label("ui.common.prizy"),
            rx.text(
                message("ui.contest_manage.dannye_dlia_vyplaty_vidiat_tol"),
                size="2",
                as_="p",
            ),
            row_table(
                [
                    label("ui.common.priz"),
                    label("ui.common.summa"),
                    label("ui.common.uchastnik"),
                    label("ui.common.status_2"),
                    label("ui.contest_manage.zaiavit_do"),
                    label("ui.contest_manage.dannye_dlia_vyplaty"),
                    "",
                ],
                M.prizes,
                _prize_row,
                "prizes",
                caption=label("ui.common.prizy"),
            ),
        ),
    )


def _checkbox(id_: str | rx.Var, name: str | rx.Var, text: str | rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name=name),
        " ",
        text,
        html_for=id_,
        style={"display": "flex", "gap": "0.4em", "alignItems": "center"},
    )


def _group(legend: str, *boxes: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, style={"fontWeight": "500"}),
        rx.grid(*boxes, columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="1"),
        style={"border": "1px solid var(--gray-5)", "borderRadius": "var(--radius-2)", "padding": "0.5em"},
    )


def _rule_field(text: str, id_: str, name: str, low: int, default: int) -> rx.Component:
    """A review rule's threshold (a whole number, at least ``low``) prefilled with the default."""
    return field(
        text,
        rx.el.input(
            id=id_, name=name, type="number", min=str(low), default_value=str(default), style=INPUT_STYLE
        ),
        id_,
    )


def _create_form() -> rx.Component:
    return panel(
        label("ui.contest_manage.sozdat_parallel_nyi_konkurs"),
        rx.text(
            message("ui.contest_manage.konkurs_na_pokazannyi_mesiats_tekushchii"),
            size="2",
            as_="p",
            margin_bottom="0.6em",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.nazvanie"),
                    rx.el.input(id="new-title", name="title", max_length=200, style=INPUT_STYLE),
                    "new-title",
                ),
                _group(
                    label("ui.contest_manage.kategorii_prodavtsov"),
                    *[
                        _checkbox(f"new-category-{key}", f"category_{key}", name)
                        for key, name in CATEGORY_OPTIONS
                    ],
                ),
                field(
                    label("ui.contest_manage.regiony_prodavtsov"),
                    rx.el.input(id="new-regions", name="regions", max_length=200, style=INPUT_STYLE),
                    "new-regions",
                    message("ui.contest_manage.kody_cherez_zapiatuiu_naprimer_77"),
                ),
                field(
                    label("ui.contest_manage.inn_partnerov"),
                    rx.el.textarea(id="new-inns", name="partner_inns", rows="3", style=INPUT_STYLE),
                    "new-inns",
                    message("ui.contest_manage.cherez_zapiatuiu_ili_s_novoi"),
                ),
                _group(
                    label("ui.contest_manage.okruga_uchastnikov"),
                    rx.foreach(
                        M.okrugs,
                        lambda o: _checkbox("new-okrug-" + o["id"], "okrug_" + o["id"], o["name"]),
                    ),
                ),
                field(
                    label("ui.contest_manage.prizy_po_mestam"),
                    rx.el.input(
                        id="new-prizes", name="prizes", placeholder="3000, 2000, 1000", style=INPUT_STYLE
                    ),
                    "new-prizes",
                    message("ui.contest_manage.chislo_summ_chislo_pobeditelei"),
                ),
                rx.grid(
                    _rule_field(
                        label("ui.contest_manage.bol_she_skol_kikh_chekov"),
                        "new-daily",
                        "daily_limit",
                        1,
                        DEFAULT_RULES.daily_limit,
                    ),
                    _rule_field(
                        label("ui.contest_manage.chekov_odnogo_fn_podriad_na"),
                        "new-split-count",
                        "split_count",
                        2,
                        DEFAULT_RULES.split_count,
                    ),
                    _rule_field(
                        label("ui.contest_manage.za_minut"),
                        "new-split-minutes",
                        "split_minutes",
                        1,
                        DEFAULT_RULES.split_minutes,
                    ),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                ),
                rx.button(label("ui.contest_manage.sozdat_konkurs"), type="submit", id="new-contest"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=M.create,
            reset_on_submit=False,
            key=M.form_version.to_string(),
            aria_label=label("ui.contest_manage.novyi_parallel_nyi_konkurs"),
        ),
    )


def _registry() -> rx.Component:
    return panel(
        label("ui.contest_manage.reestr_prodavtsov"),
        rx.text(
            label("ui.contest_manage.csv_v_kodirovke_utf_8"),
            rx.el.code("fn;name;inn;category;region"),
            label("ui.contest_manage.kategorii"),
            *[
                part
                for index, (key, name) in enumerate(CATEGORY_OPTIONS)
                for part in ((", " if index else ""), rx.el.code(key), f" — {name}")
            ],
            ".",
            size="2",
            as_="p",
        ),
        # The dropzone's own file input is unlabeled, so it stays hidden; the labelled button opens it.
        rx.box(
            rx.upload(
                id=REGISTRY_UPLOAD_ID,
                accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"]},
                multiple=False,
                max_files=1,
                max_size=5 * 1024 * 1024,
                on_drop=M.upload_registry(rx.upload_files(upload_id=REGISTRY_UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("upload", aria_hidden="true"),
            label("ui.contest_manage.vybrat_csv_fail_reestra_prodavtsov"),
            id="registry-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(
                f"document.querySelector('#{REGISTRY_UPLOAD_ID} input[type=file]').click()"
            ),
            margin_top="0.5em",
        ),
    )


def manage_page() -> rx.Component:
    return page_layout(
        label("menu.staff_contest_manage"),
        contest_staff_nav(),
        staff_gate(
            M.loaded,
            M.allowed,
            feedback(M.error, M.notice, id_="manage-feedback"),
            _contests(),
            _prizes(),
            _create_form(),
            _registry(),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    (
        "/staff/contest/manage",
        manage_page,
        label("menu.staff_contest_manage"),
        [SessionState.refresh, M.load],
    ),
]
