"""«Статистика» in the browser: Plotly charts with table alternatives, the poll page's statistics
block, the staff dashboard refused to residents, and axe scans of both pages."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

# Each phone may request 3 SMS codes an hour and the browser tests share one app: this resident
# (Отрадное) logs in nowhere else.
RESIDENT = "+79161234569"
STAFF = "+79990000001"


def test_statistics_page_draws_charts_with_tables_and_downloads(page: Page, app: RunningApp):
    page.goto(f"{app.url}/stats")

    expect(page.locator("#chart-turnout .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#chart-answers .js-plotly-plot")).to_be_visible()
    expect(page.locator("#table-turnout caption")).to_have_text("Явка по дням: число бюллетеней")
    expect(page.locator("#table-breakdown tbody tr").first).to_be_visible()
    expect(page.locator("#table-breakdown thead th").nth(1)).to_have_text("Бюллетени")

    page.locator("#stats-dimension").select_option("gender")
    expect(page.locator("#table-breakdown thead th").first).to_have_text("Пол")
    expect(page.locator("#table-breakdown tbody")).to_contain_text("мужской")
    assert serious_violations(page) == []
    href = page.locator("#csv-breakdown").get_attribute("href")
    assert href is not None and href.endswith("by=gender&format=csv")
    with page.expect_download() as download:
        page.locator("#csv-breakdown").click()
    content = download.value.path().read_bytes().decode("utf-8")
    assert content.startswith("\ufeffПол,Бюллетени,Вопрос 1:")


def test_published_poll_page_shows_its_statistics(page: Page, app: RunningApp):
    poll = next(p for p in app.api("/polls?status=closed") if p["state"] == "results")
    page.goto(f"{app.url}/polls/{poll['id']}")

    block = page.locator("#poll-stats")
    expect(block.get_by_role("heading", name="Статистика голосования")).to_be_visible(timeout=30_000)
    # Plotly's chunk loads lazily after the heading: ~4.5 s on a machine at load 15 (7 Dec).
    expect(block.locator("#chart-ballots .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(block.locator("#table-breakdown")).to_be_visible()


def test_staff_dashboard_is_refused_to_a_resident(page: Page, app: RunningApp):
    log_in(page, app, RESIDENT)
    page.goto(f"{app.url}/staff/dashboard")

    expect(page.locator("#forbidden")).to_be_visible()
    expect(page.locator("#chart-activity")).to_have_count(0)


def test_staff_dashboard_renders_for_staff(page: Page, app: RunningApp):
    log_in(page, app, STAFF)
    page.goto(f"{app.url}/staff/dashboard")

    expect(page.locator("#chart-activity .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#table-levels tbody tr")).to_have_count(3)
    expect(page.locator("#table-points caption")).to_have_text("Начисления баллов по правилам за период")
    assert serious_violations(page) == []

    page.locator("#filter-okrug").select_option(label="Западный административный округ")
    page.locator("#filter-apply").click()
    expect(page.locator("#table-districts tbody")).to_contain_text("Раменки")
    expect(page.locator("#table-districts tbody")).not_to_contain_text("Арбат")
