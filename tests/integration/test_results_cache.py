"""The voted resident's poll page reads the results from a one-second snapshot per poll, and always
counts the resident's own ballot — however recent, also once the job has folded it."""

import pytest

from ag_app.services import results_cache
from ag_app.services.tally import tally_job
from tests.clocks import Ticker
from tests.factories import make_user, open_session
from tests.integration.poll_helpers import make_poll


@pytest.fixture
def ticker(monkeypatch) -> Ticker:
    clock = Ticker()
    monkeypatch.setattr(results_cache, "RESULTS_TTL", 1.0)
    monkeypatch.setattr(results_cache, "_monotonic", clock)
    return clock


def _headers(session, user, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


def _vote(client, poll_id: int, headers: dict, option: int) -> dict:
    page = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()
    answers = [
        {"question_id": q["id"], "option_ids": [q["options"][option if n == 0 else 0]["id"]], "own_text": ""}
        for n, q in enumerate(page["questions"])
    ]
    response = client.post(f"/api/v1/polls/{poll_id}/ballot", json={"answers": answers}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _first_question(client, poll_id: int, headers: dict) -> tuple[int, list[int]]:
    """Ballots shown on the page and the counts of the first question's options «Да», «Нет»."""
    results = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()["results"]
    return results["ballots"], [o["count"] for o in results["questions"][0]["options"][:2]]


def test_voted_page_counts_own_ballot_while_others_see_a_snapshot(client, engine, session, now, ticker):
    staff = make_user(session, roles=("staff",))
    anna, boris, vera = (make_user(session) for _ in range(3))
    session.commit()
    poll_id = make_poll(engine, staff.id, now)
    staff_h, anna_h, boris_h, vera_h = (_headers(session, u, now) for u in (staff, anna, boris, vera))

    _vote(client, poll_id, anna_h, option=0)
    # Anna's ballot read the snapshot (before her ballot): staff see it for a second.
    assert _first_question(client, poll_id, staff_h) == (0, [0, 0])
    assert _first_question(client, poll_id, anna_h) == (1, [1, 0])
    ticker.now += 1.1
    assert _first_question(client, poll_id, staff_h) == (1, [1, 0])

    # Boris votes «Нет»: his answer and his page count his ballot at once, the snapshot is fresh.
    outcome = _vote(client, poll_id, boris_h, option=1)
    assert outcome["results"]["ballots"] == 2
    assert [o["count"] for o in outcome["results"]["questions"][0]["options"][:2]] == [1, 1]
    assert _first_question(client, poll_id, boris_h) == (2, [1, 1])
    # Anna and staff see the snapshot (at most a second old) until it expires.
    assert _first_question(client, poll_id, anna_h) == (1, [1, 0])
    ticker.now += 1.1
    assert _first_question(client, poll_id, anna_h) == (2, [1, 1])

    # Vera votes; the job folds her ballot into the aggregates before she opens the page: still
    # counted exactly once.
    _vote(client, poll_id, vera_h, option=1)
    assert tally_job(engine) == 3
    assert _first_question(client, poll_id, vera_h) == (3, [1, 2])
    # Boris sees the snapshot: on PostgreSQL Vera's folded ballot could not be placed in it, so a
    # fresh one was read for her page and replaced it.
    expected = (3, [1, 2]) if engine.dialect.name == "postgresql" else (2, [1, 1])
    assert _first_question(client, poll_id, boris_h) == expected
    ticker.now += 1.1
    assert _first_question(client, poll_id, staff_h) == (3, [1, 2])
    assert _first_question(client, poll_id, boris_h) == (3, [1, 2])


def test_settled_ballot_is_not_added_twice(client, engine, session, now, ticker):
    """A ballot the snapshot already holds is not added again (exact per database)."""
    staff = make_user(session, roles=("staff",))
    voter = make_user(session)
    session.commit()
    poll_id = make_poll(engine, staff.id, now)
    voter_h = _headers(session, voter, now)
    _vote(client, poll_id, voter_h, option=0)
    for _ in range(3):
        assert _first_question(client, poll_id, voter_h) == (1, [1, 0])
        ticker.now += 0.4
    tally_job(engine)
    ticker.now += 1.1
    assert _first_question(client, poll_id, voter_h) == (1, [1, 0])
