"""The in-app notification centre, the SMS/e-mail outbox view and SMTP delivery of queued e-mails."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from ag_app.domain.errors import DomainError, NotAllowed, NotFound
from ag_app.domain.phone import normalize_phone
from ag_app.models import Notification, OutboxMessage
from ag_app.services.access import STAFF_ROLES, active_user, require_role
from ag_app.settings import get_settings

log = logging.getLogger(__name__)

_TITLE_LIMIT = 300
_LINK_LIMIT = 300
_LIST_LIMIT = 200


@dataclass(frozen=True)
class NotificationView:
    """One item of the notification centre."""

    id: int
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class OutboxView:
    """An SMS or e-mail as sent (channel «sms» or «email»)."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


def notify(
    session: Session, *, user_id: int, title: str, body: str = "", link: str = "", now: datetime
) -> None:
    """Put a notification into a user's notification centre (title and link are cut to 300 characters)."""
    session.add(
        Notification(
            user_id=user_id, title=title[:_TITLE_LIMIT], body=body, link=link[:_LINK_LIMIT], created_at=now
        )
    )
    session.flush()


def list_notifications(session: Session, *, actor_id: int | None, limit: int = 50) -> list[NotificationView]:
    """The actor's notifications, newest first (at most ``limit``, capped at 200)."""
    user = active_user(session, actor_id)
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(max(1, min(limit, _LIST_LIMIT)))
    ).all()
    return [
        NotificationView(
            id=row.id,
            title=row.title,
            body=row.body,
            link=row.link,
            created_at=row.created_at,
            read=row.read_at is not None,
        )
        for row in rows
    ]


def unread_count(session: Session, *, actor_id: int | None) -> int:
    """How many of the actor's notifications are unread."""
    user = active_user(session, actor_id)
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, *, actor_id: int | None, notification_id: int | None, now: datetime) -> None:
    """Mark one notification (or, with None, all of them) as read; only the actor's own.

    Someone else's or a missing notification is refused as «не найдено», so ids of other people's
    notifications cannot be probed.
    """
    user = active_user(session, actor_id)
    if notification_id is None:
        session.execute(
            update(Notification)
            .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
            .values(read_at=now)
        )
        return
    item = session.get(Notification, notification_id)
    if item is None or item.user_id != user.id:
        raise NotFound("notification.not_found")
    if item.read_at is None:
        item.read_at = now
        session.add(item)
        session.flush()


def _recipient_filter(value: str) -> str:
    """The outbox recipient a search term stands for: an e-mail (lower-case) or an E.164 phone."""
    value = value.strip()
    if "@" in value:
        return value.lower()
    try:
        return normalize_phone(value)
    except DomainError:
        return value


def outbox(session: Session, *, actor_id: int | None, phone: str = "", limit: int = 50) -> list[OutboxView]:
    """Messages of the outbox, newest first, optionally only those sent to one phone or e-mail.

    In demo mode anybody may read the messages of one phone or e-mail (that is how demo users read
    their SMS codes); the whole outbox, and any of it outside demo mode, is for staff (moderator,
    staff, admin) only.
    """
    if not (get_settings().demo_mode and phone.strip()):
        if actor_id is None:
            raise NotAllowed("auth.forbidden")
        require_role(session, actor_id, *STAFF_ROLES)
    query = select(OutboxMessage)
    if phone.strip():
        query = query.where(OutboxMessage.recipient == _recipient_filter(phone))
    rows = session.exec(
        query.order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc()).limit(
            max(1, min(limit, _LIST_LIMIT))
        )
    ).all()
    return [
        OutboxView(
            id=row.id,
            channel=row.channel,
            recipient=row.recipient,
            subject=row.subject,
            body=row.body,
            created_at=row.created_at,
        )
        for row in rows
    ]


def _smtp_connection() -> smtplib.SMTP:
    """An open SMTP connection to the configured server (STARTTLS and login when configured)."""
    settings = get_settings()
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    try:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
    except (smtplib.SMTPException, OSError):
        smtp.close()
        raise
    return smtp


def deliver_queued_emails(session: Session, *, now: datetime, limit: int = 100) -> int:
    """Send queued e-mails through the configured SMTP server and mark them «sent»; returns how many.

    Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so two workers never send the same
    e-mail. A failure is logged and leaves the message queued for the next run. Nothing happens when no
    SMTP server is configured.
    """
    settings = get_settings()
    if not settings.smtp_host:
        return 0
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.channel == "email", OutboxMessage.status == "queued")
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return 0
    try:
        smtp = _smtp_connection()
    except (smtplib.SMTPException, OSError):
        log.exception(
            "SMTP server %s:%s unavailable; %d e-mails stay queued",
            settings.smtp_host,
            settings.smtp_port,
            len(rows),
        )
        return 0
    sent = 0
    with smtp:
        for row in rows:
            message = EmailMessage()
            message["From"] = settings.smtp_from
            message["To"] = row.recipient
            message["Subject"] = row.subject
            message.set_content(row.body)
            try:
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError):
                log.exception("E-mail %s could not be delivered; it stays queued", row.id)
                continue
            row.status = "sent"
            session.add(row)
            sent += 1
    session.flush()
    log.info("Delivered %d queued e-mails at %s", sent, now.isoformat())
    return sent
