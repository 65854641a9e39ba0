"""Axe finds no serious or critical accessibility violations on the main pages."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in

RESIDENT = "+79161234567"


def serious_violations(page: Page) -> list[str]:
    """Axe's serious and critical violations on the page, one line each (empty when it passes)."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_home_poll_and_profile_pages_pass_axe(page: Page, app: RunningApp):
    page.goto(f"{app.url}/")
    expect(page.locator("#headline")).to_be_visible()
    assert serious_violations(page) == []

    log_in(page, app, RESIDENT)
    poll = next(p for p in app.api("/polls?status=active") if p["scope"] == "city")
    page.goto(f"{app.url}/polls/{poll['id']}")
    page.wait_for_selector("#questionnaire, #cannot-vote")
    assert serious_violations(page) == []

    page.goto(f"{app.url}/profile")
    expect(page.get_by_text("Уникальный идентификатор")).to_be_visible()
    assert serious_violations(page) == []


def test_phone_sized_screen_has_no_horizontal_scroll(browser, app: RunningApp):
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/polls", "/login"):
        page.goto(f"{app.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 392, path
    context.close()
