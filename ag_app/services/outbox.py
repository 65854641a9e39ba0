"""Outgoing SMS and e-mail: the built-in gateway writes every message to the outbox table."""

from datetime import datetime

from sqlmodel import Session

from ag_app.models import OutboxMessage
from ag_app.settings import get_settings


def send_sms(session: Session, *, phone: str, text: str, now: datetime) -> OutboxMessage:
    """Send an SMS through the built-in gateway (the outbox)."""
    message = OutboxMessage(channel="sms", recipient=phone, body=text, created_at=now, status="outbox")
    session.add(message)
    session.flush()
    return message


def send_email(
    session: Session, *, to: str, subject: str, body: str, now: datetime, user_id: int | None = None
) -> OutboxMessage:
    """Queue an e-mail: with SMTP configured the periodic job delivers it, else it stays in the outbox.

    ``user_id`` names the account the e-mail concerns (used for rate limits).
    """
    status = "queued" if get_settings().smtp_host else "outbox"
    message = OutboxMessage(
        channel="email",
        recipient=to,
        subject=subject,
        body=body,
        created_at=now,
        status=status,
        user_id=user_id,
    )
    session.add(message)
    session.flush()
    return message
