"""The websocket bench speaks the frontend's protocol: route arguments, boot event, deltas."""

from ag_app.bench.ws import ROOT_STATE, SESSION_COOKIE_VAR, Frontend, boot_event, delta_of

ROUTES = [
    "",
    "house/meetings",
    "house/meetings/:meeting_id",
    "house/meetings/new",
    "polls/:poll_id/open-data",
]


def test_route_arguments_are_sent_like_the_browser_does_and_static_routes_win():
    frontend = Frontend(hashes=["a", "b"], schema="s", routes=ROUTES)
    assert frontend.query("/house/meetings/12") == {"meeting_id": "12"}
    assert frontend.query("/house/meetings/new") == {}
    assert frontend.query("/polls/5/open-data") == {"poll_id": "5"}
    assert frontend.query("/") == {}


def test_the_boot_event_carries_hashes_only_on_a_first_view_and_the_session_cookie():
    frontend = Frontend(hashes=["a", "b"], schema="s", routes=ROUTES)
    first = boot_event("/house/meetings/3", frontend, session_token="tok")
    assert first["event"]["name"] == f"{ROOT_STATE}.hydrate_and_load"
    assert first["event"]["payload"] == {"hashes": ["a", "b"], "vars": {SESSION_COOKIE_VAR: "tok"}}
    assert first["event"]["router_data"]["query"] == {"meeting_id": "3"}
    assert first["state_schema"] == "s"
    again = boot_event("/house/meetings/3", frontend, first=False)
    assert again["event"]["payload"] == {}


def test_deltas_are_read_from_event_packets_only():
    packet = '42/_event,["event",{"delta":{"reflex___state____state":{"is_hydrated_rx_state_":true}}}]'
    assert delta_of(packet) == {ROOT_STATE: {"is_hydrated_rx_state_": True}}
    assert delta_of('40/_event,{"sid":"x"}') == {}
    assert delta_of('42/_event,["pong","pong"]') == {}
