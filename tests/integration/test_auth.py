"""Registration and login by SMS code, sessions, and the limits on codes and attempts."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, TooManyRequests
from ag_app.models import AuthSession, Invitation, LoginCode, NumberingRange, OutboxMessage, User
from ag_app.services import auth
from tests.factories import make_user

PHONE = "+79161234567"


def last_code(engine, phone: str = PHONE) -> str:
    """The code of the newest SMS sent to ``phone``, read as a person reads it."""
    with Session(engine) as s:
        body = s.exec(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == phone)
            .order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def send_code(engine, now, phone: str = PHONE) -> str:
    with transaction(engine) as s:
        auth.request_code(s, phone=phone, now=now)
    return last_code(engine, phone)


def login(engine, now, code: str, phone: str = PHONE, **kwargs) -> auth.LoginResult:
    with transaction(engine) as s:
        return auth.login(s, phone=phone, code=code, now=now, **kwargs)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_code_is_sent_by_sms_and_stored_only_hashed(engine, now):
    with transaction(engine) as s:
        assert auth.request_code(s, phone="8 (916) 123-45-67", now=now) == PHONE
    code = last_code(engine)
    with Session(engine) as s:
        sms = s.exec(select(OutboxMessage)).one()
        stored = s.exec(select(LoginCode)).one()
    assert sms.channel == "sms"
    assert sms.body == f"Код для входа в «Активный гражданин»: {code}. Никому его не сообщайте."
    assert code not in stored.code_hash
    assert code not in " ".join(str(v) for v in stored.model_dump().values())


def test_malformed_phone_is_refused_and_nothing_is_sent(engine, session, now):
    with pytest.raises(DomainError, match="российский мобильный номер"), transaction(engine) as s:
        auth.request_code(s, phone="+7 495 123-45-67", now=now)
    assert session.exec(select(OutboxMessage)).all() == []


def test_fourth_code_in_an_hour_is_refused_then_allowed(engine, session, now):
    for minute in (0, 10, 20):
        send_code(engine, now + timedelta(minutes=minute))
    with pytest.raises(TooManyRequests) as err, transaction(engine) as s:
        auth.request_code(s, phone=PHONE, now=now + timedelta(minutes=30))
    assert "после 13:00 по московскому времени" in str(err.value)
    assert len(session.exec(select(LoginCode)).all()) == 3
    session.rollback()  # release the SQLite write lock of this reading transaction
    send_code(engine, now + timedelta(hours=1))
    assert len(session.exec(select(LoginCode)).all()) == 4


def test_registration_needs_terms_without_consuming_the_code(engine, session, now):
    code = send_code(engine, now)
    with pytest.raises(DomainError, match="оферты"):
        login(engine, now, code)
    assert session.exec(select(User)).all() == []
    session.rollback()
    result = login(engine, now + timedelta(minutes=1), code, accept_terms=True)
    assert result.is_new
    user = session.get(User, result.user_id)
    assert user.phone == PHONE
    assert re.fullmatch(r"[0-9a-f]{16}", user.uid)
    assert user.terms_accepted_at is not None


def test_second_login_reaches_the_same_account(engine, now):
    first = login(engine, now, send_code(engine, now), accept_terms=True)
    later = now + timedelta(days=2)
    second = login(engine, later, send_code(engine, later))
    assert (second.user_id, second.is_new) == (first.user_id, False)
    assert second.token != first.token


def test_wrong_code_counts_attempts_and_sixth_is_refused(engine, session, now):
    code = send_code(engine, now)
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput) as err:
            login(engine, now, wrong(code), accept_terms=True)
        assert str(err.value) == f"Неверный код из СМС. Осталось попыток: {left}."
    with pytest.raises(TooManyRequests, match="Превышено число попыток"):
        login(engine, now, wrong(code), accept_terms=True)
    with pytest.raises(TooManyRequests, match="Превышено число попыток"):
        login(engine, now, code, accept_terms=True)  # the 6th attempt, with the right code
    assert session.exec(select(User)).all() == []
    assert session.exec(select(LoginCode)).one().failed_attempts == 5


def test_expired_code_is_refused(engine, session, now):
    code = send_code(engine, now)
    with pytest.raises(InvalidInput, match="Срок действия кода истёк"):
        login(engine, now + timedelta(minutes=5), code, accept_terms=True)
    assert session.exec(select(User)).all() == []


def test_used_code_cannot_be_reused(engine, now):
    code = send_code(engine, now)
    login(engine, now, code, accept_terms=True)
    with pytest.raises(InvalidInput, match="уже использован"):
        login(engine, now, code)


def test_only_the_newest_code_works(engine, now):
    first = send_code(engine, now)
    second = send_code(engine, now + timedelta(minutes=1))
    if first != second:
        with pytest.raises(InvalidInput):
            login(engine, now + timedelta(minutes=1), first, accept_terms=True)
    assert login(engine, now + timedelta(minutes=1), second, accept_terms=True).is_new


@pytest.mark.parametrize(("code", "key"), [("12345", "otp.format"), ("abcdef", "otp.format")])
def test_code_format_and_missing_code(engine, now, code, key):
    send_code(engine, now)
    with pytest.raises(InvalidInput) as err:
        login(engine, now, code)
    assert err.value.key == key


def test_login_without_requested_code(engine, now):
    with pytest.raises(InvalidInput, match="Сначала запросите код"):
        login(engine, now, "123456")


def test_session_token_stored_hashed_expires_and_logs_out(engine, session, now):
    result = login(engine, now, send_code(engine, now), accept_terms=True)
    stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == hashlib.sha256(result.token.encode()).hexdigest()
    assert result.token not in " ".join(str(v) for v in stored.model_dump().values())
    session.rollback()
    with transaction(engine) as s:
        assert auth.user_id_for_token(s, result.token, now=now + timedelta(days=29)) == result.user_id
        assert auth.user_id_for_token(s, result.token, now=now + timedelta(days=30)) is None
        assert auth.user_id_for_token(s, "forged-token", now=now) is None
        assert auth.user_id_for_token(s, "", now=now) is None
    with transaction(engine) as s:
        auth.logout(s, token=result.token, now=now)
    with transaction(engine) as s:
        assert auth.user_id_for_token(s, result.token, now=now) is None


def test_new_account_gets_region_from_numbering_plan_and_settles_invitations(
    engine, session, now, monkeypatch
):
    session.add(
        NumberingRange(code=916, range_from=0, range_to=9_999_999, region="г. Москва", operator="МТС")
    )
    session.commit()
    calls = []
    monkeypatch.setattr("ag_app.services.points.accept_invitation", lambda s, **kwargs: calls.append(kwargs))
    result = login(engine, now, send_code(engine, now), accept_terms=True)
    assert calls == [{"new_user_id": result.user_id, "phone": PHONE, "now": now}]
    assert session.get(User, result.user_id).phone_region == "moscow"
    session.rollback()
    other = "+79031234567"
    login(engine, now, send_code(engine, now, other), phone=other, accept_terms=True)
    assert session.exec(select(User.phone_region).where(User.phone == other)).one() == "other"


def test_referral_link_turns_into_an_invitation(engine, session, now):
    referrer = make_user(session)
    result = login(engine, now, send_code(engine, now), accept_terms=True, referrer_uid=referrer.uid)
    invitation = session.exec(select(Invitation)).one()
    assert (invitation.inviter_id, invitation.phone, invitation.accepted_user_id) == (
        referrer.id,
        PHONE,
        result.user_id,
    )


def test_unknown_referrer_is_ignored(engine, session, now):
    assert login(engine, now, send_code(engine, now), accept_terms=True, referrer_uid="nobody").is_new
    assert session.exec(select(Invitation)).all() == []


def test_deactivated_account_cannot_log_in(engine, session, now):
    user = make_user(session, phone=PHONE)
    user.deactivated_at = now
    session.add(user)
    session.commit()
    with pytest.raises(NotAllowed, match="деактивирован"):
        login(engine, now, send_code(engine, now))


def test_is_registered(engine, session, now):
    make_user(session, phone=PHONE)
    with transaction(engine) as s:
        assert auth.is_registered(s, phone="8 916 123-45-67")
        assert not auth.is_registered(s, phone="+79031234567")
        assert not auth.is_registered(s, phone="nonsense")
