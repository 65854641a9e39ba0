"""The whole award contest «Лидеры цифровой трансформации», from its tasks to the payout register,
through the use cases only (issue 16, «Integration on both databases»).

One story, read top to bottom: the operator publishes the contest; adult captains form teams by
phone and apply; the operator admits, refuses one and publishes the list; the commission scores
(one recusal), meets with a quorum, computes the results, breaks a three-way tie for the first
place by open votes (a round with no decision, then the chair's casting vote), and the chair
approves; the results and the protocol are published; the prizes are split to the kopeck; one
winner submits the payout data, the deadline job marks the others «не выплачивается», and the
operator's register carries exactly that — while no log line carries the personal data.
"""

import csv
import hashlib
import io
import logging
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import Conflict, NotAllowed
from ag_app.models import User
from ag_app.services.award import (
    approval,
    commission,
    contests,
    payouts,
    public,
    published,
    results,
    review,
    scoring,
    teams,
    ties,
)
from ag_app.services.award.contests import ContestConfig, CriterionSpec, TaskSpec
from ag_app.services.jobs import JOBS
from tests.factories import make_user
from tests.unit.test_award_payout import ACCOUNT, CARD, GOOD, PERSON_INN, SNILS

# Applications from 10.09.2026 10:00 to 09.10.2026 23:59 (Moscow); the sitting on 20.11.2026.
OPENS = datetime(2026, 9, 10, 7, 0, tzinfo=UTC)
CLOSES = datetime(2026, 10, 9, 21, 0, tzinfo=UTC)
REVIEWED = CLOSES + timedelta(days=3)
SCORED = REVIEWED + timedelta(days=10)
SITTING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# The end of the 30th day after the approval (20.11.2026, Moscow): 21.12.2026 00:00 МСК.
PAYOUT_DUE = datetime(2026, 12, 20, 21, 0, tzinfo=UTC)
PRIZES_1 = (10_000_001, 6_000_000, 4_000_000)  # 100 000,01 ₽ — three shares of 33 333,34 / 34 / 33
NO_APPEAL = "Результаты конкурса обжалованию не подлежат"


def _person(session: Session, last: str, first: str, *, born: date = date(1990, 3, 14)) -> User:
    """A registered resident with a name in the profile (an account, not a contest row)."""
    user = make_user(session, birth_date=born)
    user.last_name, user.first_name, user.patronymic = last, first, ""
    session.add(user)
    session.commit()
    return user


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def _form_team(engine, captain: User, members: list[User], name: str, task_id: int, contest_id: int) -> int:
    """The captain creates the team and invites by phone; every invitee accepts in their cabinet."""
    at = OPENS + timedelta(days=2)
    with transaction(engine) as s:
        team_id = teams.create_team(
            s, actor_id=captain.id, contest_id=contest_id, name=name, task_id=task_id, now=at
        )
    for k, member in enumerate(members):
        with transaction(engine) as s:
            invitation = teams.invite(s, actor_id=captain.id, team_id=team_id, phone=member.phone, now=at)
        with transaction(engine) as s:
            teams.accept(s, actor_id=member.id, invitation_id=invitation, now=at + timedelta(hours=k + 1))
    return team_id


def _apply(engine, captain: User, team_id: int, title: str, at: datetime) -> None:
    with transaction(engine) as s:
        teams.submit_application(
            s,
            actor_id=captain.id,
            team_id=team_id,
            title=title,
            prototype_url=f"https://example.org/lct/{team_id}",
            description=f"{title}: прототип, архитектура, данные и порядок внедрения.",
            technologies="Python, FastAPI, PostgreSQL",
            now=at,
        )


def _score(engine, juror: User, team_id: int, scores: dict[int, int], *, submit: bool = True) -> None:
    with transaction(engine) as s:
        scoring.save_sheet(
            s, actor_id=juror.id, team_id=team_id, scores=scores, comment="", submit=submit, now=SCORED
        )


def _vote(engine, juror: User, round_id: int, team_id: int, minute: int) -> None:
    with transaction(engine) as s:
        ties.cast_vote(
            s, actor_id=juror.id, round_id=round_id, team_id=team_id, now=SITTING + timedelta(minutes=minute)
        )


def _rounds(engine, staff: User, task_id: int) -> list[ties.RoundView]:
    with read_transaction(engine) as s:
        return list(results.task_results(s, actor_id=staff.id, task_id=task_id).rounds)


def test_the_whole_award_contest_from_tasks_to_the_payout_register(engine, session, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    staff = make_user(session, roles=("staff",))
    session.commit()

    # 1. The operator publishes the contest: two tasks, criteria, prizes (one with kopecks).
    config = ContestConfig(
        year=2026,
        title="Премии Мэра Москвы «Лидеры цифровой трансформации» 2026",
        description="Команды от двух до пяти человек решают задачи города.",
        apply_opens_at=OPENS,
        apply_closes_at=CLOSES,
        tasks=(
            TaskSpec(1, "Цифровой помощник жителя", "Прототип сервиса заявок.", prizes=PRIZES_1),
            TaskSpec(
                2, "Прогноз пассажиропотока", "Модель загрузки остановок.", team_cap=5, prizes=(1, 1, 1)
            ),
        ),
        criteria=(
            CriterionSpec(1, "Техническая реализация", 10, "Работоспособность прототипа."),
            CriterionSpec(2, "Презентация", 5, "Понятность описания."),
        ),
    )
    with transaction(engine) as s:
        contest_id = contests.create_contest(
            s, actor_id=staff.id, config=config, now=OPENS - timedelta(days=5)
        )
    with read_transaction(engine) as s:
        view = public.public_view(s, contest_id=contest_id, now=OPENS + timedelta(hours=1))
    assert (
        view.apply_open
        and view.apply_period_text == "с 10.09.2026 10:00 до 09.10.2026 23:59 (время московское)"
    )
    assert [(t.number, t.prize_1, t.prize_2, t.prize_3) for t in view.tasks] == [(1, *PRIZES_1), (2, 1, 1, 1)]
    assert [(c.name, c.max_score) for c in view.criteria] == [
        ("Техническая реализация", 10),
        ("Презентация", 5),
    ]
    task_1, task_2 = (t.id for t in view.tasks)
    with read_transaction(engine) as s:
        k1, k2 = (c.id for c in contests.criteria_of(s, contest_id))

    # 2. Adult captains form teams by phone, invitees accept; a minor is refused; they apply in time.
    alpha = [
        _person(session, "Альфин", "Антон"),
        _person(session, "Альфова", "Анна"),
        _person(session, "Альфенко", "Ия"),
    ]
    bravo = [_person(session, "Бравин", "Борис"), _person(session, "Бравова", "Вера")]
    charlie = [_person(session, "Чарлин", "Чеслав"), _person(session, "Чарлова", "Юлия")]
    delta = [_person(session, "Дельтин", "Денис"), _person(session, "Дельтова", "Дина")]
    echo = [_person(session, "Эхов", "Эдуард"), _person(session, "Эхова", "Эмма")]
    minor = _person(session, "Юнов", "Юрий", born=date(2010, 1, 1))
    ids = {
        "Alpha": _form_team(engine, alpha[0], alpha[1:], "Alpha", task_1, contest_id),
        "Bravo": _form_team(engine, bravo[0], bravo[1:], "Bravo", task_1, contest_id),
        "Charlie": _form_team(engine, charlie[0], charlie[1:], "Charlie", task_1, contest_id),
        "Delta": _form_team(engine, delta[0], delta[1:], "Delta", task_2, contest_id),
        "Echo": _form_team(engine, echo[0], echo[1:], "Echo", task_2, contest_id),
    }
    with transaction(engine) as s:
        invitation = teams.invite(s, actor_id=bravo[0].id, team_id=ids["Bravo"], phone=minor.phone, now=OPENS)
    with pytest.raises(NotAllowed, match="только совершеннолетние"), transaction(engine) as s:
        teams.accept(s, actor_id=minor.id, invitation_id=invitation, now=OPENS + timedelta(hours=1))
    with pytest.raises(NotAllowed, match="только совершеннолетние"), transaction(engine) as s:
        teams.create_team(
            s, actor_id=minor.id, contest_id=contest_id, name="Юниоры", task_id=task_1, now=OPENS
        )
    with transaction(engine) as s:
        teams.decline(s, actor_id=minor.id, invitation_id=invitation, now=OPENS + timedelta(hours=2))
    with read_transaction(engine) as s:
        assert teams.team_size(s, ids["Bravo"]) == 2
    for name, members in (
        ("Alpha", alpha),
        ("Bravo", bravo),
        ("Charlie", charlie),
        ("Delta", delta),
        ("Echo", echo),
    ):
        _apply(engine, members[0], ids[name], f"Проект {name}", CLOSES - timedelta(days=1))
    late = _person(session, "Позднов", "Павел")
    late_team = _form_team(engine, late, [_person(session, "Позднова", "Полина")], "Late", task_2, contest_id)
    with pytest.raises(Conflict, match="Приём заявок окончен"):
        _apply(engine, late, late_team, "Опоздавший проект", CLOSES)

    # 3. The operator admits, refuses one with a reason and publishes the list of admitted teams.
    with transaction(engine) as s:
        for name in ("Alpha", "Bravo", "Charlie", "Echo"):
            review.admit(s, actor_id=staff.id, team_id=ids[name], now=REVIEWED)
        review.refuse(
            s, actor_id=staff.id, team_id=ids["Delta"], reason="Прототип недоступен по ссылке.", now=REVIEWED
        )
        review.publish_admitted(
            s, actor_id=staff.id, contest_id=contest_id, now=REVIEWED + timedelta(hours=1)
        )
    with read_transaction(engine) as s:
        rows = {r.name: r for r in review.applications(s, actor_id=staff.id, contest_id=contest_id)}
        view = public.public_view(s, contest_id=contest_id, now=REVIEWED + timedelta(hours=2))
    assert rows["Delta"].status == "refused" and rows["Delta"].review_note == "Прототип недоступен по ссылке."
    assert rows["Alpha"].status == "admitted" and rows["Alpha"].size == 3
    assert [(t.task_number, t.name) for t in view.admitted] == [
        (1, "Alpha"),
        (1, "Bravo"),
        (1, "Charlie"),
        (2, "Echo"),
    ]
    shown = repr(view)
    for person in [*alpha, *bravo, *charlie, *delta, *echo]:
        assert person.last_name not in shown and person.phone not in shown and person.phone[2:] not in shown

    # 4. The commission: chair, deputy, members; the first task's group; one conflict of interest.
    chair = _person(session, "Председателев", "Пётр")
    deputy = _person(session, "Заместителева", "Дарья")
    m1, m2, m3 = (
        _person(session, "Экспертов", "Михаил"),
        _person(session, "Оценщикова", "Мария"),
        _person(session, "Самоотводов", "Семён"),
    )
    jurors = {}
    with transaction(engine) as s:
        for user, role in (
            (chair, "chair"),
            (deputy, "deputy"),
            (m1, "member"),
            (m2, "member"),
            (m3, "member"),
        ):
            jurors[user.id] = commission.add_juror(
                s, actor_id=staff.id, contest_id=contest_id, phone=user.phone, role=role
            )
        for user in (chair, m1, m2, m3):
            commission.assign(s, actor_id=staff.id, juror_id=jurors[user.id], task_id=task_1)
        commission.assign(s, actor_id=staff.id, juror_id=jurors[deputy.id], task_id=task_2)
    with transaction(engine) as s:
        scoring.declare_recusal(
            s, actor_id=m3.id, team_id=ids["Charlie"], note="Работал с капитаном.", now=SCORED
        )

    # 5. Score sheets: a draft first; the others' sheets stay hidden until one's own is submitted.
    # Alpha, Bravo and Charlie all total 36: a three-way tie for the first place.
    sheets = (
        (chair, {"Alpha": (8, 4), "Bravo": (9, 3), "Charlie": (7, 5)}),
        (m1, {"Alpha": (7, 5), "Bravo": (8, 4), "Charlie": (9, 3)}),
        (m2, {"Alpha": (9, 3), "Bravo": (7, 5), "Charlie": (8, 4)}),
    )
    _score(engine, chair, ids["Alpha"], {k1: 8, k2: 4})
    _score(engine, m1, ids["Alpha"], {k1: 7}, submit=False)
    with read_transaction(engine) as s:
        assert scoring.sheet_view(s, actor_id=m1.id, team_id=ids["Alpha"]).scores == {k1: 7}
    with pytest.raises(NotAllowed, match="откроются после того"), read_transaction(engine) as s:
        scoring.other_sheets(s, actor_id=m1.id, team_id=ids["Alpha"])
    for juror, by_team in sheets:
        for name, (a, b) in by_team.items():
            if (juror.id, name) in ((chair.id, "Alpha"), (m2.id, "Charlie")):
                continue
            _score(engine, juror, ids[name], {k1: a, k2: b})
    with read_transaction(engine) as s:
        seen = scoring.other_sheets(s, actor_id=m1.id, team_id=ids["Alpha"])
    assert {(o.juror_name.split()[0], o.total) for o in seen} == {("Председателев", 12), ("Оценщикова", 12)}

    # 6. The sitting (all five present: a quorum); computing is refused while a sheet is missing.
    with transaction(engine) as s:
        sitting_id = commission.create_sitting(
            s,
            actor_id=staff.id,
            contest_id=contest_id,
            held_on=date(2026, 11, 20),
            form="in_person",
            present=list(jurors.values()),
            now=SITTING,
        )
    with read_transaction(engine) as s:
        [row] = commission.commission_view(s, actor_id=staff.id, contest_id=contest_id).sittings
    assert (len(row.present_ids), row.members, row.valid) == (5, 5, True)
    assert row.chair_holder_name.startswith("Председателев")
    with (
        pytest.raises(Conflict, match="не заполнено анкет — 1. Оценщикова Мария — «Charlie»"),
        transaction(engine) as s,
    ):
        results.compute(s, actor_id=staff.id, sitting_id=sitting_id, task_id=task_1, now=SITTING)
    _score(engine, m2, ids["Charlie"], {k1: 8, k2: 4})
    with transaction(engine) as s:
        results.compute(s, actor_id=staff.id, sitting_id=sitting_id, task_id=task_1, now=SITTING)

    # 7. The tie for the first place: four voters (the recused member does not vote).
    [first] = _rounds(engine, staff, task_1)
    assert (first.place, first.round, {n for _, n in first.teams}) == (1, 1, {"Alpha", "Bravo", "Charlie"})
    assert sorted(first.waiting) == [
        "Заместителева Дарья",
        "Оценщикова Мария",
        "Председателев Пётр",
        "Экспертов Михаил",
    ]
    with pytest.raises(NotAllowed, match="конфликте интересов"), transaction(engine) as s:
        ties.cast_vote(s, actor_id=m3.id, round_id=first.id, team_id=ids["Alpha"], now=SITTING)
    for minute, (juror, team) in enumerate(
        ((chair, "Alpha"), (deputy, "Bravo"), (m1, "Charlie"), (m2, "Bravo"))
    ):
        _vote(engine, juror, first.id, ids[team], minute)
    rounds = _rounds(engine, staff, task_1)
    assert rounds[0].closed and rounds[0].decided_team_id is None  # Bravo 2 of 4: no decision
    second = next(r for r in rounds if not r.closed)
    assert (second.place, second.round) == (1, 2)
    for minute, (juror, team) in enumerate(
        ((chair, "Alpha"), (m1, "Alpha"), (deputy, "Bravo"), (m2, "Bravo")), 10
    ):
        _vote(engine, juror, second.id, ids[team], minute)
    rounds = _rounds(engine, staff, task_1)
    assert rounds[1].decided_team_name == "Alpha"  # two against two: the chair's vote decides
    third = next(r for r in rounds if not r.closed)
    assert (third.place, {n for _, n in third.teams}) == (2, {"Bravo", "Charlie"})
    for minute, (juror, team) in enumerate(
        ((chair, "Bravo"), (deputy, "Bravo"), (m1, "Bravo"), (m2, "Charlie")), 20
    ):
        _vote(engine, juror, third.id, ids[team], minute)
    with read_transaction(engine) as s:
        standings = results.task_results(s, actor_id=staff.id, task_id=task_1).standings
    assert [(r.team_name, r.total, r.place) for r in standings] == [
        ("Alpha", 36, 1),
        ("Bravo", 36, 2),
        ("Charlie", 36, 3),
    ]

    # 8. The chair approves; the results and the protocol are public.
    with pytest.raises(NotAllowed), transaction(engine) as s:
        approval.approve_sitting(s, actor_id=m1.id, sitting_id=sitting_id, now=SITTING + timedelta(hours=1))
    with transaction(engine) as s:
        done = approval.approve_sitting(
            s, actor_id=chair.id, sitting_id=sitting_id, now=SITTING + timedelta(hours=1)
        )
    assert done.payouts == 3 + 2 + 2
    with read_transaction(engine) as s:
        page = published.results_page(s, contest_id=contest_id)
        _, pdf = published.protocol_pdf(s, contest_id=contest_id)
    assert page.no_appeal.startswith(NO_APPEAL)
    [task_result] = page.tasks
    assert [(p.place, p.team, p.project, p.prize) for p in task_result.places] == [
        (1, "Alpha", "Проект Alpha", PRIZES_1[0]),
        (2, "Bravo", "Проект Bravo", PRIZES_1[1]),
        (3, "Charlie", "Проект Charlie", PRIZES_1[2]),
    ]
    assert page.sittings[0].protocol_sha256 == done.protocol_sha256 == hashlib.sha256(pdf).hexdigest()
    text = _pdf_text(pdf, tmp_path)
    assert "Присутствовали: 5 чел." in text and "Кворум: имеется" in text
    assert "1 место (победитель) Alpha 100 000,01 ₽" in text
    assert "2 место (призёр) Bravo" in text and "3 место (призёр) Charlie" in text
    assert "Самоотводов Семён — заявил(а) о конфликте интересов с коллективом «Charlie»" in text
    assert "решение не принято, проведено повторное голосование" in text
    assert "решающим голосом председательствующего место присуждено коллективу «Alpha»" in text

    # 9. The prizes split to the kopeck, in the order of joining.
    with read_transaction(engine) as s:
        shares = {
            u.id: payouts.own_payouts(s, user_id=u.id, now=SITTING + timedelta(hours=2))
            for u in [*alpha, *bravo, *charlie]
        }
    assert [shares[u.id][0].amount for u in alpha] == [3_333_334, 3_333_334, 3_333_333]
    for members, prize in ((alpha, PRIZES_1[0]), (bravo, PRIZES_1[1]), (charlie, PRIZES_1[2])):
        assert sum(shares[u.id][0].amount for u in members) == prize
    assert {p[0].status_name for p in shares.values()} == {"ожидаются данные для выплаты"}

    # 10. The captain of Alpha submits valid payout data; the job after the deadline marks the others.
    form = {**GOOD, "full_name": "Альфин Антон Игоревич"}
    with transaction(engine) as s:
        payouts.submit_payout(
            s,
            actor_id=alpha[0].id,
            payout_id=shares[alpha[0].id][0].id,
            form=form,
            now=PAYOUT_DUE - timedelta(days=1),
        )
    job = next(j for j in JOBS if j.name == "award_payouts")
    assert job.run(PAYOUT_DUE - timedelta(seconds=1), engine) == 0
    assert job.run(PAYOUT_DUE, engine) == 6
    with read_transaction(engine) as s:
        mine = payouts.own_payouts(s, user_id=alpha[0].id, now=PAYOUT_DUE)[0]
        theirs = payouts.own_payouts(s, user_id=alpha[1].id, now=PAYOUT_DUE)[0]
        register = payouts.payout_register(s, actor_id=staff.id, contest_id=contest_id)
    assert mine.status_name == "данные для выплаты получены" and theirs.status_name == "не выплачивается"

    # 11. The register: one row per payout, the submitter's data, the others' statuses.
    header, *lines = list(csv.reader(io.StringIO(register.decode("utf-8-sig")), delimiter=";"))
    assert header[3] == "Ф. И. О." and len(lines) == 7
    by_name = {row[3]: row for row in lines}
    submitted = by_name["Альфин Антон Игоревич"]
    assert (submitted[5], submitted[6], submitted[7], submitted[8]) == (PERSON_INN, SNILS, CARD, ACCOUNT)
    assert (submitted[10], submitted[11]) == ("33333,34", "данные для выплаты получены")
    others = [row for row in lines if row is not submitted]
    assert {row[11] for row in others} == {"не выплачивается"} and all(row[5] == "" for row in others)
    assert sum(int(row[10].replace(",", "")) for row in lines) == sum(PRIZES_1)

    # No log line carries the personal data.
    for secret in (PERSON_INN, SNILS, CARD, ACCOUNT, GOOD["registration_address"]):
        assert secret not in caplog.text, secret
