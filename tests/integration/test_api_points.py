"""REST API of «Мои баллы» and the notification centre."""

from datetime import UTC, datetime, timedelta

from ag_app.db import transaction
from ag_app.models import Poll, PromoCode
from ag_app.services import notifications
from tests.factories import make_user, open_session


def bearer(session, user, now) -> dict[str, str]:
    """The Authorization header of a live session of ``user``."""
    return {"Authorization": f"Bearer {open_session(session, user.id, now)}"}


def test_guest_is_asked_to_log_in(client):
    for method, path in [
        ("get", "/api/v1/me/points"),
        ("post", "/api/v1/me/visits"),
        ("get", "/api/v1/me/notifications"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 401
        assert response.json() == {"detail": "Войдите в систему, чтобы продолжить."}


def test_daily_visit_and_overview(client, session, now, clock):
    user = make_user(session)
    headers = bearer(session, user, now)
    assert client.post("/api/v1/me/visits", headers=headers).json() == {"points": 3}
    assert client.post("/api/v1/me/visits", headers=headers).json() == {"points": 0}
    clock["now"] = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # midnight in Moscow
    assert client.post("/api/v1/me/visits", headers=headers).json() == {"points": 3}
    body = client.get("/api/v1/me/points", headers=headers).json()
    assert (body["available"], body["blocked"], body["lifetime"], body["status"]) == (6, 0, 6, "")
    assert [e["amount"] for e in body["entries"]] == [3, 3]
    assert body["referral_link"].endswith(f"/login?ref={user.uid}")


def test_invitations(client, session, now):
    user = make_user(session)
    headers = bearer(session, user, now)
    response = client.post("/api/v1/me/invitations", json={"phone": "+7 916 555-00-01"}, headers=headers)
    assert response.status_code == 201
    again = client.post("/api/v1/me/invitations", json={"phone": "89165550001"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "Вы уже пригласили этот номер: приглашение действует до 20.12.2026."
    bad = client.post("/api/v1/me/invitations", json={"phone": "+1 202 555 0100"}, headers=headers)
    assert (bad.status_code, bad.json()["detail"]) == (
        400,
        "Введите российский мобильный номер в формате +7 9XX XXX-XX-XX.",
    )
    assert client.post("/api/v1/me/invitations", json={}, headers=headers).status_code == 422
    [invitation] = client.get("/api/v1/me/points", headers=headers).json()["invitations"]
    assert (invitation["phone_masked"], invitation["state"]) == ("+7 916 ***-**-01", "pending")


def test_shares_and_promo_codes(client, session, now):
    user = make_user(session)
    headers = bearer(session, user, now)
    poll = Poll(
        title="Парки",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=9),
        created_by=user.id,
        created_at=now,
        published_at=now,
    )
    session.add(poll)
    session.add(PromoCode(code="ZIMA", points=15))
    session.commit()
    share = client.post(f"/api/v1/polls/{poll.id}/shares", json={"network": "telegram"}, headers=headers)
    assert (share.status_code, share.json()) == (201, {"points": 5})
    again = client.post(f"/api/v1/polls/{poll.id}/shares", json={"network": "telegram"}, headers=headers)
    assert again.json() == {"points": 0}
    wrong = client.post(f"/api/v1/polls/{poll.id}/shares", json={"network": "facebook"}, headers=headers)
    assert (wrong.status_code, wrong.json()["detail"]) == (422, "Неизвестная социальная сеть.")
    missing = client.post("/api/v1/polls/9999/shares", json={"network": "vk"}, headers=headers)
    assert missing.status_code == 404

    assert client.post("/api/v1/me/promo-codes", json={"code": "zima"}, headers=headers).json() == {
        "points": 15
    }
    used = client.post("/api/v1/me/promo-codes", json={"code": "ZIMA"}, headers=headers)
    assert (used.status_code, used.json()["detail"]) == (409, "Вы уже использовали этот промокод.")
    unknown = client.post("/api/v1/me/promo-codes", json={"code": "' OR 1=1 --"}, headers=headers)
    assert (unknown.status_code, unknown.json()["detail"]) == (404, "Промокод не найден.")
    assert client.get("/api/v1/me/points", headers=headers).json()["available"] == 20


def test_notification_centre(client, engine, session, now):
    user, other = make_user(session), make_user(session)
    headers = bearer(session, user, now)
    with transaction(engine) as s:
        notifications.notify(s, user_id=user.id, title="Итоги опубликованы", link="/polls/1", now=now)
        notifications.notify(s, user_id=user.id, title="Новое голосование", now=now + timedelta(minutes=1))
        notifications.notify(s, user_id=other.id, title="Чужое", now=now)
    body = client.get("/api/v1/me/notifications", headers=headers).json()
    assert body["unread"] == 2
    assert [n["title"] for n in body["items"]] == ["Новое голосование", "Итоги опубликованы"]
    first_id = body["items"][1]["id"]
    assert client.post("/api/v1/me/notifications/read", json={"id": first_id}, headers=headers).json() == {
        "unread": 1
    }
    with transaction(engine) as s:
        [theirs] = notifications.list_notifications(s, actor_id=other.id)
    foreign = client.post("/api/v1/me/notifications/read", json={"id": theirs.id}, headers=headers)
    assert (foreign.status_code, foreign.json()["detail"]) == (404, "Уведомление не найдено.")
    assert client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers).json() == {
        "unread": 0
    }
