"""«Мои баллы» (SPEC §3.2–3.4): visits, invitations, shares, promo codes, status, badges, concurrency."""

import random
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound, TooManyRequests
from ag_app.models import (
    Badge,
    BadgeRun,
    Ballot,
    Invitation,
    Notification,
    OutboxMessage,
    PointEntry,
    Poll,
    PromoCode,
    SocialShare,
    User,
)
from ag_app.services import auth, points
from ag_app.services.jobs import run_jobs
from tests.factories import make_user

DAY = timedelta(days=1)


def make_poll(
    session: Session,
    *,
    creator_id: int,
    ends_at: datetime,
    scope: str = "city",
    closed_at: datetime | None = None,
    published: bool = True,
) -> int:
    poll = Poll(
        title="Благоустройство парков",
        scope=scope,
        starts_at=ends_at - 20 * DAY,
        ends_at=ends_at,
        points=20 if scope == "city" else 5,
        created_by=creator_id,
        created_at=ends_at - 30 * DAY,
        published_at=ends_at - 21 * DAY if published else None,
        closed_at=closed_at,
    )
    session.add(poll)
    session.commit()
    return poll.id


def vote(session: Session, poll_id: int, *user_ids: int) -> None:
    for user_id in user_ids:
        session.add(
            Ballot(
                poll_id=poll_id,
                user_id=user_id,
                completed_at=datetime(2026, 10, 1, tzinfo=UTC),
                receipt=f"TEST-{user_id:014d}"[:19],
            )
        )
    session.commit()


def overview(engine, user_id: int, now: datetime) -> points.PointsOverview:
    with transaction(engine) as s:
        return points.points_overview(s, actor_id=user_id, now=now)


def register(engine, session: Session, phone: str, at: datetime) -> User:
    """What auth.login does for a new phone: create the account, then settle its invitation."""
    user = make_user(session, phone=phone)
    with transaction(engine) as s:
        points.accept_invitation(s, new_user_id=user.id, phone=phone, now=at)
    return user


def read(engine, statement) -> list:
    """Rows of a query in a short transaction of its own (an open read would block SQLite writers)."""
    with Session(engine) as s:
        return list(s.exec(statement).all())


def assert_ledger_matches_balances(engine) -> None:
    for user in read(engine, select(User)):
        [total] = read(
            engine, select(func.coalesce(func.sum(PointEntry.amount), 0)).where(PointEntry.user_id == user.id)
        )
        assert (user.points_available + user.points_blocked, user.points_lifetime) == (total, total), user.id


def test_daily_visit_once_per_moscow_day_with_the_21_utc_boundary(engine, session, now):
    user = make_user(session)
    with transaction(engine) as s:
        assert points.record_visit(s, actor_id=user.id, now=now) == 3
    # 20:59 UTC is still 23:59 of the same Moscow day.
    late = datetime(2026, 11, 20, 20, 59, tzinfo=UTC)
    with transaction(engine) as s:
        assert points.record_visit(s, actor_id=user.id, now=late) == 0
    # 21:00 UTC is midnight in Moscow: a new day.
    midnight = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    with transaction(engine) as s:
        assert points.record_visit(s, actor_id=user.id, now=midnight) == 3
    view = overview(engine, user.id, midnight)
    assert view.available == 6
    assert [(e.amount, e.reason) for e in view.entries] == [(3, "daily_visit"), (3, "daily_visit")]
    assert view.entries[0].description == "Посещение сайта 21.11.2026"
    assert_ledger_matches_balances(engine)


def test_guest_and_deactivated_users_get_nothing(engine, session, now):
    user = make_user(session)
    user.deactivated_at = now
    session.add(user)
    session.commit()
    with pytest.raises(NotAllowed), transaction(engine) as s:
        points.record_visit(s, actor_id=user.id, now=now)
    with pytest.raises(DomainError) as err, transaction(engine) as s:
        points.record_visit(s, actor_id=None, now=now)
    assert err.value.status_code == 401


def test_invitation_sends_sms_and_pays_when_the_friend_registers_within_30_days(engine, session, now):
    inviter = make_user(session)
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="8 (916) 555-00-01", now=now)
    [sms] = read(engine, select(OutboxMessage).where(OutboxMessage.recipient == "+79165550001"))
    assert sms.channel == "sms"
    assert f"/login?ref={inviter.uid}" in sms.body
    view = overview(engine, inviter.id, now)
    assert view.referral_link == f"http://localhost:3000/login?ref={inviter.uid}"
    [pending] = view.invitations
    assert (pending.phone_masked, pending.state) == ("+7 916 ***-**-01", "pending")
    assert pending.expires_on.isoformat() == "2026-12-20"

    register(engine, session, "+79165550001", now + 30 * DAY - timedelta(minutes=1))
    view = overview(engine, inviter.id, now + 30 * DAY)
    assert view.available == 5
    assert view.invitations[0].state == "paid"
    assert view.entries[0].reason == "invitation"
    [note] = read(engine, select(Notification).where(Notification.user_id == inviter.id))
    assert note.title == "Друг зарегистрировался по вашему приглашению"
    assert_ledger_matches_balances(engine)


def test_registration_30_days_after_the_invitation_pays_nothing(engine, session, now):
    inviter = make_user(session)
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79165550002", now=now)
    register(engine, session, "+79165550002", now + 30 * DAY)
    view = overview(engine, inviter.id, now + 30 * DAY)
    assert view.available == 0
    assert view.invitations[0].state == "expired"
    assert [i.accepted_user_id for i in read(engine, select(Invitation))] == [None]


def test_the_eleventh_registration_of_a_month_is_not_paid(engine, session, now):
    inviter = make_user(session)
    phones = [f"+7916777{n:04d}" for n in range(12)]
    with transaction(engine) as s:
        for phone in phones:
            points.invite(s, actor_id=inviter.id, phone=phone, now=now)
    # Eleven friends register in November (Moscow), the twelfth on 1 December 00:30 Moscow time.
    for n, phone in enumerate(phones[:11]):
        register(engine, session, phone, now + timedelta(hours=n + 1))
    december = datetime(2026, 11, 30, 21, 30, tzinfo=UTC)
    register(engine, session, phones[11], december)

    view = overview(engine, inviter.id, december)
    states = [i.state for i in sorted(view.invitations, key=lambda i: i.phone_masked)]
    assert states == ["paid"] * 10 + ["unpaid", "paid"]
    assert view.available == 55
    notes = read(
        engine,
        select(Notification.body).where(Notification.user_id == inviter.id).order_by(col(Notification.id)),
    )
    assert notes[10] == "Баллы не начислены: в этом месяце уже оплачено 10 приглашений."
    assert_ledger_matches_balances(engine)


def test_newest_invitation_of_a_phone_wins(engine, session, now):
    first, second = make_user(session), make_user(session)
    with transaction(engine) as s:
        points.invite(s, actor_id=first.id, phone="+79165550003", now=now)
    with transaction(engine) as s:
        points.invite(s, actor_id=second.id, phone="+79165550003", now=now + DAY)
    register(engine, session, "+79165550003", now + 2 * DAY)
    assert overview(engine, second.id, now + 2 * DAY).available == 5
    assert overview(engine, first.id, now + 2 * DAY).available == 0
    assert overview(engine, first.id, now + 2 * DAY).invitations[0].state == "taken"


@pytest.mark.parametrize(
    ("phone", "error", "key"),
    [
        ("self", DomainError, "invite.self"),
        ("+79165550004", Conflict, "invite.registered"),
        ("+79165550005", Conflict, "invite.duplicate"),
        ("12345", DomainError, "phone.invalid"),
        ("+74951234567", DomainError, "phone.invalid"),
    ],
)
def test_invitation_refusals_change_nothing(engine, session, now, phone, error, key):
    inviter = make_user(session, phone="+79165550000")
    make_user(session, phone="+79165550004")
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79165550005", now=now)
    with pytest.raises(error) as err, transaction(engine) as s:
        points.invite(
            s, actor_id=inviter.id, phone=inviter.phone if phone == "self" else phone, now=now + DAY
        )
    assert err.value.key == key
    if key == "invite.duplicate":
        assert "20.12.2026" in str(err.value)
    assert len(read(engine, select(Invitation))) == 1
    assert len(read(engine, select(OutboxMessage))) == 1


def test_an_expired_invitation_can_be_sent_again(engine, session, now):
    inviter = make_user(session)
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79165550006", now=now)
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79165550006", now=now + 30 * DAY)
    states = [i.state for i in overview(engine, inviter.id, now + 30 * DAY).invitations]
    assert states == ["pending", "expired"]


def test_at_most_20_invitations_a_day(engine, session, now):
    inviter = make_user(session)
    with transaction(engine) as s:
        for n in range(20):
            points.invite(s, actor_id=inviter.id, phone=f"+7916888{n:04d}", now=now)
    with pytest.raises(TooManyRequests), transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79168889999", now=now + timedelta(hours=11))
    with transaction(engine) as s:  # the next Moscow day
        points.invite(s, actor_id=inviter.id, phone="+79168889999", now=now + timedelta(hours=12))


def test_shares_one_per_network_and_four_per_month(engine, session, now):
    user = make_user(session)
    poll_id = make_poll(session, creator_id=user.id, ends_at=now + 10 * DAY)
    paid = []
    for network in ["vk", "vk", "ok", "telegram", "max", "ok", "max"]:
        with transaction(engine) as s:
            paid.append(points.record_share(s, actor_id=user.id, poll_id=poll_id, network=network, now=now))
    assert paid == [5, 0, 5, 5, 5, 0, 0]
    # A new Moscow month (1 December 00:00 MSK) opens new shares.
    december = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    with transaction(engine) as s:
        assert points.record_share(s, actor_id=user.id, poll_id=poll_id, network="vk", now=december) == 5
    assert len(read(engine, select(SocialShare))) == 8
    assert overview(engine, user.id, december).available == 25
    assert_ledger_matches_balances(engine)


@pytest.mark.parametrize(
    ("case", "error", "key"),
    [
        ("network", InvalidInput, "share.network_invalid"),
        ("draft", NotFound, "poll.not_found"),
        ("missing", NotFound, "poll.not_found"),
    ],
)
def test_share_refusals(engine, session, now, case, error, key):
    user = make_user(session)
    published = make_poll(session, creator_id=user.id, ends_at=now + DAY)
    draft = make_poll(session, creator_id=user.id, ends_at=now + DAY, published=False)
    poll_id = {"network": published, "draft": draft, "missing": 9999}[case]
    network = "facebook" if case == "network" else "vk"
    with pytest.raises(error) as err, transaction(engine) as s:
        points.record_share(s, actor_id=user.id, poll_id=poll_id, network=network, now=now)
    assert err.value.key == key
    assert read(engine, select(SocialShare)) == []


def test_concurrent_shares_pay_at_most_the_caps(engine, session, now):
    user = make_user(session)
    poll_id = make_poll(session, creator_id=user.id, ends_at=now + DAY)
    networks = ["vk", "ok", "telegram", "max"] * 2 + ["vk", "ok"]
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(networks))

    def share(network: str) -> None:
        barrier.wait()
        try:
            with transaction(engine) as s:
                results.append(
                    points.record_share(s, actor_id=user.id, poll_id=poll_id, network=network, now=now)
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=share, args=(n,)) for n in networks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [0] * 6 + [5] * 4
    assert len(read(engine, select(SocialShare))) == 10
    assert overview(engine, user.id, now).available == 20
    assert_ledger_matches_balances(engine)


def add_promo(session: Session, code: str, points_: int, *, max_uses=None, expires_at=None) -> None:
    session.add(PromoCode(code=code, points=points_, max_uses=max_uses, expires_at=expires_at))
    session.commit()


def test_promo_code_once_per_user_case_insensitive(engine, session, now):
    user = make_user(session)
    add_promo(session, "VESNA2026", 50)
    with transaction(engine) as s:
        assert points.redeem_promo(s, actor_id=user.id, code="  vesna2026 ", now=now) == 50
    with pytest.raises(Conflict) as err, transaction(engine) as s:
        points.redeem_promo(s, actor_id=user.id, code="Vesna2026", now=now)
    assert err.value.key == "promo.used"
    assert [p.uses for p in read(engine, select(PromoCode))] == [1]
    view = overview(engine, user.id, now)
    assert (view.available, view.entries[0].description) == (50, "Промокод VESNA2026")


def test_promo_code_total_limit_and_expiry(engine, session, now):
    users = [make_user(session) for _ in range(3)]
    add_promo(session, "LIMIT2", 10, max_uses=2)
    add_promo(session, "OLD", 10, expires_at=now)
    for user in users[:2]:
        with transaction(engine) as s:
            points.redeem_promo(s, actor_id=user.id, code="limit2", now=now)
    with pytest.raises(Conflict) as err, transaction(engine) as s:
        points.redeem_promo(s, actor_id=users[2].id, code="limit2", now=now)
    assert err.value.key == "promo.exhausted"
    with pytest.raises(DomainError) as err, transaction(engine) as s:
        points.redeem_promo(s, actor_id=users[2].id, code="old", now=now)
    assert err.value.key == "promo.expired"
    with pytest.raises(NotFound), transaction(engine) as s:
        points.redeem_promo(s, actor_id=users[2].id, code="NOSUCH", now=now)
    with pytest.raises(InvalidInput), transaction(engine) as s:
        points.redeem_promo(s, actor_id=users[2].id, code="   ", now=now)
    assert [p.uses for p in read(engine, select(PromoCode).order_by(col(PromoCode.id)))] == [2, 0]
    assert overview(engine, users[2].id, now).available == 0
    assert_ledger_matches_balances(engine)


def test_concurrent_redemptions_never_exceed_the_total_limit(engine, session, now):
    users = [make_user(session) for _ in range(8)]
    add_promo(session, "RACE", 7, max_uses=3)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(users))

    def redeem(user_id: int) -> None:
        barrier.wait()
        try:
            with transaction(engine) as s:
                points.redeem_promo(s, actor_id=user_id, code="race", now=now)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.key)

    threads = [threading.Thread(target=redeem, args=(u.id,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["promo.exhausted"] * 5
    assert [p.uses for p in read(engine, select(PromoCode))] == [3]
    assert_ledger_matches_balances(engine)


def test_status_at_1000_lifetime_points(engine, session, now):
    user = make_user(session)
    add_promo(session, "BIG", 997)
    with transaction(engine) as s:
        points.redeem_promo(s, actor_id=user.id, code="BIG", now=now)
    view = overview(engine, user.id, now)
    assert (view.lifetime, view.status, view.status_since) == (997, "", None)
    later = now + DAY
    with transaction(engine) as s:
        points.record_visit(s, actor_id=user.id, now=later)
    view = overview(engine, user.id, later)
    assert (view.lifetime, view.status, view.status_since) == (1000, "Активный гражданин", later)
    assert_ledger_matches_balances(engine)


@pytest.fixture
def october(session):
    """City polls closing in October 2026 (Moscow) and who completed them."""
    staff = make_user(session, roles=("staff",))
    a = make_poll(session, creator_id=staff.id, ends_at=datetime(2026, 10, 15, 9, tzinfo=UTC))
    # Closed early by staff in October although it was planned to end in November.
    b = make_poll(
        session,
        creator_id=staff.id,
        ends_at=datetime(2026, 11, 30, tzinfo=UTC),
        closed_at=datetime(2026, 10, 31, 20, 59, tzinfo=UTC),
    )
    territorial = make_poll(
        session, creator_id=staff.id, ends_at=datetime(2026, 10, 10, tzinfo=UTC), scope="territorial"
    )
    # 1 November 00:30 Moscow time: a November poll.
    november = make_poll(session, creator_id=staff.id, ends_at=datetime(2026, 10, 31, 21, 30, tzinfo=UTC))
    draft = make_poll(
        session, creator_id=staff.id, ends_at=datetime(2026, 10, 20, tzinfo=UTC), published=False
    )
    both, only_a, all_, gone = (make_user(session) for _ in range(4))
    vote(session, a, both.id, only_a.id, all_.id, gone.id)
    vote(session, b, both.id, all_.id, gone.id)
    vote(session, territorial, all_.id)
    vote(session, november, all_.id)
    gone.deactivated_at = datetime(2026, 11, 1, tzinfo=UTC)
    session.add(gone)
    session.commit()
    assert draft
    return {"both": both.id, "only_a": only_a.id, "all": all_.id, "gone": gone.id}


def test_badges_go_to_those_who_completed_every_city_poll_of_the_month(engine, session, now, october):
    with transaction(engine) as s:
        assert points.award_monthly_badges(s, month="2026-10", now=now) == 2
    with transaction(engine) as s:
        assert points.award_monthly_badges(s, month="2026-10", now=now + DAY) == 0
    winners = set(read(engine, select(Badge.user_id)))
    assert winners == {october["both"], october["all"]}
    view = overview(engine, october["both"], now)
    assert view.badges == ["Знак активности за октябрь 2026"]
    assert view.badge_months == ["2026-10"]
    titles = read(engine, select(Notification.title).where(Notification.user_id == october["all"]))
    assert titles == ["Знак активности за октябрь 2026"]
    assert [r.awarded for r in read(engine, select(BadgeRun))] == [2]
    assert overview(engine, october["only_a"], now).badges == []


def test_no_badges_when_no_city_poll_closed(engine, session, now, october):
    with transaction(engine) as s:
        assert points.award_monthly_badges(s, month="2026-09", now=now) == 0
    assert read(engine, select(Badge)) == []
    assert [r.month for r in read(engine, select(BadgeRun))] == ["2026-09"]


@pytest.mark.parametrize(
    ("month", "error", "key"),
    [
        ("2026-11", DomainError, "badge.month_not_over"),
        ("2026-13", InvalidInput, "badge.month_invalid"),
        ("октябрь", InvalidInput, "badge.month_invalid"),
    ],
)
def test_badge_month_refusals(engine, session, now, month, error, key):
    with pytest.raises(error) as err, transaction(engine) as s:
        points.award_monthly_badges(s, month=month, now=now)
    assert err.value.key == key
    assert read(engine, select(BadgeRun)) == []


def test_jobs_award_the_previous_month_once(engine, session, october):
    first_of_november = datetime(2026, 10, 31, 21, 5, tzinfo=UTC)
    report = run_jobs(first_of_november, engine=engine)
    assert report.done("badges") == 2
    assert [run.month for run in read(engine, select(BadgeRun))] == ["2026-10"]
    report = run_jobs(first_of_november + timedelta(hours=1), engine=engine)
    assert report.done("badges") == 0
    assert len(read(engine, select(Badge))) == 2


def _login_new(engine, phone: str, at: datetime, referrer_uid: str = "") -> int:
    """Register through the real SMS-code login (the code is read from the outbox)."""
    with transaction(engine) as s:
        auth.request_code(s, phone=phone, now=at, rng=random.Random(7))
    [sms] = read(
        engine,
        select(OutboxMessage.body).where(
            OutboxMessage.recipient == phone, OutboxMessage.body.contains("Код")
        ),
    )
    code = re.search(r"\d{6}", sms).group()
    with transaction(engine) as s:
        result = auth.login(s, phone=phone, code=code, now=at, accept_terms=True, referrer_uid=referrer_uid)
    assert result.is_new
    return result.user_id


def test_login_of_an_invited_phone_and_of_a_referral_link_pays_the_inviter(engine, session, now):
    inviter = make_user(session)
    with transaction(engine) as s:
        points.invite(s, actor_id=inviter.id, phone="+79165550007", now=now)
    _login_new(engine, "+79165550007", now + DAY)
    _login_new(engine, "+79165550008", now + DAY, referrer_uid=inviter.uid)
    view = overview(engine, inviter.id, now + DAY)
    assert view.available == 10
    assert [i.state for i in view.invitations] == ["paid", "paid"]
    assert_ledger_matches_balances(engine)


def test_badges_command_validates_the_month_and_is_idempotent(engine, monkeypatch):
    from typer.testing import CliRunner

    from ag_app import cli, db

    monkeypatch.setattr(db, "get_engine", lambda: engine)
    runner = CliRunner()
    bad = runner.invoke(cli.app, ["badges", "--month", "2020-13"])
    assert bad.exit_code == 2
    assert "Месяц указывается в формате ГГГГ-ММ." in bad.output
    for _ in range(2):
        ok = runner.invoke(cli.app, ["badges", "--month", "2020-01"])
        assert ok.exit_code == 0
        assert "Знаков активности за 2020-01 вручено: 0" in ok.output
    assert [r.month for r in read(engine, select(BadgeRun))] == ["2020-01"]
