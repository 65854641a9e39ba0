"""«Обратная связь» and «Управление подписками» in the browser: a resident files a ticket and sees its
number, a staff member answers it from the queue, the resident reads the answer and the status and
closes the ticket; the resident turns a subscription off; an e-mail's unsubscribe link opened without
logging in turns the topic's e-mails off, a tampered one changes nothing; axe finds no serious or
critical violations on the new pages.

The phones are used by no other browser test (three SMS codes an hour per phone); the staff role is
given by a ``UserRole`` row written directly in the app's database, as an administrator would.
"""

import re

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.domain.subscriptions import unsubscribe_token
from ag_app.models import User, UserRole
from ag_app.settings import DEV_SECRET
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import close_menu, log_in, open_menu
from tests.e2e.test_accessibility import serious_violations

RESIDENT = "+79035551201"
STAFF = "+79035551202"
TEXT = "Не приходит письмо для подтверждения адреса электронной почты"
ANSWER = "Письмо отправлено повторно, проверьте папку «Спам»."


def _user_id(app: RunningApp, phone: str, *, grant: str = "") -> int:
    """The id of ``phone``'s account; with ``grant``, give it that staff role first."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.phone == phone)).one()
            if grant:
                s.add(UserRole(user_id=user.id, role=grant))
            return user.id
    finally:
        engine.dispose()


def test_ticket_is_answered_by_staff(page: Page, browser: Browser, app: RunningApp):
    log_in(page, app, RESIDENT, new_account=True)
    page.locator("#footer-feedback").click()
    expect(page).to_have_url(f"{app.url}/feedback")
    expect(page.get_by_text("Обращений пока нет.")).to_be_visible()
    assert serious_violations(page) == []

    page.locator("#fb-topic").select_option("account")
    page.locator("#fb-text").fill(TEXT)
    page.locator("#fb-submit").click()
    filed = page.locator("#fb-filed-number")
    expect(filed).to_have_text(re.compile(r"^ОБ-\d{6}$"))
    number = filed.inner_text()
    expect(page.locator("#fb-filed")).to_contain_text(f"Обращение № {number} зарегистрировано")
    ticket = page.locator("[id^='fb-ticket-']").filter(has_text=TEXT)
    expect(ticket).to_contain_text(f"Обращение № {number}")
    expect(ticket).to_contain_text("Профиль и вход")
    ticket_id = ticket.get_attribute("id").removeprefix("fb-ticket-")
    expect(page.locator(f"#fb-status-{ticket_id}")).to_have_text("Новое")
    expect(page.locator("#fb-text")).to_have_value("")
    assert serious_violations(page) == []

    staff = browser.new_context(locale="ru-RU").new_page()
    log_in(staff, app, STAFF, new_account=True)
    staff.goto(f"{app.url}/staff/feedback")
    expect(staff.locator("#forbidden")).to_contain_text("Недостаточно прав")
    expect(staff.locator("#fb-queue")).to_have_count(0)
    _user_id(app, STAFF, grant="staff")
    staff.goto(f"{app.url}/staff/feedback")
    item = staff.locator(f"#fb-queue-{ticket_id}")
    expect(item).to_contain_text(TEXT)
    open_menu(staff)
    expect(staff.locator("#nav-staff-feedback")).to_be_visible()
    close_menu(staff)
    assert serious_violations(staff) == []
    staff.locator("#fb-filter-status").select_option("answered")
    expect(item).to_have_count(0)
    staff.locator("#fb-filter-status").select_option("new")
    staff.locator("#fb-filter-order").select_option("oldest")
    expect(item).to_be_visible()
    staff.locator(f"#fb-answer-{ticket_id}").fill(ANSWER)
    staff.locator(f"#fb-answer-submit-{ticket_id}").click()
    expect(staff.get_by_text(f"Ответ на обращение № {number} отправлен, автор уведомлён.")).to_be_visible()
    # The queue shows only new tickets, so the answered one has left it.
    expect(item).to_have_count(0)
    staff.locator("#fb-filter-status").select_option("answered")
    expect(item).to_contain_text(ANSWER)
    staff.context.close()

    page.reload()
    expect(page.locator(f"#fb-answer-text-{ticket_id}")).to_have_text(ANSWER)
    expect(page.locator(f"#fb-status-{ticket_id}")).to_have_text("Есть ответ")
    expect(page.locator("#nav-bell")).to_have_attribute(
        "aria-label", re.compile(r"Уведомления: \d+ непрочитанных")
    )
    assert serious_violations(page) == []
    page.locator(f"#fb-close-{ticket_id}").click()
    expect(page.locator(f"#fb-status-{ticket_id}")).to_have_text("Закрыто")
    expect(page.locator(f"#fb-close-{ticket_id}")).to_have_count(0)


def test_subscriptions_and_the_unsubscribe_link(page: Page, browser: Browser, app: RunningApp):
    log_in(page, app, RESIDENT, new_account=not _registered(app, RESIDENT))
    page.goto(f"{app.url}/profile")
    page.locator("#profile-subscriptions").click()
    expect(page).to_have_url(f"{app.url}/subscriptions")
    results_app = page.locator("#sub-results-app")
    expect(results_app).to_be_checked()
    assert serious_violations(page) == []
    results_app.click()
    expect(results_app).not_to_be_checked()
    expect(page.get_by_role("status")).to_contain_text(
        "Сохранено: рассылка «Итоги голосований» (в приложении) отключена."
    )
    page.reload()
    expect(page.locator("#sub-results-app")).not_to_be_checked()
    expect(page.locator("#sub-house-email")).to_be_checked()

    secret = app.env.get("AG_SECRET_KEY", DEV_SECRET)
    user_id = _user_id(app, RESIDENT)
    guest = browser.new_context(locale="ru-RU").new_page()
    forged = unsubscribe_token("not-the-key", user_id=user_id, topic="house")
    guest.goto(f"{app.url}/unsubscribe?token={forged}")
    expect(guest.get_by_role("alert")).to_contain_text("Ссылка отписки недействительна")
    page.reload()
    expect(page.locator("#sub-house-email")).to_be_checked()

    token = unsubscribe_token(secret, user_id=user_id, topic="house")
    guest.goto(f"{app.url}/unsubscribe?token={token}")
    expect(guest.get_by_role("status")).to_contain_text(
        "Вы отписались от рассылки: «Электронный дом»: события дома."
    )
    expect(guest.locator("#nav-login")).to_be_visible()
    assert serious_violations(guest) == []
    guest.context.close()

    page.reload()
    expect(page.locator("#sub-house-email")).not_to_be_checked()
    expect(page.locator("#sub-house-app")).to_be_checked()
    expect(page.locator("#sub-house-sms")).to_be_checked()


def _registered(app: RunningApp, phone: str) -> bool:
    """Whether ``phone`` already has an account (the tests of this file may run alone or in order)."""
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            return s.exec(select(User.id).where(User.phone == phone)).first() is not None
    finally:
        engine.dispose()
