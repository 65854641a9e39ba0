"""«Акция: управление» in the browser: a staff member creates a campaign from the form (Moscow
wall-clock deadlines), sees its draws with their commitments, uploads the voting system's file and
reads the report; a malformed file is refused naming its lines; axe finds no serious or critical
violations on the page."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from ag_app.domain.clock import moscow_date
from ag_app.seed.promo import vmeste_config
from ag_app.services.promo.config_form import form_of
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in, staff_account
from tests.e2e.test_accessibility import serious_violations

# A staff account of this test's own (the demo logins are near their SMS limit in the suite).
STAFF = "+79035551911"
HEADER = "person;voted_at;channel;first_online\n"


def _field_id(name: str) -> str:
    return "#promo-" + name.replace("_", "-")


def test_staff_create_a_campaign_and_import_votes(page: Page, app: RunningApp):
    # The replica around a last voting day far enough ahead that every window is still open.
    last_day = moscow_date(datetime.now(UTC)) + timedelta(days=45)
    form = form_of(vmeste_config(last_day, slug="e2e-promo")) | {"title": "Акция браузерного теста"}
    log_in(page, app, staff_account(app, STAFF))
    page.goto(f"{app.url}/staff/promo")
    expect(page.locator("#promo-new")).to_be_visible()
    expect(page.locator("#nav-promo-stats")).to_have_attribute("href", "/staff/promo/stats")
    page.locator("#promo-new").click()
    expect(page.locator("#promo-save")).to_have_text("Создать акцию")
    assert serious_violations(page) == []

    # A deadline typed without its time: the form names it and saves nothing.
    page.locator("#promo-slug").fill("e2e-promo")
    page.locator("#promo-title").fill(form["title"])
    page.locator("#promo-opt-out-ends-at").fill("05.09.2026")
    page.locator("#promo-save").click()
    feedback = page.locator("#promo-feedback")
    expect(feedback).to_contain_text("Акция не сохранена, ничего не изменено.")
    expect(feedback).to_contain_text("«Отказ от участия до»: укажите дату и время по Москве")

    for name, value in form.items():
        if name in ("vote_source", "vote_poll_id"):
            continue
        page.locator(_field_id(name)).fill(value)
    page.locator("#promo-save").click()
    expect(feedback).to_contain_text("Акция создана.")
    rows = page.locator("#promo-draws tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.first).to_contain_text("Основной")
    expect(rows.first).to_contain_text("идёт приём")
    expect(page.locator("#promo-campaign")).to_contain_text("Акция браузерного теста (e2e-promo)")
    expect(page.locator("#promo-save")).to_have_text("Сохранить настройки")
    expect(page.locator("#promo-opt-out-ends-at")).to_have_value(form["opt_out_ends_at"])
    assert serious_violations(page) == []

    day = (last_day - timedelta(days=2)).isoformat()
    page.set_input_files(
        "#promo-votes input[type=file]",
        files=[
            {
                "name": "votes.csv",
                "mimeType": "text/csv",
                "buffer": (HEADER + f"+79990000099;{day} 19:00;online;no\n").encode(),
            }
        ],
    )
    expect(feedback).to_contain_text(
        "Файл голосов загружен: строк 1, добавлено фактов голосования 0, без изменений 0.", timeout=30_000
    )
    expect(page.locator("#promo-import-lines")).to_contain_text(
        "Не найдена учётная запись на платформе (строки: 2)."
    )

    page.set_input_files(
        "#promo-votes input[type=file]",
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": (HEADER + "кто-то;вчера;online;no\n").encode(),
            }
        ],
    )
    expect(feedback).to_contain_text("Файл голосов не загружен, ничего не изменено.", timeout=30_000)
    expect(feedback).to_contain_text("Строка 2:")
    assert serious_violations(page) == []
