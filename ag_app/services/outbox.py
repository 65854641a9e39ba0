"""Outgoing SMS and e-mail: the built-in gateway writes every message to the outbox table."""

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from ag_app.db import driver_value, insert_rows
from ag_app.models import OutboxMessage
from ag_app.services.subscriptions import unsubscribe_link, wants
from ag_app.settings import get_settings


def send_sms(
    session: Session,
    *,
    phone: str,
    text: str,
    now: datetime,
    user_id: int | None = None,
    topic: str | None = None,
) -> OutboxMessage | None:
    """Send an SMS through the built-in gateway (the outbox).

    With a ``topic`` and ``user_id`` the SMS is sent only if the user keeps that topic's SMS on.
    """
    if user_id is not None and not wants(session, user_id=user_id, topic=topic, channel="sms"):
        return None
    message = OutboxMessage(channel="sms", recipient=phone, body=text, created_at=now, status="outbox")
    session.add(message)
    session.flush()
    return message


_ADD_MESSAGE = insert(OutboxMessage)
_SMS_COLUMNS = ("channel", "recipient", "body", "user_id", "subject", "created_at", "status")


def send_sms_many(session: Session, messages: list[tuple[str, str, int]], *, now: datetime) -> None:
    """Send many service SMS at once (phone, text, user id): one ``executemany`` into the outbox.

    The caller's pending changes are flushed first, as an ORM insert would.
    """
    if messages:
        session.flush()
        conn = session.connection()
        table = OutboxMessage.__table__
        sent_at = driver_value(conn, table.c.created_at, now)
        rows = [("sms", phone, text, user_id, "", sent_at, "outbox") for phone, text, user_id in messages]
        insert_rows(conn, table, _SMS_COLUMNS, rows)


def send_email(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    now: datetime,
    user_id: int | None = None,
    topic: str | None = None,
) -> bool:
    """Queue an e-mail: with SMTP configured the periodic job delivers it, else it stays in the outbox.

    ``user_id`` names the account the e-mail concerns (used for rate limits). With a ``topic`` the
    e-mail is sent only if the user keeps that topic's e-mails on (returns False when not sent).
    Every e-mail to an account ends with its unsubscribe link (the topic's, or all topics' for
    e-mails without a topic).
    """
    if user_id is not None:
        if not wants(session, user_id=user_id, topic=topic, channel="email"):
            return False
        body = f"{body}\n\n--\nОтписаться от этих писем: {unsubscribe_link(user_id=user_id, topic=topic)}"
    # Pending changes of the caller go first, as they did when the message was an ORM object.
    session.flush()
    session.connection().execute(
        _ADD_MESSAGE,
        {
            "channel": "email",
            "recipient": to,
            "subject": subject,
            "body": body,
            "created_at": now,
            "status": "queued" if get_settings().smtp_host else "outbox",
            "user_id": user_id,
            "claimed_at": None,
        },
    )
    return True
