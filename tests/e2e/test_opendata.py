"""Open data in the browser: a voter finds their highlighted row, a guest checks a receipt code."""

import csv
import io
import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import _serious_violations

RESIDENT = "+79161234567"
NOT_FOUND = "Голос с таким кодом в этом голосовании не найден."


def _closed_city_poll(app: RunningApp) -> dict:
    return next(
        p for p in app.api("/polls?status=closed") if p["scope"] == "city" and p["ballots_count"] > 60
    )


def _csv_rows(app: RunningApp, poll_id: int) -> list[list[str]]:
    with urllib.request.urlopen(f"{app.url}/api/v1/polls/{poll_id}/open-data.csv", timeout=60) as response:
        text = response.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_voter_finds_their_highlighted_row(page: Page, app: RunningApp):
    log_in(page, app, RESIDENT)
    page.goto(f"{app.url}/polls?tab=past")
    card = page.locator(".past-poll").filter(
        has=page.get_by_role("link", name="Проверить свой голос в открытых данных")
    )
    expect(card.first).to_be_visible()
    receipt = card.first.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", receipt)
    card.first.get_by_role("link", name="Проверить свой голос в открытых данных").click()
    expect(page.locator("h1")).to_have_text("Открытые данные голосования")
    expect(page.locator("#open-data-final-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.locator("#find-my-vote").click()
    mine = page.locator("#my-row")
    expect(mine).to_be_visible()
    expect(mine).to_contain_text(receipt)
    expect(mine).to_have_attribute("aria-current", "true")
    expect(page.locator("#my-vote-message")).to_contain_text(receipt)
    assert page.locator("tr.my-row").count() == 1
    assert _serious_violations(page) == []


def test_guest_checks_a_receipt_code(page: Page, app: RunningApp):
    poll = _closed_city_poll(app)
    rows = _csv_rows(app, poll["id"])
    header, row = rows[0], rows[57]
    seal = app.api(f"/polls/{poll['id']}/open-data/seal")
    assert seal["rows"] == len(rows) - 1
    page.goto(f"{app.url}/polls/{poll['id']}/open-data")
    expect(page.locator("#open-data-final-hash")).to_have_text(seal["final_hash"])
    expect(page.locator("#find-my-vote")).to_have_count(0)

    page.locator("#receipt-code").fill(row[1].lower().replace("-", " "))
    page.locator("#receipt-check").click()
    expect(page.locator("#receipt-message")).to_have_text(f"Голос найден: строка 57 из {len(rows) - 1}.")
    found = page.locator("#receipt-row")
    expect(found).to_contain_text(row[1])
    expect(found).to_contain_text(row[-1])
    expect(found).to_contain_text(header[8])

    page.locator("#receipt-code").fill("0000-0000-0000-0000")
    page.locator("#receipt-check").click()
    expect(page.locator("#receipt-message")).to_have_text(NOT_FOUND)
    expect(page.locator("#receipt-row")).to_have_count(0)


def test_table_pages_through_the_rows(page: Page, app: RunningApp):
    poll = _closed_city_poll(app)
    rows = _csv_rows(app, poll["id"])
    page.goto(f"{app.url}/polls/{poll['id']}/open-data")
    table_rows = page.locator("tr.open-data-row")
    expect(table_rows).to_have_count(min(50, len(rows) - 1))
    expect(table_rows.first).to_contain_text(rows[1][1])
    page.locator("#open-data-next").click()
    expect(page.locator("#open-data-page")).to_have_text("2")
    expect(table_rows.first).to_contain_text(rows[51][1])
    page.goto(f"{app.url}/polls/{poll['id']}")
    expect(page.locator("#poll-final-hash")).to_have_text(
        app.api(f"/polls/{poll['id']}/open-data/seal")["final_hash"]
    )
    expect(page.locator("#poll-open-data-link")).to_be_visible()
