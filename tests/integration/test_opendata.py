"""Open data of closed polls: the seal, the files, pages, receipts and the verifier command."""

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from ag_app.cli import app as cli
from ag_app.db import transaction
from ag_app.domain.errors import InvalidInput, NotAllowed, NotFound
from ag_app.domain.opendata import GENESIS, header, hour_text, verify_rows
from ag_app.models import Ballot, Poll, PollSeal, User
from ag_app.services import ballots, jobs, opendata, polls
from ag_app.services.opendata import pages as opendata_pages
from ag_app.services.opendata import seal as opendata_seal
from ag_app.services.polls import AnswerInput
from tests.factories import make_geo, make_user
from tests.integration.poll_helpers import make_poll, question_ids

HOUR = timedelta(hours=1)
OWN_TEXT = "Позвоните мне, Иванов, +79160000000"
QUESTIONS = ["Нужно ли благоустройство?", "Что добавить в парк?", "Когда начинать работы?"]


@pytest.fixture
def city(engine, session, now):
    """A closed poll with 11 ballots of varied voters and answers; returns (poll id, staff, voters, closed at)."""
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    voters = []
    for i in range(11):
        voter = make_user(
            session,
            house_id=[geo["house:Арбат"], geo["house:Раменки"], None][i % 3],
            birth_date=[date(1990, 3, 4), None, date(1950, 1, 2), date(2009, 12, 31)][i % 4],
            phone_region="other" if i % 4 == 0 else "moscow",
        )
        if i % 5 == 0:
            voter.gender = "female"
        elif i % 5 == 1:
            voter.gender = ""
        session.add(voter)
        session.commit()
        voters.append(voter)
    poll_id = make_poll(engine, staff.id, now)
    questions = question_ids(engine, staff.id, poll_id, now)
    q1, q2, q3 = questions
    for i, voter in enumerate(voters):
        chosen = [[q2.options[0].id, q2.options[2].id], [q2.options[3].id], [q2.options[4].id]][i % 3]
        answers = [
            AnswerInput(q1.id, [q1.options[i % 3].id]),
            AnswerInput(q2.id, chosen, OWN_TEXT if q2.options[3].id in chosen else ""),
            AnswerInput(q3.id, [q3.options[i % 2].id]),
        ]
        moment = now + timedelta(minutes=7 * i + 3, seconds=11)
        with transaction(engine) as s:
            ballots.complete_ballot(s, actor_id=voter.id, poll_id=poll_id, answers=answers, now=moment)
    closed_at = now + 2 * HOUR
    with transaction(engine) as s:
        polls.close_poll(s, actor_id=staff.id, poll_id=poll_id, now=closed_at)
    return poll_id, staff, voters, closed_at + HOUR


def seal_of(engine, poll_id, now):
    with transaction(engine) as s:
        return opendata.get_seal(s, actor_id=None, poll_id=poll_id, now=now)


def csv_rows(engine, poll_id) -> tuple[list[str], list[list[str]]]:
    data = b"".join(opendata.csv_chunks(engine, poll_id))
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return table[0], table[1:]


# ----------------------------------------------------------------------------------------------
# Seal and files


def test_files_carry_the_sealed_chain_and_equal_the_results(engine, city, monkeypatch):
    poll_id, staff, _, later = city
    monkeypatch.setattr(opendata, "CHUNK", 4)
    seal = seal_of(engine, poll_id, later)
    heading, rows = csv_rows(engine, poll_id)
    assert heading == list(header(QUESTIONS))
    assert seal.rows == len(rows) == 11
    assert [r[0] for r in rows] == [str(n) for n in range(1, 12)]
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    report = verify_rows(
        heading, rows, expect_hash=seal.final_hash, expect_rows=11, expect_totals=seal.totals
    )
    assert report.ok, report
    assert [list(r) for r in opendata.open_data_rows(engine, poll_id)] == rows
    with transaction(engine) as s:
        results = polls.poll_results(s, actor_id=staff.id, poll_id=poll_id, now=later)
    expected = {
        f"Вопрос {n}. {q.text}": {o.text: o.count for o in q.options}
        for n, q in enumerate(results.questions, start=1)
    }
    assert seal.totals == {"ballots": results.ballots, "questions": expected}
    assert seal.totals["questions"]["Вопрос 2. Что добавить в парк?"]["Свой вариант"] == 4


def test_no_personal_data_in_any_cell(engine, session, city):
    poll_id, _, voters, later = city
    seal_of(engine, poll_id, later)
    _, rows = csv_rows(engine, poll_id)
    users = session.exec(select(User)).all()
    hours = dict(
        session.exec(select(Ballot.receipt, Ballot.completed_at).where(Ballot.poll_id == poll_id)).all()
    )
    completed = list(hours.values())
    forbidden = {OWN_TEXT, "Позвоните"}
    for user in users:
        forbidden |= {user.phone, user.phone[2:], user.uid, user.last_name, user.first_name, user.patronymic}
        if user.birth_date:
            forbidden |= {user.birth_date.isoformat(), user.birth_date.strftime("%d.%m.%Y")}
    for moment in completed:
        moscow = moment.replace(tzinfo=None) + 3 * HOUR
        forbidden |= {moment.isoformat(), moscow.strftime("%Y-%m-%d %H:%M:%S"), moscow.strftime("%H:%M:%S")}
        if moscow.minute:
            forbidden.add(moscow.strftime("%H:%M"))
    forbidden.discard("")
    user_ids = {str(u.id) for u in users}
    for number, row in enumerate(rows, start=1):
        assert row[0] == str(number)
        assert row[2] == hour_text(hours[row[1]])
        for column, cell in enumerate(row):
            assert not any(secret in cell for secret in forbidden), (column, cell)
            if column:
                assert cell not in user_ids, (column, cell)
    assert {r[3] for r in rows} == {"35–44", "не указан", "65+", "до 18"}
    assert {r[4] for r in rows} == {"мужской", "женский", "не указан"}
    assert {(r[5], r[6]) for r in rows} == {("ЦАО", "Арбат"), ("ЗАО", "Раменки"), ("не указан", "не указан")}
    assert {r[7] for r in rows} == {"московский", "другой"}
    assert {r[9] for r in rows} == {"Каток | Фонтан", "Свой вариант", "Мне не интересно"}


def test_seal_is_stored_once_and_the_poll_takes_no_more_ballots(engine, session, city):
    poll_id, _, _, later = city
    first = seal_of(engine, poll_id, later)
    again = seal_of(engine, poll_id, later + HOUR)
    assert (again.final_hash, again.rows, again.sealed_at) == (first.final_hash, first.rows, first.sealed_at)
    assert session.get(Poll, poll_id).sealed_at is not None


def test_ballot_racing_the_seal_is_refused(engine, session, now):
    """A voter who opened the ballot before the end submits it after the poll was sealed."""
    staff = make_user(session, roles=("staff",))
    early, late = make_user(session), make_user(session)
    poll_id = make_poll(engine, staff.id, now, ends_at=now + HOUR)
    questions = question_ids(engine, staff.id, poll_id, now)
    answers = [AnswerInput(q.id, [q.options[0].id]) for q in questions]
    with transaction(engine) as s:
        ballots.complete_ballot(s, actor_id=early.id, poll_id=poll_id, answers=answers, now=now)
    seal = seal_of(engine, poll_id, now + 2 * HOUR)
    with pytest.raises(NotAllowed) as error, transaction(engine) as s:
        ballots.complete_ballot(s, actor_id=late.id, poll_id=poll_id, answers=answers, now=now + HOUR / 2)
    assert str(error.value) == "Голосование только что завершилось, бюллетень не принят."
    assert len(session.exec(select(Ballot).where(Ballot.poll_id == poll_id)).all()) == seal.rows == 1
    _, rows = csv_rows(engine, poll_id)
    assert rows[-1][-1] == seal.final_hash


def test_open_data_waits_for_the_close(engine, session, now):
    staff = make_user(session, roles=("staff",))
    poll_id = make_poll(engine, staff.id, now)
    draft_id = make_poll(engine, staff.id, now - 30 * HOUR * 24, publish=False, ends_at=now - HOUR)
    with pytest.raises(NotFound) as error, transaction(engine) as s:
        opendata.get_seal(s, actor_id=None, poll_id=poll_id, now=now)
    assert str(error.value) == "Открытые данные голосования публикуются после его завершения."
    with pytest.raises(NotFound) as error, transaction(engine) as s:
        opendata.get_seal(s, actor_id=staff.id, poll_id=draft_id, now=now)
    assert str(error.value) == "Голосование не найдено."


def test_poll_without_ballots_has_the_genesis_hash(engine, session, now):
    staff = make_user(session, roles=("staff",))
    poll_id = make_poll(engine, staff.id, now, ends_at=now + HOUR)
    seal = seal_of(engine, poll_id, now + 2 * HOUR)
    assert (seal.rows, seal.final_hash, seal.totals["ballots"]) == (0, GENESIS, 0)
    assert seal.totals["questions"]["Вопрос 1. Нужно ли благоустройство?"] == {
        "Да": 0,
        "Нет": 0,
        "Затрудняюсь ответить": 0,
    }
    with transaction(engine) as s:
        page = opendata.open_data_page(s, poll_id=poll_id, page=1, now=now + 2 * HOUR)
    assert (page.pages, page.rows) == (1, [])


def test_the_job_seals_closed_polls_once(engine, city):
    poll_id, _, _, later = city
    assert opendata.seal_closed_polls(engine, later) == 1
    assert opendata.seal_closed_polls(engine, later) == 0
    report = jobs.run_jobs(later, engine=engine)
    assert report.done("opendata_seals") == 0
    with transaction(engine) as s:
        assert s.get(PollSeal, poll_id).rows == 11


# ----------------------------------------------------------------------------------------------
# Pages, receipts, own row


def test_pages_and_receipts_rebuild_rows_from_checkpoints(engine, city, monkeypatch):
    poll_id, _, voters, later = city
    # Sealing writes the checkpoints, pages and receipt lookups read them: both use the same spacing.
    monkeypatch.setattr(opendata_seal, "CHECKPOINT_EVERY", 3)
    monkeypatch.setattr(opendata_pages, "CHECKPOINT_EVERY", 3)
    seal_of(engine, poll_id, later)
    _, rows = csv_rows(engine, poll_id)
    with transaction(engine) as s:
        pages = [opendata.open_data_page(s, poll_id=poll_id, page=n, size=4, now=later) for n in (1, 2, 3)]
        with pytest.raises(InvalidInput) as error:
            opendata.open_data_page(s, poll_id=poll_id, page=4, size=4, now=later)
    assert str(error.value) == "Такой страницы нет: всего страниц 3."
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [r.cells() for p in pages for r in p.rows] == rows
    for row in rows:
        pasted = " " + row[1].lower().replace("-", " ") + " "
        with transaction(engine) as s:
            found = opendata.find_receipt(s, poll_id=poll_id, code=pasted, now=later)
        assert found.cells() == row
    with transaction(engine) as s:
        mine = opendata.my_row(s, actor_id=voters[4].id, poll_id=poll_id, now=later)
        receipt = s.exec(select(Ballot.receipt).where(Ballot.user_id == voters[4].id)).one()
    assert mine.receipt == receipt
    assert mine.cells() == rows[mine.number - 1]


def test_unknown_or_malformed_receipt(engine, session, city):
    poll_id, staff, _, later = city
    with transaction(engine) as s:
        assert opendata.find_receipt(s, poll_id=poll_id, code="0000-0000-0000-0000", now=later) is None
        assert opendata.my_row(s, actor_id=staff.id, poll_id=poll_id, now=later) is None
        with pytest.raises(InvalidInput) as error:
            opendata.find_receipt(s, poll_id=poll_id, code="привет", now=later)
    assert "16 букв и цифр" in str(error.value)


def test_past_polls_show_the_receipt_code(engine, city):
    poll_id, _, voters, later = city
    with transaction(engine) as s:
        receipt = s.exec(select(Ballot.receipt).where(Ballot.user_id == voters[0].id)).one()
        past = polls.my_past_polls(s, actor_id=voters[0].id, now=later)
    assert [(p.poll_id, p.receipt) for p in past] == [(poll_id, receipt)]


# ----------------------------------------------------------------------------------------------
# REST API


def test_api_routes(engine, session, client, clock, city, now):
    poll_id, _, _, later = city
    open_poll = make_poll(engine, make_user(session, roles=("staff",)).id, now)
    base = f"/api/v1/polls/{open_poll}/open-data"
    for url in (f"{base}.csv", f"{base}.xlsx", f"{base}/seal", f"{base}/receipts/0000-0000-0000-0000"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Открытые данные голосования публикуются после его завершения."}
    clock["now"] = later
    base = f"/api/v1/polls/{poll_id}/open-data"
    seal = client.get(f"{base}/seal")
    assert seal.status_code == 200
    body = seal.json()
    assert set(body) == {"rows", "final_hash", "totals"}
    assert body["rows"] == 11
    download = client.get(f"{base}.csv")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == f'attachment; filename="poll-{poll_id}-open-data.csv"'
    assert download.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"), newline="")))
    assert verify_rows(table[0], table[1:], expect_hash=body["final_hash"], expect_totals=body["totals"]).ok
    xlsx = client.get(f"{base}.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert f"poll-{poll_id}-open-data.xlsx" in xlsx.headers["content-disposition"]
    row = client.get(f"{base}/receipts/{table[5][1].lower()}")
    assert row.status_code == 200
    assert (row.json()["number"], row.json()["hash"]) == (5, table[5][-1])
    missing = client.get(f"{base}/receipts/0000-0000-0000-0000")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "Голос с таким кодом в этом голосовании не найден."},
    )
    assert client.get(f"{base}/receipts/xyz").status_code == 422


# ----------------------------------------------------------------------------------------------
# The verifier command


@pytest.fixture
def files(engine, city, tmp_path):
    """The CSV, the XLSX and the seal JSON of the closed poll, as downloaded."""
    poll_id, _, _, later = city
    seal = seal_of(engine, poll_id, later)
    csv_path = tmp_path / "open-data.csv"
    csv_path.write_bytes(b"".join(opendata.csv_chunks(engine, poll_id)))
    xlsx_path = tmp_path / "open-data.xlsx"
    xlsx_path.write_bytes(b"".join(opendata.xlsx_chunks(engine, poll_id)))
    seal_path = tmp_path / "seal.json"
    seal_path.write_text(
        json.dumps(
            {"rows": seal.rows, "final_hash": seal.final_hash, "totals": seal.totals}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return csv_path, xlsx_path, seal_path, seal


def verify(*args: str):
    result = CliRunner().invoke(cli, ["verify-open-data", *map(str, args)])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_verifier_passes_on_the_published_files(files):
    csv_path, xlsx_path, seal_path, seal = files
    for path in (csv_path, xlsx_path):
        code, report = verify(path, "--expect-hash", seal.final_hash, "--seal", seal_path)
        assert code == 0, report
        assert (report["ok"], report["rows"], report["final_hash"]) == (True, 11, seal.final_hash)
        assert report["totals"]["ballots"] == 11


def _tamper(path, kind):
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    heading, rows = table[0], table[1:]
    if kind == "edit":
        rows[6][8] = "Да" if rows[6][8] != "Да" else "Нет"
    elif kind == "delete":
        del rows[6]
    elif kind == "insert":
        rows.insert(6, list(rows[2]))
    elif kind == "swap":
        rows[6], rows[9] = rows[9], rows[6]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([heading, *rows])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("kind", ["edit", "delete", "insert", "swap"])
def test_verifier_names_the_first_bad_row(files, kind):
    csv_path, _, _, seal = files
    _tamper(csv_path, kind)
    code, report = verify(csv_path, "--expect-hash", seal.final_hash)
    assert code == 1
    assert (report["ok"], report["first_bad_row"]) == (False, 7)
    assert report["reason"]


def test_verifier_fails_when_totals_disagree_with_the_seal(files, tmp_path):
    csv_path, xlsx_path, seal_path, _ = files
    published = json.loads(seal_path.read_text(encoding="utf-8"))
    published["totals"]["questions"]["Вопрос 3. Когда начинать работы?"]["Весной"] += 1
    forged = tmp_path / "forged-seal.json"
    forged.write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    for path in (csv_path, xlsx_path):
        code, report = verify(path, "--seal", forged)
        assert code == 1
        assert report["reason"] == "Пересчитанные итоги не совпадают с опубликованными"


def test_verifier_fails_on_a_wrong_expected_hash(files):
    csv_path, _, _, _ = files
    code, report = verify(csv_path, "--expect-hash", "f" * 64)
    assert (code, report["ok"]) == (1, False)


# ----------------------------------------------------------------------------------------------
# The page's handlers decide from the session, never from input


def _tab(session, user_id):
    """A fresh state tree of one browser tab, logged in as ``user_id`` (or a guest)."""
    from reflex.state import State

    from ag_app.state.base import SessionState
    from ag_app.state.opendata import OpenDataState
    from tests.factories import open_session

    root = State(_reflex_internal_init=True)
    if user_id is not None:
        root.substates[SessionState.get_name()].auth_token = open_session(session, user_id, datetime.now(UTC))
    return root.substates[OpenDataState.get_name()]


async def _drain(handler):
    async for _ in handler:
        pass


def test_find_mine_highlights_only_the_callers_own_row(app_engine, session, city, monkeypatch):
    from ag_app.state import opendata as page_state

    poll_id, staff, voters, later = city
    monkeypatch.setattr(page_state, "now", lambda: later)
    guest = _tab(session, None)
    guest.pid = poll_id
    asyncio.run(_drain(page_state.OpenDataState.find_mine.fn(guest)))
    assert (guest.mine_message, guest.mine_receipt) == ("Войдите, чтобы найти свой голос.", "")

    outsider = _tab(session, staff.id)
    outsider.pid = poll_id
    asyncio.run(_drain(page_state.OpenDataState.find_mine.fn(outsider)))
    assert (outsider.mine_message, outsider.mine_receipt) == ("Вы не голосовали в этом голосовании.", "")

    voter = _tab(session, voters[2].id)
    voter.pid = poll_id
    asyncio.run(_drain(page_state.OpenDataState.find_mine.fn(voter)))
    receipt = session.exec(select(Ballot.receipt).where(Ballot.user_id == voters[2].id)).one()
    session.rollback()
    assert voter.mine_receipt == receipt
    assert [r.cells[1] for r in voter.rows if r.mine] == [receipt]

    page_state.OpenDataState.set_receipt_input.fn(guest, "нет такого")
    asyncio.run(page_state.OpenDataState.check_receipt.fn(guest, {}))
    assert guest.receipt_row == []
    assert "16 букв и цифр" in guest.receipt_message


def test_verifier_names_an_edited_row_of_the_xlsx(files, tmp_path):
    import openpyxl

    _, xlsx_path, _, seal = files
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book.worksheets[0]
    # Row 1 of the sheet is the heading: the 5th ballot is on sheet row 6; column 11 is question 3.
    sheet.cell(row=6, column=11).value = (
        "Осенью" if sheet.cell(row=6, column=11).value != "Осенью" else "Весной"
    )
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    code, report = verify(edited, "--expect-hash", seal.final_hash)
    assert (code, report["first_bad_row"]) == (1, 5)


def test_ballots_racing_the_seal_are_either_sealed_or_refused(engine, session, now):
    from concurrent.futures import ThreadPoolExecutor

    staff = make_user(session, roles=("staff",))
    voters = [make_user(session).id for _ in range(24)]
    poll_id = make_poll(engine, staff.id, now, ends_at=now + HOUR)
    questions = question_ids(engine, staff.id, poll_id, now)
    answers = [AnswerInput(q.id, [q.options[0].id]) for q in questions]

    def vote(user_id: int) -> str:
        try:
            with transaction(engine) as s:
                ballots.complete_ballot(s, actor_id=user_id, poll_id=poll_id, answers=answers, now=now)
        except NotAllowed as error:
            return error.key
        return "counted"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(vote, voters[:12]))
        racing = [pool.submit(vote, user_id) for user_id in voters[12:]]
        seal = seal_of(engine, poll_id, now + 2 * HOUR)
        outcomes += [f.result() for f in racing]
    assert set(outcomes) <= {"counted", "poll.closed_meanwhile"}
    with transaction(engine) as s:
        stored = s.exec(select(Ballot.receipt).where(Ballot.poll_id == poll_id)).all()
    assert seal.rows == len(stored) == outcomes.count("counted")
    _, rows = csv_rows(engine, poll_id)
    assert sorted(stored) == [r[1] for r in rows]
    assert rows[-1][-1] == seal.final_hash
