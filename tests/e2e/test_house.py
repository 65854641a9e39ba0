"""«Электронный дом» → «Мой дом»: a demo owner sees their apartment; a new level-3 resident links one by
ФЛС; «Мой дом» and «Реестр домов» pass axe."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in, open_menu
from tests.e2e.test_accessibility import serious_violations

# A demo neighbour of +79161234567 (co-owner 1/2 of apartment 12); no other browser test logs in with it.
OWNER = "+79161234570"
ADMIN = "+79990000003"
NEW_PHONE = "+79167770033"


def test_a_demo_owner_sees_the_apartment_with_area_and_share(page: Page, app: RunningApp):
    log_in(page, app, OWNER)
    open_menu(page)
    page.locator("#nav-house").click()
    # Axe judges the page at rest, not the hover colour of the link just clicked.
    page.mouse.move(0, 0)

    expect(page.locator("h1")).to_have_text("Электронный дом — Мой дом")
    house = page.locator(".my-house").first
    expect(house).to_contain_text("район Арбат, ЦАО")
    owner_row = house.locator(".holding").filter(has_text="собственник")
    expect(owner_row).to_contain_text("кв. 12")
    expect(owner_row).to_contain_text("1/2")
    expect(owner_row).to_contain_text("м²")
    assert serious_violations(page) == []


def test_a_level_three_resident_links_an_apartment_by_account_number(page: Page, app: RunningApp):
    log_in(page, app, NEW_PHONE, new_account=True)
    page.goto(f"{app.url}/house")
    expect(page.locator("#level-required")).to_be_visible()

    # Level 3 with the documents of «Васильев Олег Петрович» (citizen registry, no account yet).
    page.goto(f"{app.url}/profile")
    page.locator("#last_name").fill("Васильев")
    page.locator("#first_name").fill("Олег")
    page.locator("#patronymic").fill("Петрович")
    page.locator("#gender").select_option("male")
    page.locator("#birth_date").fill("1975-09-30")
    page.locator("#save-personal").click()
    expect(page.get_by_text("Личные данные сохранены").first).to_be_visible()
    page.locator("#passport_series").fill("4508")
    page.locator("#passport_number").fill("112233")
    page.locator("#snils").fill("567-891-234 53")
    page.locator("#verify-identity").click()
    expect(page.get_by_text("полный").first).to_be_visible()

    page.goto(f"{app.url}/house")
    page.locator("#premise_number").fill("12345")
    page.locator("#link-premise").click()
    expect(page.get_by_role("alert").first).to_contain_text("ровно 10 цифр")
    page.locator("#premise_number").fill("7701002020")
    page.locator("#link-premise").click()

    expect(page.get_by_text("Помещение подтверждено: кв. 20 — собственник").first).to_be_visible()
    owner_row = page.locator(".my-house .holding").filter(has_text="собственник")
    expect(owner_row).to_contain_text("кв. 20")
    expect(owner_row).to_contain_text("м²")
    expect(page.locator(".my-house").first).to_contain_text("район Арбат")


def test_the_staff_house_registry_page_passes_axe(page: Page, app: RunningApp):
    log_in(page, app, ADMIN)
    page.goto(f"{app.url}/staff/houses")
    expect(page.locator("#houses-choose-file")).to_be_visible()
    page.locator("#org-address").fill("Арбат")
    page.locator("#org-search").click()
    expect(page.locator("#org-house option").nth(1)).to_be_attached()
    assert serious_violations(page) == []
