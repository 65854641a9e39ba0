"""``/staff/registry``: CSV imports of the citizen registry and the numbering plan."""

import reflex as rx

from ag_app.components.common import feedback, field, panel, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.domain.limits import PASTE_LIMIT_CHARS
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
        rx.text(
            "Формат: CSV с заголовком, разделитель — запятая или точка с запятой, кодировка UTF-8.", size="2"
        ),
        rx.text("Столбцы: ", rx.code(columns), size="2"),
        rx.text("Пример строки: ", rx.code(example), size="2", margin_bottom="0.8em"),
        rx.heading("Загрузить файл", as_="h3", size="3"),
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
            f"Выбрать CSV-файл ({file_label}) и загрузить",
            id=f"{kind}-choose-file",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{upload_id} input[type=file]').click()"),
            margin="0.4em 0 1em",
        ),
        rx.heading("Или вставить текст", as_="h3", size="3"),
        rx.flex(
            field(
                "Содержимое CSV (до 400 000 символов; файл больше — загрузите выше)",
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
            rx.button("Загрузить из текста", id=f"import-{kind}", on_click=import_text, type="button"),
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
        "Реестры: импорт данных",
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.text(
                "Любая ошибка в файле отменяет загрузку целиком; в сообщении указан номер строки.",
                margin_bottom="1em",
            ),
            _import_block(
                kind="citizens",
                title="Реестр граждан (для полной идентификации)",
                file_label="реестр граждан",
                columns=CITIZEN_COLUMNS_TEXT,
                example="Иванов,Иван,Иванович,1980-05-17,4510,123456,11223344595",
                upload_handler=S.upload_citizens,
                text=S.citizens_text,
                set_text=S.set_citizens_text,
                import_text=S.import_citizens_text,
                result=S.citizens_result,
                error=S.citizens_error,
            ),
            _import_block(
                kind="numbering",
                title="План нумерации (московские / немосковские номера)",
                file_label="план нумерации",
                columns=NUMBERING_COLUMNS_TEXT,
                example="916,0000000,9999999,г. Москва и Московская область,МТС",
                upload_handler=S.upload_numbering,
                text=S.numbering_text,
                set_text=S.set_numbering_text,
                import_text=S.import_numbering_text,
                result=S.numbering_result,
                error=S.numbering_error,
            ),
        ),
    )


PAGES = [("/staff/registry", registry_page, "Реестры — кабинет сотрудника", [SessionState.refresh, S.load])]
