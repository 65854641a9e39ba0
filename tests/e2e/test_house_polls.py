"""«Электронный дом» house polls in the browser: an initiator files a poll, a moderator approves it,
a resident of the house takes part with a comment, and the initiator sees the comment but nobody's
identity; axe finds no serious or critical violations on the new pages.

The house registry rows (a confirmed owner, a confirmed resident) are arranged directly in the
app's database, as the registry import and the «подтверждение права» would leave them.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.models import HousePoll, Premise, PremiseHolder, PremiseLink, User, UserAddress
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

# A demo neighbour in the house of +79161234567 (level 3), so that no other browser test spends its
# three SMS codes an hour.
INITIATOR = "+79161234572"
MODERATOR = "+79990000002"
PARTICIPANT = "+79995553311"
TITLE = "Новая детская площадка во дворе"
COMMENT = "Нужна площадка для малышей у второго подъезда"


def _moscow_input(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Europe/Moscow")).strftime("%Y-%m-%dT%H:%M")


def _link(app: RunningApp, phone: str, *, role: str, number: str) -> int:
    """Confirm ``phone``'s account as a registry holder of a premise in the initiator's home house;
    returns the house id."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            initiator = s.exec(select(User).where(User.phone == INITIATOR)).one()
            house_id = s.exec(
                select(UserAddress.house_id)
                .where(UserAddress.user_id == initiator.id)
                .order_by(UserAddress.kind)
            ).first()
            user = s.exec(select(User).where(User.phone == phone)).one()
            premise = Premise(house_id=house_id, number=number, area_m2=Decimal("48.50"))
            s.add(premise)
            s.flush()
            holder = PremiseHolder(
                premise_id=premise.id,
                house_id=house_id,
                role=role,
                person_ref=f"e2e-{phone}",
                account_number="",
            )
            s.add(holder)
            s.flush()
            s.add(
                PremiseLink(
                    holder_id=holder.id, user_id=user.id, method="account_number", linked_at=datetime.now(UTC)
                )
            )
        return house_id
    finally:
        engine.dispose()


def _open_now(app: RunningApp, poll_id: int) -> None:
    """Let the approved poll start at once (the form accepts only starts in the future)."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            poll = s.get(HousePoll, poll_id)
            poll.starts_at = datetime.now(UTC) - timedelta(minutes=1)
            s.add(poll)
    finally:
        engine.dispose()


def _file_poll(page: Page, app: RunningApp, house_id: int) -> int:
    page.goto(f"{app.url}/house/polls/new")
    expect(page.locator("#hp-file")).to_be_visible()
    assert serious_violations(page) == []
    page.locator("#hp-house").select_option(str(house_id))
    page.locator("#hp-title").fill(TITLE)
    for key in ("owners", "residents"):
        box = page.locator(f"#hp-audience-{key}")
        box.click()
        expect(box).to_be_checked()
    now = datetime.now(UTC)
    page.locator("#hp-starts").fill(_moscow_input(now + timedelta(days=1)))
    page.locator("#hp-ends").fill(_moscow_input(now + timedelta(days=8)))
    page.locator("#hp-q0-text").fill("Какое покрытие сделать?")
    page.locator("#hp-q0-o0").fill("Резиновое")
    page.locator("#hp-q0-o1").fill("Песок")
    page.locator("#hp-add-question").click()
    page.locator("#hp-q1-text").fill("Нужна ли ограда?")
    page.locator("#hp-q1-o0").fill("Да")
    page.locator("#hp-q1-o1").fill("Нет")
    page.locator("#hp-file").click()
    expect(page).to_have_url(f"{app.url}/house/polls/mine?filed=1")
    card = page.locator("[id^='hp-application-']").filter(has_text=TITLE)
    expect(card).to_contain_text("на модерации")
    expect(card).to_contain_text("Решение модератора — до")
    assert serious_violations(page) == []
    return int(card.get_attribute("id").removeprefix("hp-application-"))


def test_initiator_moderator_and_participant(page: Page, browser: Browser, app: RunningApp):
    house_id = _link(app, INITIATOR, role="owner", number="E2E-1")
    log_in(page, app, INITIATOR)
    poll_id = _file_poll(page, app, house_id)

    moderator = browser.new_context(locale="ru-RU").new_page()
    log_in(moderator, app, MODERATOR)
    moderator.goto(f"{app.url}/staff/house-polls")
    item = moderator.locator(f"#hp-queue-{poll_id}")
    expect(item).to_contain_text(TITLE)
    expect(item).to_contain_text("Решить до:")
    assert serious_violations(moderator) == []
    moderator.locator(f"#hp-approve-{poll_id}").click()
    expect(moderator.get_by_text("Заявка одобрена, инициатор уведомлён.")).to_be_visible()
    expect(moderator.locator(f"#hp-queue-{poll_id}")).to_have_count(0)
    moderator.context.close()
    _open_now(app, poll_id)

    resident = browser.new_context(locale="ru-RU").new_page()
    log_in(resident, app, PARTICIPANT, new_account=True)
    _link(app, PARTICIPANT, role="resident", number="E2E-2")
    resident.goto(f"{app.url}/house/polls")
    expect(resident.locator(f"#house-poll-{poll_id}")).to_have_text(TITLE)
    assert serious_violations(resident) == []
    resident.locator(f"#house-poll-{poll_id}").click()
    expect(resident.locator("#hp-participation")).to_be_visible()
    assert serious_violations(resident) == []
    # Controlled inputs: their state comes back from the server, so click and wait for it.
    for label in ("Резиновое", "Да"):
        option = resident.get_by_label(label, exact=True)
        option.click()
        expect(option).to_be_checked()
    resident.locator("#hp-apartment").fill("27")
    resident.locator("#hp-comment").fill(COMMENT)
    resident.locator("#hp-submit").click()
    expect(resident.locator("#hp-results")).to_contain_text("Приняли участие: 1 человек")
    expect(resident.locator("#hp-cannot")).to_have_text("Вы уже приняли участие. Спасибо!")
    assert serious_violations(resident) == []
    resident.context.close()

    page.goto(f"{app.url}/house/polls/mine")
    card = page.locator(f"#hp-application-{poll_id}")
    expect(card).to_contain_text("идёт")
    notes = page.locator(f"#hp-mine-notes-{poll_id}")
    expect(notes).to_contain_text(COMMENT)
    expect(notes).to_contain_text("27")
    expect(page.locator(f"#hp-mine-results-{poll_id}")).to_contain_text("Приняли участие: 1 человек")
    text = card.inner_text()
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            participant = s.exec(select(User).where(User.phone == PARTICIPANT)).one()
            identity = {participant.phone, participant.phone.removeprefix("+7"), participant.uid}
    finally:
        engine.dispose()
    assert not any(value in text for value in identity)
    assert serious_violations(page) == []
