"""The notification centre, the outbox view (demo mode vs not) and SMTP delivery of queued e-mails."""

import email
import socket
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import NotAllowed, NotAuthenticated, NotFound
from ag_app.models import OutboxMessage
from ag_app.services import jobs, notifications, outbox
from ag_app.settings import get_settings
from tests.factories import make_user


def statuses(engine) -> list[str]:
    with Session(engine) as s:
        return [m.status for m in s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()]


def test_notification_centre_lists_newest_first_and_marks_read(engine, session, now):
    user, other = make_user(session), make_user(session)
    with transaction(engine) as s:
        notifications.notify(s, user_id=user.id, title="Итоги опубликованы", link="/polls/1", now=now)
        notifications.notify(
            s, user_id=user.id, title="Новое голосование", body="Парки", now=now + timedelta(1)
        )
        notifications.notify(s, user_id=other.id, title="Чужое", now=now)
    with transaction(engine) as s:
        items = notifications.list_notifications(s, actor_id=user.id)
        assert [(n.title, n.read) for n in items] == [
            ("Новое голосование", False),
            ("Итоги опубликованы", False),
        ]
        assert notifications.unread_count(s, actor_id=user.id) == 2
        notifications.mark_read(s, actor_id=user.id, notification_id=items[1].id, now=now)
    with transaction(engine) as s:
        assert [n.read for n in notifications.list_notifications(s, actor_id=user.id)] == [False, True]
        notifications.mark_read(s, actor_id=user.id, notification_id=None, now=now)
    with transaction(engine) as s:
        assert notifications.unread_count(s, actor_id=user.id) == 0
        assert notifications.unread_count(s, actor_id=other.id) == 1


def test_someone_elses_notification_is_refused(engine, session, now):
    user, other = make_user(session), make_user(session)
    with transaction(engine) as s:
        notifications.notify(s, user_id=other.id, title="Чужое", now=now)
    with transaction(engine) as s:
        [theirs] = notifications.list_notifications(s, actor_id=other.id)
    for notification_id in (theirs.id, 9999):
        with pytest.raises(NotFound) as err, transaction(engine) as s:
            notifications.mark_read(s, actor_id=user.id, notification_id=notification_id, now=now)
        assert str(err.value) == "Уведомление не найдено."
    with transaction(engine) as s:
        assert notifications.unread_count(s, actor_id=other.id) == 1
    with pytest.raises(NotAuthenticated), transaction(engine) as s:
        notifications.list_notifications(s, actor_id=None)


@pytest.fixture
def settings(monkeypatch):
    """The live settings object, changed per test and restored afterwards."""
    current = get_settings()
    monkeypatch.setattr(current, "demo_mode", True)
    monkeypatch.setattr(current, "smtp_host", "")
    return current


def _send_some(engine, now) -> None:
    with transaction(engine) as s:
        outbox.send_sms(s, phone="+79161112233", text="Код для входа: 123456", now=now)
        outbox.send_sms(s, phone="+79164445566", text="Код для входа: 654321", now=now)
        outbox.send_email(s, to="ivan@example.ru", subject="Подтверждение", body="Ссылка", now=now)


def test_outbox_is_public_in_demo_mode_filtered_by_phone_or_email(engine, settings, now):
    _send_some(engine, now)
    with transaction(engine) as s:
        mine = notifications.outbox(s, actor_id=None, phone="8 916 111-22-33")
        assert [(m.channel, m.recipient, m.body) for m in mine] == [
            ("sms", "+79161112233", "Код для входа: 123456")
        ]
        [mail] = notifications.outbox(s, actor_id=None, phone=" Ivan@Example.ru ")
        assert (mail.channel, mail.subject) == ("email", "Подтверждение")
    # Without a recipient the whole outbox (everyone's phones) stays for staff even in demo mode.
    with pytest.raises(NotAllowed), transaction(engine) as s:
        notifications.outbox(s, actor_id=None)


def test_outbox_does_not_exist_outside_demo_mode(engine, session, settings, now):
    settings.demo_mode = False
    resident, staff = make_user(session), make_user(session, roles=("moderator",))
    _send_some(engine, now)
    for actor in (None, resident.id, staff.id):
        for phone in ("+79161112233", ""):
            with pytest.raises(NotFound) as err, transaction(engine) as s:
                notifications.outbox(s, actor_id=actor, phone=phone)
            assert str(err.value) == "Страница не найдена."


class _Sink:
    """An aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.smtp_host = "127.0.0.1"
    settings.smtp_port = controller.port
    yield sink
    controller.stop()


def test_queued_emails_are_delivered_through_smtp(engine, smtp_sink, now):
    with transaction(engine) as s:
        outbox.send_email(
            s, to="ivan@example.ru", subject="Итоги голосования", body="Итоги опубликованы.", now=now
        )
        outbox.send_sms(s, phone="+79161112233", text="Код", now=now)
    assert statuses(engine) == ["queued", "outbox"]
    assert notifications.deliver_queued_emails(now=now, engine=engine) == 1
    [received] = smtp_sink.messages
    assert (received["To"], received["Subject"]) == ("ivan@example.ru", "Итоги голосования")
    assert received.get_content().strip() == "Итоги опубликованы."
    assert statuses(engine) == ["sent", "outbox"]
    assert notifications.deliver_queued_emails(now=now, engine=engine) == 0
    assert len(smtp_sink.messages) == 1


def test_jobs_deliver_queued_emails(engine, smtp_sink, now):
    with transaction(engine) as s:
        for n in range(3):
            outbox.send_email(s, to=f"user{n}@example.ru", subject="Новости", body="Текст", now=now)
    report = jobs.run_jobs(now, engine=engine)
    assert report.done("emails") == 3
    assert sorted(m["To"] for m in smtp_sink.messages) == [f"user{n}@example.ru" for n in range(3)]


def test_unreachable_smtp_leaves_emails_queued(engine, settings, now):
    settings.smtp_host = "127.0.0.1"
    settings.smtp_port = _free_port()  # nothing listens there
    with transaction(engine) as s:
        outbox.send_email(s, to="ivan@example.ru", subject="Тема", body="Текст", now=now)
    assert notifications.deliver_queued_emails(now=now, engine=engine) == 0
    assert statuses(engine) == ["queued"]


def test_the_periodic_jobs_loop_delivers_emails(engine, smtp_sink, now):
    import asyncio

    with transaction(engine) as s:
        outbox.send_email(s, to="loop@example.ru", subject="Новости", body="Текст", now=now)

    async def run_briefly() -> None:
        task = asyncio.create_task(jobs.run_jobs_periodically(0.05, engine=engine))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if smtp_sink.messages:
                break
        task.cancel()

    asyncio.run(run_briefly())
    assert [m["To"] for m in smtp_sink.messages] == ["loop@example.ru"]
    assert statuses(engine) == ["sent"]


def test_emails_of_a_dead_worker_are_sent_again_later(engine, smtp_sink, now):
    from datetime import timedelta

    from sqlmodel import select

    from ag_app.models import OutboxMessage

    with transaction(engine) as s:
        for n in range(2):
            outbox.send_email(s, to=f"claim{n}@example.ru", subject="Тема", body="Текст", now=now)
            message = s.exec(
                select(OutboxMessage).where(OutboxMessage.recipient == f"claim{n}@example.ru")
            ).one()
            message.status, message.claimed_at = "sending", now - timedelta(minutes=1 + 20 * n)
            s.add(message)
    # Only the e-mail claimed 21 minutes ago counts as abandoned; the other is still being sent.
    assert notifications.deliver_queued_emails(now=now, engine=engine) == 1
    assert [m["To"] for m in smtp_sink.messages] == ["claim1@example.ru"]
    with transaction(engine) as s:
        rows = s.exec(select(OutboxMessage.recipient, OutboxMessage.status).order_by(OutboxMessage.id)).all()
    assert [tuple(r) for r in rows] == [("claim0@example.ru", "sending"), ("claim1@example.ru", "sent")]
