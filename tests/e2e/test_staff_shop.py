"""The staff side of the rewards shop in the browser: a desk worker finds a resident's souvenir by
number and full name, issues it (acceptance act) and cannot refuse it afterwards; a staff member
changes an item's stock and sees the report's charts; axe finds no serious or critical violations
on /staff/shop and /staff/shop/desk.

The resident, their points and their order are arranged directly in the app's database, as the
shop would leave them; the staff accounts get their roles there before they log in.
"""

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from ag_app.db import make_engine, transaction
from ag_app.models import PickupPoint, ShopCategory, ShopItem, User, UserRole
from ag_app.services import ledger
from ag_app.services import shop as shop_service
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import close_menu, log_in, open_menu
from tests.e2e.test_accessibility import serious_violations

# Phones used by this test only (each phone may request 3 SMS codes an hour); the resident never logs in.
RESIDENT = "+79035551400"
DESK = "+79035551401"
STAFF = "+79035551402"
FULL_NAME = "Кузнецова Анна Сергеевна"
DESK_NAME = "Морозов Олег Игоревич"


def _user(s, phone: str, name: str, *, role: str = "", email: str = "") -> User:
    now = datetime.now(UTC)
    user = s.exec(select(User).where(User.phone == phone)).first()
    if user is None:
        user = User(
            uid=f"shop{phone[-7:]}",
            phone=phone,
            phone_region="moscow",
            created_at=now,
            terms_accepted_at=now,
            last_name=name.split()[0],
            first_name=name.split()[1],
            patronymic=name.split()[2],
            email=email,
        )
        s.add(user)
        s.flush()
        if role:
            s.add(UserRole(user_id=user.id, role=role))
            s.flush()
    return user


def _arrange_order(app: RunningApp) -> str:
    """A resident with 3000 points and a souvenir reserved at a service centre; returns its number."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    now = datetime.now(UTC)
    try:
        with transaction(engine) as s:
            resident = _user(s, RESIDENT, FULL_NAME, email="kuznetsova@example.ru")
            ledger.credit(
                s, user_id=resident.id, amount=3000, reason="test", ref="e2e-shop", description="", now=now
            )
            item_id = s.exec(
                select(ShopItem.id)
                .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
                .where(ShopCategory.fulfilment == "pickup", col(ShopItem.stock) > 0, ShopItem.price <= 3000)
                .order_by(col(ShopItem.id))
            ).first()
            point_id = s.exec(
                select(PickupPoint.id).where(col(PickupPoint.active).is_(True)).order_by(col(PickupPoint.id))
            ).first()
            order = shop_service.place_order(
                s, actor_id=resident.id, item_id=item_id, pickup_point_id=point_id, now=now
            )
            _user(s, DESK, DESK_NAME, role="moderator")
            _user(s, STAFF, "Орлова Вера Павловна", role="staff")
        return order.number
    finally:
        engine.dispose()


def _stock(app: RunningApp, item_id: int) -> int:
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            return s.get(ShopItem, item_id).stock
    finally:
        engine.dispose()


def test_desk_issues_and_staff_manage_the_shop(page: Page, browser: Browser, app: RunningApp):
    number = _arrange_order(app)

    log_in(page, app, DESK)
    # The desk's menu offers the pickup desk and not the staff catalogue, which refuses a moderator.
    open_menu(page)
    expect(page.locator("#nav-staff-shop-desk")).to_have_attribute("href", "/staff/shop/desk")
    expect(page.locator("#nav-staff-shop")).to_have_count(0)
    close_menu(page)
    page.goto(f"{app.url}/staff/shop/desk")
    expect(page.locator("#desk-number")).to_be_visible()
    assert serious_violations(page) == []

    page.locator("#desk-number").fill(number)
    page.locator("#desk-name").fill("Петрова Анна Сергеевна")
    page.locator("#desk-find").click()
    expect(page.locator("#desk-feedback")).to_contain_text("Заказ с таким номером и ФИО не найден.")
    expect(page.locator("#desk-order")).to_have_count(0)

    page.locator("#desk-name").fill(FULL_NAME.lower())
    page.locator("#desk-find").click()
    expect(page.locator("#desk-status")).to_have_text("Забронирован")
    expect(page.locator("#desk-orderer")).to_have_text(FULL_NAME)
    expect(page.locator("#desk-until")).not_to_have_text("—")
    assert serious_violations(page) == []

    page.locator("#desk-issue").click()
    expect(page.locator("#desk-confirm")).to_contain_text("После выдачи отмена и возврат невозможны")
    page.locator("#desk-confirm-yes").click()
    expect(page.locator("#desk-status")).to_have_text("Выдан")
    expect(page.locator("#desk-feedback")).to_contain_text(f"Заказ № {number} выдан")
    # The printable acceptance act of the issue.
    with page.expect_download() as download:
        page.locator("#desk-act").click()
    assert download.value.suggested_filename == f"akt-{number}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.locator("#desk-refuse").click()
    expect(page.locator("#desk-confirm")).to_contain_text("Баллы вернутся оформителю")
    page.locator("#desk-confirm-yes").click()
    expect(page.locator("#desk-feedback")).to_contain_text("Заказ уже выдан: отмена и возврат невозможны.")
    expect(page.locator("#desk-status")).to_have_text("Выдан")

    # A moderator does not manage the catalogue.
    page.goto(f"{app.url}/staff/shop")
    expect(page.locator("#forbidden")).to_be_visible()
    expect(page.locator("#items-table")).to_have_count(0)

    # The staff member works in a browser of their own.
    page = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    log_in(page, app, STAFF)
    open_menu(page)
    expect(page.locator("#nav-staff-shop")).to_have_attribute("href", "/staff/shop")
    close_menu(page)
    page.goto(f"{app.url}/staff/shop")
    table = page.locator("#items-table")
    expect(table).to_be_visible()
    assert serious_violations(page) == []
    stock_input = table.locator("input[id^='stock-']").first
    item_id = int(stock_input.get_attribute("id").removeprefix("stock-"))
    stock_input.fill("77")
    page.locator(f"#stock-save-{item_id}").click()
    expect(page.locator("#shop-feedback")).to_contain_text(": 77.")
    expect(page.locator(f"#stock-{item_id}")).to_have_value("77")
    assert _stock(app, item_id) == 77

    # The item form's checkbox reaches the server: untick «Показывать в каталоге», save, then tick it again.
    for shown, text in ((False, "нет"), (True, "да")):
        page.locator(f"#edit-item-{item_id}").click()
        # The form is re-created with the item's values: wait for it before ticking.
        expect(page.locator("#item-editor h2")).to_contain_text("Изменить поощрение")
        checkbox = page.locator("#item-visible")
        expect(checkbox).to_be_checked(checked=not shown)
        checkbox.click()
        page.locator("#item-save").click()
        expect(page.locator("#shop-feedback")).to_contain_text("сохранено")
        expect(page.locator(f"#visible-{item_id}")).to_have_text(text)
    assert _stock(app, item_id) == 77

    page.locator("#tab-orders").click()
    row = page.locator("#orders-table tr").filter(has_text=number)
    expect(row).to_contain_text("Выдан")
    page.locator(f"#events-{number}").click()
    history = page.locator("#order-events tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text(FULL_NAME)
    expect(history.nth(0)).to_contain_text("Забронирован")
    # Who issued it: the desk worker, from «Забронирован» to «Выдан».
    expect(history.nth(1)).to_contain_text(DESK_NAME)
    expect(history.nth(1)).to_contain_text("Выдан")
    assert serious_violations(page) == []

    page.locator("#tab-report").click()
    expect(page.locator("#chart-shop-weeks .js-plotly-plot")).to_be_visible()
    expect(page.locator("#chart-shop-top .js-plotly-plot")).to_be_visible()
    expect(page.locator("#table-shop-weeks")).to_contain_text("Начислено")
    expect(page.locator("#table-shop-status")).to_contain_text("Выдан")
    assert serious_violations(page) == []
    page.context.close()
