"""A new resident registers by SMS code, fills the profile, votes a city poll to the end and sees the
intermediate results and the points."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import answer_all_questions, log_in, open_city_poll_with_questionnaire

NEW_PHONE = "+79167770011"


def test_registration_profile_vote_results_and_points(page: Page, app: RunningApp):
    log_in(page, app, NEW_PHONE, new_account=True)
    expect(page).to_have_url(re.compile(r"/profile"))

    # The profile shows the unique identifier and level 1, then level 2 after an address.
    expect(page.get_by_text("Уникальный идентификатор")).to_be_visible()
    expect(page.get_by_text("упрощённый").first).to_be_visible()
    page.locator("#last_name").fill("Петров")
    page.locator("#first_name").fill("Пётр")
    page.locator("#patronymic").fill("Петрович")
    page.locator("#gender").select_option("male")
    page.locator("#birth_date").fill("1980-03-04")
    page.locator("#save-personal").click()
    expect(page.get_by_text("Личные данные сохранены").first).to_be_visible()

    page.locator("#address_kind").select_option("residence")
    page.locator("#okrug").select_option(label="Центральный административный округ (ЦАО)")
    page.locator("#district").select_option(label="Арбат")
    expect(page.locator("#street option").nth(1)).to_be_attached()
    page.locator("#street").select_option(index=1)
    expect(page.locator("#house option").nth(1)).to_be_attached()
    page.locator("#house").select_option(index=1)
    page.locator("#save-address").click()
    expect(page.locator("#address-list")).to_contain_text("Арбат")
    expect(page.get_by_text("стандартный").first).to_be_visible()

    # Vote a city-wide poll to the end.
    poll = open_city_poll_with_questionnaire(page, app)
    answer_all_questions(page)
    expect(page.locator("#vote-success")).to_contain_text(f"{poll['points']} балл")
    expect(page.locator("#poll-results")).to_be_visible()
    expect(page.locator("#poll-results")).to_contain_text("%")

    # A second attempt is refused: the page now says the ballot is final.
    page.reload()
    expect(page.locator("#questionnaire")).to_have_count(0)
    expect(page.locator("#cannot-vote")).to_contain_text("уже проголосовали")

    # «Мои баллы» shows the credit for the poll in the ledger.
    page.goto(f"{app.url}/points")
    expect(page.locator("#ledger")).to_contain_text(poll["title"][:30])
    expect(page.locator("#points-available")).not_to_have_text("0")

    # «Прошедшие» lists the poll with the user's own answers.
    page.goto(f"{app.url}/polls")
    page.locator("#tab-past").click()
    past = page.locator(".past-poll").filter(has_text=poll["title"][:30])
    expect(past).to_have_count(1)
    past.locator("summary").click()
    expect(past.locator("strong").first).to_be_visible()
