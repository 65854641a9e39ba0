"""«Акция: статистика» in the browser: a staff member opens the dashboard, chooses a campaign and
sees its charts drawn with their tables; axe finds no serious or critical violations; a resident is
shown «Недостаточно прав» and no numbers.

The campaigns are arranged directly in the app's database (as the campaign jobs would leave them);
their citizens' phones are used by no other browser test.
"""

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from ag_app.db import make_engine
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in, staff_account
from tests.e2e.test_accessibility import serious_violations
from tests.promo_stats_helpers import build_campaigns

# A staff account of this test's own (the demo logins are near their SMS limit in the suite).
STAFF = "+79035551912"
RESIDENT = "+79035551701"
TAG = "e2e-"


def _arrange(app: RunningApp) -> str:
    """The two test campaigns in the app's database; the newer one's id."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with Session(engine) as session:
            _, newest = build_campaigns(session, tag=TAG, phone_prefix="+790355516")
            return str(newest)
    finally:
        engine.dispose()


def test_staff_see_a_campaign_dashboard_and_residents_do_not(page: Page, browser: Browser, app: RunningApp):
    newest = _arrange(app)
    log_in(page, app, staff_account(app, STAFF))
    page.goto(f"{app.url}/staff/promo/stats")
    expect(page.get_by_role("heading", name="Акция: статистика", level=1)).to_be_visible()
    page.locator("#promo-stats-campaign").select_option(newest)
    page.locator("#promo-stats-campaign-show").click()
    funnel = page.locator("#table-promo-funnel")
    expect(funnel.locator("tr", has_text="Имеют право на участие").locator("td")).to_have_text("9")
    expect(funnel.locator("tr", has_text="Участники розыгрышей").locator("td")).to_have_text("6")
    expect(page.locator("#table-promo-main-draws tbody tr")).to_have_count(4)
    exchanged = page.locator("#table-promo-points tr", has_text="Обменяно").locator("td")
    expect(exchanged).to_have_text("3\u00a0200")
    for chart in ("funnel", "main-draws", "category-draws", "codes", "opt-outs", "points"):
        expect(page.locator(f"#chart-promo-{chart} .js-plotly-plot")).to_be_visible()
    assert serious_violations(page) == []

    context = browser.new_context(locale="ru-RU")
    try:
        resident = context.new_page()
        log_in(resident, app, RESIDENT, new_account=True)
        resident.goto(f"{app.url}/staff/promo/stats")
        expect(resident.locator("#forbidden")).to_contain_text("Недостаточно прав")
        expect(resident.locator("#table-promo-funnel")).to_have_count(0)
    finally:
        context.close()
