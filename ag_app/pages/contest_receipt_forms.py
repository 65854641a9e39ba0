"""The receipt forms of «Конкурс чеков»: the QR code line, the receipt photo and the receipt's fields typed by hand."""

import reflex as rx

from ag_app.components.common import (
    card,
    field,
    submit,
    text_input,
)
from ag_app.i18n import label, message
from ag_app.state.contest import ContestReceiptsState

PHOTO_UPLOAD_ID = "contest-photo-upload"
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}


def _qr_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading(label("ui.contest.vstavit_stroku_iz_qr_koda"), as_="h3", size="4"),
        rx.form(
            rx.flex(
                field(
                    label("ui.contest.stroka_qr_koda_cheka"),
                    rx.text_area(
                        id="contest-qr",
                        name="qr",
                        rows="3",
                        max_length=2000,
                        width="100%",
                        font_family="monospace",
                        placeholder="t=20261207T1830&s=1234.50&fn=9960440300000010&i=1234&fp=987654321&n=1",
                    ),
                    "contest-qr",
                    hint=message("ui.contest.polia_mozhno_ukazyvat_v_liubom"),
                ),
                submit(label("ui.contest.sokhranit_chek"), "contest-save-qr"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.save_qr,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-qr",
        ),
    )


def _photo_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading(label("ui.contest.zagruzit_foto_qr_koda"), as_="h3", size="4"),
        rx.text(message("ui.contest.snimok_v_formate_jpeg_ili"), size="2"),
        rx.box(
            rx.upload(
                id=PHOTO_UPLOAD_ID,
                accept=PHOTO_ACCEPT,
                multiple=False,
                max_files=1,
                on_drop=S.upload_photo(rx.upload_files(upload_id=PHOTO_UPLOAD_ID)),
            ),
            display="none",
        ),
        rx.button(
            rx.icon("camera", aria_hidden="true"),
            label("ui.contest.vybrat_foto_cheka_i_zagruzit"),
            id="contest-photo",
            type="button",
            variant="soft",
            on_click=rx.call_script(f"document.querySelector('#{PHOTO_UPLOAD_ID} input[type=file]').click()"),
            margin_top="0.6em",
        ),
    )


def _fields_form() -> rx.Component:
    S = ContestReceiptsState
    return card(
        rx.heading(label("ui.contest.vvesti_dannye_cheka_vruchnuiu"), as_="h3", size="4"),
        rx.form(
            rx.grid(
                field(
                    label("ui.contest.data_i_vremia_pokupki"),
                    text_input(
                        "contest-t",
                        name="t",
                        invalid=S.invalid_fields.contains("t"),
                        type="datetime-local",
                        step="1",
                    ),
                    "contest-t",
                ),
                field(
                    label("ui.contest.summa"),
                    text_input(
                        "contest-s",
                        name="s",
                        invalid=S.invalid_fields.contains("s"),
                        input_mode="decimal",
                        max_length=12,
                    ),
                    "contest-s",
                ),
                field(
                    message("ui.contest.fn_nomer_fiskal_nogo_nakopitelia"),
                    text_input(
                        "contest-fn",
                        name="fn",
                        invalid=S.invalid_fields.contains("fn"),
                        input_mode="numeric",
                        max_length=16,
                    ),
                    "contest-fn",
                ),
                field(
                    message("ui.contest.fd_nomer_dokumenta"),
                    text_input(
                        "contest-fd",
                        name="fd",
                        invalid=S.invalid_fields.contains("fd"),
                        input_mode="numeric",
                        max_length=10,
                    ),
                    "contest-fd",
                ),
                field(
                    message("ui.contest.fp_fiskal_nyi_priznak"),
                    text_input(
                        "contest-fp",
                        name="fp",
                        invalid=S.invalid_fields.contains("fp"),
                        input_mode="numeric",
                        max_length=10,
                    ),
                    "contest-fp",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                message("ui.contest.tip_operatsii_prodazha_prikhod_v"),
                size="2",
                margin_y="0.6em",
            ),
            submit(label("ui.contest.sokhranit_chek"), "contest-save-fields"),
            on_submit=S.save_fields,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-fields",
        ),
    )


def receipt_forms() -> rx.Component:
    return rx.fragment(
        rx.grid(_qr_form(), _photo_form(), columns=rx.breakpoints(initial="1", md="2"), spacing="3"),
        rx.box(_fields_form(), margin_top="0.8em"),
    )
