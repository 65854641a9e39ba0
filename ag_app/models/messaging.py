"""Notifications, the SMS/e-mail outbox and news."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class Notification(SQLModel, table=True):
    """An item of a user's in-app notification centre."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    link: str = Field(default="", max_length=300)
    created_at: datetime = instant()
    read_at: datetime | None = instant(nullable=True, default=None)


class OutboxMessage(SQLModel, table=True):
    """An SMS or e-mail as sent; the built-in gateway keeps it here (and SMTP delivers e-mails)."""

    id: int | None = Field(default=None, primary_key=True)
    # «sms» or «email».
    channel: str = Field(max_length=10)
    recipient: str = Field(index=True, max_length=254)
    # The account the message concerns, when there is one (rate limits, clean-up on deactivation).
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    subject: str = Field(default="", max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = instant(index=True)
    # «queued», «sending» (claimed by a worker), «sent» (delivered to SMTP) or «outbox» (kept here only).
    status: str = Field(default="outbox", max_length=10)
    # When a worker claimed the e-mail for sending.
    claimed_at: datetime | None = instant(nullable=True, default=None)


class NewsItem(SQLModel, table=True):
    """An item of «Новости»: published results, decisions, campaign news."""

    id: int | None = Field(default=None, primary_key=True)
    # «results», «decision» or «news».
    kind: str = Field(max_length=12)
    title: str = Field(max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    poll_id: int | None = Field(default=None, foreign_key="poll.id")
    published_at: datetime = instant(index=True)
