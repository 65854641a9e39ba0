"""What a page view costs on the websocket, measured on the frames the browser receives: the state
of a fresh page view (hydrate and the page's on_load) stays small on every main page, charts
included, and the meeting meter arrives by the live channel."""

import json

import pytest
from playwright.sync_api import Browser, WebSocket, expect

from tests.e2e.conftest import RunningApp

# The first page state of any page: at most 20 KB (issue 13; it was ~100 KB, /stats 138 KB).
LIMIT = 20 * 1024
HYDRATED = '"is_hydrated_rx_state_":true'


def first_page_state(browser: Browser, url: str, ready: str) -> tuple[int, list[str]]:
    """Bytes of the state messages a fresh tab receives until ``ready`` is visible and the page is
    hydrated, and those messages."""
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    received: list[str] = []

    def watch(socket: WebSocket) -> None:
        socket.on(
            "framereceived",
            lambda frame: received.append(frame if isinstance(frame, str) else frame.decode()),
        )

    page.on("websocket", watch)
    try:
        page.goto(url)
        expect(page.locator(ready).first).to_be_visible(timeout=30_000)
        deadline = 100
        while not any(HYDRATED in frame for frame in received) and deadline:
            page.wait_for_timeout(100)
            deadline -= 1
        state = [f for f in received if f.startswith("42/_event,")]
        return sum(len(f.encode()) for f in state), state
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "h1"),
        ("/stats", "#chart-turnout .js-plotly-plot"),
        ("/polls", "h1"),
        # The contest board: page state plus the live top 100 sent on joining its room.
        ("/contest", "#contest-title"),
    ],
)
def test_a_fresh_page_view_receives_at_most_20_kb_of_state(browser: Browser, app: RunningApp, path, ready):
    size, frames = first_page_state(browser, f"{app.url}{path}", ready)
    assert any(HYDRATED in f for f in frames), "the page never finished loading"
    assert size <= LIMIT, f"{path}: {size} bytes of state"
    # Figures of pages the visitor is not on are not sent (staff dashboard, shop report).
    assert "staff_dashboard" not in "".join(frames)


def test_the_meeting_meter_arrives_through_the_live_channel(browser: Browser, app: RunningApp):
    # Meeting 1: the open meeting of the demo house (ag_app/seed/meetings.py).
    size, frames = first_page_state(browser, f"{app.url}/house/meetings/1", "h1")
    assert size <= LIMIT
    meter = [f for f in frames if "meeting_meter_state" in f]
    assert meter, "the meter was not sent"
    delta = json.loads(meter[0][len("42/_event,") :])[1]["delta"]
    values = next(v for k, v in delta.items() if k.endswith("meeting_meter_state"))
    assert values["mid_rx_state_"] == 1
    assert "из" in values["collected_rx_state_"]
