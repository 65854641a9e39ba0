"""``/staff/registry``: CSV imports of the citizen registry and the numbering plan."""

import reflex as rx

from ag_app.components.common import feedback, field, panel, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.domain.limits import PASTE_LIMIT_CHARS
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.staff_registry import CITIZEN_COLUMNS_TEXT, NUMBERING_COLUMNS_TEXT
from ag_app.state.staff_registry import StaffRegistryState as S

CSV_ACCEPT = {"text/csv": [".csv"], "text/plain": [".csv", ".txt"], "application/vnd.ms-excel": [".csv"]}


def _import_block(
    *,
    kind: str,
    title: str,
    file_label: str,
    columns: str,
    example: str,
    upload_handler,
    text: rx.Var,
    set_text,
    import_text,
    result: rx.Var,
    error: rx.Var,
) -> rx.Component:
    upload_id = f"{kind}-upload"
    return panel(
        title,
        rx.text(message("ui.registry.format_csv_s_zagolovkom_razdelitel"), size="2"),
        rx.text(label("ui.common.stolbtsy"), rx.code(columns), size="2"),
        rx.text(label("ui.common.primer_stroki"), rx.code(example), size="2", margin_bottom="0.8em"),
        rx.heading(label("ui.common.zagruzit_fail"), as_="h3", size="3"),
        # The dropzone's own file input is unlabeled, so it stays hidden; the labelled button opens it
        # and the chosen file goes to the server over HTTP at once (no websocket size limit).
        rx.box(
            rx.upload(
                id=upload_id,
                accept=CSV_ACCEPT,
                multiple=False,
                max_files=1,
                on_drop=upload_handler(rx.upload_files(upload_id=upload_id)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("upload", aria_hidden="true"),
            label("ui.registry.vybrat_csv_fail_i_zagruzit", file_label=file_label),
            id=f"{kind}-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{upload_id} input[type=file]').click()"),
            margin="0.4em 0 1em",
        ),
        rx.heading(label("ui.common.ili_vstavit_tekst"), as_="h3", size="3"),
        rx.flex(
            field(
                message("ui.common.soderzhimoe_csv_do_400_000"),
                rx.text_area(
                    id=f"{kind}-csv",
                    value=text,
                    on_change=set_text,
                    max_length=PASTE_LIMIT_CHARS,
                    rows="6",
                    font_family="monospace",
                ),
                f"{kind}-csv",
            ),
            rx.button(
                label("ui.common.zagruzit_iz_teksta"),
                id=f"import-{kind}",
                on_click=import_text,
                type="button",
            ),
            direction="column",
            spacing="2",
            align="start",
            margin_bottom="0.8em",
        ),
        feedback(error, result, id_=f"{kind}-result"),
    )


def registry_page() -> rx.Component:
    """``/staff/registry``."""
    return page_layout(
        label("ui.registry.reestry_import_dannykh"),
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.text(
                message("ui.registry.liubaia_oshibka_v_faile_otmeniaet"),
                margin_bottom="1em",
            ),
            _import_block(
                kind="citizens",
                title=message("ui.registry.reestr_grazhdan_dlia_polnoi_identifikatsii"),
                file_label=label("ui.registry.reestr_grazhdan"),
                columns=CITIZEN_COLUMNS_TEXT,
                example=label("ui.registry.ivanov_ivan_ivanovich_1980_05"),
                upload_handler=S.upload_citizens,
                text=S.citizens_text,
                set_text=S.set_citizens_text,
                import_text=S.import_citizens_text,
                result=S.citizens_result,
                error=S.citizens_error,
            ),
            _import_block(
                kind="numbering",
                title=message("ui.registry.plan_numeratsii_moskovskie_nemoskovskie_nomera"),
                file_label=label("ui.registry.plan_numeratsii"),
                columns=NUMBERING_COLUMNS_TEXT,
                example=label("ui.registry.916_0000000_9999999_g_moskva"),
                upload_handler=S.upload_numbering,
                text=S.numbering_text,
                set_text=S.set_numbering_text,
                import_text=S.import_numbering_text,
                result=S.numbering_result,
                error=S.numbering_error,
            ),
        ),
    )


PAGES = [
    (
        "/staff/registry",
        registry_page,
        label("ui.registry.reestry_kabinet_sotrudnika"),
        [SessionState.refresh, S.load],
    )
]
