"""Unknown addresses show the Russian «Страница не найдена» inside the site, and it passes axe."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.test_accessibility import serious_violations


def test_an_unknown_address_shows_the_russian_not_found_page_in_the_site(page: Page, app: RunningApp):
    page.goto(f"{app.url}/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    expect(page.locator("#not-found")).to_contain_text("Такой страницы на сайте нет")
    # The site's own header and footer are around it, so the visitor is still on the site.
    expect(page.locator("header")).to_contain_text("Активный гражданин")
    expect(page.locator("footer")).to_contain_text("Условия использования")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert "404" not in page.title() and "Not Found" not in page.title()
    assert serious_violations(page) == []

    page.locator("#not-found-polls").click()
    expect(page).to_have_url(f"{app.url}/polls")
    page.goto(f"{app.url}/no/such/nested/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    page.locator("#not-found-home").click()
    expect(page).to_have_url(f"{app.url}/")
