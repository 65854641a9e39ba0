"""Steps a person takes in the browser, shared by the browser tests."""

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import RunningApp


def log_in(page: Page, app: RunningApp, phone: str, *, new_account: bool = False) -> None:
    """Log in (or register) with ``phone`` and the SMS code read from the demo outbox."""
    page.goto(f"{app.url}/login")
    page.locator("#phone").fill(phone)
    page.locator("#get-code").click()
    expect(page.locator("#code")).to_be_visible()
    page.locator("#code").fill(app.sms_code(phone))
    if new_account:
        page.locator("#terms").click()
    page.locator("#login").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=30_000)


def open_menu(page: Page) -> None:
    """Open the site menu (the drawer of the header) unless it is open already; its links are then
    visible. A click before the page has hydrated does nothing, so the button is pressed again."""
    menu = page.locator("#site-menu")
    for _ in range(3):
        if menu.count() and menu.is_visible():
            return
        page.locator("#menu-button").click()
        try:
            menu.wait_for(state="visible", timeout=3_000)
        except PlaywrightTimeoutError:
            continue
    expect(menu).to_be_visible()


def close_menu(page: Page) -> None:
    """Close the site menu with Esc (no-op when it is closed)."""
    if page.locator("#site-menu").count():
        page.keyboard.press("Escape")
    expect(page.locator("#site-menu")).to_have_count(0)


def answer_all_questions(page: Page) -> None:
    """Answer every question of the open questionnaire (first ordinary option) and finish the ballot."""
    questionnaire = page.locator("#questionnaire")
    expect(questionnaire).to_be_visible()
    for _ in range(30):
        options = questionnaire.locator("[id^='option-']")
        expect(options.first).to_be_visible()
        options.first.click()
        own_text = questionnaire.locator("#own-text")
        if own_text.count() and own_text.is_visible():
            own_text.fill("Мой вариант <b>без разметки</b>")
        finish = page.locator("#finish-vote")
        if finish.count() and finish.is_visible():
            finish.click()
            return
        progress = page.locator("#question-progress").inner_text()
        page.locator("#next-question").click()
        expect(page.locator("#question-progress")).not_to_have_text(progress)
    raise AssertionError("the questionnaire never reached its last question")


def open_city_poll_with_questionnaire(page: Page, app: RunningApp) -> dict:
    """Open the first active city-wide poll this user may vote in."""
    for poll in app.api("/polls?status=active"):
        if poll["scope"] != "city":
            continue
        page.goto(f"{app.url}/polls/{poll['id']}")
        expect(page.locator("h1")).to_contain_text(poll["title"][:20])
        page.wait_for_selector("#questionnaire, #cannot-vote")
        if page.locator("#questionnaire").count():
            return poll
    raise AssertionError("no active city-wide poll is open to a new resident")


def staff_account(app: RunningApp, phone: str, role: str = "staff") -> str:
    """A staff account of its own for one browser test (each phone may get three SMS codes an hour,
    so tests do not share the demo staff logins); returns the phone."""
    from datetime import UTC, datetime

    from sqlmodel import Session, select

    from ag_app.db import make_engine
    from ag_app.models import User, UserRole

    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with Session(engine) as session:
            if session.exec(select(User.id).where(User.phone == phone)).first() is None:
                now = datetime.now(UTC)
                user = User(
                    uid=f"e2e{phone[-9:]}",
                    phone=phone,
                    phone_region="moscow",
                    created_at=now,
                    terms_accepted_at=now,
                    last_name="Сотрудникова",
                    first_name="Ольга",
                )
                session.add(user)
                session.flush()
                session.add(UserRole(user_id=user.id, role=role))
                session.commit()
    finally:
        engine.dispose()
    return phone
