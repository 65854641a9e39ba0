"""«Мои чеки»: a participant saves a receipt, and sees every receipt they saved.

A receipt is saved in one transaction: the checks of the person and the receipt, the insert whose
unique key (fn, fd, fp) decides between racing uploads, the review rules, and — when it counts at
once — the participant's entries in every contest it counts in. A receipt another account already
saved is refused and both accounts land in the fraud queue; that flag is kept, so the use case
returns the refusal instead of raising it.
"""

from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, exists, literal, or_
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.db import HotStatement, reads
from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.contest import (
    ADULT_AGE,
    CATEGORIES,
    ReceiptQR,
    period_label,
    period_of,
    receipt_points,
    refuse_operation,
    refuse_out_of_period,
    review_reason,
)
from ag_app.domain.errors import Conflict, NotAllowed
from ag_app.domain.profile import age_on
from ag_app.i18n import status
from ag_app.models import (
    Contest,
    ContestParticipant,
    Disqualification,
    Receipt,
    ReceiptFlag,
    Seller,
    User,
    UserRole,
)
from ag_app.services import changes
from ag_app.services.access import STAFF_ROLES, active_user, refuse_inactive, roles_of
from ag_app.services.contest.contests import (
    conditions_of,
    ensure_general,
    okrug_of,
    rules_of,
)
from ag_app.services.contest.rating import count_receipt, counted_receipt_writer, insert_counted_receipt
from ag_app.services.contest.scoring import (
    ACCEPTED,
    RATING_CHANGED,
    REVIEW,
    counted_receipt,
    counts_in,
)

# Russian names of receipt statuses.
STATUS_NAMES = {s: status("receipt", s) for s in (ACCEPTED, REVIEW, "rejected")}
REVIEW_REASONS = {
    "daily": "Больше {limit} чеков за день — чек проверит модератор.",
    "split": "Много чеков одного продавца за {minutes} минут — чек проверит модератор.",
}
CHANNELS = frozenset({"qr", "photo", "fields", "api"})


@dataclass(frozen=True)
class ReceiptView:
    """A receipt as its owner sees it."""

    id: int
    seller: str
    category: str
    amount: str
    purchased_at: datetime
    points: int
    status: str
    status_name: str
    reason: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "seller": self.seller,
            "category": self.category,
            "amount": self.amount,
            "purchased_at": self.purchased_at.isoformat(),
            "points": self.points,
            "status": self.status,
            "status_name": self.status_name,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SubmitResult:
    """The saved receipt, or the refusal of a receipt another account had saved (flag kept)."""

    receipt: ReceiptView | None = None
    refused: Conflict | None = None


def amount_text(kopecks: int) -> str:
    """«1 234,50 ₽»."""
    return numfmt.kopecks(kopecks)


def _view(receipt: Receipt | SimpleNamespace, seller: Seller | None) -> ReceiptView:
    name = seller.name if seller is not None and seller.name else f"ФН {receipt.fn}"
    category = CATEGORIES.get(seller.category, "") if seller is not None and seller.category else ""
    return ReceiptView(
        id=receipt.id,
        seller=name,
        category=category,
        amount=amount_text(receipt.amount_kopecks),
        purchased_at=as_utc(receipt.purchased_at),
        points=receipt.points if receipt.status == ACCEPTED else 0,
        status=receipt.status,
        status_name=STATUS_NAMES[receipt.status],
        reason=receipt.reason if receipt.status != REVIEW else "Чек проверяет модератор.",
    )


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def check_participant(session: Session, user: User, now: datetime) -> None:
    """Adults only (by the profile's birth date), and nobody who administers the contest."""
    _refuse_non_participant(bool(roles_of(session, user.id) & STAFF_ROLES), user, now)


def _refuse_non_participant(staff: bool, user, now: datetime) -> None:
    """The rule of :func:`check_participant` once the user's staff roles are known."""
    if staff:
        raise NotAllowed("contest.staff_excluded")
    if user.birth_date is None:
        raise NotAllowed("contest.birth_date_required")
    if age_on(user.birth_date, moscow_date(now)) < ADULT_AGE:
        raise NotAllowed("contest.adults_only")


def participant_for(session: Session, user: User) -> ContestParticipant:
    """The user's participant number, given on first need."""
    existing = session.exec(select(ContestParticipant).where(ContestParticipant.user_id == user.id)).first()
    if existing is not None:
        return existing
    session.execute(
        _insert(session)(ContestParticipant)
        .values(user_id=user.id, registered_at=as_utc(user.created_at))
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    return session.exec(select(ContestParticipant).where(ContestParticipant.user_id == user.id)).one()


def _seller(session: Session, fn: str, now: datetime) -> Seller:
    """The drive's seller; an unknown drive is registered unclassified (the classification queue)."""
    existing = session.exec(select(Seller).where(Seller.fn == fn)).first()
    if existing is not None:
        return existing
    session.execute(
        _insert(session)(Seller)
        .values({"fn": fn, "name": "", "inn": "", "region": "", "created_at": now})
        .on_conflict_do_nothing(index_elements=["fn"])
    )
    return session.exec(select(Seller).where(Seller.fn == fn)).one()


def _open_contests(session: Session, year: int, month: int, now: datetime, contests: list) -> list:
    """The month's open contests (rows with the columns the conditions and review rules read) out
    of ``contests``, the month's contests as read with the actor; the general one is created on
    first need."""
    period = period_label(year, month)
    params = {"p_period": period}
    if not any(contest.general for contest in contests):
        ensure_general(session, year, month, now)
        contests = _CONTESTS.rows(session.connection(), params)
    return [contest for contest in contests if contest.status == "open"]


def _review(session: Session, participant_id: int, qr: ReceiptQR, contests) -> tuple[str, str] | None:
    """(rule, evidence) when the strictest rule of the contests it counts in puts it on review.

    The participant's receipts of the purchase's Moscow day and of the widest split window around
    it are read once; each rule counts among them.
    """
    if not contests:
        return None
    day = qr.purchased_at.astimezone(MOSCOW).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start, day_end = as_utc(day), as_utc(day + timedelta(days=1))
    bought = as_utc(qr.purchased_at)
    widest = timedelta(minutes=max(contest.split_minutes for contest in contests))
    nearby = [
        (as_utc(purchased_at), fn)
        for purchased_at, fn in _NEARBY.rows(
            session.connection(),
            {
                "p_participant": participant_id,
                "p_from": min(day_start, bought - widest),
                "p_to": max(day_end, bought + widest),
            },
        )
    ]
    same_day = sum(1 for purchased_at, _ in nearby if day_start <= purchased_at < day_end)
    for contest in contests:
        rules = rules_of(contest)
        window = timedelta(minutes=rules.split_minutes)
        same_drive = sum(
            1
            for purchased_at, fn in nearby
            if fn == qr.fn and bought - window <= purchased_at <= bought + window
        )
        reason = review_reason(rules, same_day=same_day, same_drive_window=same_drive)
        if reason == "daily":
            return reason, f"{same_day + 1}-й чек за {day:%d.%m.%Y} (порог {rules.daily_limit} в день)"
        if reason == "split":
            return reason, (
                f"{same_drive + 1} чеков с ФН {qr.fn} за {rules.split_minutes} мин. "
                f"(порог {rules.split_count})"
            )
    return None


# Hot-path statements, built once (see ``db.HotStatement``). The acting user, locked (one
# participant's receipts are saved one at a time: review counts, entries; ``FOR UPDATE OF user`` on
# PostgreSQL, SQLite transactions hold the write lock), with whether they hold a staff role, their
# participant number, in one round trip.
_CONTEST_COLUMNS = (
    Contest.id,
    Contest.general,
    Contest.status,
    Contest.categories,
    Contest.regions,
    Contest.partner_inns,
    Contest.okrugs,
    Contest.daily_limit,
    Contest.split_count,
    Contest.split_minutes,
)
_ContestRow = namedtuple("_ContestRow", [column.key for column in _CONTEST_COLUMNS])
_SELLER_COLUMNS = (Seller.id, Seller.fn, Seller.name, Seller.inn, Seller.category, Seller.region)
_SellerRow = namedtuple("_SellerRow", [column.key for column in _SELLER_COLUMNS])
_ACTOR = HotStatement(
    core_select(
        User.id,
        User.deactivated_at,
        User.birth_date,
        User.created_at,
        exists()
        .where(
            UserRole.user_id == User.id,
            or_(*(UserRole.role == literal(role) for role in sorted(STAFF_ROLES))),
        )
        .label("staff"),
        ContestParticipant.id.label("participant_id"),
        ContestParticipant.registered_at,
    )
    .select_from(User)
    .join(ContestParticipant, ContestParticipant.user_id == User.id, isouter=True)
    .where(User.id == bindparam("p_user"))
    .with_for_update(of=User)
)
# Read once the user's lock is held, in a statement of its own: on PostgreSQL a statement that waited
# for the lock reads other tables as they were when it began, so what the lock's previous holder
# committed (a disqualification, a seller's classification, a new contest) would be missed. One row
# per contest of the period (one row with no contest when it has none): the contest's columns
# («c_…»), the drive's seller («s_…», all None when unknown) and the participant's disqualification.
_CONTEXT = HotStatement(
    core_select(
        *(column.label(f"c_{column.key}") for column in _CONTEST_COLUMNS),
        *(column.label(f"s_{column.key}") for column in _SELLER_COLUMNS),
        core_select(Disqualification.reason)
        .where(
            Disqualification.participant_id == bindparam("p_participant"),
            Disqualification.period == bindparam("p_period"),
        )
        .scalar_subquery()
        .label("disqualified"),
    )
    .select_from(User)
    .join(Contest, Contest.period == bindparam("p_period"), isouter=True)
    .join(Seller, Seller.fn == bindparam("p_fn"), isouter=True)
    .where(User.id == bindparam("p_user"))
    .order_by(col(Contest.general).desc(), Contest.id)
)
_CONTESTS = HotStatement(
    core_select(*_CONTEST_COLUMNS)
    .where(Contest.period == bindparam("p_period"))
    .order_by(col(Contest.general).desc(), Contest.id)
)
# The participant's receipts bought in a time range (what the review rules count).
_NEARBY = HotStatement(
    core_select(Receipt.purchased_at, Receipt.fn).where(
        Receipt.participant_id == bindparam("p_participant"),
        Receipt.purchased_at >= bindparam("p_from"),
        Receipt.purchased_at <= bindparam("p_to"),
    )
)
_RECEIPT_COLUMNS = (
    "participant_id", "period", "fn", "fd", "fp", "purchased_at", "amount_kopecks", "saved_at", "channel",
    "status", "reason", "points", "counted_at",
)  # fmt: skip
# ``INSERT … ON CONFLICT DO NOTHING RETURNING id``: no row when another upload saved it first
# (one statement per dialect: the conflict target is spelled by each dialect's own construct).
_INSERT_RECEIPT = {
    name: HotStatement(
        insert(Receipt)
        .values({column: bindparam(column) for column in _RECEIPT_COLUMNS})
        .on_conflict_do_nothing(index_elements=["fn", "fd", "fp"])
        .returning(Receipt.id)
    )
    for name, insert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))
}
# PostgreSQL: the same INSERT with the entries and counters of an accepted receipt, one statement
# (parameters prefixed «v_»: a parameter named like a column of an upsert target would be taken
# for an extra SET clause).
_INSERT_COUNTED_RECEIPT_PG = counted_receipt_writer(
    postgresql_insert(Receipt)
    .values({column: bindparam(f"v_{column}") for column in _RECEIPT_COLUMNS})
    .on_conflict_do_nothing(index_elements=["fn", "fd", "fp"])
    .returning(Receipt.id)
)


def submit_receipt(
    session: Session, *, actor_id: int | None, qr: ReceiptQR, channel: str, now: datetime
) -> SubmitResult:
    """Save a receipt for the acting resident and count it where it counts (SPEC §11.1–11.3)."""
    year, month = period_of(qr.purchased_at)
    period = period_label(year, month)
    connection = session.connection()
    params = {"p_user": actor_id, "p_period": period, "p_fn": qr.fn}
    found = _ACTOR.rows(connection, params) if actor_id is not None else []
    user = found[0] if found else None
    refuse_inactive(user)
    _refuse_non_participant(user.staff, user, now)
    refuse_operation(qr.operation)
    refuse_out_of_period(qr.purchased_at, now)
    if user.participant_id is None:
        participant = participant_for(session, user)
        participant_id, registered_at = participant.id, participant.registered_at
    else:
        participant_id, registered_at = user.participant_id, user.registered_at
    context = _CONTEXT.rows(connection, params | {"p_participant": participant_id})
    first = context[0]
    if first.disqualified is not None:
        raise NotAllowed("contest.disqualified", reason=first.disqualified)
    period_contests = [
        _ContestRow(*(getattr(row, f"c_{name}") for name in _ContestRow._fields))
        for row in context
        if row.c_id is not None
    ]
    open_contests = _open_contests(session, year, month, now, period_contests)
    seller = (
        _SellerRow(*(getattr(first, f"s_{name}") for name in _SellerRow._fields))
        if first.s_id is not None
        else _seller(session, qr.fn, now)
    )
    # The okrug matters only to a contest restricted by it.
    okrug = okrug_of(session, user.id) if any(contest.okrugs for contest in open_contests) else None
    contests = [contest for contest in open_contests if counts_in(conditions_of(contest), seller, okrug)]
    review = _review(session, participant_id, qr, contests)
    status = REVIEW if review else ACCEPTED
    values = {
        "participant_id": participant_id,
        "period": period,
        "fn": qr.fn,
        "fd": qr.fd,
        "fp": qr.fp,
        "purchased_at": as_utc(qr.purchased_at),
        "amount_kopecks": qr.amount_kopecks,
        "saved_at": now,
        "channel": channel if channel in CHANNELS else "qr",
        "status": status,
        "reason": review[0] if review else "",
        "points": receipt_points(seller.category),
        "counted_at": None if review else now,
    }
    if not review and contests and connection.dialect.name == "postgresql":
        # One statement: the receipt, and only when it was inserted its entries and counters.
        receipt_id = insert_counted_receipt(
            session,
            _INSERT_COUNTED_RECEIPT_PG,
            {f"v_{column}": value for column, value in values.items()},
            participant_id,
            registered_at,
            [contest.id for contest in contests],
            counted_receipt(SimpleNamespace(**values), now),
        )
        if receipt_id is None:
            return _duplicate(session, participant_id, qr, now)
        for contest in contests:
            changes.changed(session, RATING_CHANGED, contest.id)
        return SubmitResult(receipt=_view(SimpleNamespace(id=receipt_id, **values), seller))
    inserted = _INSERT_RECEIPT[connection.dialect.name].rows(connection, values)
    if not inserted:
        return _duplicate(session, participant_id, qr, now)
    # The row as inserted (not read back, no ORM object).
    receipt = SimpleNamespace(id=inserted[0].id, **values)
    if review:
        session.add(
            ReceiptFlag(
                receipt_id=receipt.id,
                kind=review[0],
                participant_id=participant_id,
                evidence=review[1],
                created_at=now,
            )
        )
    else:
        count_receipt(
            session,
            participant_id,
            registered_at,
            [contest.id for contest in contests],
            counted_receipt(receipt, now),
        )
        for contest in contests:
            changes.changed(session, RATING_CHANGED, contest.id)
    return SubmitResult(receipt=_view(receipt, seller))


def _duplicate(session: Session, participant_id: int, qr: ReceiptQR, now: datetime) -> SubmitResult:
    """The receipt exists: refuse; from another account, flag both accounts for the moderators."""
    existing = session.exec(
        select(Receipt).where(Receipt.fn == qr.fn, Receipt.fd == qr.fd, Receipt.fp == qr.fp)
    ).one()
    if existing.participant_id == participant_id:
        raise Conflict("contest.receipt_saved")
    session.add(
        ReceiptFlag(
            receipt_id=existing.id,
            kind="duplicate",
            participant_id=participant_id,
            evidence=(
                f"Чек сохранён участником № {existing.participant_id} {existing.saved_at:%d.%m.%Y %H:%M} UTC, "
                f"повторно загружен участником № {participant_id} {now:%d.%m.%Y %H:%M} UTC"
            ),
            created_at=now,
        )
    )
    return SubmitResult(refused=Conflict("contest.receipt_taken"))


@reads
def my_receipts(session: Session, *, actor_id: int | None, limit: int = 200) -> list[ReceiptView]:
    """The acting resident's receipts, newest purchase first."""
    user = active_user(session, actor_id)
    rows = session.exec(
        select(Receipt, Seller)
        .join(ContestParticipant, ContestParticipant.id == Receipt.participant_id)
        .join(Seller, col(Seller.fn) == Receipt.fn, isouter=True)
        .where(ContestParticipant.user_id == user.id)
        .order_by(col(Receipt.purchased_at).desc(), col(Receipt.id).desc())
        .limit(limit)
    ).all()
    return [_view(receipt, seller) for receipt, seller in rows]
