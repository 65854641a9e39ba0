"""The public part of a poll page (the poll, questions, experts, decisions) is served from a
one-second copy per poll, on the event loop while the copies are in hand; the viewer's own facts
(voted, own ballot counted, eligibility, a district poll seen only by its residents) stay live."""

import pytest

from ag_app.i18n import message
from ag_app.services import results_cache
from ag_app.services.polls import page as poll_page
from ag_app.services.snapshots import ColdCache, Snapshot
from tests.clocks import Ticker
from tests.factories import make_geo, make_user, open_session
from tests.integration.poll_helpers import make_poll


@pytest.fixture
def copies(monkeypatch) -> dict:
    """Both copies kept for a second on a hand-moved clock; counts how often a page is read."""
    clock = Ticker()
    monkeypatch.setattr(results_cache, "RESULTS_TTL", 1.0)
    monkeypatch.setattr(results_cache, "_monotonic", clock)
    monkeypatch.setattr(poll_page._poll_pages, "ttl", 1.0)
    monkeypatch.setattr(poll_page._poll_pages, "_clock", clock)
    reads = {"pages": 0, "clock": clock}
    read_page = poll_page._read_page

    def counted(session, poll_id):
        reads["pages"] += 1
        return read_page(session, poll_id)

    monkeypatch.setattr(poll_page, "_read_page", counted)
    return reads


def _headers(session, user, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


def _ballot(page: dict, option: int) -> dict:
    return {
        "answers": [
            {
                "question_id": q["id"],
                "option_ids": [q["options"][option if n == 0 else 0]["id"]],
                "own_text": "",
            }
            for n, q in enumerate(page["questions"])
        ]
    }


def test_page_copy_is_shared_but_each_viewer_sees_their_own_facts(client, engine, session, now, copies):
    staff = make_user(session, roles=("staff",))
    anna, boris = make_user(session), make_user(session)
    session.commit()
    poll_id = make_poll(engine, staff.id, now)
    anna_h, boris_h = _headers(session, anna, now), _headers(session, boris, now)

    first = client.get(f"/api/v1/polls/{poll_id}", headers=anna_h).json()
    assert (first["voted"], first["can_vote"], first["results"]) == (False, True, None)
    voted = client.post(f"/api/v1/polls/{poll_id}/ballot", json=_ballot(first, 1), headers=anna_h)
    assert voted.status_code == 201, voted.text

    # Anna's page right after voting: from the copies, with her ballot counted and voting closed.
    page = client.get(f"/api/v1/polls/{poll_id}", headers=anna_h).json()
    assert page["voted"] is True
    assert page["can_vote"] is False
    assert page["cannot_vote_reason"] == message("poll.already_voted")
    assert page["results"]["ballots"] == 1
    assert [o["count"] for o in page["results"]["questions"][0]["options"][:2]] == [0, 1]
    # Boris shares the copy of the page but not Anna's situation: he may vote and sees no results.
    other = client.get(f"/api/v1/polls/{poll_id}", headers=boris_h).json()
    assert (other["voted"], other["can_vote"], other["results"]) == (False, True, None)
    assert other["questions"] == page["questions"]
    assert copies["pages"] == 1

    # Staff always read the page afresh; residents get a new copy after a second.
    staff_page = client.get(f"/api/v1/polls/{poll_id}", headers=_headers(session, staff, now)).json()
    # (their results come from the snapshot read by Anna's ballot, before it, for a second)
    assert staff_page["results"]["ballots"] == 0
    assert copies["pages"] == 2
    copies["clock"].now += 1.1
    client.get(f"/api/v1/polls/{poll_id}", headers=boris_h)
    assert copies["pages"] == 3


def test_district_poll_and_drafts_stay_hidden_when_the_page_is_copied(client, engine, session, now, copies):
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    insider = make_user(session, house_id=geo["house:Арбат"])
    outsider = make_user(session, house_id=geo["house:Раменки"])
    session.commit()
    district_poll = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    draft = make_poll(engine, staff.id, now, publish=False)
    insider_h, outsider_h = _headers(session, insider, now), _headers(session, outsider, now)

    for _ in range(2):  # the second time from the copy
        assert client.get(f"/api/v1/polls/{district_poll}", headers=insider_h).json()["can_vote"] is True
        assert client.get(f"/api/v1/polls/{district_poll}", headers=outsider_h).status_code == 404
        assert client.get(f"/api/v1/polls/{district_poll}").status_code == 404
        assert client.get(f"/api/v1/polls/{draft}", headers=insider_h).status_code == 404
    assert copies["pages"] == 2
    staff_view = client.get(f"/api/v1/polls/{draft}", headers=_headers(session, staff, now))
    assert staff_view.status_code == 200
    assert staff_view.json()["cannot_vote_reason"] == message("poll.not_published")


def test_cached_only_never_reads_nor_waits():
    clock = Ticker()
    snapshot: Snapshot[int] = Snapshot(1.0, clock=clock)
    with pytest.raises(ColdCache):
        snapshot.get("k", lambda: 1, cached_only=True)
    assert snapshot.get("k", lambda: 2) == 2
    assert snapshot.get("k", lambda: 3, cached_only=True) == 2
    clock.now += 1.5
    with pytest.raises(ColdCache):
        snapshot.get("k", lambda: 4, cached_only=True)
    # The refusal left no reader behind: an ordinary caller reads the new value.
    assert snapshot.get("k", lambda: 5) == 5
