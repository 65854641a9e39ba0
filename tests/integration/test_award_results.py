"""The award contest's results: approval, the protocol, payouts and their deadline, the register,
diplomas and the published results — on SQLite and PostgreSQL."""

import csv
import hashlib
import io
import logging
import subprocess
import traceback
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import Conflict, FormProblems, NotAllowed, NotAuthenticated, NotFound
from ag_app.models import AwardContest, AwardPayout, AwardSitting
from ag_app.services.award import approval, diploma, payouts, published
from ag_app.services.award.protocol import protocol_data, render_protocol
from ag_app.services.jobs import JOBS
from tests.award_results_fixtures import (
    ACCOUNT,
    CARD,
    CORR,
    INN,
    JUROR_NAMES,
    MEMBER_LAST_NAMES,
    PRIZE_1,
    PRIZE_2,
    PRIZE_3,
    SNILS,
    build_scene,
    payout_form,
)
from tests.factories import open_session
from tests.racing import race, unexpected

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 12:00 МСК, Friday 20 November 2026
# The end of the 30th day after 20.11.2026 (Moscow): 21.12.2026 00:00 МСК.
DUE = datetime(2026, 12, 20, 21, 0, tzinfo=UTC)


def _approve(engine, user_id: int, sitting_id: int, now: datetime = NOW) -> approval.Approval:
    with transaction(engine) as s:
        return approval.approve_sitting(s, actor_id=user_id, sitting_id=sitting_id, now=now)


def _nothing_approved(engine, sitting_id: int) -> None:
    with read_transaction(engine) as s:
        sitting = s.get(AwardSitting, sitting_id)
        assert sitting.approved_at is None and sitting.protocol_pdf is None and sitting.protocol_sha256 == ""
        assert s.exec(select(AwardPayout)).all() == []


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


# --- approval refusals ---------------------------------------------------------------------------


def test_approval_refused_without_quorum(engine, session):
    scene = build_scene(session, present=("chair", "m1"))  # 2 of 5
    with pytest.raises(Conflict, match="неправомочно"):
        _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    _nothing_approved(engine, scene.sitting_id)


def test_approval_refused_to_anyone_but_the_chair_holder(engine, session):
    scene = build_scene(session)
    for user in (scene.juror_users["m1"], scene.juror_users["deputy"], scene.outsider_id, scene.staff_id):
        with pytest.raises(NotAllowed, match="председатель комиссии"):
            _approve(engine, user, scene.sitting_id)
    with pytest.raises(NotAuthenticated):
        _approve(engine, None, scene.sitting_id)
    _nothing_approved(engine, scene.sitting_id)


def test_approval_refused_while_a_tie_is_open(engine, session):
    scene = build_scene(session, open_tie=True)
    with pytest.raises(Conflict, match="голосование при равенстве баллов"):
        _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    _nothing_approved(engine, scene.sitting_id)


def test_approval_refused_when_the_sitting_decided_nothing(engine, session):
    scene = build_scene(session, decided=False)
    with pytest.raises(Conflict, match="утверждать нечего"):
        _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    _nothing_approved(engine, scene.sitting_id)


def test_approval_refused_when_nobody_holds_the_chairs_powers(engine, session):
    scene = build_scene(session, present=("m1", "m2", "m3"))
    with pytest.raises(Conflict, match="утвердить результаты некому"):
        _approve(engine, scene.juror_users["m1"], scene.sitting_id)
    _nothing_approved(engine, scene.sitting_id)


def test_approval_happens_once(engine, session):
    scene = build_scene(session)
    first = _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    with pytest.raises(Conflict, match="уже утверждены"):
        _approve(engine, scene.juror_users["chair"], scene.sitting_id, NOW + timedelta(hours=1))
    with read_transaction(engine) as s:
        sitting = s.get(AwardSitting, scene.sitting_id)
        assert sitting.protocol_sha256 == first.protocol_sha256
        assert len(s.exec(select(AwardPayout)).all()) == first.payouts == 3 + 2 + 2


def test_the_deputy_approves_when_the_chair_is_absent(engine, session, tmp_path):
    scene = build_scene(session, present=("deputy", "m1", "m2"))
    with pytest.raises(NotAllowed):
        _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    done = _approve(engine, scene.juror_users["deputy"], scene.sitting_id)
    with read_transaction(engine) as s:
        sitting = s.get(AwardSitting, scene.sitting_id)
        assert sitting.approved_by == scene.jurors["deputy"]
        pdf = bytes(sitting.protocol_pdf)
    text = " ".join(_text(pdf, tmp_path).split())
    assert done.protocol_sha256 == hashlib.sha256(pdf).hexdigest()
    assert "Результаты утвердил(а) Заместителева Дарья" in text
    assert "исполнявший полномочия председателя комиссии в его отсутствие" in text


# --- payouts -----------------------------------------------------------------------------------


def test_payouts_split_to_the_kopeck_in_the_order_of_joining(engine, session):
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    with read_transaction(engine) as s:
        rows = [p.model_copy() for p in s.exec(select(AwardPayout)).all()]
    amounts = {p.user_id: p.amount for p in rows}
    a1, a2, a3 = scene.members["Alpha"]
    # 100 000,01 ₽ between three: the two extra kopecks go to the first two to join.
    assert (amounts[a1], amounts[a2], amounts[a3]) == (3_333_334, 3_333_334, 3_333_333)
    assert sum(amounts[u] for u in scene.members["Alpha"]) == PRIZE_1
    assert [amounts[u] for u in scene.members["Charlie"]] == [PRIZE_2 // 2] * 2
    assert [amounts[u] for u in scene.members["Bravo"]] == [PRIZE_3 // 2] * 2
    assert not any(u in amounts for u in scene.members["Delta"])
    assert {p.place for p in rows if p.user_id in scene.members["Charlie"]} == {2}
    assert all(p.status == "awaiting" and p.data == "" for p in rows)
    assert {p.due_at.replace(tzinfo=UTC) if p.due_at.tzinfo is None else p.due_at for p in rows} == {DUE}


def _my_payout(engine, user_id: int) -> payouts.OwnPayout:
    with read_transaction(engine) as s:
        (mine,) = payouts.own_payouts(s, user_id=user_id, now=NOW)
    return mine


def test_payout_data_checked_at_once_own_only_and_correctable_until_the_deadline(engine, session):
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    a1, a2, _ = scene.members["Alpha"]
    mine = _my_payout(engine, a1)
    with pytest.raises(FormProblems) as refused, transaction(engine) as s:
        payouts.submit_payout(
            s,
            actor_id=a1,
            payout_id=mine.id,
            form=payout_form(inn="123", card_number="1111", bank_bik="x"),
            now=NOW,
        )
    assert refused.value.problems.keys() == {"inn", "card_number", "bank_bik"}
    assert "Ошибок: 3" in str(refused.value)
    # Someone else's payout is not found; a guest must log in.
    with pytest.raises(NotFound), transaction(engine) as s:
        payouts.submit_payout(s, actor_id=a2, payout_id=mine.id, form=payout_form(), now=NOW)
    with pytest.raises(NotAuthenticated), transaction(engine) as s:
        payouts.submit_payout(s, actor_id=None, payout_id=mine.id, form=payout_form(), now=NOW)
    assert _my_payout(engine, a1).status == "awaiting"

    with transaction(engine) as s:
        payouts.submit_payout(s, actor_id=a1, payout_id=mine.id, form=payout_form(), now=NOW)
    shown = _my_payout(engine, a1)
    assert shown.status_name == "данные для выплаты получены"
    masked = {f.label: f.value for f in shown.masked}
    assert masked["ИНН"] == f"•••• {INN[-4:]}" and masked["Номер карты «Мир»"] == f"•••• {CARD[-4:]}"
    assert not any(INN in v or CARD in v or ACCOUNT in v for v in masked.values())
    # Corrected just before the deadline; refused from the deadline on.
    with transaction(engine) as s:
        payouts.submit_payout(
            s,
            actor_id=a1,
            payout_id=mine.id,
            form=payout_form(passport_number="111222"),
            now=DUE - timedelta(seconds=1),
        )
    with pytest.raises(Conflict, match="Срок подачи"), transaction(engine) as s:
        payouts.submit_payout(s, actor_id=a1, payout_id=mine.id, form=payout_form(), now=DUE)
    with read_transaction(engine) as s:
        assert "111222" in s.get(AwardPayout, mine.id).data


def test_the_deadline_job_marks_missing_payouts_not_paid(engine, session):
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    a1 = scene.members["Alpha"][0]
    with transaction(engine) as s:
        payouts.submit_payout(
            s, actor_id=a1, payout_id=_my_payout(engine, a1).id, form=payout_form(), now=NOW
        )
    job = next(j for j in JOBS if j.name == "award_payouts")
    assert job.run(DUE - timedelta(seconds=1), engine) == 0
    assert job.run(DUE, engine) == 6
    assert job.run(DUE + timedelta(days=1), engine) == 0
    with read_transaction(engine) as s:
        statuses = {p.user_id: p.status for p in s.exec(select(AwardPayout)).all()}
    assert statuses[a1] == "submitted"
    assert {st for u, st in statuses.items() if u != a1} == {"not_paid"}
    assert _my_payout(engine, scene.members["Alpha"][1]).status_name == "не выплачивается"


def test_the_register_is_for_the_operator_and_carries_the_data(engine, session):
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    a1 = scene.members["Alpha"][0]
    with transaction(engine) as s:
        payouts.submit_payout(
            s, actor_id=a1, payout_id=_my_payout(engine, a1).id, form=payout_form(), now=NOW
        )
    for user in (a1, scene.juror_users["chair"], None):
        with pytest.raises((NotAllowed, NotAuthenticated)), read_transaction(engine) as s:
            payouts.payout_register(s, actor_id=user, contest_id=scene.contest_id)
    with read_transaction(engine) as s:
        data = payouts.payout_register(s, actor_id=scene.staff_id, contest_id=scene.contest_id)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(payouts.REGISTER_HEADER)
    assert len(rows) == 1 + 7
    first = rows[1]
    assert first[:4] == ["№ 1. Цифровой помощник жителя", "1", "Alpha", "Альфин Участник Первый"]
    assert first[4].startswith("4512 987654 выдан ГУ МВД России по г. Москве 2015-06-01")
    assert first[5:9] == [INN, SNILS, CARD, ACCOUNT]
    assert "БИК 044525225" in first[9] and CORR in first[9]
    assert first[10:] == ["33333,34", "данные для выплаты получены"]
    # Those who have not submitted: their name from the profile, no data, the status.
    third = rows[3]
    assert third[3].startswith(MEMBER_LAST_NAMES[2]) and third[4:10] == [""] * 6
    assert third[10:] == ["33333,33", "ожидаются данные для выплаты"]
    assert [r[1] for r in rows[1:]] == ["1", "1", "1", "2", "2", "3", "3"]


# --- the protocol --------------------------------------------------------------------------------


def test_the_protocol_shows_places_recusals_and_tie_votes(engine, session, tmp_path):
    scene = build_scene(session)
    done = _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    with read_transaction(engine) as s:
        stored = bytes(s.get(AwardSitting, scene.sitting_id).protocol_pdf)
        again = render_protocol(protocol_data(s, scene.sitting_id))
    assert again == stored and hashlib.sha256(stored).hexdigest() == done.protocol_sha256
    raw = _text(stored, tmp_path)
    text = " ".join(raw.split())
    assert "Протокол заседания комиссии по присуждению премий Мэра Москвы" in text
    assert "«Лидеры цифровой трансформации»" in text and "2026" in text
    assert "Дата заседания: 19.11.2026" in text and "Форма заседания: очная" in text
    assert "Состав комиссии: 5 чел." in text and "Присутствовали: 3 чел." in text
    assert "Кворум: имеется" in text
    for key in ("chair", "m1", "m2"):
        assert " ".join(JUROR_NAMES[key]) in text
    assert "Заместителева" not in text  # absent: not listed as present
    assert "Задача № 1. Цифровой помощник жителя" in text
    # Totals by criterion and places: Alpha 21+19 = 40, 1st.
    assert any(line.split()[:5] == ["Alpha", "21", "19", "40", "1"] for line in raw.splitlines())
    assert any(line.split()[:5] == ["Charlie", "18", "17", "35", "2"] for line in raw.splitlines())
    assert any(line.split()[:5] == ["Bravo", "18", "17", "35", "3"] for line in raw.splitlines())
    assert any(line.split()[:5] == ["Delta", "11", "9", "20", "—"] for line in raw.splitlines())
    assert "Самоотводов Семён — заявил(а) о конфликте интересов с коллективом «Delta»" in text
    assert "2 место, голосование 1: коллективы «Bravo», «Charlie»" in text
    assert "Председателев Пётр — за «Charlie»" in text and "Экспертов Михаил — за «Bravo»" in text
    assert "решающим голосом председательствующего место присуждено коллективу «Charlie»" in text
    assert "1 место (победитель) Alpha 100 000,01 ₽" in text
    assert "3 место (призёр) Bravo 20 000,00 ₽" in text
    assert "Результаты утвердил(а) Председателев Пётр (председатель комиссии) 20.11.2026" in text
    assert "Результаты конкурса обжалованию не подлежат" in text
    # No participant is named.
    for last in (*MEMBER_LAST_NAMES, "Bravoов", "Charlieов"):
        assert last not in text
    assert "+7916" not in text


# --- diplomas and the published results -----------------------------------------------------------


def test_diplomas_only_for_the_member_themself(engine, session, tmp_path):
    scene = build_scene(session)
    a1 = scene.members["Alpha"][0]
    bravo = scene.members["Bravo"][1]
    with pytest.raises(NotFound), read_transaction(engine) as s:  # not approved yet
        diploma.my_diploma(s, actor_id=a1, contest_id=scene.contest_id)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    with read_transaction(engine) as s:
        first = _text(diploma.my_diploma(s, actor_id=a1, contest_id=scene.contest_id), tmp_path)
        third = _text(diploma.my_diploma(s, actor_id=bravo, contest_id=scene.contest_id), tmp_path)
    first, third = " ".join(first.split()), " ".join(third.split())
    assert "ДИПЛОМ победителя" in first and "Альфин Участник0" in first and "«Alpha»" in first
    assert "1 место" in first and "2026" in first and "Цифровой помощник жителя" in first
    assert "ДИПЛОМ призёра" in third and "Bravoов Участник1" in third and "3 место" in third
    for user in (scene.members["Delta"][0], scene.outsider_id, scene.juror_users["chair"]):
        with pytest.raises(NotFound), read_transaction(engine) as s:
            diploma.my_diploma(s, actor_id=user, contest_id=scene.contest_id)


def test_published_results_and_my_prize(engine, session):
    scene = build_scene(session)
    with read_transaction(engine) as s:
        before = published.contest_results(s, contest_id=scene.contest_id)
    assert before.tasks == () and before.sittings == ()
    done = _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    with read_transaction(engine) as s:
        after = published.contest_results(s, contest_id=scene.contest_id)
        prize = published.my_prize(s, actor_id=scene.members["Alpha"][2], now=NOW)
        none = published.my_prize(s, actor_id=scene.members["Delta"][0], now=NOW)
    (task,) = after.tasks
    assert [(p.place, p.team, p.project, p.prize) for p in task.places] == [
        (1, "Alpha", "Проект Alpha", PRIZE_1),
        (2, "Charlie", "Проект Charlie", PRIZE_2),
        (3, "Bravo", "Проект Bravo", PRIZE_3),
    ]
    assert after.sittings[0].protocol_sha256 == done.protocol_sha256
    assert after.no_appeal == "Результаты конкурса обжалованию не подлежат."
    assert prize.place == 1 and prize.team == "Alpha" and prize.payout.amount == 3_333_333
    assert prize.payout.due_at == DUE and prize.payout.can_submit
    assert none is None


def test_my_prize_stays_shown_when_a_newer_contest_is_announced(engine, session):
    """The payout data are due within 30 days of the results: the next year's contest announced
    meanwhile must not hide a winner's place, share and payout form."""
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    session.add(
        AwardContest(
            year=2027,
            title="Лидеры цифровой трансформации",
            apply_opens_at=NOW,
            apply_closes_at=NOW + timedelta(days=60),
            created_at=NOW,
        )
    )
    session.commit()
    with read_transaction(engine) as s:
        prize = published.my_prize(s, actor_id=scene.members["Alpha"][0], now=NOW)
        newer = published.latest_contest_id(s)
        in_newer = published.my_prize(s, actor_id=scene.members["Alpha"][0], now=NOW, contest_id=newer)
        none = published.my_prize(s, actor_id=scene.members["Delta"][0], now=NOW)
    assert newer != scene.contest_id
    assert prize.contest_id == scene.contest_id and prize.year == 2026
    assert prize.place == 1 and prize.payout.can_submit
    assert in_newer is None and none is None


# --- the REST API: nothing leaks ---------------------------------------------------------------------


def test_api_flow_and_no_payout_data_anywhere_but_the_register(engine, session, client, caplog):
    caplog.set_level(logging.DEBUG)
    scene = build_scene(session)

    def auth(user_id: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {open_session(session, user_id, NOW)}"}

    cid, sid = scene.contest_id, scene.sitting_id
    assert client.get(f"/api/v1/awards/{cid}/protocol.pdf").status_code == 404
    refused = client.post(f"/api/v1/awards/sittings/{sid}/approve", headers=auth(scene.juror_users["m1"]))
    assert refused.status_code == 403 and "председатель" in refused.json()["detail"]
    ok = client.post(f"/api/v1/awards/sittings/{sid}/approve", headers=auth(scene.juror_users["chair"]))
    assert ok.status_code == 200, ok.text
    sha = ok.json()["protocol_sha256"]
    pdf = client.get(f"/api/v1/awards/{cid}/protocol.pdf")
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == sha
    assert client.get(f"/api/v1/awards/{cid}/protocol.pdf?sitting={sid}").content == pdf.content
    a1 = scene.members["Alpha"][0]
    member = auth(a1)
    prize = client.get(f"/api/v1/awards/{cid}/my-prize", headers=member).json()
    payout_id = prize["payout"]["id"]
    bad = client.post(f"/api/v1/awards/payouts/{payout_id}", json=payout_form(snils="1"), headers=member)
    assert bad.status_code == 422 and "СНИЛС" in bad.json()["detail"]
    assert (
        client.post(
            f"/api/v1/awards/payouts/{payout_id}", json=payout_form(), headers=auth(scene.members["Alpha"][1])
        ).status_code
        == 404
    )
    sent = client.post(f"/api/v1/awards/payouts/{payout_id}", json=payout_form(), headers=member)
    assert sent.status_code == 200, sent.text
    assert client.get(f"/api/v1/awards/{cid}/diploma.pdf").status_code == 401
    assert client.get(f"/api/v1/awards/{cid}/diploma.pdf", headers=member).status_code == 200
    assert client.get(f"/api/v1/awards/{cid}/diploma.pdf", headers=auth(scene.outsider_id)).status_code == 404
    assert client.get(f"/api/v1/awards/{cid}/payouts.csv", headers=member).status_code == 403
    register = client.get(f"/api/v1/awards/{cid}/payouts.csv", headers=auth(scene.staff_id))
    assert register.status_code == 200 and INN.encode() in register.content

    secrets = [INN, SNILS, CARD, ACCOUNT, "987654", "ГУ МВД", "Тверская", "+79161234567"]
    answers = [
        client.get(f"/api/v1/awards/{cid}/results").text,
        client.get(f"/api/v1/awards/{cid}/my-prize", headers=member).text,
        sent.text,
        bad.text,
    ]
    for text in [*answers, caplog.text]:
        for secret in secrets:
            assert secret not in text, secret
    assert f"•••• {INN[-4:]}" in sent.text


def test_concurrent_approvals_approve_once(engine, session):
    """Six approvals of the same sitting at once: exactly one succeeds, the payouts are created once."""
    scene = build_scene(session)
    outcomes = race([lambda: _approve(engine, scene.juror_users["chair"], scene.sitting_id)] * 6)
    assert unexpected(outcomes) == []
    done = [o for o in outcomes if isinstance(o, approval.Approval)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(done) == 1 and len(refused) == 5
    assert all("уже утверждены" in str(o) for o in refused)
    with read_transaction(engine) as s:
        assert len(s.exec(select(AwardPayout)).all()) == 7
        assert s.get(AwardSitting, scene.sitting_id).protocol_sha256 == done[0].protocol_sha256


def test_a_database_failure_does_not_carry_the_payout_data(engine, session, monkeypatch):
    """The driver's error quotes the statement's parameters: it never leaves the use case."""
    scene = build_scene(session)
    _approve(engine, scene.juror_users["chair"], scene.sitting_id)
    a1 = scene.members["Alpha"][0]
    payout_id = _my_payout(engine, a1).id

    real_flush = Session.flush

    def failing_flush(self, *args, **kwargs):
        if any(isinstance(row, AwardPayout) for row in self.dirty):
            raise OperationalError(
                "UPDATE awardpayout SET data=?", {"data": f'{{"inn": "{INN}"}}'}, Exception("x")
            )
        return real_flush(self, *args, **kwargs)

    monkeypatch.setattr(Session, "flush", failing_flush)
    with pytest.raises(payouts.PayoutNotSaved) as failed, transaction(engine) as s:
        payouts.submit_payout(s, actor_id=a1, payout_id=payout_id, form=payout_form(), now=NOW)
    monkeypatch.undo()
    text = "".join(traceback.format_exception(failed.value))
    assert INN not in text and "OperationalError" in text
    assert _my_payout(engine, a1).status == "awaiting"
