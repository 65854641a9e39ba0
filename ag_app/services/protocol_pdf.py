"""The protocol of an owners' meeting («протокол ОСС», SPEC §7.7) as a PDF.

:func:`render_protocol` turns a :class:`ProtocolData` into PDF bytes: house, initiator kind,
notice date, voting period (Moscow time), in-person address, total and participating votes,
quorum, and per agenda question its topic, threshold, votes «За» / «Против» / «Воздержался» (m²
and % of the participating votes) and the decision. The quorum and every decision are derived
from the exact votes by the rules of :mod:`ag_app.domain.meetings`, so the protocol cannot
contradict the count.

No owners' personal data: the DTO has no field for a person (the initiator is a kind, never a
name); the register of owners and their decisions is kept separately for the inspection.

Deterministic: the same data gives byte-identical PDFs — the creation date is the end of voting,
the file identifier is a hash of the content, and the DejaVu Sans fonts shipped in
``assets/fonts/`` are embedded (subset) — so anyone can re-render a protocol and check its
published :func:`protocol_sha256`. Pure rendering: no clock, no database, nothing downloaded.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.meetings import (
    DECISIONS,
    INITIATOR_ROLES,
    THRESHOLDS,
    TOPICS,
    AgendaItem,
    MeetingTally,
    Votes,
    question_adopted,
    quorum_reached,
)
from ag_app.settings import ROOT

# fontTools logs every step of subsetting the embedded fonts at INFO level.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONTS_DIR = ROOT / "assets" / "fonts"
FONT = "DejaVu"
NBSP = "\xa0"
# A question starts on a new page unless its heading, labels and table (about this high) fit.
KEEP_TOGETHER_MM = 60

ADOPTED = "Принято"
NOT_ADOPTED = "Не принято"
NOT_VALID = "Собрание неправомочно"
TITLE = "общего собрания собственников помещений в многоквартирном доме"
FORM = "проведённого в форме электронного голосования на платформе «Активный\xa0гражданин»"
PRIVACY_NOTE = (
    "Голоса считаются по площади помещений: 1 м² = 1 голос (площадь помещения × доля в праве "
    "собственности). Проценты по вопросам — от голосов собственников, принявших участие в собрании. "
    "Персональные данные собственников в протокол не включаются: реестр собственников и их решений "
    "хранится отдельно и передаётся в жилищную инспекцию."
)


@dataclass(frozen=True)
class ProtocolQuestion:
    """One agenda question and its count; votes are m² (exact Decimal, Fraction or int)."""

    number: int
    text: str
    # A key of ag_app.domain.meetings.TOPICS.
    topic: str
    # A key of ag_app.domain.meetings.THRESHOLDS.
    threshold: str
    for_votes: Votes
    against_votes: Votes
    abstain_votes: Votes


@dataclass(frozen=True)
class ProtocolData:
    """Everything a protocol shows (SPEC §7.7); by design there is no field for a person.

    Instants are UTC (naive values are taken as UTC) and printed in Moscow time. Votes are m²,
    exact; ``participating_votes`` is the weight of the owners who returned at least one decision.

    Raises:
        ValueError: on construction, when the data is inconsistent (see :meth:`__post_init__`).
    """

    meeting_id: int
    house_address: str
    district: str
    # A key of ag_app.domain.meetings.INITIATOR_ROLES: "owner" or "management_company".
    initiator_kind: str
    notified_at: datetime
    starts_at: datetime
    ends_at: datetime
    in_person_address: str
    total_votes: Votes
    participating_votes: Votes
    questions: tuple[ProtocolQuestion, ...]

    def __post_init__(self) -> None:
        """Rules: a known initiator kind; non-blank address and district; notice ≤ start < end;
        total > 0 and 0 ≤ participating ≤ total; questions numbered 1, 2, … with known topics and
        thresholds, non-blank texts and non-negative votes whose sum is at most the participating
        votes."""
        if self.initiator_kind not in INITIATOR_ROLES:
            raise ValueError(f"unknown initiator kind {self.initiator_kind!r}")
        if not self.house_address.strip() or not self.district.strip() or not self.in_person_address.strip():
            raise ValueError("house address, district and in-person address must not be blank")
        if not as_utc(self.notified_at) <= as_utc(self.starts_at) < as_utc(self.ends_at):
            raise ValueError("need notified_at <= starts_at < ends_at")
        total, participating = Fraction(self.total_votes), Fraction(self.participating_votes)
        if total <= 0 or not 0 <= participating <= total:
            raise ValueError("need total_votes > 0 and 0 <= participating_votes <= total_votes")
        if not self.questions:
            raise ValueError("a protocol needs at least one question")
        for number, question in enumerate(self.questions, start=1):
            if question.number != number:
                raise ValueError(f"question {question.number} is in place {number}")
            if not question.text.strip():
                raise ValueError(f"question {number} has no text")
            if question.topic not in TOPICS or question.threshold not in THRESHOLDS:
                raise ValueError(f"question {number}: unknown topic or threshold")
            votes = [Fraction(v) for v in _votes(question)]
            if min(votes) < 0 or sum(votes) > participating:
                raise ValueError(f"question {number}: votes must be >= 0 and sum to at most participating")


def protocol_questions(agenda: Sequence[AgendaItem], tally: MeetingTally) -> tuple[ProtocolQuestion, ...]:
    """The protocol's questions from a validated agenda and its tally, both in agenda order.

    Raises:
        ValueError: when the two differ in length or in a question's threshold.
    """
    if len(agenda) != len(tally.questions):
        raise ValueError("the agenda and the tally have different numbers of questions")
    result = []
    for number, (item, counted) in enumerate(zip(agenda, tally.questions, strict=True), start=1):
        if item.threshold != counted.threshold:
            raise ValueError(f"question {number}: the agenda and the tally disagree on the threshold")
        result.append(
            ProtocolQuestion(
                number=number,
                text=item.text,
                topic=item.topic,
                threshold=item.threshold,
                for_votes=counted.for_votes,
                against_votes=counted.against_votes,
                abstain_votes=counted.abstain_votes,
            )
        )
    return tuple(result)


# ----------------------------------------------------------------------------------------------
# Russian formatting


def _hundredths(value: Fraction) -> int:
    """``value`` in hundredths, rounded half up."""
    return floor(value * 100 + Fraction(1, 2))


def format_m2(value: Votes) -> str:
    """Votes in m² as printed: half up to 0.01, no-break space between thousands, decimal comma
    (``12345.675`` → «12 345,68»)."""
    cents = _hundredths(Fraction(value))
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", NBSP) + f",{part:02d}"


def format_percent(part: Votes, whole: Votes) -> str:
    """``part`` as a percentage of ``whole`` with 2 decimals, half up: «56,70 %»; «0,00 %» when
    ``whole`` is 0."""
    whole_ = Fraction(whole)
    share = Fraction(part) * 100 / whole_ if whole_ else Fraction(0)
    return f"{format_m2(share)}{NBSP}%"


def format_moscow(moment: datetime) -> str:
    """An instant as Moscow date and time: «11.11.2026 00:00»."""
    return f"{as_utc(moment).astimezone(MOSCOW):%d.%m.%Y %H:%M}"


def decision_of(question: ProtocolQuestion, protocol: ProtocolData) -> str:
    """«Собрание неправомочно» without a quorum, else «Принято» / «Не принято» by the threshold."""
    if not quorum_reached(protocol.participating_votes, protocol.total_votes):
        return NOT_VALID
    adopted = question_adopted(
        question.for_votes, protocol.participating_votes, protocol.total_votes, question.threshold
    )
    return ADOPTED if adopted else NOT_ADOPTED


def _plain(text: str) -> str:
    """Free text as printed: tabs (which have no glyph) become spaces."""
    return text.replace("\t", " ")


def _votes(question: ProtocolQuestion) -> tuple[Votes, Votes, Votes]:
    return (question.for_votes, question.against_votes, question.abstain_votes)


# ----------------------------------------------------------------------------------------------
# The PDF


class _ProtocolPDF(FPDF):
    """A4 pages with the protocol number and «стр. N из M» in the footer."""

    def __init__(self, meeting_id: int) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.meeting_id = meeting_id

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.cell(0, 5, f"Протокол № {self.meeting_id} · стр. {self.page_no()} из {{nb}}", align="C")


def _facts(protocol: ProtocolData) -> list[tuple[str, str]]:
    total, participating = protocol.total_votes, protocol.participating_votes
    quorum = (
        "имеется (приняли участие собственники, обладающие более чем 50 % голосов)"
        if quorum_reached(participating, total)
        else "отсутствует — собрание неправомочно"
    )
    return [
        ("Адрес дома", _plain(protocol.house_address)),
        ("Район", _plain(protocol.district)),
        ("Инициатор собрания", INITIATOR_ROLES[protocol.initiator_kind]),
        ("Дата уведомления собственников", f"{as_utc(protocol.notified_at).astimezone(MOSCOW):%d.%m.%Y}"),
        (
            "Период голосования",
            f"с {format_moscow(protocol.starts_at)} по {format_moscow(protocol.ends_at)} (время московское)",
        ),
        ("Адрес приёма решений на бумаге", _plain(protocol.in_person_address)),
        ("Общее число голосов собственников", f"{format_m2(total)} м²"),
        (
            "Приняли участие",
            f"{format_m2(participating)} м² ({format_percent(participating, total)} от общего числа голосов)",
        ),
        ("Кворум", quorum),
    ]


def _write_question(pdf: _ProtocolPDF, protocol: ProtocolData, question: ProtocolQuestion) -> None:
    participating = protocol.participating_votes
    pdf.ln(4)
    if pdf.will_page_break(KEEP_TOGETHER_MM):
        pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.write(5.5, f"Вопрос {question.number}. ")
    pdf.set_font(FONT, size=11)
    pdf.write(5.5, _plain(question.text))
    pdf.ln(6)
    pdf.set_font(FONT, size=9.5)
    pdf.multi_cell(0, 5, f"Тема: {TOPICS[question.topic]}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(
        0, 5, f"Порог принятия: {THRESHOLDS[question.threshold]}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if question.threshold != "majority_of_participants":
        share = format_percent(question.for_votes, protocol.total_votes)
        pdf.multi_cell(
            0, 5, f"«За» от общего числа голосов дома: {share}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(1)
    with pdf.table(
        col_widths=(50, 60, 60),
        text_align=("LEFT", "RIGHT", "RIGHT"),
        line_height=6,
        first_row_as_headings=True,
    ) as table:
        table.row(("Ответ", "Голосов, м²", "% от принявших участие"))
        for label, votes in zip(DECISIONS.values(), _votes(question), strict=True):
            table.row((label, format_m2(votes), format_percent(votes, participating)))
    pdf.ln(1.5)
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(0, 6, f"Решение: {decision_of(question, protocol)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_protocol(protocol: ProtocolData) -> bytes:
    """The protocol as PDF bytes; the same ``protocol`` always gives the same bytes."""
    pdf = _ProtocolPDF(protocol.meeting_id)
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(as_utc(protocol.ends_at))
    pdf.set_title(f"Протокол № {protocol.meeting_id} общего собрания собственников")
    pdf.set_subject(protocol.house_address)
    pdf.set_creator("Активный гражданин")
    pdf.set_lang("ru")
    pdf.set_margins(20, 16, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, f"ПРОТОКОЛ № {protocol.meeting_id}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10.5)
    pdf.multi_cell(0, 5.5, f"{TITLE},\n{FORM}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for label, value in _facts(protocol):
        pdf.set_font(FONT, "B", 10)
        pdf.write(5.5, f"{label}: ")
        pdf.set_font(FONT, size=10)
        pdf.write(5.5, value)
        pdf.ln(6.5)

    pdf.ln(4)
    pdf.set_font(FONT, "B", 12.5)
    pdf.cell(0, 8, "Повестка дня и итоги голосования", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for question in protocol.questions:
        _write_question(pdf, protocol, question)

    pdf.ln(6)
    pdf.set_font(FONT, size=8.5)
    pdf.multi_cell(0, 4.5, PRIVACY_NOTE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def protocol_sha256(pdf: bytes) -> str:
    """The SHA-256 of a protocol's PDF bytes as 64 lowercase hex digits (shown on the meeting page)."""
    return hashlib.sha256(pdf).hexdigest()


# ----------------------------------------------------------------------------------------------
# A sample for trying the renderer by hand (``ag-app protocol-sample``)


def sample_protocol() -> ProtocolData:
    """A fictional meeting of a demo house: quorum reached, questions adopted and not adopted."""
    ends_at = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # 20:00 МСК
    starts_at = datetime(2026, 11, 10, 21, 0, tzinfo=UTC)  # 11.11.2026 00:00 МСК
    agenda = [
        (
            "Об избрании председателя и секретаря общего собрания, а также счётной комиссии в составе "
            "трёх человек и о наделении их полномочиями по подсчёту голосов и подписанию протокола.",
            "organisational",
            "majority_of_participants",
            ("7612.35", "512.40", "287.80"),
        ),
        (
            "О проведении капитального ремонта крыши и фасада дома в 2027 году, об утверждении перечня "
            "работ, предельно допустимой стоимости работ за счёт средств фонда капитального ремонта и "
            "сроков их проведения, а также о лице, уполномоченном участвовать в приёмке работ.",
            "capital_repair",
            "two_thirds_of_all",
            ("7105.10", "905.25", "402.20"),
        ),
        (
            "О предоставлении в пользование части общего имущества (крыши дома) оператору связи для "
            "размещения оборудования и об условиях договора.",
            "common_property",
            "two_thirds_of_all",
            ("4020.00", "3911.65", "480.90"),
        ),
        (
            "Об утверждении плана текущего ремонта подъездов № 1–6 на 2027 год.",
            "current_repair",
            "majority_of_participants",
            ("3100.50", "4650.15", "661.90"),
        ),
    ]
    questions = tuple(
        ProtocolQuestion(
            number=number,
            text=text,
            topic=topic,
            threshold=threshold,
            for_votes=Decimal(votes[0]),
            against_votes=Decimal(votes[1]),
            abstain_votes=Decimal(votes[2]),
        )
        for number, (text, topic, threshold, votes) in enumerate(agenda, start=1)
    )
    return ProtocolData(
        meeting_id=17,
        house_address="г. Москва, Мичуринский проспект, д. 27, корп. 2",
        district="Раменки (ЗАО)",
        initiator_kind="management_company",
        notified_at=starts_at - timedelta(days=10, hours=3),
        starts_at=starts_at,
        ends_at=ends_at,
        in_person_address="г. Москва, Мичуринский проспект, д. 27, корп. 2, помещение управляющей организации",
        total_votes=Decimal("10523.80"),
        participating_votes=Decimal("8412.55"),
        questions=questions,
    )
