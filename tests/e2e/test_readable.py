"""On a phone (390 px wide): «Статистика» by district draws sideways bars of the largest districts,
legends never cover an axis title, and a wide table shows its scroll cue and reaches its last column.

The session's small city (300 residents) has fewer than 5 ballots in every district of a poll, so
the district breakdown is hidden there: these tests start a city ten times larger of their own.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import RunningApp, start_app, stop_app
from tests.e2e.flows import log_in

STARTS_OWN_APP = True
PHONE = {"width": 390, "height": 844}
# The demo resident with a confirmed apartment (this app is the test's own: no other test logs in).
OWNER = "+79161234567"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[RunningApp]:
    """The app on SQLite with 3 000 residents and ~30 000 ballots (dozens of districts shown)."""
    tmp = tmp_path_factory.mktemp("readable")
    running = start_app(
        tmp, database_url=f"sqlite:///{tmp / 'city.db'}", seed=("--residents", "3000", "--ballots", "30000")
    )
    yield running
    stop_app(running.process)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ru-RU", viewport=PHONE, device_scale_factor=1, is_mobile=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _legend_clear_of_axis_titles(page: Page, chart: str) -> None:
    legend = _box(page, f"{chart} .legend")
    for title in (".g-xtitle", ".g-ytitle"):
        assert not _overlap(legend, _box(page, f"{chart} {title}")), f"legend over {title} in {chart}"


def _show(page: Page, app: RunningApp, dimension: str, name: str) -> None:
    """«Статистика» broken down by ``dimension``, once its table is headed by ``name``."""
    page.goto(f"{app.url}/stats")
    expect(page.locator("#chart-answers .js-plotly-plot")).to_be_visible(timeout=30_000)
    page.locator("#stats-dimension").select_option(dimension)
    expect(page.locator("#table-breakdown thead th").first).to_have_text(name)
    expect(page.locator("#chart-answers .g-xtitle")).to_be_visible()


def test_statistics_by_district_draw_the_largest_districts_sideways(phone: Page, app: RunningApp):
    _show(phone, app, "district", "Район")
    orientation = phone.locator("#chart-ballots .js-plotly-plot").evaluate("gd => gd.data[0].orientation")
    assert orientation == "h"
    categories = phone.locator("#chart-ballots .js-plotly-plot").evaluate("gd => gd.data[0].y")
    rows = phone.locator("#table-breakdown tbody tr").count()
    # The seed's ballots come from dozens of districts: the chart keeps the 12 largest and «Остальные»,
    # the table lists every one of them.
    assert len(categories) == 13 and categories[-1] == "Остальные"
    assert rows > 13
    expect(phone.locator("#chart-ballots .g-gtitle")).to_contain_text("Показаны 12 наибольших")
    _legend_clear_of_axis_titles(phone, "#chart-answers")


def test_legend_does_not_cover_the_age_axis_title(phone: Page, app: RunningApp):
    _show(phone, app, "age", "Возраст")
    expect(phone.locator("#chart-answers .g-xtitle")).to_have_text("Возраст")
    _legend_clear_of_axis_titles(phone, "#chart-answers")


def _reaches_its_last_column(page: Page, region: Locator, header: Locator) -> None:
    """``region`` overflows with the cue shown; scrolled to its end, the last of ``header``'s cells
    is fully inside the region and on screen, and the cue is gone."""
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    widths = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert widths[0] > widths[1], widths
    hint = region.locator(".ag-table-hint")
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Прокрутите таблицу вправо →")

    first, last = header.first, header.last
    # Bring the table's head to the top of the screen: only the sideways scroll is left to do.
    region.evaluate("r => window.scrollTo(0, r.getBoundingClientRect().top + window.scrollY - 80)")
    expect(first).to_be_in_viewport()
    expect(last).not_to_be_in_viewport()
    box = last.bounding_box()
    assert box is not None and box["x"] >= PHONE["width"]
    region.evaluate("r => r.scrollTo({left: r.scrollWidth})")
    page.wait_for_function(
        "r => r.scrollLeft + r.clientWidth >= r.scrollWidth - 1", arg=region.element_handle()
    )
    expect(last).to_be_in_viewport()
    cell = last.bounding_box()
    frame = region.bounding_box()
    assert cell is not None and frame is not None
    assert cell["x"] + cell["width"] <= frame["x"] + frame["width"] + 1
    # Nothing more waits on the right: the hint goes away.
    expect(hint).to_be_hidden()


def test_a_wide_table_shows_the_cue_and_its_last_column_scrolls_into_view(phone: Page, app: RunningApp):
    _show(phone, app, "district", "Район")
    table = phone.locator("#table-breakdown")
    region = phone.locator(".ag-table-region", has=table)
    assert region.get_attribute("aria-label") == table.locator("caption").inner_text()
    _reaches_its_last_column(phone, region, table.locator("thead th"))


def test_my_house_table_scrolls_to_its_last_column_on_a_phone(phone: Page, app: RunningApp):
    log_in(phone, app, OWNER)
    phone.goto(f"{app.url}/house")
    house = phone.locator(".my-house", has=phone.locator(".holding")).first
    expect(house).to_be_visible(timeout=30_000)
    region = house.locator(".ag-table-region")
    expect(region).to_have_attribute("aria-label", re.compile("^Подтверждённые помещения: "))
    _reaches_its_last_column(phone, region, region.locator("thead th"))
