"""The points ledger and what feeds it: invitations, shares, promo codes, badges."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class PointEntry(SQLModel, table=True):
    """A ledger row: a credit (positive) or debit (negative) with its reason and reference.

    ``(user_id, reason, ref)`` is unique, so "once per poll / block / day / code" rules hold
    under any concurrency: the second credit cannot be written.
    """

    __table_args__ = (UniqueConstraint("user_id", "reason", "ref", name="uq_pointentry_once"),)

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique key (user_id, reason, ref) serves lookups by user.
    user_id: int = Field(foreign_key="user.id")
    amount: int
    # «poll», «profile_block», «profile_full», «daily_visit», «invitation», «share», «promo», …
    reason: str = Field(max_length=20)
    # What the row is for, e.g. «poll:12», «2026-11-21», «vk:2026-11».
    ref: str = Field(max_length=100)
    # Russian description shown in «Мои баллы».
    description: str = Field(default="", max_length=300)
    created_at: datetime = instant(index=True)


class Invitation(SQLModel, table=True):
    """A user invited a friend's phone; paid when that phone registers within 30 days."""

    id: int | None = Field(default=None, primary_key=True)
    inviter_id: int = Field(foreign_key="user.id", index=True)
    phone: str = Field(index=True, max_length=32)
    created_at: datetime = instant()
    accepted_user_id: int | None = Field(default=None, foreign_key="user.id")
    accepted_at: datetime | None = instant(nullable=True, default=None)
    # Whether the 5 points were credited (false when the monthly cap was reached).
    paid: bool = False


class SocialShare(SQLModel, table=True):
    """A recorded share of a poll in a social network (points only within the caps)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    poll_id: int = Field(foreign_key="poll.id")
    network: str = Field(max_length=20)
    created_at: datetime = instant()
    points: int = 0


class PromoCode(SQLModel, table=True):
    """A promo code worth points, with an optional total use limit and expiry."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    points: int
    max_uses: int | None = None
    uses: int = 0
    expires_at: datetime | None = instant(nullable=True, default=None)


class Badge(SQLModel, table=True):
    """The monthly «Знак активности» of a user for a month ``YYYY-MM``."""

    __table_args__ = (UniqueConstraint("user_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    month: str = Field(max_length=7, index=True)
    awarded_at: datetime = instant()


class BadgeRun(SQLModel, table=True):
    """Marks a month whose badges were awarded, so the automatic run happens once."""

    month: str = Field(primary_key=True, max_length=7)
    ran_at: datetime = instant()
    awarded: int = 0
