"""«Конкурс чеков» in the browser: a resident pastes a QR string and uploads a photo of a QR code in
«Мои чеки»; a guest watching ``/contest`` in another browser sees the rating move within 2 seconds
(the live channel, no polling); axe finds no serious or critical violations on the contest pages.

The residents' names and birth dates are arranged directly in the app's database, as the profile
form would leave them. Each phone here is new and used by no other browser test.
"""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import period_bounds, period_of
from ag_app.models import User
from ag_app.seed.contest_photos import make_receipt_photo
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import _serious_violations

FIRST = "+79035551401"
SECOND = "+79035551402"
# A fiscal drive of no registered seller: an ordinary receipt, 1 point.
DRIVE = "9960440399990001"


def _registered(app: RunningApp, phone: str) -> bool:
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            return s.exec(select(User.id).where(User.phone == phone)).first() is not None
    finally:
        engine.dispose()


def _resident(page: Page, app: RunningApp, phone: str, first_name: str) -> None:
    """Log in and give the account a name and an adult's birth date."""
    log_in(page, app, phone, new_account=not _registered(app, phone))
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.phone == phone)).one()
            user.first_name, user.last_name = first_name, "Чекова"
            user.birth_date = datetime(1984, 4, 4).date()
            s.add(user)
    finally:
        engine.dispose()


def _qr(fd: int, minutes: int = 3) -> str:
    """A sale a few minutes ago (inside the current Moscow month)."""
    moment = datetime.now(UTC)
    bought = max(moment - timedelta(minutes=minutes), period_bounds(*period_of(moment))[0])
    local = bought.astimezone(MOSCOW)
    return f"t={local:%Y%m%dT%H%M%S}&s=512.00&fn={DRIVE}&i={fd}&fp={700000 + fd}&n=1"


def _paste(page: Page, qr: str) -> None:
    page.locator("#contest-qr").fill(qr)
    page.locator("#contest-save-qr").click()


def _total(page: Page) -> int:
    return int(re.sub(r"\D", "", page.locator("#contest-total").inner_text()))


def _total_text(total: int) -> re.Pattern:
    """«Участников в рейтинге: 2 001» (digits grouped by a no-break space)."""
    return re.compile("^Участников в рейтинге: " + r"\s?".join(str(total)) + "$")


def test_receipts_move_the_live_rating_of_a_watching_guest(page: Page, browser: Browser, app: RunningApp):
    stamp = int(datetime.now(UTC).timestamp()) % 100_000
    _resident(page, app, FIRST, "Вера")
    page.goto(f"{app.url}/contest/receipts")
    expect(page.get_by_role("heading", name="Мои чеки", level=1)).to_be_visible()
    # The first receipt of the month makes sure the general contest exists.
    _paste(page, _qr(stamp * 10 + 1))
    expect(page.get_by_text("Чек принят: +1 балл.")).to_be_visible()
    expect(page.locator("#contest-receipts")).to_contain_text("принят")
    # The same receipt again: refused in Russian, nothing added.
    _paste(page, _qr(stamp * 10 + 1))
    expect(page.get_by_text("Этот чек уже сохранён.")).to_be_visible()
    expect(page.locator("#contest-receipts tbody tr")).to_have_count(1)

    guest_context = browser.new_context(locale="ru-RU")
    guest = guest_context.new_page()
    try:
        guest.goto(f"{app.url}/contest")
        expect(guest.locator("#contest-title")).to_contain_text("Конкурс чеков")
        expect(guest.locator("#contest-top")).to_be_visible()
        expect(guest.locator("#contest-reason")).to_contain_text("Войдите")
        before = _total(guest)
        updated = guest.locator("#contest-updated").inner_text()

        # A new participant's first receipt, pasted in another browser: the guest's table moves.
        resident = browser.new_context(locale="ru-RU")
        second = resident.new_page()
        try:
            _resident(second, app, SECOND, "Зоя")
            second.goto(f"{app.url}/contest/receipts")
            expect(second.get_by_role("heading", name="Мои чеки", level=1)).to_be_visible()
            _paste(second, _qr(stamp * 10 + 2))
            expect(second.get_by_text("Чек принят: +1 балл.")).to_be_visible()
            # Within 2 s of the commit (the notice comes after it): one participant more.
            expect(guest.locator("#contest-total")).to_have_text(_total_text(before + 1), timeout=2_000)
            expect(guest.locator("#contest-updated")).not_to_have_text(updated)

            # A photo of a QR code, decoded on the server.
            photo = make_receipt_photo(_qr(stamp * 10 + 3), fmt="JPEG", size=(1000, 750))
            second.set_input_files(
                "#contest-photo-upload input[type=file]",
                files=[{"name": "receipt.jpg", "mimeType": "image/jpeg", "buffer": photo}],
            )
            expect(second.locator("#contest-receipts tbody tr")).to_have_count(2, timeout=30_000)
            expect(second.get_by_text("Чек принят: +1 балл.")).to_be_visible()
            assert _serious_violations(second) == []

            second.goto(f"{app.url}/contest")
            expect(second.locator("#contest-own")).to_contain_text("Зоя Ч. (вы)")
            expect(second.locator("#contest-to-next")).to_be_visible()
            assert _serious_violations(second) == []
        finally:
            resident.close()
        assert _serious_violations(guest) == []
        guest.goto(f"{app.url}/contest/rules")
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Правила конкурса")
        expect(guest.locator("main")).to_contain_text(re.compile(r"1 место — 2\s000 ₽"))
        assert guest.locator("main a[href^='http']").count() == 0
        assert _serious_violations(guest) == []
        guest.goto(f"{app.url}/contest/results")
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Итоги конкурсов")
        assert _serious_violations(guest) == []
    finally:
        guest_context.close()
