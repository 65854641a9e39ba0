"""The award contest over the REST API (SQLite and PostgreSQL): a team forms and applies, the
operator admits and publishes it; public answers carry no phone, name or user id."""

import json

from ag_app.services.award.contest_form import parse_moment
from tests.award_helpers import PROJECT
from tests.factories import make_user, open_session


def _auth(session, user, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


CONTEST = {
    "year": 2026,
    "title": "Лидеры цифровой трансформации",
    "description": "Конкурс",
    "apply_opens_at": "2026-10-01T10:00:00",  # Moscow time (no zone)
    "apply_closes_at": "2026-12-01T00:00:00+03:00",
    "tasks": [
        {
            "number": 1,
            "title": "Умный двор",
            "team_cap": 1,
            "prize_1": 50_000_000,
            "prize_2": 0,
            "prize_3": 0,
        },
        {"number": 2, "title": "Поликлиника"},
    ],
    "criteria": [{"number": 1, "name": "Актуальность", "max_score": 10}],
}


def test_a_team_forms_applies_and_is_published(client, session, now):
    staff = make_user(session, roles=("staff",))
    people = [make_user(session) for _ in range(3)]
    staff_h = _auth(session, staff, now)
    heads = [_auth(session, p, now) for p in people]

    assert client.post("/api/v1/staff/awards", json=CONTEST, headers=heads[0]).status_code == 403
    created = client.post("/api/v1/staff/awards", json=CONTEST, headers=staff_h)
    assert created.status_code == 200, created.text
    contest = created.json()
    assert contest["apply_open"] is True and contest["admitted"] == [] and contest["results"]["tasks"] == []
    assert contest["apply_period_text"] == "с 01.10.2026 10:00 до 30.11.2026 23:59 (время московское)"
    assert contest["tasks"][0]["prize_1"] == 50_000_000
    cid, task1 = contest["id"], contest["tasks"][0]["id"]
    bad = client.post("/api/v1/staff/awards", json={**CONTEST, "year": 1999, "title": ""}, headers=staff_h)
    assert bad.status_code == 422 and "Ошибок: 2" in bad.json()["detail"]

    # Guests cannot act; a team forms.
    assert client.get(f"/api/v1/awards/{cid}/me").status_code == 401
    me = client.post(
        f"/api/v1/awards/{cid}/teams", json={"name": "Digital Дружина", "task_id": task1}, headers=heads[0]
    )
    assert me.status_code == 200, me.text
    team_id = me.json()["team"]["id"]
    for person, head in zip(people[1:], heads[1:], strict=True):
        sent = client.post(
            f"/api/v1/awards/teams/{team_id}/invitations", json={"phone": person.phone}, headers=heads[0]
        )
        assert sent.status_code == 200, sent.text
        mine = client.get(f"/api/v1/awards/{cid}/me", headers=head).json()
        assert mine["invitations"][0]["team_name"] == "Digital Дружина"
        answer = client.post(
            f"/api/v1/awards/invitations/{mine['invitations'][0]['id']}/accept", headers=head
        )
        assert answer.status_code == 200 and answer.json()["team"]["size"] in (2, 3)
    applied = client.post(f"/api/v1/awards/teams/{team_id}/application", json=PROJECT, headers=heads[2])
    assert applied.status_code == 200 and applied.json()["team"]["status"] == "applied"
    # A second team for the full task 1 is told so.
    other = [make_user(session) for _ in range(2)]
    oh = [_auth(session, p, now) for p in other]
    second = client.post(
        f"/api/v1/awards/{cid}/teams", json={"name": "Вторые", "task_id": task1}, headers=oh[0]
    ).json()["team"]["id"]
    client.post(f"/api/v1/awards/teams/{second}/invitations", json={"phone": other[1].phone}, headers=oh[0])
    inv = client.get(f"/api/v1/awards/{cid}/me", headers=oh[1]).json()["invitations"][0]["id"]
    client.post(f"/api/v1/awards/invitations/{inv}/accept", headers=oh[1])
    full = client.post(f"/api/v1/awards/teams/{second}/application", json=PROJECT, headers=oh[0])
    assert full.status_code == 409 and full.json()["detail"].startswith("Задача заполнена")
    # A non-member cannot act on the team.
    assert client.post(f"/api/v1/awards/teams/{team_id}/leave", headers=oh[0]).status_code == 403

    # The operator reviews and publishes.
    rows = client.get(f"/api/v1/staff/awards/{cid}/applications?status=applied", headers=staff_h)
    assert rows.status_code == 200 and [r["size"] for r in rows.json()] == [3]
    assert client.get(f"/api/v1/staff/awards/{cid}/applications", headers=heads[0]).status_code == 403
    assert (
        client.post(f"/api/v1/staff/awards/teams/{team_id}/admit", headers=staff_h).json()["status"]
        == "admitted"
    )
    published = client.post(f"/api/v1/staff/awards/{cid}/publish-admitted", headers=staff_h)
    assert published.status_code == 200
    shown = client.get(f"/api/v1/awards/{cid}").json()
    assert [(t["name"], t["task_number"]) for t in shown["admitted"]] == [("Digital Дружина", 1)]
    listed = client.get("/api/v1/awards").json()
    text = json.dumps(shown, ensure_ascii=False) + json.dumps(listed, ensure_ascii=False)
    for person in [*people, *other]:
        assert person.phone not in text and person.last_name not in text and person.uid not in text
    assert "user_id" not in text and "captain_id" not in text


def test_editing_a_contest_over_the_api(client, session, now):
    staff = make_user(session, roles=("staff",))
    head = _auth(session, staff, now)
    cid = client.post("/api/v1/staff/awards", json=CONTEST, headers=head).json()["id"]
    changed = {**CONTEST, "title": "Новое", "apply_closes_at": "2026-12-10T00:00:00+03:00"}
    answer = client.put(f"/api/v1/staff/awards/{cid}", json=changed, headers=head)
    assert answer.status_code == 200 and answer.json()["title"] == "Новое"
    assert answer.json()["apply_closes_at"].startswith("2026-12-09T21:00")
    assert parse_moment("09.12.2026 23:59", deadline=True).isoformat().startswith("2026-12-09T21:00")
    assert client.put("/api/v1/staff/awards/99999", json=changed, headers=head).status_code == 404
