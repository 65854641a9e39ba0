"""Subscriptions respected by notifications, unsubscribe links, feedback tickets and their rights."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.models import FeedbackTicket, Notification, OutboxMessage, SubscriptionChoice
from ag_app.services import feedback, notifications, outbox, subscriptions
from tests.factories import make_user, open_session


def _emails(engine, user_id):
    with Session(engine) as s:
        return s.exec(
            select(OutboxMessage).where(OutboxMessage.user_id == user_id, OutboxMessage.channel == "email")
        ).all()


def _notification_titles(engine, user_id):
    with Session(engine) as s:
        return [n.title for n in s.exec(select(Notification).where(Notification.user_id == user_id)).all()]


def _token_of(body: str) -> str:
    return body.rsplit("token=", 1)[1].strip()


def test_defaults_then_choices_decide_what_is_sent(engine, session, now):
    user = make_user(session)
    with transaction(engine) as s:
        views = subscriptions.my_subscriptions(s, actor_id=user.id)
        assert {v.topic: v.channels for v in views}["house"] == {"app": True, "email": True, "sms": True}
        subscriptions.set_subscription(
            s, actor_id=user.id, topic="results", channel="app", enabled=False, now=now
        )
        subscriptions.set_subscription(
            s, actor_id=user.id, topic="house", channel="email", enabled=False, now=now
        )
        subscriptions.set_subscription(
            s, actor_id=user.id, topic="house", channel="sms", enabled=False, now=now
        )
    with transaction(engine) as s:
        notifications.notify(s, user_id=user.id, title="Итоги опроса", topic="results", now=now)
        notifications.notify(s, user_id=user.id, title="Собрание", topic="house", now=now)
        notifications.notify(s, user_id=user.id, title="Ответ на обращение", now=now)
        outbox.send_email(
            s, to="a@example.ru", subject="Собрание", body="Текст", now=now, user_id=user.id, topic="house"
        )
        outbox.send_email(
            s, to="a@example.ru", subject="Итоги", body="Текст", now=now, user_id=user.id, topic="results"
        )
        assert (
            outbox.send_sms(s, phone=user.phone, text="Собрание", now=now, user_id=user.id, topic="house")
            is None
        )
    assert sorted(_notification_titles(engine, user.id)) == ["Ответ на обращение", "Собрание"]
    assert [m.subject for m in _emails(engine, user.id)] == ["Итоги"]
    with transaction(engine) as s:
        views = {v.topic: v.channels for v in subscriptions.my_subscriptions(s, actor_id=user.id)}
        assert views["results"] == {"app": False, "email": True}
        # Turning a topic back on takes effect again; the same choice is stored once.
        subscriptions.set_subscription(
            s, actor_id=user.id, topic="results", channel="app", enabled=True, now=now
        )
    with transaction(engine) as s:
        notifications.notify(s, user_id=user.id, title="Итоги снова", topic="results", now=now)
        rows = s.exec(select(SubscriptionChoice).where(SubscriptionChoice.topic == "results")).all()
        assert len(rows) == 1
    assert "Итоги снова" in _notification_titles(engine, user.id)


def test_a_bad_choice_changes_nothing(engine, session, now):
    user = make_user(session)
    for topic, channel in (("spam", "app"), ("polls", "sms")):
        with pytest.raises(InvalidInput), transaction(engine) as s:
            subscriptions.set_subscription(
                s, actor_id=user.id, topic=topic, channel=channel, enabled=False, now=now
            )
    with pytest.raises(NotAuthenticated), transaction(engine) as s:
        subscriptions.set_subscription(s, actor_id=None, topic="polls", channel="app", enabled=False, now=now)
    with Session(engine) as s:
        assert s.exec(select(SubscriptionChoice)).all() == []


def test_every_email_carries_a_working_unsubscribe_link(engine, session, now):
    user = make_user(session)
    with transaction(engine) as s:
        outbox.send_email(
            s, to="a@example.ru", subject="Итоги", body="Текст", now=now, user_id=user.id, topic="results"
        )
    [mail] = _emails(engine, user.id)
    assert "Отписаться от этих писем: http" in mail.body and "/unsubscribe?token=" in mail.body
    # No login is involved: the token alone is enough.
    with transaction(engine) as s:
        result = subscriptions.unsubscribe(s, token=_token_of(mail.body), now=now)
    assert result.label == "Итоги голосований"
    with transaction(engine) as s:
        outbox.send_email(
            s, to="a@example.ru", subject="Итоги 2", body="Т", now=now, user_id=user.id, topic="results"
        )
        outbox.send_email(
            s, to="a@example.ru", subject="Дом", body="Т", now=now, user_id=user.id, topic="house"
        )
        assert {v.topic: v.channels for v in subscriptions.my_subscriptions(s, actor_id=user.id)}[
            "results"
        ] == {
            "app": True,
            "email": False,
        }
    assert [m.subject for m in _emails(engine, user.id)] == ["Итоги", "Дом"]


def test_email_without_topic_unsubscribes_from_every_topic(engine, session, now):
    user = make_user(session)
    with transaction(engine) as s:
        outbox.send_email(
            s, to="a@example.ru", subject="Код проверки", body="Текст", now=now, user_id=user.id
        )
    [mail] = _emails(engine, user.id)
    with transaction(engine) as s:
        assert subscriptions.unsubscribe(s, token=_token_of(mail.body), now=now).topic == "all"
    with transaction(engine) as s:
        views = subscriptions.my_subscriptions(s, actor_id=user.id)
        assert all(not v.channels["email"] and v.channels["app"] for v in views)


def test_token_of_user_a_cannot_unsubscribe_user_b(engine, session, now):
    alice, bob = make_user(session), make_user(session)
    with transaction(engine) as s:
        outbox.send_email(
            s, to="a@example.ru", subject="Итоги", body="Т", now=now, user_id=alice.id, topic="results"
        )
    token = _token_of(_emails(engine, alice.id)[0].body)
    forged = token.replace(f"{alice.id}.", f"{bob.id}.", 1)
    for bad in (forged, token[:-2], "garbage", ""):
        with pytest.raises(InvalidInput) as err, transaction(engine) as s:
            subscriptions.unsubscribe(s, token=bad, now=now)
        assert "Подписки не изменены" in str(err.value)
    with Session(engine) as s:
        assert s.exec(select(SubscriptionChoice)).all() == []


def test_unsubscribe_over_api_without_login(client, engine, session, now):
    user = make_user(session)
    with transaction(engine) as s:
        outbox.send_email(
            s, to="a@example.ru", subject="Дом", body="Т", now=now, user_id=user.id, topic="house"
        )
    token = _token_of(_emails(engine, user.id)[0].body)
    response = client.get("/api/v1/unsubscribe", params={"token": token})
    assert response.status_code == 200 and response.json()["label"] == "«Электронный дом»: события дома"
    refused = client.get("/api/v1/unsubscribe", params={"token": token.replace(f"{user.id}.", "999.", 1)})
    assert refused.status_code == 422
    with transaction(engine) as s:
        assert not subscriptions.wants(s, user_id=user.id, topic="house", channel="email")


def test_ticket_flow_answer_notifies_and_status_moves(engine, session, now):
    resident, staff = make_user(session), make_user(session, roles=("staff",))
    with transaction(engine) as s:
        ticket = feedback.file_ticket(
            s, actor_id=resident.id, topic="tech", text="  Не открывается карта парков  ", now=now
        )
    assert ticket.number == f"ОБ-{ticket.id:06d}" and ticket.status_label == "Новое"
    assert ticket.text == "Не открывается карта парков"
    with transaction(engine) as s:
        later = feedback.file_ticket(
            s, actor_id=resident.id, topic="other", text="Второй вопрос по сайту", now=now + timedelta(1)
        )
        assert [t.id for t in feedback.staff_queue(s, actor_id=staff.id)] == [later.id, ticket.id]
        assert [t.id for t in feedback.staff_queue(s, actor_id=staff.id, order="oldest")] == [
            ticket.id,
            later.id,
        ]
        feedback.answer_ticket(
            s, actor_id=staff.id, ticket_id=ticket.id, answer="Карта снова работает.", now=now
        )
    with transaction(engine) as s:
        assert [t.id for t in feedback.staff_queue(s, actor_id=staff.id, status="answered")] == [ticket.id]
        mine = {t.id: t for t in feedback.my_tickets(s, actor_id=resident.id)}
        assert (mine[ticket.id].status_label, mine[ticket.id].answer) == (
            "Есть ответ",
            "Карта снова работает.",
        )
        assert (
            notifications.list_notifications(s, actor_id=resident.id)[0].title
            == f"Ответ на обращение {ticket.number}"
        )
        feedback.close_ticket(s, actor_id=resident.id, ticket_id=ticket.id, now=now)
    for action in (
        lambda s: feedback.close_ticket(s, actor_id=resident.id, ticket_id=ticket.id, now=now),
        lambda s: feedback.answer_ticket(s, actor_id=staff.id, ticket_id=ticket.id, answer="Ещё", now=now),
    ):
        with pytest.raises(Conflict) as err, transaction(engine) as s:
            action(s)
        assert str(err.value) == "Обращение уже закрыто."


def test_bad_tickets_change_nothing(engine, session, now):
    resident = make_user(session)
    for topic, text in (("nonsense", "Достаточно длинный текст"), ("tech", "мало"), ("tech", "я" * 4001)):
        with pytest.raises(InvalidInput), transaction(engine) as s:
            feedback.file_ticket(s, actor_id=resident.id, topic=topic, text=text, now=now)
    with pytest.raises(NotAuthenticated), transaction(engine) as s:
        feedback.file_ticket(s, actor_id=None, topic="tech", text="Достаточно длинный текст", now=now)
    with Session(engine) as s:
        assert s.exec(select(FeedbackTicket)).all() == []


def test_a_resident_cannot_read_or_answer_someone_elses_ticket(engine, session, now):
    alice, bob = make_user(session), make_user(session)
    admin = make_user(session, roles=("admin",))
    with transaction(engine) as s:
        ticket = feedback.file_ticket(
            s, actor_id=alice.id, topic="points", text="Не начислены баллы за опрос", now=now
        )
    with transaction(engine) as s:
        assert feedback.my_tickets(s, actor_id=bob.id) == []
        assert (
            feedback.get_ticket(s, actor_id=admin.id, ticket_id=ticket.id).text
            == "Не начислены баллы за опрос"
        )
    for action in (
        lambda s: feedback.get_ticket(s, actor_id=bob.id, ticket_id=ticket.id),
        lambda s: feedback.close_ticket(s, actor_id=bob.id, ticket_id=ticket.id, now=now),
    ):
        with pytest.raises(NotFound) as err, transaction(engine) as s:
            action(s)
        assert str(err.value) == "Обращение не найдено."
    for action in (
        lambda s: feedback.staff_queue(s, actor_id=bob.id),
        lambda s: feedback.answer_ticket(s, actor_id=bob.id, ticket_id=ticket.id, answer="Подделка", now=now),
    ):
        with pytest.raises(NotAllowed), transaction(engine) as s:
            action(s)
    with transaction(engine) as s:
        assert feedback.get_ticket(s, actor_id=alice.id, ticket_id=ticket.id).status == "new"


def test_open_ticket_limit(engine, session, now):
    resident = make_user(session)
    with transaction(engine) as s:
        for n in range(feedback.OPEN_TICKETS_LIMIT):
            feedback.file_ticket(s, actor_id=resident.id, topic="other", text=f"Вопрос номер {n}", now=now)
    with pytest.raises(Conflict) as err, transaction(engine) as s:
        feedback.file_ticket(s, actor_id=resident.id, topic="other", text="Ещё один вопрос", now=now)
    assert str(err.value) == "У вас уже 10 обращений без ответа. Дождитесь ответа на них."


def test_feedback_over_api(client, engine, session, now):
    resident, other = make_user(session), make_user(session)
    headers = {"Authorization": f"Bearer {open_session(session, resident.id, now)}"}
    created = client.post(
        "/api/v1/me/feedback", json={"topic": "shop", "text": "Где забрать заказ?"}, headers=headers
    )
    assert created.status_code == 201 and created.json()["number"].startswith("ОБ-")
    bad = client.post("/api/v1/me/feedback", json={"topic": "shop", "text": "?"}, headers=headers)
    assert bad.status_code == 422
    assert [t["text"] for t in client.get("/api/v1/me/feedback", headers=headers).json()] == [
        "Где забрать заказ?"
    ]
    other_headers = {"Authorization": f"Bearer {open_session(session, other.id, now)}"}
    assert client.get("/api/v1/me/feedback", headers=other_headers).json() == []
    assert client.get("/api/v1/me/feedback").status_code == 401
    put = client.put(
        "/api/v1/me/subscriptions",
        json={"topic": "shop", "channel": "email", "enabled": False},
        headers=headers,
    )
    assert put.status_code == 200
    assert {v["topic"]: v["channels"] for v in put.json()}["shop"] == {"app": True, "email": False}


def test_staff_feedback_over_api(client, engine, session, now):
    resident, staff = make_user(session), make_user(session, roles=("staff",))
    mine = {"Authorization": f"Bearer {open_session(session, resident.id, now)}"}
    desk = {"Authorization": f"Bearer {open_session(session, staff.id, now)}"}
    first = client.post(
        "/api/v1/me/feedback", json={"topic": "tech", "text": "Не открывается карта"}, headers=mine
    )
    second = client.post(
        "/api/v1/me/feedback", json={"topic": "other", "text": "Вопрос про баллы за визит"}, headers=mine
    )
    first_id, second_id = first.json()["id"], second.json()["id"]

    # A resident is refused the queue and the answer; nothing changes.
    assert client.get("/api/v1/staff/feedback", headers=mine).status_code == 403
    refused = client.post(f"/api/v1/staff/feedback/{first_id}/answer", json={"answer": "Сам"}, headers=mine)
    assert refused.status_code == 403
    assert client.get(f"/api/v1/me/feedback/{first_id}", headers=mine).json()["status"] == "new"
    assert client.post(f"/api/v1/staff/feedback/{first_id}/close", headers=mine).status_code == 403

    queue = client.get("/api/v1/staff/feedback", params={"order": "oldest"}, headers=desk)
    assert [t["id"] for t in queue.json()] == [first_id, second_id]
    assert client.get("/api/v1/staff/feedback", params={"status": "spam"}, headers=desk).status_code == 422

    answered = client.post(
        f"/api/v1/staff/feedback/{first_id}/answer", json={"answer": "Обновите страницу."}, headers=desk
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    only_answered = client.get("/api/v1/staff/feedback", params={"status": "answered"}, headers=desk).json()
    assert [t["answer"] for t in only_answered] == ["Обновите страницу."]
    assert (
        client.get(f"/api/v1/me/feedback/{first_id}", headers=mine).json()["answer"] == "Обновите страницу."
    )

    # The author closes a ticket; closing twice is a conflict; staff close another.
    assert client.post(f"/api/v1/me/feedback/{first_id}/close", headers=mine).json()["status"] == "closed"
    assert client.post(f"/api/v1/me/feedback/{first_id}/close", headers=mine).status_code == 409
    assert client.post(f"/api/v1/staff/feedback/{second_id}/close", headers=desk).json()["status"] == "closed"
    late = client.post(f"/api/v1/staff/feedback/{first_id}/answer", json={"answer": "Ещё"}, headers=desk)
    assert late.status_code == 409
