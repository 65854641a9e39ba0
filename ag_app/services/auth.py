"""Registration and login by SMS code (SPEC §1.1, §1.2) and server-side sessions."""

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.db import HotStatement, reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, TooManyRequests
from ag_app.domain.otp import (
    CLIENT_BAN_WINDOW,
    CODE_WINDOW,
    Verdict,
    attempts_left,
    check_client_code_request,
    check_code_request,
    client_network,
    code_expires_at,
    is_code_format,
    is_exempt_client,
    judge_attempt,
    new_code,
)
from ag_app.domain.phone import normalize_phone
from ag_app.models import AuthSession, Invitation, LoginCode, User
from ag_app.services.outbox import send_sms
from ag_app.services.registry import number_region
from ag_app.settings import get_settings

SMS_TEXT = "Код для входа в «Активный гражданин»: {code}. Никому его не сообщайте."
# An invitation made through a referral link counts for this long (the points rules decide payment).
_REFERRAL_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class LoginResult:
    """A successful login: the opaque session token (shown to the client once) and the account."""

    token: str
    user_id: int
    is_new: bool


def _code_hash(phone: str, code: str) -> str:
    """Keyed hash of a code: the database never holds the code itself."""
    key = get_settings().require_secret().encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a session token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(address: str) -> str:
    """Keyed hash of a client's address (its IPv6 /64): what the per-client limit counts by; the
    address itself is never stored. Empty for an unknown client."""
    network = client_network(address)
    if not network:
        return ""
    key = get_settings().require_secret().encode()
    return hmac.new(key, f"client:{network}".encode(), hashlib.sha256).hexdigest()


def _lock_phone(session: Session, phone: str) -> None:
    """Serialise code requests and logins of one phone (or code requests of one client hash).

    PostgreSQL: a transaction-scoped advisory lock on the number; SQLite transactions already hold
    the database write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(phone.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@reads
def is_registered(session: Session, *, phone: str) -> bool:
    """Whether an account uses this phone (a malformed number is not registered)."""
    try:
        number = normalize_phone(phone)
    except DomainError:
        return False
    return session.exec(select(User.id).where(User.phone == number)).first() is not None


def request_code(
    session: Session, *, phone: str, now: datetime, client: str = "", rng: random.Random | None = None
) -> str:
    """Send a new 6-digit login code by SMS; returns the normalised phone.

    At most 3 codes per phone in a rolling hour (the 4th is refused with the time a new code becomes
    possible), and per client address (``client``, the requester's IP; AG_OTP_EXEMPT_CLIENTS are
    exempt) at most 10 codes an hour whatever the phones, with a day's ban after a flood of 30
    (``domain.otp``). Only keyed hashes of the code and of the client's address are stored; the
    code is valid for 5 minutes.
    """
    number = normalize_phone(phone)
    exempt = is_exempt_client(client, get_settings().otp_exempt_clients)
    requester = "" if exempt else client_hash(client)
    if requester:
        _lock_phone(session, f"client:{requester}")
        from_client = session.exec(
            select(LoginCode.created_at).where(
                LoginCode.client_hash == requester,
                col(LoginCode.created_at) > as_utc(now) - CLIENT_BAN_WINDOW,
            )
        ).all()
        check_client_code_request(from_client, now)
    _lock_phone(session, number)
    sent = session.exec(
        select(LoginCode.created_at).where(
            LoginCode.phone == number, col(LoginCode.created_at) > as_utc(now) - CODE_WINDOW
        )
    ).all()
    check_code_request(sent, now)
    code = new_code(rng or secrets.SystemRandom())
    session.add(
        LoginCode(
            phone=number,
            code_hash=_code_hash(number, code),
            created_at=now,
            expires_at=code_expires_at(now),
            client_hash=requester,
        )
    )
    send_sms(session, phone=number, text=SMS_TEXT.format(code=code), now=now)
    return number


def _refuse_wrong_code(session: Session, login_code: LoginCode) -> None:
    """Count a wrong attempt and refuse it.

    The count is committed before the refusal is raised: a refused attempt rolls the caller's
    transaction back, and the limit of 5 wrong attempts must hold anyway. This is the only place a
    service commits; nothing else has been written in the transaction at this point.
    """
    login_code.failed_attempts += 1
    left = attempts_left(login_code.failed_attempts)
    session.add(login_code)
    session.commit()
    if left == 0:
        raise TooManyRequests("otp.attempts_exhausted")
    raise InvalidInput("otp.invalid", left=left)


def _check_code(session: Session, phone: str, code: str, now: datetime) -> LoginCode:
    """The phone's latest code if ``code`` is it, still valid and not used; otherwise a clear refusal."""
    if not is_code_format(code):
        raise InvalidInput("otp.format")
    login_code = session.exec(
        select(LoginCode)
        .where(LoginCode.phone == phone)
        .order_by(col(LoginCode.created_at).desc(), col(LoginCode.id).desc())
        .limit(1)
        .with_for_update()
    ).first()
    if login_code is None:
        raise InvalidInput("otp.not_requested")
    verdict = judge_attempt(
        matches=hmac.compare_digest(login_code.code_hash, _code_hash(phone, code)),
        failed_attempts=login_code.failed_attempts,
        expires_at=login_code.expires_at,
        used=login_code.used_at is not None,
        now=now,
    )
    if verdict is Verdict.WRONG:
        _refuse_wrong_code(session, login_code)
    if verdict is Verdict.USED:
        raise InvalidInput("otp.used")
    if verdict is Verdict.EXHAUSTED:
        raise TooManyRequests("otp.attempts_exhausted")
    if verdict is Verdict.EXPIRED:
        raise InvalidInput("otp.expired")
    return login_code


def _new_uid(session: Session) -> str:
    """A random «уникальный идентификатор пользователя» not used by any account."""
    while True:
        uid = secrets.token_hex(8)
        if session.exec(select(User.id).where(User.uid == uid)).first() is None:
            return uid


def _record_referral(session: Session, *, referrer_uid: str, phone: str, now: datetime) -> None:
    """Turn a registration through a referral link into an invitation of the referrer.

    Nothing happens for an unknown or deactivated referrer, or when the referrer already invited this
    phone within 30 days. Whether points are paid is decided by ``points.accept_invitation``.
    """
    referrer = session.exec(select(User).where(User.uid == referrer_uid.strip())).first()
    if referrer is None or referrer.deactivated_at is not None:
        return
    open_invitation = session.exec(
        select(Invitation.id).where(
            Invitation.inviter_id == referrer.id,
            Invitation.phone == phone,
            col(Invitation.created_at) > as_utc(now) - _REFERRAL_WINDOW,
        )
    ).first()
    if open_invitation is None:
        session.add(Invitation(inviter_id=referrer.id, phone=phone, created_at=now))
        session.flush()


def _register(session: Session, *, phone: str, now: datetime, referrer_uid: str) -> User:
    """Create the account of a new phone (terms accepted now) and settle invitations of that phone."""
    from ag_app.services.points import accept_invitation

    if referrer_uid:
        _record_referral(session, referrer_uid=referrer_uid, phone=phone, now=now)
    user = User(
        uid=_new_uid(session),
        phone=phone,
        phone_region=number_region(session, phone=phone),
        created_at=now,
        terms_accepted_at=now,
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("auth.phone_taken") from exc
    accept_invitation(session, new_user_id=user.id, phone=phone, now=now)
    return user


def login(
    session: Session,
    *,
    phone: str,
    code: str,
    now: datetime,
    accept_terms: bool = False,
    referrer_uid: str = "",
) -> LoginResult:
    """Log in (or register) with the phone and the code from the SMS; opens a session.

    A wrong code costs one of 5 attempts; an expired, exhausted or used code is refused. A phone
    without an account registers a new one, which needs the terms accepted: without them the
    request is refused and the code stays usable. A deactivated account cannot log in.
    """
    number = normalize_phone(phone)
    code = (code or "").strip()
    _lock_phone(session, number)
    login_code = _check_code(session, number, code, now)
    user = session.exec(select(User).where(User.phone == number)).first()
    is_new = user is None
    if user is None:
        if not accept_terms:
            raise DomainError("terms.required")
        user = _register(session, phone=number, now=now, referrer_uid=referrer_uid)
    elif user.deactivated_at is not None:
        raise NotAllowed("auth.deactivated")
    login_code.used_at = now
    session.add(login_code)
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=as_utc(now) + timedelta(days=get_settings().session_days),
        )
    )
    session.flush()
    return LoginResult(token=token, user_id=user.id, is_new=is_new)


def logout(session: Session, *, token: str, now: datetime) -> None:
    """Revoke the session of ``token`` (an unknown or already revoked token changes nothing)."""
    auth = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token or ""))).first()
    if auth is not None and auth.revoked_at is None:
        auth.revoked_at = now
        session.add(auth)
        session.flush()


# Every API request with a token runs this lookup: a prebuilt statement on the driver's cursor
# (one indexed read of the session by its token hash, joined to its account).
_SESSION_USER = HotStatement(
    core_select(AuthSession.user_id, AuthSession.expires_at, AuthSession.revoked_at, User.deactivated_at)
    .select_from(AuthSession)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.token_hash == bindparam("p_hash"))
    .limit(1)
)


@reads
def user_id_for_token(session: Session, token: str, *, now: datetime) -> int | None:
    """The user of a live session token: not revoked, not expired, account not deactivated."""
    if not token:
        return None
    rows = _SESSION_USER.rows(session.connection(), {"p_hash": token_hash(token)})
    if not rows:
        return None
    user_id, expires_at, revoked_at, deactivated_at = rows[0]
    if revoked_at is not None or deactivated_at is not None or as_utc(now) >= as_utc(expires_at):
        return None
    return user_id


def revoke_user_sessions(session: Session, *, user_id: int, now: datetime) -> None:
    """Revoke every open session of a user (used on deactivation)."""
    for auth in session.exec(
        select(AuthSession).where(AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))
    ).all():
        auth.revoked_at = now
        session.add(auth)
    session.flush()
