"""REST API of polls: lists, poll pages, ballots (201/409/403/422), results, news, staff routes."""

import pytest

from tests.factories import make_geo, make_user, open_session
from tests.integration.poll_helpers import DAY, make_poll, snapshot


def bearer(session, user, now) -> dict[str, str]:
    """The Authorization header of a live session of ``user``."""
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


@pytest.fixture
def staff(session, now):
    user = make_user(session, roles=("staff",))
    return user, bearer(session, user, now)


@pytest.fixture
def resident(session, now):
    user = make_user(session, phone_region="other")
    return user, bearer(session, user, now)


def ballot_body(poll: dict, **override) -> dict:
    answers = [
        {"question_id": q["id"], "option_ids": [q["options"][0]["id"]], "own_text": ""}
        for q in poll["questions"]
    ]
    for index, answer in override.items():
        answers[int(index.removeprefix("q"))] = answer
    return {"answers": answers}


def test_guest_lists_and_opens_a_city_poll(client, engine, now, staff):
    poll_id = make_poll(engine, staff[0].id, now)
    listing = client.get("/api/v1/polls", params={"status": "active"})
    assert listing.status_code == 200
    (item,) = listing.json()
    assert {k: item[k] for k in ("id", "scope", "points", "state")} == {
        "id": poll_id,
        "scope": "city",
        "points": 20,
        "state": "active",
    }
    assert item["starts_at"].startswith("2026-11-19T09:00:00") and item["ends_at"].startswith("2026-11-27")
    assert client.get("/api/v1/polls", params={"status": "closed"}).json() == []
    assert client.get("/api/v1/polls", params={"status": "whatever"}).status_code == 422

    page = client.get(f"/api/v1/polls/{poll_id}").json()
    assert [q["kind"] for q in page["questions"]] == ["single", "multiple", "single"]
    assert [q["allows_own_text"] for q in page["questions"]] == [False, True, False]
    assert page["questions"][1]["max_choices"] == 2
    assert {"id", "text"} <= set(page["questions"][0]["options"][0])
    assert (page["can_vote"], page["cannot_vote_reason"]) == (False, "Войдите в систему, чтобы продолжить.")
    assert client.get("/api/v1/polls/424242").status_code == 404


def test_ballot_status_codes(client, engine, session, now, staff, resident):
    user, headers = resident
    poll_id = make_poll(engine, staff[0].id, now)
    page = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()
    assert (page["can_vote"], page["cannot_vote_reason"]) == (True, "")

    assert client.post(f"/api/v1/polls/{poll_id}/ballot", json=ballot_body(page)).status_code == 401

    blank = ballot_body(
        page, q1={"question_id": page["questions"][1]["id"], "option_ids": [], "own_text": ""}
    )
    response = client.post(f"/api/v1/polls/{poll_id}/ballot", json=blank, headers=headers)
    assert response.status_code == 422
    assert response.json() == {"detail": "Ответьте на вопрос 2: «Что добавить в парк?»."}
    too_long = ballot_body(
        page, q1={"question_id": page["questions"][1]["id"], "option_ids": [], "own_text": "я" * 20000}
    )
    assert client.post(f"/api/v1/polls/{poll_id}/ballot", json=too_long, headers=headers).status_code == 422
    assert (
        client.post(f"/api/v1/polls/{poll_id}/ballot", json={"answers": "нет"}, headers=headers).status_code
        == 422
    )
    assert snapshot(engine, user.id, poll_id) == (0, 0, 0, 0, 0)

    created = client.post(f"/api/v1/polls/{poll_id}/ballot", json=ballot_body(page), headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["points_credited"] == 20 and isinstance(body["ballot_id"], int)
    assert (body["results"]["ballots"], body["results"]["other_ballots"]) == (1, 1)

    again = client.post(f"/api/v1/polls/{poll_id}/ballot", json=ballot_body(page), headers=headers)
    assert again.status_code == 409
    assert again.json() == {"detail": "Вы уже проголосовали в этом опросе. Повторное голосование невозможно."}
    assert snapshot(engine, user.id, poll_id) == (1, 3, 1, 20, 1)

    past = client.get("/api/v1/me/polls", headers=headers).json()
    assert [p["poll_id"] for p in past] == [poll_id]


def test_not_eligible_is_403_with_the_reason(client, engine, session, now, staff, resident):
    geo = make_geo(session)
    _, headers = resident  # no address
    poll_id = make_poll(engine, staff[0].id, now, starts_at=now + DAY, ends_at=now + 3 * DAY)
    page = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()
    response = client.post(f"/api/v1/polls/{poll_id}/ballot", json=ballot_body(page), headers=headers)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Голосование ещё не началось: оно откроется 21.11.2026 в 12:00 (мск)."
    }

    outsider = make_user(session, house_id=geo["house:Раменки"])
    district_poll = make_poll(engine, staff[0].id, now, scope="territorial", district_ids=[geo["Арбат"]])
    staff_view = client.get(f"/api/v1/polls/{district_poll}", headers=staff[1]).json()
    outsider_headers = bearer(session, outsider, now)
    assert client.get(f"/api/v1/polls/{district_poll}", headers=outsider_headers).status_code == 404
    assert district_poll not in [
        p["id"] for p in client.get("/api/v1/polls", headers=outsider_headers).json()
    ]
    refused = client.post(
        f"/api/v1/polls/{district_poll}/ballot", json=ballot_body(staff_view), headers=outsider_headers
    )
    assert refused.status_code == 403
    assert "Арбат" in refused.json()["detail"]


def test_results_are_404_until_published(client, engine, session, now, clock, staff, resident):
    _, staff_headers = staff
    _, headers = resident
    poll_id = make_poll(engine, staff[0].id, now)
    page = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()
    client.post(f"/api/v1/polls/{poll_id}/ballot", json=ballot_body(page), headers=headers)
    missing = client.get(f"/api/v1/polls/{poll_id}/results", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Итоги ещё не опубликованы."}

    assert (
        client.post(f"/api/v1/staff/polls/{poll_id}/publish-results", headers=staff_headers).status_code
        == 409
    )
    clock["now"] = now + 8 * DAY
    assert (
        client.post(f"/api/v1/staff/polls/{poll_id}/publish-results", headers=staff_headers).status_code
        == 200
    )
    results = client.get(f"/api/v1/polls/{poll_id}/results")
    assert results.status_code == 200
    data = results.json()
    assert (data["ballots"], data["moscow_ballots"], data["other_ballots"], data["final"]) == (1, 0, 1, True)
    first = data["questions"][0]["options"][0]
    assert (first["count"], first["percent"], first["other"]) == (1, 100.0, 1)

    decision = client.post(
        f"/api/v1/staff/polls/{poll_id}/decisions",
        json={"text": "Парк благоустроят.", "status": "adopted"},
        headers=staff_headers,
    )
    assert decision.status_code == 201
    assert (
        client.put(
            f"/api/v1/staff/decisions/{decision.json()['id']}",
            json={"status": "implemented"},
            headers=staff_headers,
        ).status_code
        == 200
    )
    bad_status = client.put(
        f"/api/v1/staff/decisions/{decision.json()['id']}", json={"status": "?"}, headers=staff_headers
    )
    assert bad_status.status_code == 422
    news = client.get("/api/v1/news").json()
    assert [n["kind"] for n in news] == ["decision", "decision", "results"]
    assert client.get("/api/v1/stats/summary").json() == {
        "citizens": 2,
        "polls_held": 1,
        "decisions_implemented": 1,
        "opinions": 1,
    }


def staff_poll_body(**changes) -> dict:
    body = {
        "title": "Новая площадка",
        "starts_at": "2026-11-21T10:00:00",  # Moscow time (no zone)
        "ends_at": "2026-11-28T10:00:00+03:00",
        "questions": [
            {"text": "Где?", "kind": "single", "options": [{"text": "У школы"}, {"text": "В парке"}]},
        ],
    }
    body.update(changes)
    return body


def test_staff_routes(client, now, staff, resident):
    _, staff_headers = staff
    _, headers = resident
    assert client.post("/api/v1/staff/polls", json=staff_poll_body(), headers=headers).status_code == 403
    assert client.post("/api/v1/staff/polls", json=staff_poll_body()).status_code == 401
    assert client.get("/api/v1/staff/polls", headers=headers).status_code == 403

    wrong = client.post(
        "/api/v1/staff/polls", json=staff_poll_body(ends_at="2026-11-20T10:00:00"), headers=staff_headers
    )
    assert wrong.status_code == 422
    assert wrong.json() == {"detail": "Дата окончания должна быть позже даты начала."}

    created = client.post("/api/v1/staff/polls", json=staff_poll_body(), headers=staff_headers)
    assert created.status_code == 201
    poll_id = created.json()["id"]
    assert client.post(f"/api/v1/staff/polls/{poll_id}/publish", headers=headers).status_code == 403
    updated = client.put(
        f"/api/v1/staff/polls/{poll_id}",
        json=staff_poll_body(title="Площадка у школы"),
        headers=staff_headers,
    )
    assert updated.status_code == 200
    assert client.post(f"/api/v1/staff/polls/{poll_id}/publish", headers=staff_headers).status_code == 200
    page = client.get(f"/api/v1/polls/{poll_id}", headers=headers).json()
    assert page["title"] == "Площадка у школы"
    assert page["starts_at"].startswith("2026-11-21T07:00:00")  # 10:00 Moscow is 07:00 UTC
    assert (
        page["cannot_vote_reason"] == "Голосование ещё не началось: оно откроется 21.11.2026 в 10:00 (мск)."
    )
    assert client.post(f"/api/v1/staff/polls/{poll_id}/publish", headers=staff_headers).status_code == 409
    assert client.post(f"/api/v1/staff/polls/{poll_id}/close", headers=staff_headers).status_code == 200
    assert [p["state"] for p in client.get("/api/v1/staff/polls", headers=staff_headers).json()] == ["closed"]
