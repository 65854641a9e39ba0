"""The phone-first header and the site menu (issue 17, items 1–2), on a 390 px wide screen.

For every kind of visitor — a guest, a resident, staff, a moderator, an administrator, an award
juror and the commission chair — the header is one row no taller than 64 px, and every link of the
menu opens a page that neither refuses them nor is missing. The opened menu passes axe, and it works
from the keyboard alone.
"""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ag_app.components.common import FORBIDDEN, STAFF_ONLY
from ag_app.i18n import label, message
from tests.e2e.conftest import ARTIFACTS, RunningApp
from tests.e2e.flows import close_menu, log_in, open_menu, staff_account
from tests.e2e.test_accessibility import serious_violations

PHONE = {"width": 390, "height": 844}
HEADER_LIMIT_PX = 64
# What a refused or missing page says (catalogue texts and the staff pages' gate).
REFUSALS = (
    FORBIDDEN,
    STAFF_ONLY,
    message("auth.forbidden"),
    message("auth.required"),
    label("site.not_found_title"),
)
# Each test logs in with a phone of its own (three SMS codes per phone an hour).
RESIDENT = "+79035557101"
STAFF = "+79035557102"
MODERATOR = "+79035557103"
ADMIN = "+79035557104"
# The demo award commission (seed/award.py): its chair and an ordinary member.
CHAIR = "+79990000011"
JUROR = "+79990000013"


def _record(figure: dict) -> None:
    """Keep a measured header height in test-results/header_height_390.jsonl (one JSON per line)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "header_height_390.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"name": "header_height_390", **figure}, ensure_ascii=False) + "\n")


def _phone_page(browser: Browser) -> Page:
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def _settled(page: Page) -> None:
    """Wait until the page has loaded its data (staff pages say «Загрузка…» until then)."""
    page.wait_for_load_state("networkidle")
    expect(page.locator("#content h1")).to_be_visible()
    expect(page.get_by_text("Загрузка…")).to_have_count(0)


def _header_height(page: Page) -> float:
    expect(page.locator("#site-header")).to_be_visible()
    box = page.locator("#site-header").bounding_box()
    assert box is not None
    return box["height"]


def _menu_links(page: Page) -> list[tuple[str, str]]:
    """The (element id, href) of every link in the opened menu, in order."""
    open_menu(page)
    links = page.locator("#site-menu a[id]")
    found = [
        (links.nth(i).get_attribute("id"), links.nth(i).get_attribute("href")) for i in range(links.count())
    ]
    close_menu(page)
    return found


def _click_every_link(page: Page, app: RunningApp) -> list[str]:
    """Follow every menu link from the menu itself; returns the hrefs visited."""
    visited = []
    for element_id, href in _menu_links(page):
        if element_id == "menu-login":
            continue
        open_menu(page)
        page.locator(f"#{element_id}").click()
        path = href.split("?")[0]
        expect(page).to_have_url(re.compile(re.escape(app.url + path) + r"/?(\?.*)?$"))
        # Following a link closes the menu.
        expect(page.locator("#site-menu")).to_have_count(0)
        _settled(page)
        text = page.locator("body").inner_text()
        for refusal in REFUSALS:
            assert refusal not in text, f"{href}: «{refusal}»"
        visited.append(href)
    return visited


def _check_header(page: Page, who: str) -> float:
    height = _header_height(page)
    # One row: the logo, the bell or «Войти», and the menu button share a line.
    assert height <= HEADER_LIMIT_PX, f"{who}: header {height} px"
    menu_box = page.locator("#menu-button").bounding_box()
    logo_box = page.locator("#site-header a[href='/']").bounding_box()
    assert menu_box and logo_box and abs(menu_box["y"] - logo_box["y"]) < 24, who
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 2, who
    return height


def test_guest_menu_and_header(browser: Browser, app: RunningApp):
    page = _phone_page(browser)
    page.goto(f"{app.url}/polls")
    _settled(page)
    height = _check_header(page, "guest")
    # «Войти» brings the guest back to the page they were on.
    expect(page.locator("#nav-login")).to_have_attribute("href", re.compile(r"^/login\?next=%2Fpolls(%2F)?$"))
    links = _menu_links(page)
    ids = [i for i, _ in links]
    assert "nav-polls" in ids and "nav-profile" not in ids and "logout" not in ids
    assert not any(i.startswith(("nav-staff", "nav-dashboard", "nav-jury")) for i in ids)
    visited = _click_every_link(page, app)
    assert "/awards" in visited and len(visited) == 8
    _record({"who": "guest", "px": height, "links": len(visited)})
    page.context.close()


@pytest.mark.parametrize(
    ("who", "phone", "role", "expected", "absent"),
    [
        (
            "resident",
            RESIDENT,
            "",
            {"/profile", "/points", "/notifications"},
            {"/staff/polls", "/awards/jury"},
        ),
        (
            "staff",
            STAFF,
            "staff",
            {"/staff/polls", "/staff/shop", "/staff/awards", "/staff/jobs", "/staff/registry"},
            {"/staff/houses", "/staff/house-polls"},
        ),
        (
            "moderator",
            MODERATOR,
            "moderator",
            {"/staff/house-polls", "/staff/shop/desk", "/staff/contest", "/staff/renovation"},
            {"/staff/polls", "/staff/shop", "/staff/contest/manage", "/staff/dashboard"},
        ),
        ("admin", ADMIN, "admin", {"/staff/houses", "/staff/polls", "/staff/house-polls"}, set()),
        ("juror", JUROR, "", {"/awards/jury"}, {"/awards/approval", "/staff/awards"}),
        ("chair", CHAIR, "", {"/awards/jury", "/awards/approval"}, {"/staff/awards"}),
    ],
)
def test_every_menu_link_opens_for_its_visitor(
    browser: Browser, app: RunningApp, who, phone, role, expected, absent
):
    page = _phone_page(browser)
    if role:
        staff_account(app, phone, role)
    log_in(page, app, phone, new_account=who == "resident")
    _settled(page)
    height = _check_header(page, who)
    expect(page.locator("#nav-bell")).to_have_attribute("aria-label", re.compile(r"^Уведомления"))
    hrefs = {href for _, href in _menu_links(page)}
    assert expected <= hrefs, f"{who}: missing {expected - hrefs}"
    assert not absent & hrefs, f"{who}: offered {absent & hrefs}"
    visited = _click_every_link(page, app)
    assert set(visited) == hrefs
    _record({"who": who, "px": height, "links": len(visited)})
    page.context.close()


def test_opened_menu_passes_axe(browser: Browser, app: RunningApp):
    page = _phone_page(browser)
    staff_account(app, "+79035557105", "staff")
    log_in(page, app, "+79035557105")
    _settled(page)
    open_menu(page)
    expect(page.locator("#menu-staff")).to_be_visible()
    assert serious_violations(page) == []
    page.context.close()


def test_menu_works_from_the_keyboard(browser: Browser, app: RunningApp):
    page = _phone_page(browser)
    page.goto(f"{app.url}/")
    _settled(page)
    button = page.locator("#menu-button")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "menu-button":
            break
    else:
        raise AssertionError("Tab never reached the menu button")
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    menu = page.locator("#site-menu")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert button.get_attribute("aria-controls") == menu.get_attribute("id")
    inside = "document.getElementById('site-menu').contains(document.activeElement)"
    assert page.evaluate(inside), "focus did not move into the menu"
    # Tab cycles within the open menu (more presses than it has links).
    for _ in range(15):
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "Tab left the open menu"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(inside)
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.context.close()
