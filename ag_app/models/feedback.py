"""Subscription choices and feedback tickets."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class SubscriptionChoice(SQLModel, table=True):
    """A resident's choice for one topic and channel; a missing row means the default."""

    __table_args__ = (UniqueConstraint("user_id", "topic", "channel", name="uq_subscription_choice"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    topic: str = Field(max_length=20)
    channel: str = Field(max_length=10)
    enabled: bool
    changed_at: datetime = instant()


class FeedbackTicket(SQLModel, table=True):
    """A resident's feedback ticket and the staff answer."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    topic: str = Field(max_length=20)
    text: str = Field(sa_column=Column(Text, nullable=False))
    # «new», «answered» or «closed».
    status: str = Field(default="new", max_length=10, index=True)
    created_at: datetime = instant(index=True)
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    answered_at: datetime | None = instant(nullable=True, default=None)
    answered_by: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = instant(nullable=True, default=None)
