"""«Конкурс чеков» in the browser: a resident pastes a QR string and uploads a photo of a QR code in
«Мои чеки»; a guest watching ``/contest`` in another browser sees the rating move within 2 seconds
(the live channel, no polling); a moderator rejects an accepted receipt from the fraud queue and a
guest and a resident watching ``/contest`` both see the rating fall back within 2 seconds of the
click; axe finds no serious or critical violations on the contest pages, the residents' and the
staff's.

The residents' names and birth dates are arranged directly in the app's database, as the profile
form would leave them. Each phone here is new and used by no other browser test.
"""

import re
import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import period_bounds, period_of
from ag_app.models import Receipt, User
from ag_app.seed.contest_photos import make_receipt_photo
from tests.e2e.conftest import RunningApp
from tests.e2e.flows import log_in
from tests.e2e.test_accessibility import serious_violations

FIRST = "+79035551501"
SECOND = "+79035551502"
# The resident whose receipt the moderator rejects, and the resident watching it happen.
OWNER = "+79035551503"
WATCHER = "+79035551504"
MODERATOR = "+79990000002"
ADMIN = "+79990000003"
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


def _open_receipts(page: Page, app: RunningApp) -> None:
    """Open «Мои чеки» and wait for the history the page loads (its forms work from then on)."""
    page.goto(f"{app.url}/contest/receipts")
    expect(page.get_by_role("heading", name="Мои чеки", level=1)).to_be_visible()
    loaded = page.locator("#contest-receipts").or_(page.get_by_text("Вы ещё не сохранили ни одного чека."))
    expect(loaded).to_be_visible()


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
    _open_receipts(page, app)
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
            _open_receipts(second, app)
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
            assert serious_violations(second) == []

            second.goto(f"{app.url}/contest")
            expect(second.locator("#contest-own")).to_contain_text("Зоя Ч. (вы)")
            expect(second.locator("#contest-to-next")).to_be_visible()
            assert serious_violations(second) == []
        finally:
            resident.close()
        assert serious_violations(guest) == []
        guest.goto(f"{app.url}/contest/rules")
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Правила конкурса")
        expect(guest.locator("main")).to_contain_text(re.compile(r"1 место — 2\s000\s₽"))
        assert guest.locator("main a[href^='http']").count() == 0
        assert serious_violations(guest) == []
        guest.goto(f"{app.url}/contest/results")
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Итоги конкурсов")
        assert serious_violations(guest) == []
    finally:
        guest_context.close()


def _receipt_id(app: RunningApp, fd: int) -> int:
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            return s.exec(select(Receipt.id).where(Receipt.fn == DRIVE, Receipt.fd == str(fd))).one()
    finally:
        engine.dispose()


def _within(started: float, seconds: float = 2.0) -> float:
    """What is left, in milliseconds, of ``seconds`` counted from ``started`` (at least 1 ms)."""
    return max(1.0, (started + seconds - time.monotonic()) * 1000)


def test_a_moderator_rejection_takes_the_receipt_out_of_every_watching_rating(
    page: Page, browser: Browser, app: RunningApp
):
    stamp = int(datetime.now(UTC).timestamp()) % 100_000
    taken, own = stamp * 10 + 5, stamp * 10 + 6
    contexts = [browser.new_context(locale="ru-RU") for _ in range(3)]
    guest, watcher, moderator = (context.new_page() for context in contexts)
    try:
        # The watching resident's own receipt (it also makes sure the month's contest exists).
        _resident(watcher, app, WATCHER, "Олег")
        _open_receipts(watcher, app)
        _paste(watcher, _qr(own))
        expect(watcher.get_by_text("Чек принят: +1 балл.")).to_be_visible()

        for viewer in (guest, watcher):
            viewer.goto(f"{app.url}/contest")
            expect(viewer.locator("#contest-top")).to_be_visible()
        expect(watcher.locator("#contest-own")).to_contain_text("Олег Ч. (вы)")
        before = _total(guest)
        expect(watcher.locator("#contest-total")).to_have_text(_total_text(before))

        # A new participant's only receipt: both watching tables gain a participant.
        _resident(page, app, OWNER, "Ирина")
        _open_receipts(page, app)
        _paste(page, _qr(taken))
        expect(page.get_by_text("Чек принят: +1 балл.")).to_be_visible()
        for viewer in (guest, watcher):
            expect(viewer.locator("#contest-total")).to_have_text(_total_text(before + 1), timeout=2_000)

        # The same receipt from the watcher's account (another tab): refused and flagged.
        second_tab = contexts[1].new_page()
        _open_receipts(second_tab, app)
        _paste(second_tab, _qr(taken))
        expect(
            second_tab.get_by_text("Этот чек уже сохранён другим участником.", exact=False)
        ).to_be_visible()
        second_tab.close()

        log_in(moderator, app, MODERATOR)
        moderator.goto(f"{app.url}/staff/contest")
        receipt_id = _receipt_id(app, taken)
        flagged = moderator.locator("#fraud-queue tbody tr").filter(has_text=f"Чек № {receipt_id} (принят)")
        expect(flagged).to_have_count(1)
        expect(flagged).to_contain_text("Повторная загрузка с другого аккаунта")
        # The queue with a row to decide on, and the evidence behind it, pass axe too.
        flagged.get_by_role("button", name=re.compile("^Чеки владельца")).click()
        expect(moderator.locator("#evidence")).to_contain_text(f"{receipt_id}")
        assert serious_violations(moderator) == []
        flagged.get_by_label("Причина: Отклонить").fill("Чек загружен с двух аккаунтов")
        clicked = time.monotonic()
        flagged.get_by_role("button", name="Отклонить").click()
        # Within 2 s of the click, both tables are back where they were.
        for viewer in (guest, watcher):
            expect(viewer.locator("#contest-total")).to_have_text(
                _total_text(before), timeout=_within(clicked)
            )
        expect(moderator.get_by_text("Чек отклонён.")).to_be_visible()
        expect(flagged).to_have_count(0)

        # The owner sees the rejection and its reason in «Мои чеки».
        page.reload()
        expect(page.locator("#contest-receipts tbody tr")).to_have_count(1)
        expect(page.locator("#contest-receipts")).to_contain_text("отклонён")
        expect(page.locator("#contest-receipts")).to_contain_text("Чек загружен с двух аккаунтов")
    finally:
        for context in contexts:
            context.close()


def test_staff_contest_pages_pass_axe(page: Page, app: RunningApp):
    log_in(page, app, ADMIN)
    page.goto(f"{app.url}/staff/contest")
    expect(page.get_by_role("heading", name="Очередь проверки")).to_be_visible()
    expect(page.locator("#audit-trail")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(f"{app.url}/staff/contest/manage")
    expect(page.locator("#new-contest")).to_be_visible()
    expect(page.locator("#contests, #contests-empty").first).to_be_visible()
    assert serious_violations(page) == []

    page.goto(f"{app.url}/staff/contest/stats")
    expect(page.locator("#table-contest-totals")).to_be_visible()
    expect(page.locator("#chart-contest-receipts .js-plotly-plot")).to_be_visible()
    assert serious_violations(page) == []
