"""«Мои баллы»: the ledger overview, daily visits, invitations, shares, promo codes and monthly badges."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.clock import MOSCOW, as_utc, month_bounds, moscow_date, moscow_month
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotFound, TooManyRequests
from ag_app.domain.phone import mask_phone, normalize_phone
from ag_app.domain.points import (
    ACTIVE_CITIZEN_STATUS,
    DAILY_VISIT_POINTS,
    INVITATION_POINTS,
    INVITATION_STATE_NAMES,
    INVITATION_WINDOW,
    INVITATIONS_SENT_PER_DAY,
    SHARE_NETWORKS,
    SHARE_POINTS,
    PromoFacts,
    badge_winners,
    invitation_deadline,
    invitation_payable,
    invitation_state,
    is_month,
    month_title,
    normalize_promo_code,
    promo_problem,
    share_payable,
    status_name,
)
from ag_app.models import (
    Badge,
    BadgeRun,
    Ballot,
    Invitation,
    PointEntry,
    Poll,
    PromoCode,
    SocialShare,
    User,
)
from ag_app.services import ledger, outbox
from ag_app.services.access import active_user, lock_user
from ag_app.services.notifications import notify
from ag_app.settings import get_settings

log = logging.getLogger(__name__)

_PROMO_CODE_LIMIT = 40


@dataclass(frozen=True)
class EntryView:
    """A ledger row as shown in «Мои баллы» (positive: credit, negative: debit)."""

    created_at: datetime
    amount: int
    description: str
    reason: str


@dataclass(frozen=True)
class InvitationView:
    """An invitation the user sent; ``state`` is pending/paid/unpaid/expired/taken (see ``state_name``)."""

    phone_masked: str
    created_at: datetime
    # The last Moscow day a registration can still pay.
    expires_on: date
    state: str
    state_name: str


@dataclass(frozen=True)
class PointsOverview:
    """Everything «Мои баллы» shows."""

    available: int
    blocked: int
    lifetime: int
    # «Активный гражданин» or "".
    status: str
    status_since: datetime | None
    # Newest first.
    entries: list[EntryView]
    # E.g. «Знак активности за ноябрь 2026», newest first.
    badges: list[str]
    # Months ``YYYY-MM`` of the badges, in the same order.
    badge_months: list[str]
    referral_link: str
    invitations: list[InvitationView]


def referral_link(uid: str) -> str:
    """The personal referral link of a user."""
    return f"{get_settings().public_url.rstrip('/')}/login?ref={uid}"


def _date_ru(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _expires_on(invited_at: datetime) -> date:
    """The last Moscow day of an invitation's 30-day window (the deadline instant itself is excluded)."""
    return moscow_date(invitation_deadline(invited_at) - timedelta(microseconds=1))


@reads
def points_overview(
    session: Session, *, actor_id: int | None, now: datetime, limit: int = 200
) -> PointsOverview:
    """The actor's balance (available and blocked), status, ledger, badges, referral link and invitations."""
    user = active_user(session, actor_id)
    session.refresh(user)
    entries = session.exec(
        select(PointEntry)
        .where(PointEntry.user_id == user.id)
        .order_by(col(PointEntry.created_at).desc(), col(PointEntry.id).desc())
        .limit(limit)
    ).all()
    months = session.exec(
        select(Badge.month).where(Badge.user_id == user.id).order_by(col(Badge.month).desc())
    ).all()
    invitations = session.exec(
        select(Invitation)
        .where(Invitation.inviter_id == user.id)
        .order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
        .limit(limit)
    ).all()
    open_phones = {i.phone for i in invitations if i.accepted_user_id is None}
    registered = (
        set(session.exec(select(User.phone).where(col(User.phone).in_(open_phones))).all())
        if open_phones
        else set()
    )
    views = []
    for inv in invitations:
        state = invitation_state(
            inv.created_at, accepted=inv.accepted_user_id is not None, paid=inv.paid, now=now
        )
        if state == "pending" and inv.phone in registered:
            state = "taken"
        views.append(
            InvitationView(
                phone_masked=mask_phone(inv.phone),
                created_at=as_utc(inv.created_at),
                expires_on=_expires_on(inv.created_at),
                state=state,
                state_name=INVITATION_STATE_NAMES[state],
            )
        )
    return PointsOverview(
        available=user.points_available,
        blocked=user.points_blocked,
        lifetime=user.points_lifetime,
        status=ACTIVE_CITIZEN_STATUS if user.active_citizen_since else status_name(user.points_lifetime),
        status_since=as_utc(user.active_citizen_since) if user.active_citizen_since else None,
        entries=[
            EntryView(
                created_at=as_utc(e.created_at), amount=e.amount, description=e.description, reason=e.reason
            )
            for e in entries
        ],
        badges=[f"Знак активности за {month_title(m)}" for m in months],
        badge_months=list(months),
        referral_link=referral_link(user.uid),
        invitations=views,
    )


def record_visit(session: Session, *, actor_id: int | None, now: datetime) -> int:
    """Credit 3 points for visiting the site, once per Moscow calendar day; returns the points credited."""
    user = active_user(session, actor_id)
    day = moscow_date(now)
    credited = ledger.credit(
        session,
        user_id=user.id,
        amount=DAILY_VISIT_POINTS,
        reason="daily_visit",
        ref=day.isoformat(),
        description=f"Посещение сайта {_date_ru(day)}",
        now=now,
    )
    return DAILY_VISIT_POINTS if credited else 0


def invite(session: Session, *, actor_id: int | None, phone: str, now: datetime) -> None:
    """Invite a friend by phone: the friend gets an SMS with the referral link.

    Refused: a malformed phone, one's own phone, a phone already registered, a phone this user invited
    less than 30 days ago and that has not registered yet, and more than 20 invitations a Moscow day.
    """
    user = active_user(session, actor_id)
    number = normalize_phone(phone)
    if number == user.phone:
        raise DomainError("invite.self")
    if session.exec(select(User.id).where(User.phone == number)).first() is not None:
        raise Conflict("invite.registered")
    lock_user(session, user.id)
    since = as_utc(now) - INVITATION_WINDOW
    active = session.exec(
        select(Invitation)
        .where(
            Invitation.inviter_id == user.id,
            Invitation.phone == number,
            col(Invitation.accepted_user_id).is_(None),
            col(Invitation.created_at) > since,
        )
        .order_by(col(Invitation.created_at).desc())
    ).first()
    if active is not None:
        raise Conflict("invite.duplicate", date=_date_ru(_expires_on(active.created_at)))
    day_start = datetime.combine(moscow_date(now), time.min, tzinfo=MOSCOW).astimezone(UTC)
    sent_today = session.exec(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.inviter_id == user.id, col(Invitation.created_at) >= day_start)
    ).one()
    if sent_today >= INVITATIONS_SENT_PER_DAY:
        raise TooManyRequests("invite.daily_limit", limit=INVITATIONS_SENT_PER_DAY)
    session.add(Invitation(inviter_id=user.id, phone=number, created_at=now))
    outbox.send_sms(
        session,
        phone=number,
        text=(
            "Вас пригласили в проект «Активный гражданин». Зарегистрируйтесь в течение 30 дней: "
            f"{referral_link(user.uid)}"
        ),
        now=now,
    )


def accept_invitation(session: Session, *, new_user_id: int, phone: str, now: datetime) -> None:
    """Settle the invitation of a phone that has just registered (called by login for a new account).

    The newest invitation of that phone sent less than 30 days ago is taken (a registration through
    a referral link arrives here as an invitation the login made just before). The inviter's row is
    locked, then 5 points are paid unless the inviter already has 10 paid invitations in the Moscow
    month of the registration; the invitation records the new user either way and the inviter is
    notified.
    """
    since = as_utc(now) - INVITATION_WINDOW
    invitation = session.exec(
        select(Invitation)
        .where(
            Invitation.phone == phone,
            col(Invitation.accepted_user_id).is_(None),
            col(Invitation.created_at) > since,
            col(Invitation.created_at) <= now,
        )
        .order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
    ).first()
    if invitation is None:
        return
    inviter = lock_user(session, invitation.inviter_id)
    start, end = month_bounds(moscow_month(now))
    paid_this_month = session.exec(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.inviter_id == inviter.id,
            col(Invitation.paid).is_(True),
            col(Invitation.accepted_at) >= start,
            col(Invitation.accepted_at) < end,
        )
    ).one()
    paid = False
    if inviter.deactivated_at is None and invitation_payable(invitation.created_at, now, paid_this_month):
        paid = ledger.credit(
            session,
            user_id=inviter.id,
            amount=INVITATION_POINTS,
            reason="invitation",
            ref=f"invitation:{invitation.id}",
            description="Друг зарегистрировался по вашему приглашению",
            now=now,
        )
    invitation.accepted_user_id = new_user_id
    invitation.accepted_at = now
    invitation.paid = paid
    session.add(invitation)
    session.flush()
    if inviter.deactivated_at is None:
        notify(
            session,
            user_id=inviter.id,
            title="Друг зарегистрировался по вашему приглашению",
            body=(
                f"Начислено {INVITATION_POINTS} баллов."
                if paid
                else "Баллы не начислены: в этом месяце уже оплачено 10 приглашений."
            ),
            link="/points",
            now=now,
        )


def record_share(session: Session, *, actor_id: int | None, poll_id: int, network: str, now: datetime) -> int:
    """Record a share of a published poll and pay 5 points within the caps; returns the points credited.

    At most one paid share per network and at most 4 paid shares per Moscow calendar month. The user's
    row is locked first, so concurrent shares cannot exceed the caps. Every share is recorded.
    """
    user = active_user(session, actor_id)
    if network not in SHARE_NETWORKS:
        raise InvalidInput("share.network_invalid")
    poll = session.get(Poll, poll_id)
    if poll is None or poll.published_at is None:
        raise NotFound("poll.not_found")
    lock_user(session, user.id)
    month = moscow_month(now)
    start, end = month_bounds(month)
    by_network = dict(
        session.exec(
            select(SocialShare.network, func.count())
            .where(
                SocialShare.user_id == user.id,
                SocialShare.points > 0,
                col(SocialShare.created_at) >= start,
                col(SocialShare.created_at) < end,
            )
            .group_by(SocialShare.network)
        ).all()
    )
    points = 0
    if share_payable(network, by_network) and ledger.credit(
        session,
        user_id=user.id,
        amount=SHARE_POINTS,
        reason="share",
        ref=f"share:{network}:{month}",
        description=f"Репост голосования в {SHARE_NETWORKS[network]}",
        now=now,
    ):
        points = SHARE_POINTS
    session.add(SocialShare(user_id=user.id, poll_id=poll.id, network=network, created_at=now, points=points))
    session.flush()
    return points


def redeem_promo(session: Session, *, actor_id: int | None, code: str, now: datetime) -> int:
    """Redeem a promo code (case-insensitive) for its points; returns the points credited.

    Once per user per code; a code past its expiry or over its total use limit is refused. The use
    counter grows by a conditional UPDATE, so concurrent redemptions never exceed the limit.
    """
    user = active_user(session, actor_id)
    wanted = normalize_promo_code(code)
    if not wanted:
        raise InvalidInput("promo.required")
    promo = None
    if len(wanted) <= _PROMO_CODE_LIMIT:
        promo = session.exec(
            select(PromoCode).where(or_(PromoCode.code == wanted, func.upper(PromoCode.code) == wanted))
        ).first()
    lock_user(session, user.id)
    ref = f"promo:{promo.code}" if promo else ""
    used = promo is not None and (
        session.exec(
            select(PointEntry.id).where(
                PointEntry.user_id == user.id, PointEntry.reason == "promo", PointEntry.ref == ref
            )
        ).first()
        is not None
    )
    facts = (
        PromoFacts(max_uses=promo.max_uses, uses=promo.uses, expires_at=promo.expires_at) if promo else None
    )
    problem = promo_problem(facts, now=now, used_by_user=used)
    if problem == "promo.unknown":
        raise NotFound(problem)
    if problem == "promo.expired":
        raise DomainError(problem)
    if problem is not None:
        raise Conflict(problem)
    taken = session.execute(
        update(PromoCode)
        .where(
            col(PromoCode.id) == promo.id,
            or_(col(PromoCode.max_uses).is_(None), col(PromoCode.uses) < col(PromoCode.max_uses)),
        )
        .values(uses=PromoCode.uses + 1)
    )
    if taken.rowcount != 1:
        raise Conflict("promo.exhausted")
    if not ledger.credit(
        session,
        user_id=user.id,
        amount=promo.points,
        reason="promo",
        ref=ref,
        description=f"Промокод {promo.code}",
        now=now,
    ):
        raise Conflict("promo.used")
    return promo.points


def _city_polls_closed_in(session: Session, month: str) -> set[int]:
    """Published city-wide polls whose closing instant (early close or end) falls in the Moscow month."""
    start, end = month_bounds(month)
    rows = session.exec(
        select(Poll.id, Poll.ends_at, Poll.closed_at).where(
            Poll.scope == "city",
            col(Poll.published_at).is_not(None),
            or_(
                and_(col(Poll.ends_at) >= start, col(Poll.ends_at) < end),
                and_(
                    col(Poll.closed_at).is_not(None), col(Poll.closed_at) >= start, col(Poll.closed_at) < end
                ),
            ),
        )
    ).all()
    closed = set()
    for poll_id, ends_at, closed_at in rows:
        closing = min(as_utc(ends_at), as_utc(closed_at)) if closed_at else as_utc(ends_at)
        if start <= closing < end:
            closed.add(poll_id)
    return closed


def award_monthly_badges(session: Session, *, month: str, now: datetime) -> int:
    """Award «Знак активности» for a finished Moscow month; returns how many badges were newly awarded.

    Winners completed every city-wide poll that closed during the month (none when no such poll
    closed). Idempotent: a badge is unique per user and month, a second run awards nothing new, and
    the month is marked as run so the automatic job does it once. Each new winner is notified.
    """
    if not is_month(month):
        raise InvalidInput("badge.month_invalid")
    start, end = month_bounds(month)
    if end > as_utc(now):
        raise DomainError("badge.month_not_over", month=month_title(month))
    polls = _city_polls_closed_in(session, month)
    completed: dict[int, set[int]] = {}
    if polls:
        rows = session.exec(
            select(Ballot.user_id, Ballot.poll_id)
            .join(User, col(User.id) == Ballot.user_id)
            .where(col(Ballot.poll_id).in_(polls), col(User.deactivated_at).is_(None))
        ).all()
        for user_id, poll_id in rows:
            completed.setdefault(user_id, set()).add(poll_id)
    winners = badge_winners(polls, completed)
    already = set(session.exec(select(Badge.user_id).where(Badge.month == month)).all())
    title = f"Знак активности за {month_title(month)}"
    awarded = 0
    for user_id in sorted(winners - already):
        try:
            with session.begin_nested():
                session.add(Badge(user_id=user_id, month=month, awarded_at=now))
                session.flush()
        except IntegrityError:
            continue  # a concurrent run awarded it
        awarded += 1
        notify(
            session,
            user_id=user_id,
            title=title,
            body="Вы приняли участие во всех общегородских голосованиях, завершившихся в этом месяце.",
            link="/points",
            now=now,
        )
    run = session.get(BadgeRun, month)
    if run is None:
        try:
            with session.begin_nested():
                session.add(BadgeRun(month=month, ran_at=now, awarded=awarded))
                session.flush()
        except IntegrityError:
            log.info("Badges of %s were marked by a concurrent run", month)
    else:
        run.awarded += awarded
        session.add(run)
        session.flush()
    log.info("Badges of %s: %d city polls closed, %d new badges", month, len(polls), awarded)
    return awarded
