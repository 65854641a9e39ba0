"""The owners' meeting protocol as a PDF: what pdftotext reads from it (Cyrillic text, numbers,
decisions), embedded fonts, several pages of long questions, and byte-identical re-rendering so a
published SHA-256 can be recomputed. Needs poppler-utils (pdftotext, pdfinfo, pdffonts)."""

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from decimal import Decimal

from ag_app.services.protocol_pdf import (
    ProtocolData,
    ProtocolQuestion,
    protocol_sha256,
    render_protocol,
    sample_protocol,
)

TOPICS = ["capital_repair", "common_property", "current_repair", "organisational", "other"]
THRESHOLD_OF = {
    "capital_repair": "two_thirds_of_all",
    "common_property": "two_thirds_of_all",
    "current_repair": "majority_of_participants",
    "organisational": "majority_of_participants",
    "other": "majority_of_all",
}
# The sample's SHA-256 with the pinned fpdf2/fontTools and the shipped fonts. If a change of the
# layout, labels or libraries alters it, protocols already published can no longer be re-rendered
# byte for byte: keep the PDFs that were published, then update this value on purpose.
SAMPLE_SHA256 = "b6a3b0d0b4ea4ad82b8f5faf1340592d00ea99d163a494e259fa8156f0974ce1"


def poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
                            capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout


def text_of(pdf: bytes, tmp_path) -> str:
    """The PDF's text as a reader copies it: footers dropped, every run of blanks one space."""
    text = poppler("pdftotext", pdf, tmp_path, "-layout")
    text = re.sub(r"Протокол № \d+ · стр\. \d+ из \d+", " ", text)
    return re.sub(r"\s+", " ", text)


def pages(pdf: bytes, tmp_path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", pdf, tmp_path), re.M).group(1))


def long_text(number: int) -> str:
    """About 900 characters of agenda wording, different for every question."""
    head = f"О вопросе № {number}: утверждение условий договора с подрядной организацией «Жилищник-{number}»"
    tail = (
        ", включая объём и стоимость работ, сроки выполнения, порядок приёмки подъездов, "
        "лестничных клеток, чердачных и подвальных помещений, ответственность сторон, гарантийные "
        "обязательства, а также лицо, уполномоченное подписать акт — щётки, ёмкости и съёмные объекты"
    )
    return head + tail * 3 + "."


def long_protocol(questions: int = 20) -> ProtocolData:
    total, participating = Decimal("48213.37"), Decimal("30117.05")
    items = []
    for number in range(1, questions + 1):
        topic = TOPICS[number % len(TOPICS)]
        items.append(
            ProtocolQuestion(
                number=number,
                text=long_text(number),
                topic=topic,
                threshold=THRESHOLD_OF[topic],
                for_votes=Decimal("15000.37") + number * Decimal("500.10"),
                against_votes=Decimal("5000.00") - number * Decimal("100.25"),
                abstain_votes=0,
            )
        )
    return dataclasses.replace(
        sample_protocol(),
        meeting_id=4521,
        total_votes=total,
        participating_votes=participating,
        questions=tuple(items),
    )


def test_the_protocol_shows_house_period_votes_quorum_and_decisions_in_cyrillic(tmp_path):
    text = text_of(render_protocol(sample_protocol()), tmp_path)
    for expected in [
        "ПРОТОКОЛ № 17",
        "общего собрания собственников помещений в многоквартирном доме",
        "г. Москва, Мичуринский проспект, д. 27, корп. 2",
        "Раменки (ЗАО)",
        "Инициатор собрания: управляющая организация дома",
        "Дата уведомления собственников: 31.10.2026",
        "Период голосования: с 11.11.2026 00:00 по 25.11.2026 20:00 (время московское)",
        "помещение управляющей организации",
        "Общее число голосов собственников: 10 523,80 м²",
        "Приняли участие: 8 412,55 м² (79,94 % от общего числа голосов)",
        "Кворум: имеется",
        # Question 1: votes in m² and in % of the participating votes.
        "За 7 612,35 90,49 %",
        "Против 512,40 6,09 %",
        "Воздержался 287,80 3,42 %",
        "Тема: Реконструкция и капитальный ремонт дома, фонд капитального ремонта",
        "Порог принятия: не менее 2/3 голосов всех собственников дома",
        "«За» от общего числа голосов дома: 67,51 %",
        "Персональные данные собственников в протокол не включаются",
    ]:
        assert expected in text, expected
    decisions = re.findall(r"Решение: (Принято|Не принято|Собрание неправомочно)", text)
    assert decisions == ["Принято", "Принято", "Не принято", "Не принято"]


def test_without_a_quorum_every_question_says_the_meeting_was_not_valid(tmp_path):
    protocol = sample_protocol()
    few = Decimal("5261.90")  # exactly half of 10 523,80 m²: not more than half
    questions = tuple(
        dataclasses.replace(q, for_votes=few, against_votes=0, abstain_votes=0) for q in protocol.questions
    )
    text = text_of(
        render_protocol(dataclasses.replace(protocol, participating_votes=few, questions=questions)), tmp_path
    )
    assert "Кворум: отсутствует — собрание неправомочно" in text
    assert "За 5 261,90 100,00 %" in text
    assert re.findall(r"Решение: ([А-Яа-я ]+?)(?= Вопрос| Голоса|$)", text) == ["Собрание неправомочно"] * 4


def test_long_questions_wrap_over_several_pages_and_keep_every_word(tmp_path):
    protocol = long_protocol()
    pdf = render_protocol(protocol)
    assert pages(pdf, tmp_path) >= 5
    text = text_of(pdf, tmp_path)
    for question in protocol.questions:
        assert f"Вопрос {question.number}. {question.text}" in text
    assert "стр. 1 из" in poppler("pdftotext", pdf, tmp_path)
    assert len(re.findall(r"Решение: (?:Принято|Не принято)", text)) == 20


def test_the_fonts_are_embedded(tmp_path):
    fonts = poppler("pdffonts", render_protocol(sample_protocol()), tmp_path).splitlines()[2:]
    assert len(fonts) == 2
    for line in fonts:
        # name, type, encoding, emb, sub, uni: an embedded subset of DejaVu Sans with a Unicode map.
        assert "DejaVuSans" in line
        assert line.split()[-5:-2] == ["yes", "yes", "yes"]


def test_the_same_data_gives_the_same_bytes_and_other_data_other_bytes():
    protocol = long_protocol(6)
    first = render_protocol(protocol)
    assert render_protocol(dataclasses.replace(protocol)) == first
    changed = dataclasses.replace(
        protocol, questions=(dataclasses.replace(protocol.questions[0], against_votes=Decimal("0.01")),)
    )
    assert protocol_sha256(render_protocol(changed)) != protocol_sha256(first)


def test_anyone_re_rendering_elsewhere_gets_the_published_sha256(tmp_path):
    """Another process, hash seed, time zone and working directory render the same bytes."""
    script = (
        "from ag_app.services.protocol_pdf import protocol_sha256, render_protocol, sample_protocol;"
        "print(protocol_sha256(render_protocol(sample_protocol())))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242", "TZ": "America/New_York"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    here = render_protocol(sample_protocol())
    assert result.stdout.strip() == protocol_sha256(here) == SAMPLE_SHA256


def test_sha256_is_the_lowercase_hex_digest_of_the_bytes():
    pdf = render_protocol(sample_protocol())
    assert protocol_sha256(pdf) == hashlib.sha256(pdf).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", protocol_sha256(pdf))
    assert protocol_sha256(pdf + b"\n") != protocol_sha256(pdf)


def test_protocol_sample_command_writes_the_pdf_and_prints_its_hash(tmp_path):
    from typer.testing import CliRunner

    from ag_app.cli import app

    out = tmp_path / "protocol.pdf"
    result = CliRunner().invoke(app, ["protocol-sample", str(out)])
    assert result.exit_code == 0, result.output
    assert f"SHA-256: {SAMPLE_SHA256}" in result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == SAMPLE_SHA256
    assert "ПРОТОКОЛ № 17" in text_of(out.read_bytes(), tmp_path)


def test_protocol_sample_command_reports_an_unwritable_path(tmp_path):
    from typer.testing import CliRunner

    from ag_app.cli import app

    result = CliRunner().invoke(app, ["protocol-sample", str(tmp_path / "missing" / "protocol.pdf")])
    assert result.exit_code == 2
    assert "Не удалось записать" in result.output
