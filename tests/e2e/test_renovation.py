"""The house vote in the browser: an owner votes and sees the check code, anyone checks it and looks
the house up by address; axe finds no serious or critical violations on the new pages."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.models import District, House, Premise, PremiseHolder, PremiseLink, Street, User
from ag_app.services import renovation
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

OWNER = "+79035550177"
ADMIN = "+79990000003"
STREET = "Реновационный проезд"


def _arrange(app: RunningApp) -> tuple[int, int]:
    """A house of 12 apartments, the new owner confirmed as owner of apartment 7 (level 3), an open
    vote for the house; returns (vote id, house id)."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    now = datetime.now(UTC)
    with transaction(engine) as s:
        owner = s.exec(select(User).where(User.phone == OWNER)).one()
        owner.last_name, owner.first_name, owner.patronymic = "Кузнецова", "Мария", "Олеговна"
        owner.birth_date, owner.identity_verified_at = date(1979, 3, 8), now
        s.add(owner)
        district_id = s.exec(select(District.id).order_by(District.id)).first()
        street = Street(district_id=district_id, name=STREET)
        s.add(street)
        s.flush()
        house = House(street_id=street.id, district_id=district_id, number="7")
        s.add(house)
        s.flush()
        premises = [
            Premise(house_id=house.id, number=str(n), kind="apartment", area_m2=Decimal("48.20"))
            for n in range(1, 13)
        ]
        s.add_all(premises)
        s.flush()
        holder = PremiseHolder(
            premise_id=premises[6].id,
            house_id=house.id,
            role="owner",
            person_ref="E2E-OWNER",
            last_name="Кузнецова",
            first_name="Мария",
            patronymic="Олеговна",
            birth_date=date(1979, 3, 8),
        )
        s.add(holder)
        s.flush()
        s.add(PremiseLink(holder_id=holder.id, user_id=owner.id, method="account_number", linked_at=now))
        admin_id = s.exec(select(User.id).where(User.phone == ADMIN)).one()
        house_id = house.id
    with transaction(engine) as s:
        campaign = renovation.open_campaign(
            s,
            actor_id=admin_id,
            title="Программа реновации (проверка в браузере)",
            question="Включить дом в программу реновации?",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=7),
            house_ids=[house_id],
            now=now,
        )
    engine.dispose()
    return campaign.id, house_id


def test_owner_votes_sees_the_code_and_a_guest_finds_the_result(
    page: Page, browser: Browser, app: RunningApp
):
    log_in(page, app, OWNER, new_account=True)
    campaign_id, house_id = _arrange(app)

    page.goto(f"{app.url}/house/renovation")
    expect(page.locator(".renovation-card")).to_contain_text(f"{STREET}, д. 7")
    assert serious_violations(page) == []
    page.locator(".renovation-card button", has_text="За").first.click()
    code = page.locator("#check-code")
    expect(code).to_have_text(re.compile(r"^\d{4} \d{4} \d{4}$"))
    shown = code.inner_text()
    expect(page.locator(".vote-status")).to_have_text("Статус: учтён")
    sms = app.api(f"/dev/outbox?phone={quote(OWNER)}")
    assert any(shown in m["body"] for m in sms if m["channel"] == "sms")

    page.goto(f"{app.url}/renovation/check")
    page.locator("#code").fill(shown.replace(" ", ""))
    page.locator("#check-submit").click()
    expect(page.locator("#check-result")).to_contain_text("Голос учтён")
    expect(page.locator("#check-figures")).to_contain_text("За")
    expect(page.locator("#check-result")).not_to_contain_text("Кузнецова")
    assert serious_violations(page) == []

    guest_context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    guest = guest_context.new_page()
    guest.goto(f"{app.url}/renovation")
    guest.locator("#address").fill("реновационный 7")
    guest.locator("#lookup-submit").click()
    guest.locator("#lookup-hits a", has_text=f"{STREET}, д. 7").click()
    expect(guest).to_have_url(re.compile(rf"/renovation/{campaign_id}/{house_id}$"))
    # One «за» of 12 while the vote runs: preliminary figures, no decision.
    expect(guest.locator("#house-preliminary")).to_contain_text("Предварительно: голосование завершится")
    expect(guest.locator("#house-decision")).to_have_text(
        "Итоги предварительные: голосование ещё идёт, решение по дому будет принято после его окончания."
    )
    figures = guest.locator("#house-figures")
    expect(figures).to_contain_text(re.compile(r"Квартир в доме\s*12"))
    expect(figures).to_contain_text(re.compile(r"Не голосовали \(«молчуны»\)\s*11"))
    assert serious_violations(guest) == []
    guest.goto(f"{app.url}/renovation")
    expect(guest.locator("#address")).to_be_visible()
    assert serious_violations(guest) == []
    guest_context.close()


def test_staff_desk_passes_axe(page: Page, app: RunningApp):
    log_in(page, app, ADMIN)
    page.goto(f"{app.url}/staff/renovation")
    expect(page.get_by_role("heading", name="Открыть голосование по домам")).to_be_visible()
    expect(page.get_by_role("heading", name="Проверка голосов")).to_be_visible()
    assert serious_violations(page) == []
