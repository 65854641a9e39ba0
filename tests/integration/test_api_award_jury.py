"""The commission over the REST API, on SQLite and PostgreSQL: the operator forms the commission and
records a sitting, members score (the others' sheets stay hidden until they submit), results are
computed only with a quorum and every sheet, and a tie is voted openly."""

from sqlmodel import select

from ag_app.models import AwardScore, AwardSheet, AwardStanding
from tests.award_fixtures import make_contest, make_person, make_team
from tests.factories import open_session


def _auth(session, user_id, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user_id, now)}"}


def _rows(session, table) -> int:
    session.expire_all()
    n = len(session.exec(select(table)).all())
    session.commit()
    return n


def test_the_commission_scores_computes_and_votes_over_the_api(client, session, now):
    contest = make_contest(session, tasks=1, maxima=(10, 5))
    task = contest.tasks[0]
    a = make_team(session, contest, task, name="Alpha")
    b = make_team(session, contest, task, name="Beta")
    crit = list(contest.criteria)
    operator = make_person(session, "Операторова", roles=("staff",))
    people = {
        name: make_person(session, name) for name in ("Председателев", "Заместителев", "Членов", "Экспертов")
    }
    staff = _auth(session, operator.id, now)
    auth = {name: _auth(session, user.id, now) for name, user in people.items()}
    base = f"/api/v1/staff/awards/contests/{contest.id}"
    jurors = {}
    for name, role in (
        ("Председателев", "chair"),
        ("Заместителев", "deputy"),
        ("Членов", "member"),
        ("Экспертов", "member"),
    ):
        answer = client.post(
            f"{base}/commission", json={"phone": people[name].phone, "role": role}, headers=staff
        )
        assert answer.status_code == 200, answer.text
        jurors[name] = answer.json()["id"]
    # A juror is not the operator; a second chair is refused in Russian.
    refused = client.post(
        f"{base}/commission", json={"phone": "+79990000001", "role": "member"}, headers=auth["Членов"]
    )
    assert refused.status_code == 403
    refused = client.post(
        f"{base}/commission", json={"phone": operator.phone, "role": "chair"}, headers=staff
    )
    assert refused.status_code == 409 and "уже есть председатель" in refused.json()["detail"]
    for name in ("Членов", "Экспертов"):
        answer = client.put(f"/api/v1/staff/awards/jurors/{jurors[name]}/tasks/{task}", headers=staff)
        assert answer.status_code == 200, answer.text

    # My tasks and the sheet form.
    tasks = client.get(f"/api/v1/jury/awards/contests/{contest.id}/tasks", headers=auth["Членов"]).json()
    assert [(p["team_name"], p["status"]) for p in tasks[0]["projects"]] == [
        ("Alpha", "none"),
        ("Beta", "none"),
    ]
    form = client.get(f"/api/v1/jury/awards/sheets/{a}", headers=auth["Членов"]).json()
    assert [(c["name"], c["max_score"]) for c in form["criteria"]] == [("Критерий 1", 10), ("Критерий 2", 5)]
    # A score above the maximum: a Russian 422, nothing written.
    too_high = {"scores": [{"criterion_id": crit[0], "score": 11}], "comment": ""}
    answer = client.put(f"/api/v1/jury/awards/sheets/{a}", json=too_high, headers=auth["Членов"])
    assert answer.status_code == 422 and "от 0 до 10" in answer.json()["detail"]
    assert _rows(session, AwardSheet) == 0 and _rows(session, AwardScore) == 0
    # A member outside the task's group cannot score its projects.
    answer = client.put(
        f"/api/v1/jury/awards/sheets/{a}",
        json={"scores": [{"criterion_id": crit[0], "score": 1}]},
        headers=auth["Заместителев"],
    )
    assert answer.status_code == 403 and "экспертной группы" in answer.json()["detail"]

    def submit(name, team, first, second, comment=""):
        body = {
            "scores": [{"criterion_id": crit[0], "score": first}, {"criterion_id": crit[1], "score": second}],
            "comment": comment,
        }
        answer = client.post(f"/api/v1/jury/awards/sheets/{team}/submit", json=body, headers=auth[name])
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "submitted"

    submit("Членов", a, 8, 4, "Рабочий прототип")
    # Hidden until submitted: 403 for the second member, even with a draft.
    draft = {"scores": [{"criterion_id": crit[0], "score": 2}], "comment": "Черновик"}
    assert (
        client.put(f"/api/v1/jury/awards/sheets/{a}", json=draft, headers=auth["Экспертов"]).status_code
        == 200
    )
    hidden = client.get(f"/api/v1/jury/awards/sheets/{a}/others", headers=auth["Экспертов"])
    assert hidden.status_code == 403 and "после того, как вы отправите" in hidden.json()["detail"]
    assert "Рабочий прототип" not in hidden.text
    submit("Экспертов", a, 2, 1)
    shown = client.get(f"/api/v1/jury/awards/sheets/{a}/others", headers=auth["Экспертов"]).json()
    assert [(s["juror_name"].split()[0], s["total"], s["comment"]) for s in shown] == [
        ("Членов", 12, "Рабочий прототип")
    ]
    submit("Членов", b, 5, 5)

    # Sittings: without a quorum, then with missing sheets listed.
    sittings = f"{base}/sittings"
    few = client.post(
        sittings,
        json={"held_on": "2026-11-20", "form": "remote", "present": [jurors["Членов"]]},
        headers=staff,
    ).json()["id"]
    answer = client.post(f"/api/v1/staff/awards/sittings/{few}/tasks/{task}/compute", headers=staff)
    assert answer.status_code == 409 and "присутствуют 1 из 4" in answer.json()["detail"]
    present = [jurors[n] for n in ("Председателев", "Членов", "Экспертов")]
    full = client.post(
        sittings, json={"held_on": "2026-11-21", "form": "in_person", "present": present}, headers=staff
    ).json()["id"]
    answer = client.post(f"/api/v1/staff/awards/sittings/{full}/tasks/{task}/compute", headers=staff)
    assert answer.status_code == 409
    assert (
        "не заполнено анкет — 1" in answer.json()["detail"]
        and "Экспертов Иван Иванович — «Beta»" in answer.json()["detail"]
    )
    listed = client.get(f"/api/v1/staff/awards/sittings/{full}/tasks", headers=staff).json()
    assert [(m["juror_name"].split()[0], m["team_name"]) for m in listed[0]["missing"]] == [
        ("Экспертов", "Beta")
    ]
    assert _rows(session, AwardStanding) == 0
    submit("Экспертов", b, 0, 5)
    # 12 + 3 = 15 for each: a tie for the first place; the chair present computes.
    answer = client.post(
        f"/api/v1/staff/awards/sittings/{full}/tasks/{task}/compute", headers=auth["Председателев"]
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert [(s["team_name"], s["total"], s["place"]) for s in result["standings"]] == [
        ("Alpha", 15, None),
        ("Beta", 15, None),
    ]
    round_id = result["rounds"][0]["id"]
    open_rounds = client.get(
        f"/api/v1/jury/awards/contests/{contest.id}/ties", headers=auth["Заместителев"]
    ).json()
    assert open_rounds[0]["can_vote"] is False and "не отмечены присутствующим" in open_rounds[0]["reason"]
    vote = f"/api/v1/jury/awards/ties/{round_id}/vote"
    answer = client.post(vote, json={"team_id": a}, headers=auth["Заместителев"])
    assert answer.status_code == 403 and "присутствующ" in answer.json()["detail"]
    outsider = make_team(session, contest, task, name="Gamma", status="applied")
    answer = client.post(vote, json={"team_id": outsider}, headers=auth["Членов"])
    assert answer.status_code == 422
    assert client.post(vote, json={"team_id": b}, headers=auth["Председателев"]).status_code == 200
    assert client.post(vote, json={"team_id": b}, headers=auth["Председателев"]).status_code == 409
    assert client.post(vote, json={"team_id": a}, headers=auth["Членов"]).status_code == 200
    rounds = client.get(f"/api/v1/jury/awards/contests/{contest.id}/ties", headers=auth["Экспертов"]).json()
    assert [(v["juror_name"].split()[0], v["team_name"]) for v in rounds[0]["view"]["votes"]] == [
        ("Председателев", "Beta"),
        ("Членов", "Alpha"),
    ]
    assert client.post(vote, json={"team_id": b}, headers=auth["Экспертов"]).status_code == 200
    result = client.get(f"/api/v1/staff/awards/tasks/{task}/results", headers=staff).json()
    assert [(s["team_name"], s["place"]) for s in result["standings"]] == [("Beta", 1), ("Alpha", 2)]
    assert result["settled"] is True
    # Locked now.
    answer = client.post(f"/api/v1/jury/awards/sheets/{a}/submit", json=draft, headers=auth["Экспертов"])
    assert answer.status_code == 409
    view = client.get(f"{base}/commission", headers=staff).json()
    assert [s["valid"] for s in view["sittings"]] == [True, False]
    assert client.get(f"{base}/commission", headers=auth["Председателев"]).status_code == 403
    assert client.get(f"{base}/commission").status_code == 401
