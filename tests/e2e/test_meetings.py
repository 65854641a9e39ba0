"""Owners' meetings in the browser: an owner votes and a second browser watching the same meeting
sees the live meter move within a few seconds (no reload); the protocol PDF of a finished meeting
downloads, pdftotext reads its Cyrillic text and its SHA-256 is the one on the page; axe scans the
meeting page. The test arranges its own house, owners and meetings in the app's database."""

import hashlib
import re
import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine
from sqlmodel import Session, select

from ag_app.models import (
    District,
    House,
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingQuestion,
    Premise,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
    UserRole,
)
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

# Owners created by this test only (each phone may request 3 SMS codes an hour).
OWNER_PHONE = "+79165550101"
STAFF_PHONE = "+79165550103"
CLUSTER_STAFF_PHONE = "+79165550104"
SCAN = "5e" * 32
DAY = timedelta(days=1)


def _user(session: Session, phone: str, now: datetime) -> User:
    user = User(
        uid=f"meet{phone[-7:]}",
        phone=phone,
        phone_region="moscow",
        created_at=now,
        terms_accepted_at=now,
        last_name="Сидорова",
        first_name="Мария",
        identity_verified_at=now,
    )
    session.add(user)
    session.flush()
    return user


def _meeting(session: Session, house_id: int, initiator: int, starts: datetime, ends: datetime) -> Meeting:
    meeting = Meeting(
        house_id=house_id,
        initiator_id=initiator,
        initiator_kind="owner",
        notified_at=starts - 11 * DAY,
        starts_at=starts,
        ends_at=ends,
        in_person_address="г. Москва, улица Собраний, д. 1, помещение совета дома",
    )
    session.add(meeting)
    session.flush()
    for position, (text, topic, threshold) in enumerate(
        [
            ("Избрать председателя и секретаря собрания.", "organisational", "majority_of_participants"),
            ("Провести капитальный ремонт крыши в 2027 году.", "capital_repair", "two_thirds_of_all"),
        ],
        start=1,
    ):
        session.add(
            MeetingQuestion(
                meeting_id=meeting.id, position=position, text=text, topic=topic, threshold=threshold
            )
        )
    session.flush()
    return meeting


def arrange_house(database_url: str, owner_phone: str) -> dict:
    """A house of 4 premises (250.75 m²) in the register, an owner with an account, an open and a
    finished meeting (the finished one with decisions), written into the app's database."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        district = session.exec(select(District).order_by(District.id)).first()
        street = Street(district_id=district.id, name="улица Собраний")
        session.add(street)
        session.flush()
        building = House(street_id=street.id, district_id=district.id, number="1")
        session.add(building)
        session.flush()
        owner = _user(session, owner_phone, now)
        staff = _user(session, STAFF_PHONE if owner_phone == OWNER_PHONE else CLUSTER_STAFF_PHONE, now)
        session.add(UserRole(user_id=staff.id, role="staff"))
        holders = {}
        for number, area, ref in (
            ("1", "50.25", "M1"),
            ("2", "60.50", "M2"),
            ("3", "70.00", "M3"),
            ("4", "70.00", "M4"),
        ):
            premise = Premise(house_id=building.id, number=number, area_m2=Decimal(area))
            session.add(premise)
            session.flush()
            holder = PremiseHolder(
                premise_id=premise.id, house_id=building.id, role="owner", person_ref=ref, last_name="Сидорова",
                first_name="Мария", share_numerator=1, share_denominator=1,
            )  # fmt: skip
            session.add(holder)
            session.flush()
            holders[ref] = holder
        session.add(
            PremiseLink(holder_id=holders["M1"].id, user_id=owner.id, method="account_number", linked_at=now)
        )
        session.add(
            MeetingHouse(
                house_id=building.id, inspection_protocol="МЖИ № 9", recorded_by=owner.id, recorded_at=now
            )
        )
        active = _meeting(session, building.id, owner.id, now - DAY, now + 5 * DAY)
        finished = _meeting(session, building.id, owner.id, now - 20 * DAY, now - DAY)
        questions = session.exec(
            select(MeetingQuestion).where(MeetingQuestion.meeting_id == finished.id)
        ).all()
        for ref in ("M2", "M3", "M4"):
            for question in questions:
                session.add(
                    MeetingDecision(
                        meeting_id=finished.id, question_id=question.id, owner_ref=ref, choice="for", channel="online",
                        entered_by=owner.id, created_at=now - 2 * DAY,
                    )
                )  # fmt: skip
        session.commit()
    engine.dispose()
    return {"active": active.id, "finished": finished.id}


@pytest.fixture(scope="module")
def house(app: RunningApp) -> dict:
    return arrange_house(app.env["AG_DATABASE_URL"], OWNER_PHONE)


def test_an_owner_votes_and_a_watcher_sees_the_meter_move(
    browser: Browser, page: Page, app: RunningApp, house
):
    url = f"{app.url}/house/meetings/{house['active']}"
    watcher_context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    watcher = watcher_context.new_page()
    try:
        watcher.goto(url)
        collected = watcher.locator("#meter-collected")
        expect(collected).to_contain_text("0,00\xa0м² из 250,75\xa0м²", timeout=30_000)
        expect(watcher.locator("#meter-quorum")).to_contain_text("не хватает 125,38")

        log_in(page, app, OWNER_PHONE)
        page.goto(url)
        expect(page.locator("#send-decisions")).to_be_visible(timeout=30_000)
        assert serious_violations(page) == []
        page.get_by_role("radio", name="За").first.click()
        page.locator("#send-decisions").click()
        expect(page.get_by_text("Решения учтены по вопросам: 1.")).to_be_visible()
        expect(page.locator("#mine-1")).to_contain_text("За")

        # No reload: the shared meter pushes the new count to the watcher.
        expect(collected).to_contain_text("50,25\xa0м² из 250,75\xa0м²", timeout=5_000)
        expect(watcher.locator("#meter-needed-1")).to_contain_text("Для принятия не хватает «За»: 75,13")
        assert watcher.locator("#send-decisions").count() == 0

        page.reload()
        expect(page.locator("#mine-1")).to_contain_text("За", timeout=30_000)
    finally:
        watcher_context.close()


def test_the_protocol_of_a_finished_meeting_downloads_and_reads_in_russian(
    page: Page, app: RunningApp, house, tmp_path
):
    page.goto(f"{app.url}/house/meetings/{house['finished']}")
    expect(page.locator("#meeting-state")).to_have_text("Завершено", timeout=30_000)
    sha = page.locator("#protocol-sha")
    expect(sha).to_have_text(re.compile(r"^[0-9a-f]{64}$"), timeout=30_000)
    shown = sha.inner_text()
    assert len(shown) == 64
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.locator("#protocol-link").click()
    pdf = download.value.path().read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == shown
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ПРОТОКОЛ" in text and "улица Собраний" in text
    assert "Принято" in text and "Сидорова" not in text


def test_staff_enter_a_paper_decision_refuse_a_duplicate_and_export(
    browser: Browser, page: Page, app: RunningApp, house
):
    watcher_context = browser.new_context(locale="ru-RU")
    watcher = watcher_context.new_page()
    try:
        watcher.goto(f"{app.url}/house/meetings/{house['active']}")
        collected = watcher.locator("#meter-collected")
        expect(collected).to_contain_text("\xa0м² из 250,75\xa0м²", timeout=30_000)
        before = collected.inner_text()

        log_in(page, app, STAFF_PHONE)
        page.goto(f"{app.url}/staff/meetings")
        expect(page.locator("#enabled-houses")).to_contain_text("МЖИ № 9", timeout=30_000)
        page.locator("#staff-meeting").select_option(str(house["active"]))
        page.locator("#paper-premise").fill("2")
        page.locator("#paper-find").click()
        expect(page.locator("#paper-owner")).to_contain_text("Сидорова Мария (доля 1/1)")
        page.locator("#paper-1").select_option("against")
        page.locator("#paper-scan").fill(SCAN)
        page.locator("#paper-submit").click()
        expect(page.locator("#paper-result")).to_contain_text("Решения учтены по вопросам: 1.")
        # The paper decision moves the meter of everyone watching: 60,50 m² more took part.
        assert "50,25\xa0м² из" in before  # the owner's vote of the first test
        expect(collected).to_contain_text("110,75\xa0м² из 250,75\xa0м²", timeout=5_000)

        page.locator("#paper-1").select_option("for")
        page.locator("#paper-scan").fill(SCAN)
        page.locator("#paper-submit").click()
        expect(page.locator("#paper-result")).to_contain_text("повторное решение не принимается")
        expect(page.locator("#rejections")).to_contain_text("M2")
        assert serious_violations(page) == []
        with page.expect_download() as download:
            page.locator("#export-decisions").click()
        rows = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
        assert rows[0].startswith("Собственник,Идентификатор в реестре,Помещение")
        assert any(r.startswith("Сидорова Мария,M2,2,60.50,1/1,60.50,Против") and SCAN in r for r in rows)
    finally:
        watcher_context.close()


def test_an_owner_files_a_meeting_with_the_form(page: Page, app: RunningApp, house):
    log_in(page, app, OWNER_PHONE)
    page.goto(f"{app.url}/house/meetings/new")
    expect(page.locator("#meeting-house")).to_contain_text("улица Собраний", timeout=30_000)
    moscow = datetime.now(UTC) + timedelta(hours=3)
    page.locator("#item-text-1").fill("Утвердить смету благоустройства двора.")
    page.locator("#item-add").click()
    page.locator("#item-text-2").fill("Ремонт лифтов за счёт фонда капитального ремонта.")
    page.locator("#item-topic-2").select_option("capital_repair")
    page.locator("#item-threshold-2").select_option("majority_of_participants")
    page.locator("#meeting-starts").fill(f"{moscow + 5 * DAY:%Y-%m-%dT10:00}")
    page.locator("#meeting-ends").fill(f"{moscow + 30 * DAY:%Y-%m-%dT20:00}")
    page.locator("#meeting-address").fill("Подъезд 1, помещение консьержа")
    page.locator("#meeting-submit").click()
    expect(page.get_by_text("решение принимается, только если «За» не менее 2/3")).to_be_visible()
    page.locator("#item-threshold-2").select_option("")
    page.locator("#meeting-submit").click()
    expect(page.get_by_text("Собственников уведомляют не менее чем за 10 дней")).to_be_visible()
    page.locator("#meeting-starts").fill(f"{moscow + 12 * DAY:%Y-%m-%dT10:00}")
    page.locator("#meeting-submit").click()
    expect(page).to_have_url(re.compile(r"/house/meetings/\d+$"), timeout=30_000)
    expect(page.locator("#meeting-state")).to_have_text("Назначено")
    expect(page.locator("#cannot-vote")).to_contain_text("ещё не началось")
    assert serious_violations(page) == []
    page.goto(f"{app.url}/notifications")
    expect(
        page.get_by_text("Общее собрание собственников: г. Москва, улица Собраний, д. 1").first
    ).to_be_visible()
