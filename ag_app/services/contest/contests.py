"""The contests of a month: the general one (made on demand) and the parallel ones staff create."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.domain.contest import (
    CATEGORIES,
    GENERAL_PRIZES,
    MONTHS,
    Conditions,
    ReviewRules,
    parse_inn,
    parse_period,
    period_ended,
    period_label,
)
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.models import (
    Contest,
    ContestAudit,
    ContestParticipant,
    District,
    House,
    Okrug,
    Receipt,
    UserAddress,
)

# Which of the participant's addresses gives their okrug, in order of preference.
_ADDRESS_KINDS = ("registration", "residence")


def _split(raw: str) -> frozenset[str]:
    return frozenset(part for part in raw.split(",") if part)


def conditions_of(contest: Contest) -> Conditions:
    """The contest's restrictions as the pure rule reads them."""
    return Conditions(
        categories=_split(contest.categories),
        regions=_split(contest.regions),
        partner_inns=_split(contest.partner_inns),
        okrugs=frozenset(int(part) for part in _split(contest.okrugs)),
    )


def rules_of(contest: Contest) -> ReviewRules:
    """When the contest puts a receipt on review."""
    return ReviewRules(
        daily_limit=contest.daily_limit, split_count=contest.split_count, split_minutes=contest.split_minutes
    )


def prizes_of(contest: Contest) -> tuple[int, ...]:
    """Prizes in roubles by place."""
    return tuple(int(part) for part in contest.prizes.split(",") if part)


def general_title(year: int, month: int) -> str:
    """«Конкурс чеков — декабрь 2026»."""
    return f"Конкурс чеков — {MONTHS[month - 1]} {year}"


def ensure_general(session: Session, year: int, month: int, now: datetime) -> Contest:
    """The month's general contest, created on first need (racing creators make one)."""
    period = period_label(year, month)
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Contest)
        .values(
            period=period,
            title=general_title(year, month),
            general=True,
            categories="",
            regions="",
            partner_inns="",
            okrugs="",
            prizes=",".join(str(prize) for prize in GENERAL_PRIZES),
            daily_limit=ReviewRules().daily_limit,
            split_count=ReviewRules().split_count,
            split_minutes=ReviewRules().split_minutes,
            status="open",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["period"], index_where=text("general"))
    )
    return session.exec(select(Contest).where(Contest.period == period, col(Contest.general))).one()


def contests_of_period(session: Session, period: str, *, status: str | None = None) -> list[Contest]:
    """The month's contests, the general one first."""
    statement = select(Contest).where(Contest.period == period)
    if status is not None:
        statement = statement.where(Contest.status == status)
    return list(session.exec(statement.order_by(col(Contest.general).desc(), Contest.id)).all())


def get_contest(session: Session, contest_id: int) -> Contest:
    """A contest by id, or NotFound."""
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFound("contest.not_found")
    return contest


def okrug_of(session: Session, user_id: int) -> int | None:
    """The okrug of the participant's registration (else residence) address, if any."""
    rows = session.exec(
        select(UserAddress.kind, District.okrug_id)
        .join(House, House.id == UserAddress.house_id)
        .join(District, District.id == House.district_id)
        .where(UserAddress.user_id == user_id, col(UserAddress.kind).in_(_ADDRESS_KINDS))
    ).all()
    by_kind = dict(rows)
    return next((by_kind[kind] for kind in _ADDRESS_KINDS if kind in by_kind), None)


@dataclass(frozen=True)
class ContestDraft:
    """What staff fill in to create a parallel contest."""

    period: str
    title: str
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    partner_inns: tuple[str, ...] = ()
    okrugs: tuple[int, ...] = ()
    prizes: tuple[int, ...] = ()
    daily_limit: int = 50
    split_count: int = 5
    split_minutes: int = 10


def check_draft(draft: ContestDraft) -> ContestDraft:
    """Refuse a parallel contest without a restriction, with an unknown category or bad prizes."""
    title = draft.title.strip()
    if not title or len(title) > 200:
        raise InvalidInput("contest.title_invalid")
    if not (draft.categories or draft.regions or draft.partner_inns or draft.okrugs):
        raise InvalidInput("contest.conditions_required")
    if any(category not in CATEGORIES for category in draft.categories):
        raise InvalidInput("contest.category_invalid")
    if any(not (region.isascii() and region.isdigit() and 1 <= len(region) <= 3) for region in draft.regions):
        raise InvalidInput("contest.region_invalid")
    inns = tuple(parse_inn(inn) for inn in draft.partner_inns)
    if not 1 <= len(draft.prizes) <= 100 or any(not 0 < prize <= 10_000_000 for prize in draft.prizes):
        raise InvalidInput("contest.prizes_invalid")
    if not (
        1 <= draft.daily_limit <= 10_000
        and 2 <= draft.split_count <= 1000
        and 1 <= draft.split_minutes <= 1440
    ):
        raise InvalidInput("contest.rules_invalid")
    return ContestDraft(**{**draft.__dict__, "title": title, "partner_inns": inns})


def create_contest(session: Session, *, actor_id: int | None, draft: ContestDraft, now: datetime) -> int:
    """Create a parallel contest (staff) for the current or a future month, never a finished one.

    Receipts already accepted in the month count in it at once: its rating is built from them in
    the same transaction. Audited as «create».
    """
    from ag_app.services.access import Capability, lock_user, require
    from ag_app.services.contest.scoring import recount_contest

    manager = require(session, actor_id, Capability.CONTEST_MANAGE)
    year, month = parse_period(draft.period)
    checked = check_draft(draft)
    if period_ended(year, month, now):
        raise InvalidInput("contest.period_finished")
    okrugs = sorted(set(checked.okrugs))
    if okrugs:
        known = set(session.exec(select(Okrug.id).where(col(Okrug.id).in_(okrugs))).all())
        if known != set(okrugs):
            raise InvalidInput("contest.okrug_invalid")
    contest = Contest(
        period=period_label(year, month),
        title=checked.title,
        general=False,
        categories=",".join(sorted(set(checked.categories))),
        regions=",".join(sorted(set(checked.regions))),
        partner_inns=",".join(sorted(set(checked.partner_inns))),
        okrugs=",".join(str(okrug) for okrug in okrugs),
        prizes=",".join(str(prize) for prize in checked.prizes),
        daily_limit=checked.daily_limit,
        split_count=checked.split_count,
        split_minutes=checked.split_minutes,
        status="open",
        created_at=now,
        created_by=manager.id,
    )
    if len(contest.partner_inns) > 2000:
        raise InvalidInput("contest.inns_too_many")
    session.add(contest)
    session.flush()
    session.add(
        ContestAudit(
            period=contest.period,
            contest_id=contest.id,
            actor_id=manager.id,
            action="create",
            subject=f"конкурс {contest.id}",
            reason=contest.title,
            at=now,
        )
    )
    # Serialise with the participants' own receipts (the lock saving one takes), in ascending
    # order like every other use case, before their standings in the new contest are built.
    owners = session.exec(
        select(ContestParticipant.user_id)
        .where(
            col(ContestParticipant.id).in_(
                select(Receipt.participant_id).where(
                    Receipt.period == contest.period, Receipt.status == "accepted"
                )
            )
        )
        .distinct()
    ).all()
    for user_id in sorted(owners):
        lock_user(session, user_id)
    recount_contest(session, contest)
    return contest.id
