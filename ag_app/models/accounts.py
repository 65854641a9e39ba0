"""Accounts, profiles, identification, login codes and sessions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class User(SQLModel, table=True):
    """A registered person; one phone number is one account.

    The points balance is a cache of the ledger kept in the same transaction as every ledger row;
    CHECK constraints make overspending impossible even under concurrency.
    """

    __table_args__ = (
        CheckConstraint("points_available >= 0", name="ck_user_points_available"),
        CheckConstraint("points_blocked >= 0", name="ck_user_points_blocked"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # «Уникальный идентификатор пользователя»: random, never changes, shown in the profile.
    uid: str = Field(unique=True, max_length=32)
    # E.164; cleared (set to a tombstone) on deactivation.
    phone: str = Field(unique=True, max_length=32)
    # Region of the phone number from the numbering plan: «moscow» or «other».
    phone_region: str = Field(default="other", max_length=10)
    created_at: datetime = instant()
    terms_accepted_at: datetime = instant()
    deactivated_at: datetime | None = instant(nullable=True, default=None)

    last_name: str = Field(default="", max_length=100)
    first_name: str = Field(default="", max_length=100)
    # «-» when the person has no patronymic.
    patronymic: str = Field(default="", max_length=100)
    # «male» / «female» / "" (not given).
    gender: str = Field(default="", max_length=10)
    birth_date: date | None = None
    # «single», «married», «divorced», «widowed» or "" (not given).
    marital_status: str = Field(default="", max_length=20)
    # Whether the family block was saved (children may legitimately be none).
    family_filled: bool = False
    email: str = Field(default="", max_length=254)
    email_confirmed_at: datetime | None = instant(nullable=True, default=None)

    # Identity documents, filled when level 3 is reached.
    passport_series: str = Field(default="", max_length=4)
    passport_number: str = Field(default="", max_length=6)
    snils: str = Field(default="", max_length=11)
    identity_verified_at: datetime | None = instant(nullable=True, default=None)

    points_available: int = 0
    points_blocked: int = 0
    # Sum of every credit ever made; drives the «Активный гражданин» status.
    points_lifetime: int = 0
    active_citizen_since: datetime | None = instant(nullable=True, default=None)


class UserRole(SQLModel, table=True):
    """A staff role of a user: «moderator», «staff» or «admin» (residents have no row)."""

    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=20)


class Child(SQLModel, table=True):
    """A child of a user, known by birth year only."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    birth_year: int


class UserAddress(SQLModel, table=True):
    """One of the user's addresses: registration, residence, work or property."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # «registration», «residence», «work» or «property».
    kind: str = Field(max_length=20)
    house_id: int = Field(foreign_key="house.id", index=True)
    apartment: str = Field(default="", max_length=10)
    # When the address was last set; the next change is allowed 3 months later.
    changed_at: datetime = instant()


class CitizenRecord(SQLModel, table=True):
    """The citizen registry imported by staff; level 3 needs a record matching on every field."""

    __table_args__ = (UniqueConstraint("snils"),)

    id: int | None = Field(default=None, primary_key=True)
    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    patronymic: str = Field(default="", max_length=100)
    birth_date: date
    passport_series: str = Field(max_length=4)
    passport_number: str = Field(max_length=6)
    snils: str = Field(max_length=11)


class LoginCode(SQLModel, table=True):
    """A one-time SMS code; only its hash is stored."""

    __table_args__ = (Index("ix_logincode_client_hash_created_at", "client_hash", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(index=True, max_length=32)
    code_hash: str = Field(max_length=128)
    created_at: datetime = instant(index=True)
    expires_at: datetime = instant()
    failed_attempts: int = 0
    used_at: datetime | None = instant(nullable=True, default=None)
    # Keyed hash (HMAC-SHA256 under AG_SECRET_KEY) of the requesting client's address or IPv6 /64,
    # for the per-client limit; the address itself is never stored. Empty when unknown.
    client_hash: str = Field(default="", max_length=64)


class AuthSession(SQLModel, table=True):
    """A login session; the client holds an opaque random token, the server only its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = instant()
    expires_at: datetime = instant()
    revoked_at: datetime | None = instant(nullable=True, default=None)


class NumberingRange(SQLModel, table=True):
    """A block of the Russian numbering plan (DEF code + range) and the region it is assigned to."""

    id: int | None = Field(default=None, primary_key=True)
    # Three-digit DEF code, e.g. 916.
    code: int = Field(index=True)
    range_from: int
    range_to: int
    region: str = Field(max_length=200)
    operator: str = Field(default="", max_length=200)
