"""The in-app notification centre, the SMS/e-mail outbox view and SMTP delivery of queued e-mails."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from ag_app.db import reads, transaction
from ag_app.domain.errors import DomainError, NotAllowed, NotFound
from ag_app.domain.phone import normalize_phone
from ag_app.models import Notification, OutboxMessage
from ag_app.services.access import Capability, active_user, require
from ag_app.services.subscriptions import wants
from ag_app.settings import get_settings

log = logging.getLogger(__name__)
# A claimed e-mail not marked sent within this time (its worker died) is claimed again.
SENDING_TIMEOUT = timedelta(minutes=10)

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
    session: Session,
    *,
    user_id: int,
    title: str,
    body: str = "",
    link: str = "",
    now: datetime,
    topic: str | None = None,
) -> None:
    """Put a notification into a user's notification centre (title and link are cut to 300 characters).

    With a ``topic`` (SPEC §4.2) nothing is added if the user turned that topic's in-app notifications off.
    """
    if not wants(session, user_id=user_id, topic=topic, channel="app"):
        return
    session.add(
        Notification(
            user_id=user_id, title=title[:_TITLE_LIMIT], body=body, link=link[:_LINK_LIMIT], created_at=now
        )
    )
    session.flush()


@reads
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


@reads
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


@reads
def outbox(session: Session, *, actor_id: int | None, phone: str = "", limit: int = 50) -> list[OutboxView]:
    """Messages of the outbox, newest first, optionally only those sent to one phone or e-mail.

    Only in demo mode: anybody may read the messages of one phone or e-mail (that is how demo users
    read their SMS codes); the whole outbox is for staff (moderator, staff, admin) only. Outside demo
    mode the outbox does not exist for anybody («не найдено»), so a production install never
    publishes login codes.
    """
    if not get_settings().demo_mode:
        raise NotFound("api.not_found")
    if not phone.strip():
        if actor_id is None:
            raise NotAllowed("auth.forbidden")
        require(session, actor_id, Capability.OUTBOX_READ)
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


@dataclass(frozen=True)
class _Email:
    id: int
    recipient: str
    subject: str
    body: str


def _claim_emails(session: Session, *, now: datetime, limit: int) -> list[_Email]:
    """Mark up to ``limit`` queued e-mails «sending» (and ones whose sender died long ago).

    ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: two workers never claim the same e-mail.
    """
    stale = now - SENDING_TIMEOUT
    rows = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == "email",
            (OutboxMessage.status == "queued")
            | ((OutboxMessage.status == "sending") & (col(OutboxMessage.claimed_at) < stale)),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status, row.claimed_at = "sending", now
        session.add(row)
    session.flush()
    return [_Email(row.id, row.recipient, row.subject, row.body) for row in rows]


def _send(emails: list[_Email]) -> list[int]:
    """Send e-mails over one SMTP connection; returns the ids delivered (failures are logged)."""
    settings = get_settings()
    try:
        smtp = _smtp_connection()
    except (smtplib.SMTPException, OSError):
        log.exception(
            "SMTP server %s:%s unavailable; %d e-mails stay queued",
            settings.smtp_host,
            settings.smtp_port,
            len(emails),
        )
        return []
    delivered = []
    with smtp:
        for email in emails:
            message = EmailMessage()
            message["From"] = settings.smtp_from
            message["To"] = email.recipient
            message["Subject"] = email.subject
            message.set_content(email.body)
            try:
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError):
                log.exception("E-mail %s could not be delivered; it stays queued", email.id)
                continue
            delivered.append(email.id)
    return delivered


def deliver_queued_emails(*, now: datetime, engine: Engine | None = None, limit: int = 100) -> int:
    """Send queued e-mails through the configured SMTP server; returns how many were delivered.

    Three steps so that no database transaction waits on the network: claim a batch («sending»),
    send it, then mark each «sent» or back «queued» for the next run. A batch whose worker died
    mid-way is claimed again after ``SENDING_TIMEOUT``. Nothing happens without an SMTP server.
    """
    if not get_settings().smtp_host:
        return 0
    with transaction(engine) as session:
        emails = _claim_emails(session, now=now, limit=limit)
    if not emails:
        return 0
    delivered = _send(emails)
    failed = [email.id for email in emails if email.id not in set(delivered)]
    with transaction(engine) as session:
        for ids, status in ((delivered, "sent"), (failed, "queued")):
            if ids:
                session.execute(
                    update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(status=status)
                )
    log.info("Delivered %d queued e-mails at %s", len(delivered), now.isoformat())
    return len(delivered)
