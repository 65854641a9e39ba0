"""The receipt contest «Любимый город» (SPEC §11): sellers, contests, receipts, ratings and prizes.

A rating is kept as one :class:`ContestEntry` per participant and contest (points and tie-break
moments) plus two counters — participants per points value and per (points, hour reached) — so a
participant's place is a sum over a few counter rows and a count inside one hour, never a scan of
the whole table.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class Seller(SQLModel, table=True):
    """The seller registry: a fiscal drive (``fn``) → the seller, its INN, category and region.

    Staff import it from CSV; a drive first seen on a receipt gets a row with no category
    (counts as ordinary) and waits in the classification queue.
    """

    id: int | None = Field(default=None, primary_key=True)
    fn: str = Field(unique=True, max_length=16)
    name: str = Field(default="", max_length=200)
    inn: str = Field(default="", max_length=12, index=True)
    # A key of ``domain.contest.CATEGORIES``, or None while unclassified.
    category: str | None = Field(default=None, max_length=20, index=True)
    # Region code of the seller, e.g. «77» (Moscow), «50» (Moscow Oblast); "" when unknown.
    region: str = Field(default="", max_length=3)
    classified_at: datetime | None = instant(nullable=True, default=None)
    created_at: datetime = instant()


class Contest(SQLModel, table=True):
    """One contest of a month: the general one (no restriction) or a parallel one with conditions."""

    __table_args__ = (
        # One general contest per month.
        Index(
            "ux_contest_general_period",
            "period",
            unique=True,
            sqlite_where=text("general"),
            postgresql_where=text("general"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # ``YYYY-MM``: the Moscow calendar month.
    period: str = Field(max_length=7, index=True)
    title: str = Field(max_length=200)
    general: bool = False
    # Conditions, comma-separated; empty = no restriction on that axis.
    categories: str = Field(default="", max_length=200)
    regions: str = Field(default="", max_length=200)
    partner_inns: str = Field(default="", max_length=2000)
    okrugs: str = Field(default="", max_length=200)
    # Prizes in roubles by place, comma-separated («2000,1500,1000,500,300»); the number of winners.
    prizes: str = Field(max_length=500)
    # Review rules (SPEC §11, issue 14 bullet 5).
    daily_limit: int = 50
    split_count: int = 5
    split_minutes: int = 10
    # «open» → «final» (frozen, published); finalised only after the month ends.
    status: str = Field(default="open", max_length=10)
    created_at: datetime = instant()
    created_by: int | None = Field(default=None, foreign_key="user.id")
    published_at: datetime | None = instant(nullable=True, default=None)
    # A winner claims the prize until this instant (one calendar month after publication).
    claim_until: datetime | None = instant(nullable=True, default=None)


class ContestParticipant(SQLModel, table=True):
    """A resident's public participant number (never the account id), given at the first receipt."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    # The account's registration, the third tie-break.
    registered_at: datetime = instant()


class Receipt(SQLModel, table=True):
    """A saved receipt; (fn, fd, fp) identifies it across all accounts, so it counts once."""

    __table_args__ = (
        UniqueConstraint("fn", "fd", "fp", name="ux_receipt_fiscal"),
        CheckConstraint("amount_kopecks > 0", name="ck_receipt_amount"),
        Index("ix_receipt_participant_period", "participant_id", "period", "purchased_at"),
        Index("ix_receipt_period_status", "period", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="contestparticipant.id")
    period: str = Field(max_length=7)
    fn: str = Field(max_length=16, index=True)
    fd: str = Field(max_length=10)
    fp: str = Field(max_length=10)
    purchased_at: datetime = instant()
    amount_kopecks: int
    saved_at: datetime = instant()
    # «qr» (pasted), «photo», «fields» (typed), «api».
    channel: str = Field(default="qr", max_length=10)
    # «accepted», «review» (counts only once accepted) or «rejected».
    status: str = Field(max_length=10)
    # Why it is on review («daily», «split») or the moderator's reason of a rejection.
    reason: str = Field(default="", max_length=500)
    # Points by the seller's category at the moment (1 or 10).
    points: int = 1
    # When it started counting with these points (acceptance or re-scoring); None while not counted.
    counted_at: datetime | None = instant(nullable=True, default=None)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = instant(nullable=True, default=None)


class ContestEntry(SQLModel, table=True):
    """A participant's standing in one contest (only participants with counted receipts have one)."""

    __table_args__ = (
        UniqueConstraint("contest_id", "participant_id", name="ux_contestentry"),
        # Within one points value the rating order itself: top rows, neighbours and the count of
        # those ahead in a tie are index range reads.
        Index(
            "ix_contestentry_rank",
            "contest_id",
            "points",
            "reached_hour",
            "reached_at",
            "last_receipt_at",
            "registered_at",
            "participant_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id")
    participant_id: int = Field(foreign_key="contestparticipant.id")
    points: int
    reached_at: datetime = instant()
    # Whole hours since the epoch of ``reached_at`` (the bucket of :class:`ContestHourTally`).
    reached_hour: int
    last_receipt_at: datetime = instant()
    registered_at: datetime = instant()


class ContestPointsTally(SQLModel, table=True):
    """How many participants of a contest have exactly ``points`` points."""

    contest_id: int = Field(foreign_key="contest.id", primary_key=True)
    points: int = Field(primary_key=True)
    n: int = 0


class ContestHourTally(SQLModel, table=True):
    """How many participants of a contest with ``points`` points reached them in ``hour``."""

    contest_id: int = Field(foreign_key="contest.id", primary_key=True)
    points: int = Field(primary_key=True)
    hour: int = Field(primary_key=True)
    n: int = 0


class ReceiptFlag(SQLModel, table=True):
    """A fraud-queue entry: a second upload from another account, or a review rule that fired."""

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", index=True)
    # «duplicate» (another account posted it), «daily», «split».
    kind: str = Field(max_length=10)
    # The other account's participant (duplicates); the receipt's own participant otherwise.
    participant_id: int = Field(foreign_key="contestparticipant.id", index=True)
    # What the moderator sees: counts, times and drives that made the rule fire.
    evidence: str = Field(default="", max_length=1000)
    created_at: datetime = instant()
    resolved_at: datetime | None = instant(nullable=True, default=None, index=True)
    resolved_by: int | None = Field(default=None, foreign_key="user.id")


class Disqualification(SQLModel, table=True):
    """A participant removed from every contest of a period, with who, when and why."""

    __table_args__ = (UniqueConstraint("period", "participant_id", name="ux_disqualification"),)

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=7)
    participant_id: int = Field(foreign_key="contestparticipant.id", index=True)
    reason: str = Field(max_length=500)
    decided_by: int = Field(foreign_key="user.id")
    decided_at: datetime = instant()


class ContestAudit(SQLModel, table=True):
    """The audit trail of staff actions on contests and receipts."""

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=7, index=True)
    contest_id: int | None = Field(default=None, foreign_key="contest.id")
    actor_id: int = Field(foreign_key="user.id")
    # «accept», «reject», «disqualify», «classify», «create», «finalise», «pass_prize», «import».
    action: str = Field(max_length=20)
    # What it was about, e.g. «чек 123», «участник 456», «ФН 9960…».
    subject: str = Field(default="", max_length=200)
    reason: str = Field(default="", max_length=500)
    at: datetime = instant()


class ContestResult(SQLModel, table=True):
    """One row of a frozen final rating (version = the seal it belongs to)."""

    __table_args__ = (UniqueConstraint("contest_id", "version", "place", name="ux_contestresult"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id")
    version: int
    place: int
    participant_id: int = Field(foreign_key="contestparticipant.id")
    points: int
    reached_at: datetime = instant()
    last_receipt_at: datetime = instant()
    registered_at: datetime = instant()
    prize_rub: int = 0


class ContestSeal(SQLModel, table=True):
    """The SHA-256 of a published final rating file; a re-rank after publication adds a version."""

    __table_args__ = (UniqueConstraint("contest_id", "version", name="ux_contestseal"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    version: int
    sha256: str = Field(max_length=64)
    rows: int
    sealed_at: datetime = instant()
    # Why this version replaced the previous one ("" for the first).
    reason: str = Field(default="", max_length=500)


class ContestPrize(SQLModel, table=True):
    """A prize of a final rating and who holds it now (it may pass on, audited)."""

    __table_args__ = (UniqueConstraint("contest_id", "place", name="ux_contestprize"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id")
    # The place in the prize table this prize belongs to (1 = the first prize).
    place: int
    amount_rub: int
    participant_id: int = Field(foreign_key="contestparticipant.id", index=True)
    # «awarded» (waiting for a claim), «claimed», «passed» (handed to someone else).
    status: str = Field(default="awarded", max_length=10)
    # The holder claims until this instant; a prize passed on gets a new month.
    claim_until: datetime = instant()
    awarded_at: datetime = instant()


class PrizeClaim(SQLModel, table=True):
    """A winner's payout details for an SBP transfer: seen by staff only, never published."""

    __table_args__ = (UniqueConstraint("prize_id", "participant_id", name="ux_prizeclaim"),)

    id: int | None = Field(default=None, primary_key=True)
    prize_id: int = Field(foreign_key="contestprize.id")
    participant_id: int = Field(foreign_key="contestparticipant.id")
    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    phone: str = Field(max_length=32)
    bank: str = Field(max_length=100)
    created_at: datetime = instant()
