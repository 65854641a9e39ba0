"""City staff create and publish a district poll; residents of that district see it, a resident of
another district does not."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in

STAFF = "+79990000001"
ARBAT_RESIDENT = "+79161234567"
RAMENKI_RESIDENT = "+79161234568"
TITLE = "Новая зона отдыха во дворах Арбата"


def _moscow_input(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Europe/Moscow")).strftime("%Y-%m-%dT%H:%M")


def _create_and_publish_arbat_poll(page: Page, app: RunningApp) -> int:
    arbat = next(d for d in app.api("/registry/districts") if d["name"] == "Арбат")
    page.goto(f"{app.url}/staff/polls/new")
    page.locator("#poll-title").fill(TITLE)
    page.locator("#poll-summary").fill("Выберите, что появится во дворах района.")
    page.locator("#poll-scope").select_option("territorial")
    page.locator(f"#okrug-{arbat['okrug_id']}-districts summary").click()
    # A controlled checkbox: its state comes back from the server, so click and wait for it.
    district = page.locator(f"#district-{arbat['id']}")
    district.click()
    expect(district).to_be_checked()
    expect(page.locator("#poll-territory-chosen")).to_contain_text("Арбат")
    now = datetime.now(UTC)
    page.locator("#poll-starts").fill(_moscow_input(now - timedelta(minutes=5)))
    page.locator("#poll-ends").fill(_moscow_input(now + timedelta(days=7)))
    if not page.locator("#question-0-text").count():
        page.locator("#add-question").click()
    page.locator("#question-0-text").fill("Что установить во дворах?")
    while page.locator("[id^='option-0-'][id$='-text']").count() < 2:
        page.locator("#add-option-0").click()
    page.locator("#option-0-0-text").fill("Детскую площадку")
    page.locator("#option-0-1-text").fill("Зону для настольного тенниса")
    page.locator("#save-poll").click()
    expect(page).to_have_url(f"{app.url}/staff/polls")

    row = page.locator("[id^='poll-row-']").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    poll_id = int(row.get_attribute("id").removeprefix("poll-row-"))
    page.locator(f"#publish-{poll_id}").click()
    expect(page.locator(f"#close-{poll_id}")).to_be_visible()
    return poll_id


def test_district_poll_is_voted_only_in_its_district(page: Page, browser: Browser, app: RunningApp):
    log_in(page, app, STAFF)
    poll_id = _create_and_publish_arbat_poll(page, app)

    arbat = browser.new_context(locale="ru-RU").new_page()
    log_in(arbat, app, ARBAT_RESIDENT)
    arbat.goto(f"{app.url}/polls")
    expect(arbat.locator("#active-polls")).to_contain_text(TITLE)
    arbat.goto(f"{app.url}/polls/{poll_id}")
    expect(arbat.locator("#questionnaire")).to_be_visible()

    ramenki = browser.new_context(locale="ru-RU").new_page()
    log_in(ramenki, app, RAMENKI_RESIDENT)
    ramenki.goto(f"{app.url}/polls")
    expect(ramenki.locator("#active-polls .poll-card").first).to_be_visible()
    expect(ramenki.locator("#active-polls")).not_to_contain_text(TITLE)
    ramenki.goto(f"{app.url}/polls/{poll_id}")
    # From a share link an outsider sees the poll and who may vote in it, and cannot vote.
    expect(ramenki.locator("#poll-who-may-vote")).to_contain_text("Голосуют жители района Арбат")
    expect(ramenki.locator("h1")).to_contain_text(TITLE)
    expect(ramenki.locator("#questionnaire")).to_have_count(0)


def test_staff_pages_refuse_a_resident(page: Page, app: RunningApp):
    log_in(page, app, RAMENKI_RESIDENT)
    page.goto(f"{app.url}/staff/polls/new")
    expect(page.get_by_text("Недостаточно прав").first).to_be_visible()
    expect(page.locator("#save-poll")).to_have_count(0)
