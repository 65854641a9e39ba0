"""The award contest «Лидеры цифровой трансформации» in the browser (issue 16).

1. A captain forms a team of three on «Моя команда» (two members accept in their own cabinets) and
   applies; the operator admits the team and publishes the list; «Премия» shows it.
2. Two members of the commission submit their score sheets on «Комиссия»; the operator records the
   sitting and presses «Подвести итоги»; the totals tie, the two present members split the open vote
   and the chair's vote decides; the chair approves; «Итоги премии» shows the places and the protocol
   PDF (read with pdftotext) the places, the tie vote and the approval; the winning captain downloads
   the diploma on «Моя премия».

Each test arranges what the browser does not click (the contest, the other accounts, the commission,
the second team and its sheets) through the services in the app's database, and uses phones no other
browser test uses. Axe finds no serious or critical violation on any page of the contest.
"""

import hashlib
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func
from sqlmodel import Session, select

from ag_app.db import make_engine, transaction
from ag_app.models import User
from ag_app.models.award import AwardContest, AwardSitting, AwardTeam
from ag_app.services.award import commission, contests, review, scoring, teams
from ag_app.services.award.contests import ContestConfig, CriterionSpec, TaskSpec
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in, staff_account
from tests.e2e.test_accessibility import serious_violations

NO_APPEAL = "Результаты конкурса обжалованию не подлежат"
PROJECT = {
    "title": "Городской помощник",
    "prototype_url": "https://example.ru/helper",
    "description": "Сервис подсказывает жителю, куда обратиться с вопросом о доме и дворе.",
    "technologies": "Python, PostgreSQL",
}


def _engine(app: RunningApp):
    return make_engine(app.env["AG_DATABASE_URL"])


def _person(session: Session, phone: str, last_name: str, first_name: str) -> User:
    """An adult resident with a name in the profile (born 1985)."""
    found = session.exec(select(User).where(User.phone == phone)).first()
    if found is not None:
        return found
    past = datetime.now(UTC) - timedelta(days=300)
    user = User(
        uid=f"e2eaw{phone[-7:]}",
        phone=phone,
        phone_region="moscow",
        created_at=past,
        terms_accepted_at=past,
        last_name=last_name,
        first_name=first_name,
        patronymic="Сергеевна",
        birth_date=date(1985, 6, 1),
    )
    session.add(user)
    session.flush()
    return user


def _user_id(session: Session, phone: str) -> int:
    return session.exec(select(User.id).where(User.phone == phone)).one()


def _contest(app: RunningApp, operator_phone: str, title: str) -> tuple[int, int, list[int]]:
    """A contest open for applications now, labelled a year before every contest already there (the
    demo contest stays the current one for the other tests; the pages are opened on this one by
    ``?contest=ID`` or by choosing it): one task with prizes, two criteria.

    Returns (contest id, task id, criterion ids by number)."""
    staff_account(app, operator_phone)
    engine = _engine(app)
    try:
        with transaction(engine) as session:
            earliest = session.exec(select(func.min(AwardContest.year))).one()
            now = datetime.now(UTC)
            config = ContestConfig(
                year=min(earliest or 2026, 2026) - 1,
                title=title,
                description="Конкурс проектов цифровой трансформации города.",
                apply_opens_at=now - timedelta(days=1),
                apply_closes_at=now + timedelta(days=30),
                tasks=(
                    TaskSpec(
                        1,
                        "Сервисы для жителей",
                        "Прототип городского сервиса.",
                        None,
                        (300_000_00, 150_000_00, 50_000_00),
                    ),
                ),
                criteria=(
                    CriterionSpec(1, "Актуальность", 10, "Насколько решение нужно городу"),
                    CriterionSpec(2, "Реализуемость", 5, "Насколько просто внедрить"),
                ),
            )
            contest_id = contests.create_contest(
                session, actor_id=_user_id(session, operator_phone), config=config, now=now
            )
            task_id = contests.tasks_of(session, contest_id)[0].id
            criteria = [c.id for c in contests.criteria_of(session, contest_id)]
        return contest_id, task_id, criteria
    finally:
        engine.dispose()


@contextmanager
def _browser_page(browser: Browser) -> Iterator[Page]:
    """Another person's browser (a context of its own: its own cookies)."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _no_serious_violations(page: Page) -> None:
    found = serious_violations(page)
    assert found == [], f"{page.url}: {found}"


def _pdf_text(data: bytes) -> str:
    """The text of a PDF by pdftotext, whitespace folded (lines wrap anywhere in a table)."""
    assert data.startswith(b"%PDF-")
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return " ".join(done.stdout.decode().split())


# ------------------------------------------------------------------ a team of three applies, admitted

CAPTAIN, MEMBER_1, MEMBER_2, OPERATOR_1 = "+79157000101", "+79157000102", "+79157000103", "+79157000104"


def test_a_captain_forms_a_team_of_three_and_the_operator_admits_it(
    page: Page, browser: Browser, app: RunningApp
):
    contest_id, task_id, _ = _contest(app, OPERATOR_1, "Лидеры цифровой трансформации: заявки")
    engine = _engine(app)
    try:
        with transaction(engine) as session:
            _person(session, CAPTAIN, "Капитанова", "Анна")
            _person(session, MEMBER_1, "Участникова", "Вера")
            _person(session, MEMBER_2, "Помощникова", "Галина")
    finally:
        engine.dispose()
    team_url = f"{app.url}/awards/team?contest={contest_id}"

    log_in(page, app, CAPTAIN)
    page.goto(team_url)
    expect(page.locator("#award-create")).to_be_visible()
    _no_serious_violations(page)
    page.locator("#award-team-name").fill("Digital Pioneers")
    page.locator("#award-team-task").select_option(str(task_id))
    page.locator("#award-create").click()
    expect(page.locator("#award-team-status")).to_contain_text("Коллектив формируется")
    expect(page.locator("#award-team-name-shown")).to_contain_text("Digital Pioneers")
    for invited, phone in enumerate((MEMBER_1, MEMBER_2), start=1):
        page.locator("#award-invite-phone").fill(phone)
        page.locator("#award-invite").click()
        expect(page.locator("#award-pending li")).to_have_count(invited)
    expect(page.get_by_text("Приглашение отправлено")).to_be_visible()
    for phone in (MEMBER_1, MEMBER_2):
        with _browser_page(browser) as member:
            log_in(member, app, phone)
            member.goto(team_url)
            accept = member.locator("[id^='award-accept-']")
            expect(accept).to_have_count(1)
            expect(member.get_by_text("Коллектив «Digital Pioneers» приглашает вас.")).to_be_visible()
            _no_serious_violations(member)
            accept.click()
            expect(member.get_by_text("Вы вступили в коллектив.")).to_be_visible()
            expect(member.locator("#award-team-status")).to_contain_text("Коллектив формируется")

    page.reload()
    members = page.locator("#award-members tbody tr")
    expect(members).to_have_count(3)
    expect(page.locator("#award-members")).to_contain_text("Участникова Вера")
    expect(page.locator("#award-members")).to_contain_text("Помощникова Галина")
    page.locator("#award-project-title").fill(PROJECT["title"])
    page.locator("#award-project-url").fill(PROJECT["prototype_url"])
    page.locator("#award-project-description").fill(PROJECT["description"])
    page.locator("#award-project-technologies").fill(PROJECT["technologies"])
    page.locator("#award-apply").click()
    expect(page.get_by_text("Заявка подана. О решении оператора")).to_be_visible()
    expect(page.locator("#award-team-status")).to_contain_text("Заявка подана, ждёт рассмотрения")
    expect(page.locator("#award-team")).to_contain_text(PROJECT["title"])
    _no_serious_violations(page)

    engine = _engine(app)
    try:
        with Session(engine) as session:
            team_id = session.exec(
                select(AwardTeam.id).where(
                    AwardTeam.contest_id == contest_id, AwardTeam.name == "Digital Pioneers"
                )
            ).one()
    finally:
        engine.dispose()

    with _browser_page(browser) as operator:
        log_in(operator, app, OPERATOR_1)
        operator.goto(f"{app.url}/staff/awards")
        operator.locator("#award-contest").select_option(str(contest_id))
        application = operator.locator("#award-applications")
        expect(application).to_contain_text("«Digital Pioneers»")
        expect(application).to_contain_text("участников: 3")
        expect(application).to_contain_text("Капитанова Анна Сергеевна (капитан)")
        _no_serious_violations(operator)
        operator.locator(f"#award-admit-{team_id}").click()
        expect(operator.get_by_text("Коллектив допущен к конкурсу.")).to_be_visible()
        expect(application).to_contain_text("Коллектив допущен к конкурсу")
        operator.locator("#award-publish").click()
        expect(operator.get_by_text("Список допущенных коллективов опубликован")).to_be_visible()
        _no_serious_violations(operator)

    page.goto(f"{app.url}/awards?contest={contest_id}")
    admitted = page.locator("#award-admitted")
    expect(admitted).to_contain_text("Digital Pioneers")
    expect(admitted).to_contain_text(PROJECT["title"])
    _no_serious_violations(page)
    page.goto(team_url)
    expect(page.locator("#award-team-status")).to_contain_text("Коллектив допущен к конкурсу")


# ----------------------------------------------- scoring, the tie vote, approval, results and diploma

OPERATOR_2, CHAIR, JUROR = "+79157000201", "+79157000202", "+79157000203"
WINNER, WINNER_MATE, RIVAL, RIVAL_MATE = "+79157000204", "+79157000205", "+79157000206", "+79157000207"


def _admitted_team(
    session: Session, contest_id: int, task_id: int, name: str, phones: tuple[str, str]
) -> int:
    """A team of two formed, applied and admitted through the services; returns its id."""
    now = datetime.now(UTC)
    captain, mate = phones
    captain_id, mate_id = _user_id(session, captain), _user_id(session, mate)
    team_id = teams.create_team(
        session, actor_id=captain_id, contest_id=contest_id, name=name, task_id=task_id, now=now
    )
    invitation = teams.invite(session, actor_id=captain_id, team_id=team_id, phone=mate, now=now)
    teams.accept(session, actor_id=mate_id, invitation_id=invitation, now=now)
    teams.submit_application(
        session,
        actor_id=captain_id,
        team_id=team_id,
        title=f"Проект {name}",
        prototype_url="https://example.ru/" + name.lower().replace(" ", "-"),
        description="Прототип сервиса для жителей с картой обращений и уведомлениями.",
        technologies="Python",
        now=now,
    )
    review.admit(session, actor_id=_user_id(session, OPERATOR_2), team_id=team_id, now=now)
    return team_id


def _scoring_contest(app: RunningApp) -> dict[str, int | list[int]]:
    """Two admitted teams, a commission of two (the chair and a member, both in the task's group);
    both have already submitted their sheets of «Beta Squad»: 7 + 4 and 6 + 5 (22 in all)."""
    contest_id, task_id, criteria = _contest(app, OPERATOR_2, "Лидеры цифровой трансформации: итоги")
    engine = _engine(app)
    try:
        with transaction(engine) as session:
            for phone, last, first in (
                (CHAIR, "Председателева", "Мария"),
                (JUROR, "Экспертова", "Ирина"),
                (WINNER, "Победителева", "Ольга"),
                (WINNER_MATE, "Соратникова", "Нина"),
                (RIVAL, "Соперникова", "Елена"),
                (RIVAL_MATE, "Напарникова", "Зоя"),
            ):
                _person(session, phone, last, first)
        with transaction(engine) as session:
            winner = _admitted_team(session, contest_id, task_id, "Alpha Lab", (WINNER, WINNER_MATE))
            rival = _admitted_team(session, contest_id, task_id, "Beta Squad", (RIVAL, RIVAL_MATE))
            operator = _user_id(session, OPERATOR_2)
            review.publish_admitted(session, actor_id=operator, contest_id=contest_id, now=datetime.now(UTC))
            chair = commission.add_juror(
                session, actor_id=operator, contest_id=contest_id, phone=CHAIR, role="chair"
            )
            juror = commission.add_juror(
                session, actor_id=operator, contest_id=contest_id, phone=JUROR, role="member"
            )
            for seat in (chair, juror):
                commission.assign(session, actor_id=operator, juror_id=seat, task_id=task_id)
        for phone, scores in ((CHAIR, (7, 4)), (JUROR, (6, 5))):
            with transaction(engine) as session:
                scoring.save_sheet(
                    session,
                    actor_id=_user_id(session, phone),
                    team_id=rival,
                    scores=dict(zip(criteria, scores, strict=True)),
                    comment="",
                    submit=True,
                    now=datetime.now(UTC),
                )
    finally:
        engine.dispose()
    return {
        "contest": contest_id,
        "task": task_id,
        "criteria": criteria,
        "winner": winner,
        "rival": rival,
        "chair": chair,
        "juror": juror,
    }


def _submit_sheet(jury: Page, team_id: int, criteria: list[int], scores: tuple[int, int]) -> None:
    """Open the project's sheet on «Комиссия», score every criterion and submit it."""
    jury.locator(f"#jury-open-{team_id}").click()
    expect(jury.locator("#jury-sheet-status")).to_be_visible()
    expect(jury.get_by_text("Анкеты других членов комиссии откроются после того")).to_be_visible()
    for criterion, score in zip(criteria, scores, strict=True):
        jury.locator(f"#jury-score_{criterion}").fill(str(score))
    jury.locator("#jury-comment").fill("Проект готов к внедрению.")
    jury.locator("#jury-final").check()
    jury.locator("#jury-save").click()
    expect(jury.get_by_text("Анкета отправлена.")).to_be_visible()


def test_the_jury_scores_a_tie_the_chair_decides_and_the_results_are_published(
    page: Page, browser: Browser, app: RunningApp
):
    ids = _scoring_contest(app)
    contest_id, task_id, criteria = ids["contest"], ids["task"], ids["criteria"]
    winner, rival = ids["winner"], ids["rival"]

    # Both members score «Alpha Lab» 22 in all too: 7 + 4 and 6 + 5.
    with _browser_page(browser) as chair, _browser_page(browser) as juror:
        log_in(chair, app, CHAIR)
        chair.goto(f"{app.url}/awards/jury")
        projects = chair.locator("#jury-projects")
        expect(projects).to_contain_text("Alpha Lab")
        expect(projects).to_contain_text("Beta Squad")
        _no_serious_violations(chair)
        _submit_sheet(chair, winner, criteria, (7, 4))
        # The other member has not submitted a sheet of this project yet.
        expect(chair.get_by_text("Другие члены комиссии ещё не отправили анкеты")).to_be_visible()
        _no_serious_violations(chair)

        log_in(juror, app, JUROR)
        juror.goto(f"{app.url}/awards/jury")
        _submit_sheet(juror, winner, criteria, (6, 5))
        others = juror.locator("#jury-others")
        expect(others).to_contain_text("Председателева Мария")
        expect(others).to_contain_text("Актуальность: 7 из 10")

        # The operator records the sitting with both present and computes the task's results.
        log_in(page, app, OPERATOR_2)
        page.goto(f"{app.url}/staff/awards/commission")
        page.locator("#commission-contest").select_option(str(contest_id))
        expect(page.locator("#commission-members")).to_contain_text("Председателева Мария")
        for seat in (ids["chair"], ids["juror"]):
            page.locator(f"#commission-present-{seat}").check()
        page.locator("#commission-save-sitting").click()
        expect(page.locator("#commission-feedback")).to_contain_text("Заседание записано.")
        expect(page.locator("#commission-sittings")).to_contain_text("2 из 2: заседание правомочно")
        compute = page.locator(f"#commission-compute-{task_id}")
        expect(compute).to_be_enabled()
        compute.click()
        expect(page.locator("#commission-feedback")).to_contain_text("Итоги по задаче подведены.")
        expect(page.locator("#commission-rounds")).to_contain_text("идёт голосование")
        standings = page.locator("#commission-standings")
        expect(standings).to_contain_text("22")
        _no_serious_violations(page)

        # The open vote: one vote each; the chair's vote decides.
        for member, team in ((chair, winner), (juror, rival)):
            member.goto(f"{app.url}/awards/jury")
            expect(member.locator("#jury-ties")).to_contain_text("1-е место, тур 1")
            member.locator(f"[id^='jury-vote-'][id$='-{team}']").click()
            expect(member.get_by_text("Ваш голос учтён.")).to_be_visible()
        expect(juror.locator("#jury-ties")).to_contain_text("Открытых голосований нет.")
        _no_serious_violations(juror)

        page.reload()
        expect(page.locator("#commission-rounds")).to_contain_text("решение: «Alpha Lab»")
        expect(page.locator("#commission-standings")).to_contain_text("1-е место")
        expect(page.locator("#commission-standings")).to_contain_text("2-е место")

        engine = _engine(app)
        try:
            with Session(engine) as session:
                sitting = session.exec(
                    select(AwardSitting.id).where(AwardSitting.contest_id == contest_id)
                ).one()
        finally:
            engine.dispose()
        chair.goto(f"{app.url}/awards/approval")
        expect(chair.locator("#approval-lines")).to_contain_text("Alpha Lab")
        _no_serious_violations(chair)
        chair.locator(f"#approve-{sitting}").click()
        chair.locator(f"#approve-confirm-{sitting}").click()
        expect(chair.get_by_text("Результаты утверждены. Протокол сформирован")).to_be_visible()
        expect(chair.get_by_text("Заседаний, ожидающих вашего утверждения, нет.")).to_be_visible()
        _no_serious_violations(chair)

    # The published results and the protocol.
    page.goto(f"{app.url}/awards/results?contest={contest_id}")
    places = page.locator("#award-places tbody tr")
    expect(places).to_have_count(2)
    expect(places.nth(0)).to_contain_text("1 место (победитель)")
    expect(places.nth(0)).to_contain_text("Alpha Lab")
    expect(places.nth(0)).to_contain_text("300 000")
    expect(places.nth(1)).to_contain_text("2 место (призёр)")
    expect(places.nth(1)).to_contain_text("Beta Squad")
    expect(page.locator("#award-no-appeal")).to_contain_text(NO_APPEAL)
    _no_serious_violations(page)
    link = page.locator(f"#award-protocol-{sitting}")
    href = link.get_attribute("href")
    assert href and href.startswith("/api/v1/awards/"), href
    with urllib.request.urlopen(f"{app.url}{href}", timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/pdf")
        pdf = response.read()
    expect(page.locator("#award-sittings")).to_contain_text(hashlib.sha256(pdf).hexdigest())
    text = _pdf_text(pdf)
    assert "Кворум: имеется" in text
    assert "Alpha Lab" in text and "Beta Squad" in text
    assert "Председателева Мария Сергеевна — за «Alpha Lab»" in text
    assert "Экспертова Ирина Сергеевна — за «Beta Squad»" in text
    assert "решающим голосом председательствующего место присуждено коллективу «Alpha Lab»" in text
    assert re.search(r"1 место \(победитель\) Alpha Lab 300 000", text), text
    assert re.search(r"2 место \(призёр\) Beta Squad 150 000", text), text
    assert "Результаты утвердил(а) Председателева Мария Сергеевна" in text
    assert NO_APPEAL in text

    # The winning captain: place, share and the diploma in their own name («Моя премия» finds the
    # contest the member took a place in, though newer contests exist).
    with _browser_page(browser) as captain:
        log_in(captain, app, WINNER)
        captain.goto(f"{app.url}/awards/prize")
        expect(captain.locator("#prize-place")).to_contain_text("1 место (победитель)")
        expect(captain.locator("#prize-share")).to_contain_text("150 000")
        _no_serious_violations(captain)
        with captain.expect_download() as download:
            captain.locator("#prize-diploma").click()
        diploma = _pdf_text(download.value.path().read_bytes())
        assert "Победителева Ольга Сергеевна" in diploma
        assert "Alpha Lab" in diploma

    page.goto(f"{app.url}/staff/awards/payouts?contest={contest_id}")
    payouts = page.locator("#payouts-table")
    expect(payouts).to_contain_text("Победителева Ольга Сергеевна")
    expect(payouts).to_contain_text("Соперникова Елена Сергеевна")
    _no_serious_violations(page)
