"""Confirming the e-mail: signed links with a lifetime, a rolling hourly limit, the confirmation."""

import base64
import binascii
import hashlib
import hmac
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, TooManyRequests
from ag_app.domain.profile import clean_email
from ag_app.models import OutboxMessage, User
from ag_app.services.access import active_user, lock_user
from ag_app.services.outbox import send_email
from ag_app.services.profile.personal import _award_profile_points
from ag_app.settings import get_settings

# How long an e-mail confirmation link works.
EMAIL_TOKEN_TTL = timedelta(days=3)


EMAIL_CONFIRM_SUBJECT = "Подтверждение электронной почты"


# Confirmation links one account may request in a rolling hour.
EMAIL_LINKS_PER_HOUR = 3


def _sign(payload: str) -> str:
    key = get_settings().require_secret().encode()
    return hmac.new(key, f"email:{payload}".encode(), hashlib.sha256).hexdigest()


def email_token(user_id: int, email: str, expires_at: datetime) -> str:
    """A signed, URL-safe confirmation token naming the user, the address and the expiry."""
    payload = base64.urlsafe_b64encode(f"{user_id}:{int(as_utc(expires_at).timestamp())}:{email}".encode())
    text = payload.decode().rstrip("=")
    return f"{text}.{_sign(text)}"


def _read_email_token(token: str, now: datetime) -> tuple[int, str]:
    """The user id and e-mail of a genuine, unexpired token; anything else is refused."""
    text, _, signature = (token or "").strip().partition(".")
    if not text or not hmac.compare_digest(signature, _sign(text)):
        raise InvalidInput("profile.email_token_invalid")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        user_id, expires, email = raw.split(":", 2)
        user_id_int, expires_int = int(user_id), int(expires)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("profile.email_token_invalid") from exc
    if as_utc(now).timestamp() >= expires_int:
        raise InvalidInput("profile.email_token_invalid")
    return user_id_int, email


def request_email_confirmation(session: Session, *, actor_id: int | None, email: str, now: datetime) -> None:
    """Save the e-mail address (unconfirmed) and send a confirmation link valid for 3 days.

    At most :data:`EMAIL_LINKS_PER_HOUR` links per account in a rolling hour, so the platform cannot
    be used to send mail to arbitrary addresses.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    address = clean_email(email)
    if user.email == address and user.email_confirmed_at is not None:
        return
    sent = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.subject == EMAIL_CONFIRM_SUBJECT,
            OutboxMessage.created_at > as_utc(now) - timedelta(hours=1),
        )
    ).one()
    if sent >= EMAIL_LINKS_PER_HOUR:
        raise TooManyRequests("profile.email_rate_limited")
    user.email = address
    user.email_confirmed_at = None
    session.add(user)
    token = email_token(user.id, address, as_utc(now) + EMAIL_TOKEN_TTL)
    link = f"{get_settings().public_url.rstrip('/')}/confirm-email?token={token}"
    send_email(
        session,
        to=address,
        user_id=user.id,
        subject=EMAIL_CONFIRM_SUBJECT,
        body=(
            "Здравствуйте!\n\nЧтобы подтвердить адрес электронной почты в проекте «Активный гражданин», "
            f"перейдите по ссылке (она действует 3 дня):\n{link}\n\n"
            "Если вы не указывали этот адрес, просто проигнорируйте письмо."
        ),
        now=now,
    )


def confirm_email(session: Session, *, token: str, now: datetime) -> None:
    """Confirm the e-mail named by a genuine, unexpired link of the current address; 10 points once."""
    user_id, email = _read_email_token(token, now)
    user = session.get(User, user_id)
    if user is None or user.deactivated_at is not None or user.email != email:
        raise InvalidInput("profile.email_token_invalid")
    user = lock_user(session, user_id)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
        session.add(user)
        session.flush()
    _award_profile_points(session, user, now)
