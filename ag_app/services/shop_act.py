"""The acceptance act («акт приёма-передачи») of a souvenir handed out at the pickup desk, as a PDF.

:func:`render_act` turns an :class:`ActData` into one A4 page: the order number, the moment of
issue (Moscow time), the centre «Мои документы», the reward and its points, the orderer named on
the order (and the gift recipient, if any), the desk worker, and lines for both signatures. The
printed act is signed at the desk and kept by the centre; the platform keeps the issue itself in
the order's audit trail. Pure rendering with the bundled DejaVu fonts: no clock, no database.
"""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.services.protocol_pdf import FONT, FONTS_DIR

NOTE = (
    "Получатель осмотрел поощрение при выдаче и претензий к нему не имеет. После выдачи заказ не "
    "подлежит отмене, возврату или обмену; списанные баллы не возвращаются."
)


@dataclass(frozen=True)
class ActData:
    """What an acceptance act states."""

    number: str
    issued_at: datetime
    pickup_point: str
    pickup_address: str
    item_title: str
    category: str
    points: int
    orderer: str
    gift_to: str
    issued_by: str


def _facts(act: ActData) -> list[tuple[str, str]]:
    facts = [
        (
            "Дата и время выдачи",
            f"{as_utc(act.issued_at).astimezone(MOSCOW):%d.%m.%Y %H:%M} (время московское)",
        ),
        ("Пункт выдачи", f"{act.pickup_point}, {act.pickup_address}"),
        ("Поощрение", f"{act.item_title} ({act.category})"),
        ("Списано баллов", numfmt.num(act.points)),
        ("Оформитель заказа", act.orderer),
    ]
    if act.gift_to:
        facts.append(("Подарок для", act.gift_to))
    facts.append(("Выдал сотрудник", act.issued_by))
    return facts


def render_act(act: ActData) -> bytes:
    """The act as PDF bytes; the same ``act`` always gives the same bytes."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(as_utc(act.issued_at))
    pdf.set_title(f"Акт приёма-передачи по заказу № {act.number}")
    pdf.set_creator("Активный гражданин")
    pdf.set_lang("ru")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, "АКТ ПРИЁМА-ПЕРЕДАЧИ", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=11)
    pdf.cell(
        0,
        6,
        f"поощрения по заказу № {act.number} в магазине поощрений «Активный гражданин»",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(6)
    for label, value in _facts(act):
        pdf.set_font(FONT, "B", 10.5)
        pdf.write(6, f"{label}: ")
        pdf.set_font(FONT, size=10.5)
        pdf.write(6, value.replace("\t", " "))
        pdf.ln(8)
    pdf.ln(2)
    pdf.set_font(FONT, size=9.5)
    pdf.multi_cell(0, 5, NOTE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(14)
    pdf.set_font(FONT, size=10.5)
    for role in ("Передал (сотрудник пункта выдачи)", "Принял (получатель)"):
        pdf.cell(
            0,
            6,
            f"{role}: ______________________ / ______________________",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(8)
    return bytes(pdf.output())
