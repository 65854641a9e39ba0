"""``ag-app promo import-votes FILE --campaign SLUG``: the operator imports the voting system's
file; the counts and the refused lines are printed, a malformed file exits 1 naming its lines and
changes nothing, and importing the same file again changes nothing."""

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from ag_app.cli import app
from ag_app.models import PromoCitizen
from ag_app.services.promo import codes
from tests.promo_helpers import make_campaign, make_citizen, msk

HEADER = "person;voted_at;channel;first_online\n"


def _votes(session) -> dict[int, tuple]:
    rows = session.exec(
        select(PromoCitizen.user_id, PromoCitizen.vote_channel, PromoCitizen.main_window).execution_options(
            populate_existing=True
        )
    ).all()
    session.commit()
    return {user_id: (channel, window) for user_id, channel, window in rows}


@pytest.fixture
def cli(engine, monkeypatch):
    monkeypatch.setattr("ag_app.db.get_engine", lambda: engine)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["promo", "import-votes", *args])


def test_the_operator_imports_the_vote_file(engine, session, tmp_path, cli):
    _, _, geo = make_campaign(engine, session)
    anna, boris = (make_citizen(session, geo["house:Арбат"]) for _ in range(2))
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    good = tmp_path / "votes.csv"
    good.write_text(
        HEADER
        + f"{anna.phone};2026-09-06 20:00:59;online;yes\n"
        + f"{boris.phone};2026-09-06 20:01:00;terminal;no\n"
        + "+79990000000;2026-09-06 11:00;online;no\n",
        encoding="utf-8",
    )
    result = cli(str(good), "--campaign", "vmeste")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Файл голосов загружен: строк 3, добавлено фактов голосования 2, без изменений 0.",
        "Не найдена учётная запись на платформе (строки: 4).",
    ]
    # 20:00:59 is still the first day's window, 20:01:00 the next one's.
    assert _votes(session) == {anna.id: ("online", 0), boris.id: ("terminal", 1)}

    again = cli(str(good), "--campaign", "vmeste")
    assert again.exit_code == 0
    assert (
        again.output.splitlines()[0]
        == "Файл голосов загружен: строк 3, добавлено фактов голосования 0, без изменений 2."
    )


def test_a_malformed_file_exits_1_and_changes_nothing(engine, session, tmp_path, cli):
    _, _, geo = make_campaign(engine, session)
    anna = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + f"{anna.phone};2026-09-06 10:00;online;yes\n\n+79990000001;2026-09-06;online;no\n"
        f"{anna.phone};2026-09-06 11:00;терминал;да\n",
        encoding="utf-8",
    )
    result = cli(str(bad), "--campaign", "vmeste")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Файл голосов не загружен, ничего не изменено. Строк с ошибками: 2."
    assert lines[1] == "  Строка 4: Время голосования не в виде 2026-12-10 19:59:30."
    assert lines[2].startswith("  Строка 5: ")
    assert _votes(session) == {anna.id: ("", None)}

    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    result = cli(str(empty), "--campaign", "vmeste")
    assert (result.exit_code, result.output.strip()) == (1, "Файл голосов пуст.")
    result = cli(str(bad), "--campaign", "nope")
    assert (result.exit_code, result.output.strip()) == (1, "Акция «nope» не найдена.")
    result = cli(str(tmp_path / "missing.csv"), "--campaign", "vmeste")
    assert result.exit_code == 2 and "Не удалось прочитать файл" in result.output
    assert _votes(session) == {anna.id: ("", None)}
