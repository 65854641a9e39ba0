"""``/staff/awards/commission`` «Премия: комиссия» (operator): members and roles, expert groups,
sittings with attendance and quorum, «Подвести итоги» per task with the missing sheets, standings and
tie rounds (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    NATIVE_SELECT_STYLE,
    feedback,
    field,
    native_select,
    panel,
    scroll_table,
    staff_gate,
    static_select,
)
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.staff_award_commission import FORM_CHOICES, ROLE_CHOICES
from ag_app.state.staff_award_commission import StaffAwardCommissionState as S

INPUT = {**NATIVE_SELECT_STYLE, "width": "100%"}
FORBIDDEN_TEXT = message("ui.award_commission.nedostatochno_prav_sostav_komissii_i")


def _contest() -> rx.Component:
    return rx.cond(
        S.contests.length() > 0,
        panel(
            label("ui.common.konkurs"),
            native_select(
                "commission-contest",
                S.contests,
                placeholder=label("ui.award_jury.vyberite_konkurs"),
                value=S.contest_id,
                on_change=S.choose_contest,
                label_key="title",
                aria_label=label("ui.common.konkurs"),
            ),
        ),
        rx.callout(
            message("ui.award_commission.konkursov_poka_net_snachala_opublikuyte"),
            icon="info",
            id="commission-no-contest",
        ),
    )


def _juror_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"], style=CELL),
        rx.el.td(row["role"], style=CELL),
        rx.el.td(row["tasks"], style=CELL),
        rx.el.td(
            rx.cond(
                row["removable"] != "",
                rx.button(
                    label("ui.award_commission.isklyuchit"),
                    on_click=S.remove_juror(row["id"]),
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    aria_label=label("ui.award_commission.isklyuchit_iz_sostava") + row["name"],
                ),
                rx.text("—"),
            ),
            style=CELL,
        ),
    )


def _members() -> rx.Component:
    return panel(
        label("ui.award_commission.sostav_komissii"),
        rx.cond(
            S.jurors.length() > 0,
            scroll_table(
                label("ui.award_commission.chleny_komissii"),
                [
                    label("ui.award_jury.chlen_komissii"),
                    label("ui.common.rol"),
                    label("ui.award_commission.ekspertnye_gruppy"),
                    label("ui.common.deistvie"),
                ],
                S.jurors,
                _juror_row,
                id_="commission-members",
            ),
            rx.text(message("ui.award_commission.v_komissii_poka_nikogo_net"), color_scheme="gray"),
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.common.telefon"),
                    rx.el.input(
                        id="commission-phone",
                        name="phone",
                        placeholder="+7 9XX XXX-XX-XX",
                        max_length=40,
                        style=INPUT,
                    ),
                    "commission-phone",
                    message("ui.award_commission.chelovek_dolzhen_byt_zaregistrirovan_na"),
                ),
                field(
                    label("ui.common.rol"),
                    static_select("commission-role", ROLE_CHOICES, name="role"),
                    "commission-role",
                ),
                rx.button(
                    label("ui.award_commission.dobavit_v_komissiyu"), type="submit", id="commission-add"
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=S.add_juror,
            reset_on_submit=True,
            margin_top="1em",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.award_jury.chlen_komissii"),
                    native_select(
                        "commission-role-juror",
                        S.jurors,
                        placeholder=label("ui.award_commission.vyberite_chlena_komissii"),
                        name="juror_id",
                    ),
                    "commission-role-juror",
                ),
                field(
                    label("ui.award_commission.novaya_rol"),
                    static_select("commission-new-role", ROLE_CHOICES, name="role"),
                    "commission-new-role",
                ),
                rx.button(
                    label("ui.award_commission.smenit_rol"),
                    type="submit",
                    variant="outline",
                    id="commission-set-role",
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=S.set_role,
            margin_top="1em",
        ),
    )


def _group_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["juror"], style=CELL),
        rx.el.td(row["task"], style=CELL),
        rx.el.td(rx.cond(row["in"] != "", label("ui.award_commission.v_gruppe"), "—"), style=CELL),
        rx.el.td(
            rx.button(
                rx.cond(
                    row["in"] != "",
                    label("ui.award_commission.vyvesti_iz_gruppy"),
                    label("ui.award_commission.vklyuchit_v_gruppu"),
                ),
                on_click=S.toggle_group(row["juror_id"], row["task_id"]),
                variant="soft",
                size="1",
                aria_label=row["juror"] + ", " + row["task"],
            ),
            style=CELL,
        ),
    )


def _groups() -> rx.Component:
    return panel(
        label("ui.award_commission.ekspertnye_gruppy"),
        rx.cond(
            S.groups.length() > 0,
            scroll_table(
                label("ui.award_commission.kto_kakie_zadachi_otsenivaet"),
                [
                    label("ui.award_jury.chlen_komissii"),
                    label("ui.common.zadacha"),
                    label("ui.award_commission.sostav"),
                    label("ui.common.deistvie"),
                ],
                S.groups,
                _group_row,
                id_="commission-groups",
            ),
            rx.text(message("ui.award_commission.dobavte_chlenov_komissii_i_zadachi"), color_scheme="gray"),
        ),
    )


def _sitting_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["date"], style=CELL),
        rx.el.td(row["form_name"], style=CELL),
        rx.el.td(row["present"], style=CELL),
        rx.el.td(row["quorum"], style=CELL),
        rx.el.td(row["chair"], style=CELL),
        rx.el.td(row["approved"], style=CELL),
    )


def _present_box(juror: rx.Var) -> rx.Component:
    id_ = "commission-present-" + juror["id"]
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            id=id_,
            name="present_" + juror["id"],
            default_checked=S.present_ids.contains(juror["id"]),
        ),
        " ",
        juror["name"],
        html_for=id_,
        style={"display": "flex", "gap": "0.5em"},
    )


def _sittings() -> rx.Component:
    return panel(
        label("ui.award_commission.zasedaniya"),
        rx.cond(
            S.sittings.length() > 0,
            scroll_table(
                label("ui.award_commission.zasedaniya_komissii"),
                [
                    label("ui.points.data"),
                    label("ui.award_results.forma"),
                    label("ui.award_commission.prisutstvovali"),
                    label("ui.award_commission.kvorum"),
                    label("ui.award_commission.predsedatelstvuet"),
                    label("ui.news.itogi"),
                ],
                S.sittings,
                _sitting_row,
                id_="commission-sittings",
            ),
        ),
        field(
            label("ui.award_commission.zasedanie"),
            native_select(
                "commission-sitting",
                S.sittings,
                placeholder=label("ui.award_commission.novoe_zasedanie"),
                value=S.sitting_id,
                on_change=S.choose_sitting,
                label_key="title",
            ),
            "commission-sitting",
            message("ui.award_commission.vyberite_zasedanie_chtoby_izmenit_prisutstvuyush"),
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.award_results.data_zasedaniia"),
                    rx.el.input(
                        type="date",
                        id="commission-date",
                        name="held_on",
                        default_value=S.sitting_form["held_on"],
                        style=INPUT,
                    ),
                    "commission-date",
                ),
                field(
                    label("ui.award_commission.forma_zasedaniya"),
                    rx.el.select(
                        *[rx.el.option(text, value=value) for value, text in FORM_CHOICES],
                        id="commission-form",
                        name="form",
                        default_value=S.sitting_form["form"],
                        style=INPUT,
                    ),
                    "commission-form",
                ),
                rx.el.fieldset(
                    rx.el.legend(label("ui.award_commission.prisutstvovali"), style={"fontWeight": "500"}),
                    rx.foreach(S.jurors, _present_box),
                ),
                rx.button(
                    rx.cond(
                        S.sitting_id != "",
                        label("ui.award_commission.sokhranit_zasedanie"),
                        label("ui.award_commission.zapisat_zasedanie"),
                    ),
                    type="submit",
                    id="commission-save-sitting",
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=S.save_sitting,
            key=S.form_version,
            margin_top="1em",
        ),
    )


def _task_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["title"], style=CELL),
        rx.el.td(row["state"], style=CELL),
        rx.el.td(rx.cond(row["missing"] != "", row["missing"], "—"), style=CELL),
        rx.el.td(
            rx.button(
                label("ui.contest_manage.podvesti_itogi"),
                on_click=S.compute(row["id"]),
                disabled=row["can_compute"] == "",
                size="1",
                aria_label=label("ui.contest_manage.podvesti_itogi_2") + row["title"],
                id="commission-compute-" + row["id"],
            ),
            style=CELL,
        ),
    )


def _standing_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["team"], style=CELL),
        rx.el.td(row["project"], style=CELL),
        rx.el.td(row["total"], style=CELL),
    )


def _round_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["round"], style=CELL),
        rx.el.td(row["teams"], style=CELL),
        rx.el.td(row["votes"], style=CELL),
        rx.el.td(row["outcome"], style=CELL),
    )


def _results() -> rx.Component:
    return panel(
        label("ui.award_commission.itogi_po_zadacham"),
        rx.cond(
            S.sitting_tasks.length() > 0,
            scroll_table(
                label("ui.award_commission.zadachi_na_vybrannom_zasedanii"),
                [
                    label("ui.common.zadacha"),
                    label("ui.common.sostoianie"),
                    label("ui.award_commission.ne_zapolneny_ankety"),
                    label("ui.common.deistvie"),
                ],
                S.sitting_tasks,
                _task_row,
                id_="commission-tasks",
            ),
            rx.text(
                message("ui.award_commission.vyberite_zasedanie_chtoby_podvesti_na"), color_scheme="gray"
            ),
        ),
        rx.cond(
            S.standings.length() > 0,
            scroll_table(
                label("ui.award_commission.mesta_i_summy_ballov"),
                [
                    label("ui.common.zadacha"),
                    label("ui.common.mesto_2"),
                    label("ui.common.kollektiv"),
                    label("ui.common.proekt"),
                    label("ui.award_results.summa_ballov"),
                ],
                S.standings,
                _standing_row,
                id_="commission-standings",
            ),
        ),
        rx.cond(
            S.rounds.length() > 0,
            scroll_table(
                label("ui.award_commission.golosovaniya_pri_ravenstve_ballov"),
                [
                    label("ui.common.zadacha"),
                    label("ui.common.mesto_2"),
                    label("ui.award_commission.tur"),
                    label("ui.award_commission.kollektivy"),
                    label("ui.award_commission.golosa"),
                    label("ui.award_commission.itog"),
                ],
                S.rounds,
                _round_row,
                id_="commission-rounds",
            ),
        ),
    )


def commission_page() -> rx.Component:
    return page_layout(
        label("menu.staff_award_commission"),
        staff_gate(
            S.loaded,
            S.allowed,
            feedback(S.error, S.notice, id_="commission-feedback"),
            _contest(),
            rx.cond(S.contest_id != "", rx.fragment(_members(), _groups(), _sittings(), _results())),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    (
        "/staff/awards/commission",
        commission_page,
        label("menu.staff_award_commission"),
        [SessionState.refresh, S.load],
    ),
]
