"""The accounts part of the REST API: login by SMS code, profile, registry, demo outbox."""

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from ag_app.api import create_api, deps
from ag_app.models import AuthSession, CitizenRecord, LoginCode
from ag_app.settings import get_settings
from tests.factories import make_geo

PHONE = "+79161234567"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(now) -> Clock:
    return Clock(now)


@pytest.fixture
def client(engine, clock):
    api = create_api()
    api.dependency_overrides[deps.db_engine] = lambda: engine
    api.dependency_overrides[deps.clock] = clock
    with TestClient(api) as c:
        yield c


def sms_code(client, phone=PHONE) -> str:
    messages = client.get("/api/v1/dev/outbox", params={"phone": phone}).json()
    assert messages, "no SMS in the outbox"
    return messages[0]["body"].split(": ")[1][:6]


def register(client, phone=PHONE) -> dict[str, str]:
    assert client.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
    response = client.post(
        "/api/v1/auth/session", json={"phone": phone, "code": sms_code(client, phone), "accept_terms": True}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_registration_profile_and_logout(client, engine, session):
    geo = make_geo(session)
    response = client.post("/api/v1/auth/code", json={"phone": "8 916 123-45-67"})
    assert (response.status_code, response.json()) == (202, {"phone": PHONE})
    code = sms_code(client)
    refused = client.post("/api/v1/auth/session", json={"phone": PHONE, "code": code})
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": "Для регистрации нужно принять условия оферты."},
    )
    response = client.post("/api/v1/auth/session", json={"phone": PHONE, "code": code, "accept_terms": True})
    assert response.status_code == 200
    body = response.json()
    assert body["is_new"] is True
    headers = {"Authorization": f"Bearer {body['token']}"}
    with Session(engine) as s:
        stored = " ".join(
            str(v) for row in s.exec(select(AuthSession)).all() for v in row.model_dump().values()
        )
        stored += " ".join(
            str(v) for row in s.exec(select(LoginCode)).all() for v in row.model_dump().values()
        )
    assert body["token"] not in stored and code not in stored

    me = client.get("/api/v1/me", headers=headers).json()
    assert (me["phone"], me["level"], me["level_name"], me["points"], me["blocked_points"], me["status"]) == (
        PHONE,
        1,
        "упрощённый",
        0,
        0,
        "",
    )
    personal = {
        "last_name": "Иванова",
        "first_name": "Анна",
        "patronymic": "-",
        "gender": "female",
        "birth_date": "1990-03-08",
    }
    me = client.put("/api/v1/me/personal", json=personal, headers=headers).json()
    assert (me["last_name"], me["patronymic"], me["birth_date"], me["points"]) == (
        "Иванова",
        "-",
        "1990-03-08",
        10,
    )
    me = client.put(
        "/api/v1/me/addresses/residence", json={"house_id": geo["house:Раменки"]}, headers=headers
    ).json()
    assert me["level"] == 2 and me["addresses"][0]["district"] == "Раменки"
    me = client.put(
        "/api/v1/me/family",
        json={"marital_status": "married", "children_birth_years": [2019]},
        headers=headers,
    ).json()
    assert me["children_birth_years"] == [2019] and me["points"] == 20

    assert client.delete("/api/v1/auth/session", headers=headers).status_code == 204
    response = client.get("/api/v1/me", headers=headers)
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Войдите в систему, чтобы продолжить."},
    )


def test_bad_phone_and_rate_limit(client, clock):
    response = client.post("/api/v1/auth/code", json={"phone": "+7 495 123-45-67"})
    assert response.status_code == 400
    assert "российский мобильный номер" in response.json()["detail"]
    for _ in range(3):
        assert client.post("/api/v1/auth/code", json={"phone": PHONE}).status_code == 202
    response = client.post("/api/v1/auth/code", json={"phone": PHONE})
    assert response.status_code == 429
    assert "Новый код можно запросить после 13:00 по московскому времени" in response.json()["detail"]
    clock.now += timedelta(hours=1)
    assert client.post("/api/v1/auth/code", json={"phone": PHONE}).status_code == 202


def test_wrong_and_expired_codes(client, clock):
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    code = sms_code(client)
    bad = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/api/v1/auth/session", json={"phone": PHONE, "code": bad, "accept_terms": True})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Неверный код из СМС. Осталось попыток: 4.",
    )
    clock.now += timedelta(minutes=6)
    response = client.post("/api/v1/auth/session", json={"phone": PHONE, "code": code, "accept_terms": True})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Срок действия кода истёк. Запросите новый код.",
    )


def test_bad_profile_input_gets_russian_messages(client, session):
    make_geo(session)
    headers = register(client)
    response = client.put(
        "/api/v1/me/personal",
        json={"last_name": "<script>alert(1)</script>", "first_name": "Анна", "gender": "female"},
        headers=headers,
    )
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Поле «Фамилия» может содержать только буквы, пробел и дефис.",
    )
    response = client.put(
        "/api/v1/me/personal",
        json={"last_name": "Иванова", "first_name": "Анна", "birth_date": "08.03.1990"},
        headers=headers,
    )
    assert response.status_code == 422 and "birth_date" in response.json()["detail"]
    response = client.post(
        "/api/v1/me/identity",
        json={"passport_series": "4506", "passport_number": "123456", "snils": "11223344594"},
        headers=headers,
    )
    assert response.status_code == 422 and "контрольное число" in response.json()["detail"]
    response = client.put("/api/v1/me/addresses/summer", json={"house_id": 1}, headers=headers)
    assert (response.status_code, response.json()["detail"]) == (422, "Неизвестный тип адреса.")
    assert client.get("/api/v1/me", headers=headers).json()["last_name"] == ""


def test_identity_and_deactivation(client, session):
    session.add(
        CitizenRecord(
            last_name="Иванова",
            first_name="Анна",
            patronymic="",
            birth_date=date(1990, 3, 8),
            passport_series="4506",
            passport_number="123456",
            snils="11223344595",
        )
    )
    session.commit()
    headers = register(client)
    client.put(
        "/api/v1/me/personal",
        json={
            "last_name": "Иванова",
            "first_name": "Анна",
            "patronymic": "-",
            "gender": "female",
            "birth_date": "1990-03-08",
        },
        headers=headers,
    )
    response = client.post(
        "/api/v1/me/identity",
        json={"passport_series": "4506", "passport_number": "123456", "snils": "112-233-445 95"},
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["level"] == 3
    assert client.delete("/api/v1/me", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    second = register(client)  # the same phone is a new account now
    assert client.get("/api/v1/me", headers=second).json()["last_name"] == ""


def test_guest_is_asked_to_log_in(client):
    for method, url in (("get", "/api/v1/me"), ("delete", "/api/v1/me"), ("delete", "/api/v1/auth/session")):
        response = client.request(method, url)
        assert (response.status_code, response.json()) == (
            401,
            {"detail": "Войдите в систему, чтобы продолжить."},
        )
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401


def test_registry_endpoints(client, session):
    geo = make_geo(session)
    okrugs = client.get("/api/v1/registry/okrugs").json()
    assert [o["abbrev"] for o in okrugs] == ["ЦАО", "ЗАО"]
    districts = client.get("/api/v1/registry/districts", params={"okrug_id": geo["ЗАО"]}).json()
    assert [d["name"] for d in districts] == ["Раменки"]
    streets = client.get("/api/v1/registry/streets", params={"district_id": geo["Раменки"]}).json()
    houses = client.get("/api/v1/registry/houses", params={"street_id": streets[0]["id"]}).json()
    assert houses == [{"id": geo["house:Раменки"], "number": "1", "text": "улица Раменки, д. 1"}]
    headers = register(client)
    response = client.post(
        "/api/v1/registry/houses", json={"street_id": streets[0]["id"], "number": "5"}, headers=headers
    )
    assert response.status_code == 201
    response = client.put(
        "/api/v1/me/addresses/work", json={"house_id": response.json()["id"]}, headers=headers
    )
    assert response.json()["addresses"][0]["text"] == "г. Москва, улица Раменки, д. 5"


def test_email_confirmation_over_api(client):
    headers = register(client)
    assert (
        client.post("/api/v1/me/email", json={"email": "anna@example.com"}, headers=headers).status_code
        == 202
    )
    mail = client.get("/api/v1/dev/outbox", params={"phone": "anna@example.com"}).json()[0]
    token = mail["body"].split("token=")[1].split()[0]
    assert client.post("/api/v1/auth/email-confirmation", json={"token": token + "x"}).status_code == 422
    assert client.post("/api/v1/auth/email-confirmation", json={"token": token}).status_code == 204
    assert client.get("/api/v1/me", headers=headers).json()["email_confirmed"] is True


def test_outbox_is_hidden_when_demo_mode_is_off(client, monkeypatch):
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    monkeypatch.setattr(get_settings(), "demo_mode", False)
    response = client.get("/api/v1/dev/outbox", params={"phone": PHONE})
    assert (response.status_code, response.json()) == (404, {"detail": "Страница не найдена."})
