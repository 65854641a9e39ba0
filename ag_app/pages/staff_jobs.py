"""``/staff/jobs`` «Фоновые задачи»: the last success and last error of each background job (staff)."""

import reflex as rx

from ag_app.components.common import feedback, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.components.stats import data_table
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.staff_jobs import StaffJobsState as S

HEADER = [
    label("ui.common.zadacha"),
    label("ui.common.sostoianie"),
    label("ui.jobs.poslednii_uspekh"),
    label("ui.jobs.obrabotano"),
    label("ui.jobs.posledniaia_oshibka"),
    label("ui.jobs.tekst_oshibki"),
    label("ui.jobs.zapuskov_oshibok"),
]


def jobs_page() -> rx.Component:
    """``/staff/jobs``."""
    return page_layout(
        label("ui.jobs.fonovye_zadachi"),
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.text(
                message("ui.jobs.zadachi_vypolniaiutsia_kazhduiu_minutu_kazhdaia"),
                as_="p",
                size="2",
                color_scheme="gray",
            ),
            feedback(S.error, ""),
            rx.cond(
                S.failing > 0,
                rx.callout(
                    message("ui.jobs.est_zadachi_poslednii_zapusk_kotorykh"),
                    icon="triangle_alert",
                    color_scheme="orange",
                    id="jobs-failing",
                    margin_y="0.6em",
                ),
            ),
            data_table(label("ui.jobs.fonovye_zadachi_poslednii_uspekh_i"), HEADER, S.rows, "table-jobs"),
            rx.button(
                label("ui.jobs.obnovit"),
                on_click=S.refresh,
                id="jobs-refresh",
                margin_top="1em",
                variant="soft",
            ),
        ),
    )


PAGES = [
    (
        "/staff/jobs",
        jobs_page,
        label("ui.jobs.fonovye_zadachi_kabinet_sotrudnika"),
        [SessionState.refresh, S.load],
    )
]
