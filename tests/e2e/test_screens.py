"""A walk through every main page as the right demo user: a phone (390×844) and a desktop (1366×900)
full-page screenshot of each is kept as an artefact, and the visible text of every page must be
Russian — Latin words outside the allow-list (``latin_allow.txt``) fail the walk, named with their page.

Screenshots go to ``$AG_SCREENS_DIR/<width>/<name>.png`` (default ``artifacts/screens`` in the repo).
One login per role: the logged-in context's cookies are copied into the second viewport's context.
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ag_app.domain.promo import CODE_ALPHABET, CODE_LENGTH
from tests.e2e.conftest import ROOT, RunningApp
from tests.e2e.flows import log_in, staff_account
from tests.e2e.test_accessibility import serious_violations

# A demo resident few other browser tests log in as (each phone gets three codes an hour).
RESIDENT = "+79161234569"
ADMIN = "+79990000093"
VIEWPORTS = {390: {"width": 390, "height": 844}, 1366: {"width": 1366, "height": 900}}
SCREENS = Path(os.environ.get("AG_SCREENS_DIR") or ROOT / "artifacts" / "screens")
ALLOW_FILE = Path(__file__).with_name("latin_allow.txt")

# Stripped before looking for words: addresses and site paths, e-mails (also masked ones), file names,
# hex digests, codes of capitals and digits (promo codes, ids), Roman numerals, ``ag-app`` commands.
_NOT_WORDS = [
    re.compile(r"https?://\S+"),
    re.compile(r"(?<![\w/])/[a-z][\w/.-]*"),
    re.compile(r"[\w.*+-]+@[\w*-]+(\.[\w-]+)+"),
    re.compile(r"[\w./-]+\.(?:txt|csv|json|pdf|zip|xlsx|png|jpe?g|svg|sig)\b"),
    re.compile(r"\b[0-9a-fA-F]{12,}\b"),
    re.compile(r"\b(?=[A-Z0-9]*[0-9])[A-Z0-9]{6,}\b"),
    # A promo code may happen to hold no digit (ag_app.domain.promo.CODE_ALPHABET, CODE_LENGTH).
    re.compile(rf"\b[{CODE_ALPHABET}]{{{CODE_LENGTH}}}\b"),
    re.compile(r"\b[A-Z]{1,4}-[0-9]+\b"),
    re.compile(r"\b[IVX]{1,5}\b"),
    re.compile(r"\bag-app\b[^\n]*"),
    # Short names of campaigns and categories (lowercase Latin with hyphens, by their rule).
    re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b"),
]
_LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*(?![\w-])")


def allowed_words() -> set[str]:
    """The allow-list: one word a line, ``#`` starts a comment."""
    words = set()
    for line in ALLOW_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return words


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """Latin words of a page's visible text that are not on the allow-list (each once, in order)."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    found: list[str] = []
    for word in _LATIN_WORD.findall(text):
        if word not in allowed and word not in found:
            found.append(word)
    return found


def test_latin_words_finds_english_and_lets_allowed_tokens_through():
    allowed = {"PDF", "SHA-256"}
    text = (
        "Скачать PDF, SHA-256 1f2e3d4c5b6a7980 почта: ivanov@example.ru Loading… Page not found ag-app bench"
    )
    assert latin_words(text, allowed) == ["Loading", "Page", "not", "found"]
    assert latin_words("Всё по-русски, № 12, при Петре I", allowed) == []
    machine = (
        "код XM8MESMDYH, файл promo-1-draw-1-winners.csv, a***@example.com, /outbox, R-0005, shop/mug.svg"
    )
    assert latin_words(machine, allowed) == []
    assert latin_words("Submit, E-mail и power bank", allowed) == ["Submit", "E-mail", "power", "bank"]
    assert latin_words("человек — по person_ref и роли", allowed) == ["person_ref"]


def visible_text(page: Page) -> str:
    """The page's visible text without what it shows as code (``code``, ``pre``, ``kbd``, ``samp``:
    file headers, commands, digests — machine text shown to experts as it is)."""
    text, machine = page.evaluate(
        "() => [document.body.innerText,"
        " [...document.querySelectorAll('code, pre, kbd, samp')].map((e) => e.innerText)]"
    )
    for snippet in sorted(machine, key=len, reverse=True):
        if snippet.strip():
            text = text.replace(snippet, " ")
    return text


def _settle(page: Page) -> None:
    """Wait until the page has its heading and its data (no «Загрузка…» left), then for fonts."""
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    # A page still loading after 15 s is photographed as it is (the picture shows it).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("!document.body.innerText.includes('Загрузка…')", timeout=15_000)
    page.wait_for_timeout(400)
    page.evaluate("document.fonts.ready")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[int, BrowserContext]]:
    """One browser context per viewport (phone, desktop), closed after the test."""
    made = {
        width: browser.new_context(
            locale="ru-RU", viewport=size, is_mobile=width < 600, has_touch=width < 600
        )
        for width, size in VIEWPORTS.items()
    }
    for context in made.values():
        context.set_default_timeout(20_000)
    yield made
    for context in made.values():
        context.close()


def _walk(
    app: RunningApp, contexts: dict[int, BrowserContext], pages: list[tuple[str, str]], *, phone: str = ""
) -> dict[str, list[str]]:
    """Log in once (phone viewport) if ``phone`` is given, share the cookies with the desktop
    context, then visit every ``(name, path)`` at both widths: screenshot, the Latin words found, and
    (on the phone) axe's serious and critical violations."""
    tabs = {width: context.new_page() for width, context in contexts.items()}
    if phone:
        log_in(tabs[390], app, phone)
        contexts[1366].add_cookies(contexts[390].cookies())
    allowed = allowed_words()
    findings: dict[str, list[str]] = {}
    for name, path in pages:
        for width, tab in tabs.items():
            tab.goto(f"{app.url}{path}")
            _settle(tab)
            if name != "not-found":
                expect(tab.locator("#not-found")).to_have_count(0)
            expect(tab.locator("h1"), f"one h1 on {path}").to_have_count(1)
            if path.startswith("/staff"):
                expect(tab.locator("#forbidden")).to_have_count(0)
            target = SCREENS / str(width) / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5_000, target
            words = latin_words(visible_text(tab), allowed)
            if width == 390:
                words += serious_violations(tab)
            if words:
                findings[f"{name} ({path}, {width} px)"] = words
    for tab in tabs.values():
        tab.close()
    return findings


def _crash_screen(app: RunningApp, contexts: dict[int, BrowserContext]) -> dict[str, list[str]]:
    """The screen shown when a page crashes while rendering: the script of the page «/terms» is
    replaced by one whose component throws, and the Russian fallback must stand in its place."""
    broken = "export default function Component() { throw new Error('screens walk: forced render failure'); }"
    allowed = allowed_words()
    findings: dict[str, list[str]] = {}
    for width, context in contexts.items():
        tab = context.new_page()
        tab.route(
            re.compile(r"/assets/_terms_\._index-[^/]*\.js$"),
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=broken),
        )
        tab.goto(f"{app.url}/terms")
        expect(tab.locator(".ag-render-error")).to_be_visible(timeout=30_000)
        expect(tab.get_by_role("heading", level=1)).to_have_text("Страница не открылась из-за ошибки")
        target = SCREENS / str(width) / "crash.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(target), full_page=True)
        if words := latin_words(visible_text(tab), allowed):
            findings[f"crash screen ({width} px)"] = words
        tab.close()
    return findings


def _report(findings: dict[str, list[str]]) -> str:
    return "Latin words or serious axe violations on pages:\n" + "\n".join(
        f"  {page}: {', '.join(words)}" for page, words in findings.items()
    )


def test_resident_pages_are_russian_accessible_and_photographed(app: RunningApp, contexts):
    poll = next(p for p in app.api("/polls?status=active") if p["scope"] == "city")
    closed = app.api("/polls?status=closed")[0]
    guest = [("login", "/login"), ("not-found", "/no-such-page"), ("terms", "/terms")]
    findings = _walk(app, contexts, guest)
    findings |= _crash_screen(app, contexts)
    resident = [
        ("home", "/"),
        ("polls", "/polls"),
        ("poll", f"/polls/{poll['id']}"),
        ("news", "/news"),
        ("stats", "/stats"),
        ("poll-closed", f"/polls/{closed['id']}"),
        ("poll-open-data", f"/polls/{closed['id']}/open-data"),
        ("house", "/house"),
        ("house-polls", "/house/polls"),
        ("house-meetings", "/house/meetings"),
        ("renovation", "/renovation"),
        ("shop", "/shop"),
        ("shop-orders", "/shop/orders"),
        ("contest", "/contest"),
        ("contest-results", "/contest/results"),
        ("contest-receipts", "/contest/receipts"),
        ("contest-prizes", "/contest/prizes"),
        ("promo", "/promo"),
        ("promo-exchange", "/promo/exchange"),
        ("awards", "/awards"),
        ("awards-results", "/awards/results"),
        ("points", "/points"),
        ("profile", "/profile"),
        ("notifications", "/notifications"),
        ("subscriptions", "/subscriptions"),
        ("feedback", "/feedback"),
    ]
    findings |= _walk(app, contexts, resident, phone=RESIDENT)
    assert not findings, _report(findings)
    assert (SCREENS / "390" / "poll.png").exists() and (SCREENS / "1366" / "crash.png").exists()


def test_staff_pages_are_russian_accessible_and_photographed(app: RunningApp, contexts):
    poll = app.api("/polls?status=closed")[0]
    staff = [
        ("staff-polls", "/staff/polls"),
        ("staff-poll-new", "/staff/polls/new"),
        ("staff-poll-decisions", f"/staff/polls/{poll['id']}/decisions"),
        ("staff-dashboard", "/staff/dashboard"),
        ("staff-registry", "/staff/registry"),
        ("staff-houses", "/staff/houses"),
        ("staff-house-polls", "/staff/house-polls"),
        ("staff-renovation", "/staff/renovation"),
        ("staff-meetings", "/staff/meetings"),
        ("staff-feedback", "/staff/feedback"),
        ("staff-jobs", "/staff/jobs"),
        ("staff-shop", "/staff/shop"),
        ("staff-shop-desk", "/staff/shop/desk"),
        ("staff-contest", "/staff/contest"),
        ("staff-contest-manage", "/staff/contest/manage"),
        ("staff-contest-stats", "/staff/contest/stats"),
        ("staff-promo", "/staff/promo"),
        ("staff-promo-stats", "/staff/promo/stats"),
        ("staff-awards", "/staff/awards"),
        ("staff-awards-commission", "/staff/awards/commission"),
        ("staff-awards-payouts", "/staff/awards/payouts"),
    ]
    findings = _walk(app, contexts, staff, phone=staff_account(app, ADMIN, role="admin"))
    assert not findings, _report(findings)
