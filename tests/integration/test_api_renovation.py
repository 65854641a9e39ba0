"""The house-vote REST API: public results and check codes, never personal data."""

from datetime import timedelta

from sqlmodel import Session, select

from ag_app.models import OutboxMessage
from tests.factories import make_geo, make_user
from tests.integration.renovation_helpers import make_house, make_voter, open_vote, vote


def test_house_result_and_check_code_without_personal_data(client, clock, engine, session, now):
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    house = make_house(session, geo["Арбат"], 3, street="Улица Ёлочная")
    campaign = open_vote(engine, staff.id, [house.id], now)
    voters = [make_voter(session, house.apartments[n], email=f"v{n}@example.ru")[0] for n in ("1", "2")]
    outcome = vote(engine, voters[0].id, campaign, house.apartments["1"], "for", now)
    vote(engine, voters[1].id, campaign, house.apartments["2"], "against", now)

    response = client.get(f"/api/v1/houses/{house.id}/renovation")

    assert response.status_code == 200
    result = response.json()
    assert result["address"] == "Улица Ёлочная, д. 5"
    assert (result["total_apartments"], result["voted"], result["for_apartments"]) == (3, 2, 1)
    assert (result["silent"], result["silent_for"], result["silent_against"]) == (1, 1, 0)
    # The vote runs for two weeks: preliminary, and the vote has decided nothing yet.
    assert result["preliminary"] is True
    assert (result["included"], result["included_by_vote"], result["decision_source"]) == (None, None, None)
    assert result["decision_text"].startswith("Итоги предварительные")
    assert client.get(f"/api/v1/renovation/{campaign}/houses/{house.id}").json() == result
    clock["now"] = now + timedelta(days=15)
    ended = client.get(f"/api/v1/houses/{house.id}/renovation").json()
    assert ended["preliminary"] is False
    assert (ended["included"], ended["included_by_vote"], ended["decision_source"]) == (False, False, "vote")
    assert ended["decision_text"] == "Дом не включён в программу по итогам голосования"
    clock["now"] = now
    hits = client.get("/api/v1/renovation/houses", params={"address": "ёлочная 5"}).json()
    assert [(h["house_id"], h["campaign_id"]) for h in hits] == [(house.id, campaign)]

    check = client.post("/api/v1/renovation/check", json={"code": outcome.check_code})
    assert check.status_code == 200
    assert (check.json()["apartment"], check.json()["choice"], check.json()["counted"]) == ("1", "За", True)

    with Session(engine) as s:
        sms = s.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == voters[0].phone)).all()
    assert any(outcome.check_code[-4:] in body for body in sms)
    for body in (response.text, check.text, client.get("/api/v1/renovation/houses?address=ёлочная").text):
        for user in voters:
            for personal in (user.phone, user.last_name, user.first_name, user.uid, user.email):
                assert personal not in body

    assert client.post("/api/v1/renovation/check", json={"code": "12"}).json() == {
        "detail": "Код проверки состоит из 12 цифр."
    }
    unknown = "1" * 12 if outcome.check_code != "1" * 12 else "2" * 12
    assert client.post("/api/v1/renovation/check", json={"code": unknown}).status_code == 404
    assert client.get(f"/api/v1/houses/{geo['house:Раменки']}/renovation").status_code == 404
    assert client.get("/api/v1/renovation/houses", params={"address": "ё"}).status_code == 422
