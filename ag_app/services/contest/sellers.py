"""The seller registry: staff import it from CSV, moderators classify drives first seen on receipts.

Classifying a seller as a fuel station (or back) re-scores its receipts in every open period and
recounts their participants in the same transaction, so the rating moves at once.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.contest import CATEGORIES, parse_inn, receipt_points
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.domain.text import clean_text
from ag_app.models import Contest, ContestParticipant, Receipt, Seller
from ag_app.services.access import Capability, lock_user, require
from ag_app.services.contest.moderation import audit
from ag_app.services.contest.scoring import ACCEPTED, recount_participant

# The CSV header staff upload: «фн;название;инн;категория;регион» (semicolon or comma).
CSV_COLUMNS = ("fn", "name", "inn", "category", "region")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class SellerRow:
    fn: str
    name: str
    inn: str
    category: str
    region: str


def parse_registry(text: str) -> list[SellerRow]:
    """Rows of a registry CSV; the first bad row is refused with its number, nothing is imported."""
    dialect = ";" if text.count(";") > text.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if tuple(header) != CSV_COLUMNS:
        raise InvalidInput("contest.registry_header", columns=dialect.join(CSV_COLUMNS))
    rows: list[SellerRow] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput("contest.registry_too_big", limit=MAX_ROWS)
        try:
            fn, name, inn, category, region = (cell.strip() for cell in cells)
            if not (fn.isascii() and fn.isdigit() and len(fn) == 16):
                raise InvalidInput("contest.qr_fn_invalid")
            if category not in CATEGORIES:
                raise InvalidInput("contest.category_invalid")
            if region and not (region.isascii() and region.isdigit() and len(region) <= 3):
                raise InvalidInput("contest.region_invalid")
            rows.append(SellerRow(fn, clean_text(name)[:200], parse_inn(inn), category, region))
        except ValueError:
            raise InvalidInput("contest.registry_row", row=number, reason="нужно 5 полей") from None
        except InvalidInput as error:
            raise InvalidInput("contest.registry_row", row=number, reason=str(error)) from None
    return rows


def import_registry(session: Session, *, actor_id: int | None, text: str, now: datetime) -> int:
    """Create or update sellers from a CSV; changed categories re-score open periods."""
    manager = require(session, actor_id, Capability.CONTEST_MANAGE)
    rows = parse_registry(text)
    for row in rows:
        seller = session.exec(select(Seller).where(Seller.fn == row.fn)).first()
        if seller is None:
            seller = Seller(fn=row.fn, created_at=now)
        seller.name, seller.inn, seller.region = row.name, row.inn, row.region
        _set_category(session, seller, row.category, now)
    audit(
        session,
        period="",
        actor_id=manager.id,
        action="import",
        subject=f"{len(rows)} продавцов",
        reason="",
        now=now,
    )
    return len(rows)


def classify(session: Session, *, actor_id: int | None, seller_id: int, category: str, now: datetime) -> None:
    """Set a seller's category; its receipts of open periods are re-scored and re-ranked at once."""
    moderator = require(session, actor_id, Capability.CONTEST_MODERATE)
    if category not in CATEGORIES:
        raise InvalidInput("contest.category_invalid")
    seller = session.exec(select(Seller).where(Seller.id == seller_id).with_for_update()).first()
    if seller is None:
        raise NotFound("contest.seller_not_found")
    _set_category(session, seller, category, now)
    audit(
        session,
        period="",
        actor_id=moderator.id,
        action="classify",
        subject=f"ФН {seller.fn}",
        reason=CATEGORIES[category],
        now=now,
    )


def _set_category(session: Session, seller: Seller, category: str, now: datetime) -> None:
    changed = seller.category != category
    seller.category, seller.classified_at = category, now
    session.add(seller)
    session.flush()
    if changed:
        rescore(session, seller, now)


def rescore(session: Session, seller: Seller, now: datetime) -> int:
    """Give the seller's receipts of open periods their points by its category; recount owners.

    The owners are locked first, in ascending order, before any receipt or entry is touched: the
    same order every other use case takes (one owner's lock, then their rows), so none deadlocks.
    """
    open_periods = select(Contest.period).where(Contest.status == "open").distinct()
    of_seller = select(Receipt).where(Receipt.fn == seller.fn, col(Receipt.period).in_(open_periods))
    owners = session.exec(
        select(ContestParticipant.user_id)
        .where(col(ContestParticipant.id).in_(select(of_seller.subquery().c.participant_id)))
        .distinct()
    ).all()
    for user_id in sorted(owners):
        lock_user(session, user_id)
    points = receipt_points(seller.category)
    touched: set[tuple[int, str]] = set()
    for receipt in session.exec(of_seller).all():
        if receipt.points != points:
            receipt.points = points
            # A counted receipt counts with its new points from now on.
            if receipt.status == ACCEPTED:
                receipt.counted_at = now
            session.add(receipt)
        if receipt.status == ACCEPTED:
            # Its category may also decide which parallel contests it counts in.
            touched.add((receipt.participant_id, receipt.period))
    session.flush()
    for participant_id, period in sorted(touched):
        recount_participant(session, participant_id, period)
    return len(touched)


@dataclass(frozen=True)
class SellerView:
    id: int
    fn: str
    name: str
    inn: str
    category: str
    region: str
    receipts: int


@reads
def unclassified(session: Session, *, actor_id: int | None, limit: int = 100) -> list[SellerView]:
    """Drives first seen on receipts that wait for a category, the most receipts first."""
    require(session, actor_id, Capability.CONTEST_MODERATE)
    count = func.count(Receipt.id)
    rows = session.exec(
        select(Seller, count)
        .join(Receipt, Receipt.fn == Seller.fn, isouter=True)
        .where(col(Seller.category).is_(None))
        .group_by(Seller.id)
        .order_by(count.desc(), Seller.id)
        .limit(limit)
    ).all()
    return [SellerView(s.id, s.fn, s.name, s.inn, "", s.region, n) for s, n in rows]
