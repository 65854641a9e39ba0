"""Open data in the browser: a voter finds their highlighted row, a guest checks a receipt code."""

import csv
import io
import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

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
    assert serious_violations(page) == []


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


def test_citizen_checks_the_downloaded_file_in_the_browser(page: Page, app: RunningApp, tmp_path):
    """«Проверить файл»: the demo file matches the seal; a copy with one edited line is refused with
    that line named; the file's content never leaves the browser."""
    poll = _closed_city_poll(app)
    seal = app.api(f"/polls/{poll['id']}/open-data/seal")
    bodies: list[bytes] = []
    page.on("request", lambda request: bodies.append(request.post_data_buffer or b""))
    # Reflex events travel over the websocket: its frames are bodies too.
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framesent", lambda frame: bodies.append(frame.encode() if isinstance(frame, str) else frame)
        ),
    )
    page.goto(f"{app.url}/polls/{poll['id']}/open-data")
    expect(page.locator("#open-data-final-hash")).to_have_text(seal["final_hash"])
    assert serious_violations(page) == []

    with page.expect_download() as download_info:
        page.locator("#download-csv").click()
    original = tmp_path / f"poll-{poll['id']}-open-data.csv"
    download_info.value.save_as(original)
    data = original.read_bytes()
    lines = data.split(b"\r\n")
    assert len(lines) == seal["rows"] + 2  # the heading, the rows and the empty tail after the last CRLF

    result = page.locator("#verify-file-result")
    expect(page.locator("label[for=verify-file-input]")).to_have_text("Выбрать файл CSV")
    page.locator("#verify-file-input").set_input_files(original)
    expect(result).to_have_attribute("data-outcome", "ok", timeout=30_000)
    rows = f"{seal['rows']:,}".replace(",", "\xa0")
    expect(result).to_contain_text(f"Файл совпадает с опубликованной печатью: {rows} бюллет")
    expect(result).to_contain_text("цепочка хешей сходится")

    # Row № 40 is line 41 of the file; its receipt code changes by one letter.
    edited_lines = list(lines)
    cells = edited_lines[40].decode("utf-8").split(",")
    assert cells[0] == "40"
    cells[1] = ("A" if cells[1][0] != "A" else "B") + cells[1][1:]
    edited_lines[40] = ",".join(cells).encode("utf-8")
    edited = tmp_path / "edited.csv"
    edited.write_bytes(b"\r\n".join(edited_lines))
    page.locator("#verify-file-input").set_input_files(edited)
    expect(result).to_have_attribute("data-outcome", "failed", timeout=30_000)
    expect(result).to_have_text(
        "Файл не совпадает с опубликованной печатью. Строка № 40 (строка 41 файла): "
        "Хеш строки не совпадает с её содержимым (строка изменена)."
    )

    expect(page.get_by_text("Для специалистов")).to_be_visible()
    expect(page.locator("#open-data-verify-command")).to_contain_text("ag-app verify-open-data")
    # Neither file went anywhere: no request or websocket frame carried a line of it.
    assert bodies, "no request was seen: the listener is broken"
    needles = [lines[1], lines[40], edited_lines[40]]
    assert not [body for body in bodies for needle in needles if needle and needle in body]
    # With the outcome on screen; the pointer leaves the clicked download link (links' hover colour
    # is a site-wide style, not this page's).
    page.mouse.move(0, 0)
    assert serious_violations(page) == []
