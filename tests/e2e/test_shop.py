"""«Магазин поощрений» in the browser: a resident with status orders a souvenir at a pickup point,
sees the blocked points and cancels the order in «История заказов»; a resident without status sees
why a souvenir is closed to them and orders the badge open to all; a certificate shows its code and
QR code; axe finds no serious or critical violations on the shop pages.

The profile (full name, e-mail) and the points are arranged directly in the app's database, as the
profile form and earned points would leave them. Each phone here is new and used by no other
browser test (three SMS codes an hour per phone).
"""

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.models import User
from ag_app.services import ledger
from tests.e2e.conftest import ARTIFACTS, RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

WITH_STATUS = "+79035551301"
NEWCOMER = "+79035551302"
NOTEBOOK = "Блокнот в твёрдой обложке"  # a souvenir for 1000 points
MUG = "Кружка «Активный гражданин»"
BADGE = "Значок «Активный гражданин»"  # a souvenir open to all, 300 points
MUSEUM = "Билет в Музей Москвы"  # a certificate for 1000 points
NUMBER = re.compile(r"Заказ № (\d{8}) оформлен")


def _registered(app: RunningApp, phone: str) -> bool:
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            return s.exec(select(User.id).where(User.phone == phone)).first() is not None
    finally:
        engine.dispose()


def _shopper(app: RunningApp, phone: str, *, points: int) -> None:
    """Give the account a full name and an e-mail and credit ``points`` once (idempotent)."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.phone == phone)).one()
            user.last_name, user.first_name, user.patronymic = "Соколова", "Анна", "Сергеевна"
            user.email = f"shop{phone[-4:]}@example.ru"
            s.add(user)
            s.flush()
            ledger.credit(
                s,
                user_id=user.id,
                amount=points,
                reason="promo",
                ref="e2e-shop",
                description="Баллы для проверки магазина",
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()


def _log_in_shopper(page: Page, app: RunningApp, phone: str, *, points: int) -> None:
    log_in(page, app, phone, new_account=not _registered(app, phone))
    _shopper(app, phone, points=points)


def _card(page: Page, title: str):
    return page.locator(".shop-item").filter(has=page.get_by_role("heading", name=title, exact=True))


def _order(page: Page, title: str, *, pickup: bool) -> str:
    """Order ``title`` from the catalogue (the first pickup point for souvenirs); returns the number."""
    card = _card(page, title)
    expect(card).to_have_count(1)
    card.get_by_role("button", name=f"Заказать: {title}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(title)
    if pickup:
        page.locator("#order-pickup").select_option(index=1)
    page.locator("#order-confirm").click()
    expect(page.locator("#order-number")).to_contain_text("оформлен")
    return NUMBER.search(page.locator("#order-number").inner_text()).group(1)


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"shop-{name}.png"), full_page=True)


def test_souvenir_reserved_blocked_and_cancelled(page: Page, app: RunningApp):
    _log_in_shopper(page, app, WITH_STATUS, points=2500)
    page.goto(f"{app.url}/shop")
    expect(page.get_by_role("heading", name="Магазин поощрений", level=1)).to_be_visible()
    expect(page.locator("#shop-blocked")).to_have_text("0")
    available = page.locator("#shop-available").inner_text()
    assert int(re.sub(r"\D", "", available)) >= 2500

    page.locator("#shop-cat-souvenirs").click()
    expect(page.locator("#shop-cat-souvenirs")).to_have_attribute("aria-pressed", "true")
    expect(_card(page, MUSEUM)).to_have_count(0)
    number = _order(page, NOTEBOOK, pickup=True)
    expect(page.locator("#order-next")).to_contain_text("(время московское)")
    expect(page.locator("#order-next")).to_contain_text("Центр госуслуг")
    _screenshot(page, "ordered")
    page.locator("#order-close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("#shop-blocked")).to_have_text(re.compile(r"^1\s000$"))

    page.goto(f"{app.url}/points")
    expect(page.locator("#points-blocked")).to_have_text(re.compile(r"^1\s000$"))
    page.locator("#points-orders-link").click()
    expect(page).to_have_url(f"{app.url}/shop/orders")
    order = page.locator(f"#order-{number}")
    expect(order).to_contain_text(NOTEBOOK)
    expect(order).to_contain_text("Забронирован")
    expect(order).to_contain_text("Забронирован до")
    expect(order).to_contain_text("Центр госуслуг")
    page.locator(f"#cancel-{number}").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(f"Отменить заказ № {number}?")
    page.locator(f"#confirm-cancel-{number}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Заказ № {number} отменён")
    expect(order.locator(".order-status")).to_have_text("Отменён")
    expect(page.locator(f"#cancel-{number}")).to_have_count(0)
    _screenshot(page, "cancelled")

    page.goto(f"{app.url}/points")
    expect(page.locator("#points-blocked")).to_have_text("0")
    expect(page.locator("#points-available")).to_have_text(available)


def test_newcomer_sees_the_reason_and_orders_the_open_badge(page: Page, app: RunningApp):
    page.goto(f"{app.url}/shop")
    expect(page.locator("#shop-guest")).to_contain_text("Войдите, чтобы заказать поощрение.")
    expect(_card(page, MUG).get_by_role("button", name="Заказать")).to_be_disabled()
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.set_viewport_size({"width": 1280, "height": 900})

    _log_in_shopper(page, app, NEWCOMER, points=500)
    page.goto(f"{app.url}/shop")
    mug = _card(page, MUG)
    expect(mug).to_contain_text("Для заказа данного поощрения необходимо набрать 1000 баллов.")
    expect(mug.get_by_role("button", name="Заказать")).to_be_disabled()
    badge = _card(page, BADGE)
    expect(badge).to_contain_text("Доступно для заказа всем пользователям")

    page.locator("label[for='shop-orderable']").click()
    expect(page.locator("#shop-orderable")).to_be_checked()
    expect(mug).to_have_count(0)
    expect(badge).to_have_count(1)
    _screenshot(page, "newcomer")

    number = _order(page, BADGE, pickup=True)
    expect(page.locator("#order-next")).to_contain_text("Заказ забронирован до")
    page.locator("#order-history-link").click()
    expect(page.locator(f"#order-{number}")).to_contain_text(BADGE)


def test_certificate_page_and_axe(page: Page, app: RunningApp):
    _log_in_shopper(page, app, WITH_STATUS, points=2500)
    page.goto(f"{app.url}/shop")
    expect(page.locator("#shop-items")).to_be_visible()
    assert serious_violations(page) == []

    page.locator("#shop-cat-museums").click()
    expect(_card(page, NOTEBOOK)).to_have_count(0)
    number = _order(page, MUSEUM, pickup=False)
    expect(page.locator("#order-next")).to_contain_text("Код сертификата")
    assert serious_violations(page) == []
    page.locator("#order-certificate-link").click()
    expect(page).to_have_url(f"{app.url}/shop/orders/{number}")
    code = page.locator("#certificate-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    expect(page.locator("#certificate-qr")).to_have_attribute(
        "alt", f"QR-код сертификата {code.inner_text()}"
    )
    expect(page.locator("#certificate-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    expect(page.locator("#order-until")).to_contain_text("Действует до")
    _screenshot(page, "certificate")
    assert serious_violations(page) == []

    page.goto(f"{app.url}/shop/orders")
    expect(page.locator(f"#certificate-{number}")).to_be_visible()
    _screenshot(page, "orders")
    assert serious_violations(page) == []

    page.goto(f"{app.url}/shop/orders/99999999")
    expect(page.get_by_role("alert")).to_have_text("Заказ не найден.")
