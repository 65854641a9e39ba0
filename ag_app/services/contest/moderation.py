"""Moderators' work on the contest: the fraud queue, accepting or rejecting receipts, disqualifying.

Every decision is written with who, when and why to the audit trail, and the participants it
touches are recounted from their receipts in the same transaction, so the rating always equals a
full recount. A disqualification removes the participant from every contest of the period; once
a final rating was published it is re-ranked, re-sealed and its prizes move (``finalise``).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.text import clean_text
from ag_app.models import ContestAudit, ContestParticipant, Disqualification, Receipt, ReceiptFlag, Seller
from ag_app.services.access import Capability, lock_user, require
from ag_app.services.contest.receipts import amount_text
from ag_app.services.contest.scoring import ACCEPTED, REJECTED, REVIEW, recount_participant

REASON_LIMIT = 500
FLAG_KINDS = {
    "duplicate": "Повторная загрузка с другого аккаунта",
    "daily": "Много чеков за день",
    "split": "Дробление покупок",
}


def _reason(text: str) -> str:
    reason = clean_text(text or "").strip()
    if not reason:
        raise InvalidInput("contest.reason_required")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("contest.reason_too_long", limit=REASON_LIMIT)
    return reason


def audit(
    session: Session,
    *,
    period: str,
    actor_id: int,
    action: str,
    subject: str,
    reason: str,
    now: datetime,
    contest_id: int | None = None,
) -> None:
    """Write one line of the audit trail."""
    session.add(
        ContestAudit(
            period=period,
            contest_id=contest_id,
            actor_id=actor_id,
            action=action,
            subject=subject,
            reason=reason,
            at=now,
        )
    )


@dataclass(frozen=True)
class QueueItem:
    """A flagged receipt with its evidence, as moderators see it (staff only)."""

    flag_id: int
    kind: str
    kind_name: str
    evidence: str
    receipt_id: int
    receipt_status: str
    owner: int  # participant number of the receipt's owner
    flagged: int  # participant number the flag is about (the other account for duplicates)
    seller: str
    amount: str
    purchased_at: datetime
    created_at: datetime
    # The receipt's month «YYYY-MM» (a disqualification applies to it).
    period: str = ""


@reads
def fraud_queue(session: Session, *, actor_id: int | None, limit: int = 100) -> list[QueueItem]:
    """Open flags, oldest first: duplicates from other accounts and receipts put on review."""
    require(session, actor_id, Capability.CONTEST_MODERATE)
    rows = session.exec(
        select(ReceiptFlag, Receipt, Seller)
        .join(Receipt, Receipt.id == ReceiptFlag.receipt_id)
        .join(Seller, col(Seller.fn) == Receipt.fn, isouter=True)
        .where(col(ReceiptFlag.resolved_at).is_(None))
        .order_by(ReceiptFlag.created_at, ReceiptFlag.id)
        .limit(limit)
    ).all()
    return [
        QueueItem(
            flag_id=flag.id,
            kind=flag.kind,
            kind_name=FLAG_KINDS.get(flag.kind, flag.kind),
            evidence=flag.evidence,
            receipt_id=receipt.id,
            receipt_status=receipt.status,
            owner=receipt.participant_id,
            flagged=flag.participant_id,
            seller=(seller.name if seller is not None and seller.name else f"ФН {receipt.fn}"),
            amount=amount_text(receipt.amount_kopecks),
            purchased_at=as_utc(receipt.purchased_at),
            created_at=as_utc(flag.created_at),
            period=receipt.period,
        )
        for flag, receipt, seller in rows
    ]


def _resolve_flags(session: Session, receipt_id: int, actor_id: int, now: datetime) -> None:
    for flag in session.exec(
        select(ReceiptFlag).where(
            ReceiptFlag.receipt_id == receipt_id, col(ReceiptFlag.resolved_at).is_(None)
        )
    ).all():
        flag.resolved_at, flag.resolved_by = now, actor_id
        session.add(flag)


def _locked_receipt(session: Session, receipt_id: int) -> Receipt:
    receipt = session.get(Receipt, receipt_id)
    if receipt is None:
        raise NotFound("contest.receipt_not_found")
    # Serialise with the owner's new receipts (same lock as saving one).
    owner = session.get(ContestParticipant, receipt.participant_id)
    lock_user(session, owner.user_id)
    session.refresh(receipt)
    return receipt


def _decide(
    session: Session, moderator_id: int, receipt: Receipt, status: str, reason: str, now: datetime
) -> None:
    """Accept or reject a locked receipt: its flags close, the audit trail records it and the
    owner's points are counted again."""
    receipt.status, receipt.reason = status, reason
    receipt.counted_at = now if status == ACCEPTED else None
    receipt.decided_by, receipt.decided_at = moderator_id, now
    session.add(receipt)
    _resolve_flags(session, receipt.id, moderator_id, now)
    audit(
        session,
        period=receipt.period,
        actor_id=moderator_id,
        action="accept" if status == ACCEPTED else "reject",
        subject=f"чек {receipt.id}",
        reason=reason,
        now=now,
    )
    session.flush()
    recount_participant(session, receipt.participant_id, receipt.period)


def accept_receipt(session: Session, *, actor_id: int | None, receipt_id: int, now: datetime) -> None:
    """Accept a receipt on review: it counts from now on (SPEC §11.2)."""
    moderator = require(session, actor_id, Capability.CONTEST_MODERATE)
    receipt = _locked_receipt(session, receipt_id)
    if receipt.status == ACCEPTED:
        raise Conflict("contest.receipt_already_accepted")
    _decide(session, moderator.id, receipt, ACCEPTED, "", now)


def reject_receipt(
    session: Session, *, actor_id: int | None, receipt_id: int, reason: str, now: datetime
) -> None:
    """Reject a receipt (also one accepted earlier): its points leave the rating at once."""
    moderator = require(session, actor_id, Capability.CONTEST_MODERATE)
    text = _reason(reason)
    receipt = _locked_receipt(session, receipt_id)
    if receipt.status == REJECTED:
        raise Conflict("contest.receipt_already_rejected")
    _decide(session, moderator.id, receipt, REJECTED, text, now)


def dismiss_flag(session: Session, *, actor_id: int | None, flag_id: int, now: datetime) -> None:
    """Close a flag without changing the receipt (e.g. a duplicate whose owner is legitimate)."""
    moderator = require(session, actor_id, Capability.CONTEST_MODERATE)
    flag = session.get(ReceiptFlag, flag_id)
    if flag is None or flag.resolved_at is not None:
        raise NotFound("contest.flag_not_found")
    receipt = session.get(Receipt, flag.receipt_id)
    if receipt.status == REVIEW:
        raise Conflict("contest.flag_needs_decision")
    flag.resolved_at, flag.resolved_by = now, moderator.id
    session.add(flag)
    audit(
        session,
        period=receipt.period,
        actor_id=moderator.id,
        action="dismiss",
        subject=f"отметка {flag.id}",
        reason="",
        now=now,
    )


def disqualify(
    session: Session, *, actor_id: int | None, participant_id: int, period: str, reason: str, now: datetime
) -> None:
    """Remove a participant from every contest of the period (SPEC §11.5); the rest re-rank."""
    from ag_app.domain.contest import parse_period
    from ag_app.services.contest import finalise

    moderator = require(session, actor_id, Capability.CONTEST_MODERATE)
    parse_period(period)
    text = _reason(reason)
    participant = session.get(ContestParticipant, participant_id)
    if participant is None:
        raise NotFound("contest.participant_not_found")
    lock_user(session, participant.user_id)
    exists = session.exec(
        select(Disqualification).where(
            Disqualification.participant_id == participant_id, Disqualification.period == period
        )
    ).first()
    if exists is not None:
        raise Conflict("contest.already_disqualified")
    session.add(
        Disqualification(
            period=period, participant_id=participant_id, reason=text, decided_by=moderator.id, decided_at=now
        )
    )
    audit(
        session,
        period=period,
        actor_id=moderator.id,
        action="disqualify",
        subject=f"участник {participant_id}",
        reason=text,
        now=now,
    )
    session.flush()
    recount_participant(session, participant_id, period)
    finalise.rerank_published(session, period=period, participant_id=participant_id, reason=text, now=now)


# ------------------------------------------------------------------------------------- staff reads

ACTION_NAMES = {
    "accept": "Чек принят",
    "reject": "Чек отклонён",
    "dismiss": "Отметка закрыта",
    "disqualify": "Участник исключён",
    "classify": "Продавец классифицирован",
    "create": "Конкурс создан",
    "finalise": "Итоги подведены",
    "pass_prize": "Приз передан",
    "import": "Реестр продавцов загружен",
}
AUDIT_LIMIT = 500


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit trail: who, when, what and why."""

    at: datetime
    actor: str
    action: str
    subject: str
    reason: str


@reads
def audit_trail(session: Session, *, actor_id: int | None, period: str, limit: int = 200) -> list[AuditLine]:
    """The audit trail of a month (and the registry actions, which have no month), newest first."""
    from ag_app.domain.contest import parse_period
    from ag_app.models import User

    require(session, actor_id, Capability.CONTEST_REVIEW)
    parse_period(period)
    rows = session.exec(
        select(ContestAudit, User)
        .join(User, User.id == ContestAudit.actor_id)
        .where(col(ContestAudit.period).in_((period, "")))
        .order_by(col(ContestAudit.at).desc(), col(ContestAudit.id).desc())
        .limit(max(1, min(limit, AUDIT_LIMIT)))
    ).all()
    return [
        AuditLine(
            at=as_utc(line.at),
            actor=" ".join(part for part in (user.last_name, user.first_name) if part) or f"№ {user.id}",
            action=ACTION_NAMES.get(line.action, line.action),
            subject=line.subject,
            reason=line.reason,
        )
        for line, user in rows
    ]


@dataclass(frozen=True)
class EvidenceReceipt:
    """A participant's receipt as moderators see it when weighing a flag (staff only)."""

    id: int
    status: str
    reason: str
    seller: str
    fn: str
    category: str
    amount: str
    points: int
    purchased_at: datetime
    saved_at: datetime
    channel: str


RECEIPTS_LIMIT = 500


@reads
def participant_receipts(
    session: Session, *, actor_id: int | None, participant_id: int, period: str
) -> list[EvidenceReceipt]:
    """Every receipt of a participant in a month, the latest purchase first (moderators, staff)."""
    from ag_app.domain.contest import CATEGORIES, parse_period

    require(session, actor_id, Capability.CONTEST_REVIEW)
    parse_period(period)
    if session.get(ContestParticipant, participant_id) is None:
        raise NotFound("contest.participant_not_found")
    rows = session.exec(
        select(Receipt, Seller)
        .join(Seller, col(Seller.fn) == Receipt.fn, isouter=True)
        .where(Receipt.participant_id == participant_id, Receipt.period == period)
        .order_by(col(Receipt.purchased_at).desc(), col(Receipt.id).desc())
        .limit(RECEIPTS_LIMIT)
    ).all()
    return [
        EvidenceReceipt(
            id=receipt.id,
            status=receipt.status,
            reason=receipt.reason,
            seller=(seller.name if seller is not None and seller.name else f"ФН {receipt.fn}"),
            fn=receipt.fn,
            category=CATEGORIES.get(seller.category, "") if seller is not None and seller.category else "",
            amount=amount_text(receipt.amount_kopecks),
            points=receipt.points,
            purchased_at=as_utc(receipt.purchased_at),
            saved_at=as_utc(receipt.saved_at),
            channel=receipt.channel,
        )
        for receipt, seller in rows
    ]
