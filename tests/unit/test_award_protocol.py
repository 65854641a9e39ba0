"""The award commission's protocol renderer: pure, deterministic, and every round of a tie vote shown."""

import subprocess
from datetime import UTC, date, datetime

from ag_app.services.award.protocol import (
    ProtocolData,
    ProtocolMember,
    ProtocolPrize,
    ProtocolTask,
    ProtocolTeam,
    ProtocolTieRound,
    ProtocolVote,
    protocol_sha256,
    render_protocol,
)
from ag_app.services.award.results_reads import payout_due_at, rubles


def _protocol(**overrides) -> ProtocolData:
    task = ProtocolTask(
        number=3,
        title="Навигация в метро",
        criteria=(("Новизна", 5),),
        teams=(
            ProtocolTeam("Team One", "Проект 1", (9,), 9, 1),
            ProtocolTeam("Team Two", "Проект 2", (9,), 9, 2),
        ),
        recusals=(),
        ties=(
            ProtocolTieRound(
                1,
                1,
                ("Team One", "Team Two"),
                (ProtocolVote("А", "Team One"), ProtocolVote("Б", "Team Two")),
                "",
                False,
            ),
            ProtocolTieRound(
                1,
                2,
                ("Team One", "Team Two"),
                (ProtocolVote("А", "Team One"), ProtocolVote("Б", "Team One"), ProtocolVote("В", "Team Two")),
                "Team One",
                False,
            ),
        ),
        prizes=(ProtocolPrize(1, "Team One", 0), ProtocolPrize(2, "Team Two", 100)),
    )
    data = {
        "sitting_id": 4,
        "contest_year": 2027,
        "contest_title": "Лидеры цифровой трансформации",
        "held_on": date(2027, 3, 1),
        "form": "заочная",
        "commission_size": 4,
        "present": (ProtocolMember("А", "председатель комиссии"), ProtocolMember("Б", "член комиссии")),
        "quorum": True,
        "tasks": (task,),
        "approved_by": "А",
        "approved_role": "председатель комиссии",
        "approved_at": datetime(2027, 3, 2, 8, 0, tzinfo=UTC),
    }
    data.update(overrides)
    return ProtocolData(**data)


def test_same_data_same_bytes_and_a_different_approval_differs():
    one, two = render_protocol(_protocol()), render_protocol(_protocol())
    assert one == two and protocol_sha256(one) == protocol_sha256(two)
    assert len(protocol_sha256(one)) == 64
    other = render_protocol(_protocol(approved_at=datetime(2027, 3, 3, 8, 0, tzinfo=UTC)))
    assert protocol_sha256(other) != protocol_sha256(one)


def test_every_round_and_its_outcome_are_printed(tmp_path):
    path = tmp_path / "p.pdf"
    path.write_bytes(render_protocol(_protocol()))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    assert "Форма заседания: заочная" in text
    assert "1 место, голосование 1" in text and "решение не принято, проведено повторное голосование" in text
    assert (
        "1 место, голосование 2" in text
        and "большинством голосов место присуждено коллективу «Team One»" in text
    )
    assert "Конфликт интересов (самоотводы) Не заявлено." in text


def test_a_wrapped_paragraph_reads_in_order(tmp_path):
    """Paragraphs are left-aligned: a justified line's wide gaps made pdftotext (and copy-paste)
    tear a long approver's name apart and read its last word after the page footer."""
    chair = "Председателева Мария Сергеевна"
    path = tmp_path / "p.pdf"
    path.write_bytes(
        render_protocol(
            _protocol(approved_by=chair, present=(ProtocolMember(chair, "председатель комиссии"),))
        )
    )
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    assert f"Результаты утвердил(а) {chair} (председатель комиссии) 02.03.2027." in text
    assert f"{chair} — председатель комиссии" in text


def test_money_and_the_payout_deadline():
    assert rubles(10_000_001) == "100\xa0000,01\xa0₽" and rubles(5) == "0,05\xa0₽"
    # Approved at 23:30 МСК on 20.11: the day is 20.11, the last day 20.12, due at 21.12 00:00 МСК.
    assert payout_due_at(datetime(2026, 11, 20, 20, 30, tzinfo=UTC)) == datetime(
        2026, 12, 20, 21, 0, tzinfo=UTC
    )
    # Approved at 00:30 МСК on 21.11 (still 20.11 in UTC): the Moscow day counts.
    assert payout_due_at(datetime(2026, 11, 20, 21, 30, tzinfo=UTC)) == datetime(
        2026, 12, 21, 21, 0, tzinfo=UTC
    )
