"""Subscriptions, unsubscribe links and feedback tickets over the REST API."""

from datetime import datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.services import feedback, subscriptions
from ag_app.services.feedback import TicketView
from ag_app.services.subscriptions import SubscriptionView, UnsubscribeResult

router = APIRouter(tags=["Подписки и обратная связь"])


class SubscriptionIn(BaseModel):
    """One topic («polls», «results», «decisions», «house», «shop») and channel («app», «email», «sms»)."""

    topic: str = Field(max_length=20)
    channel: str = Field(max_length=10)
    enabled: bool


class TicketIn(BaseModel):
    """A feedback ticket: a topic of the list and a text of 10–4000 characters."""

    topic: str = Field(max_length=20)
    text: str = Field(max_length=8000)


@router.get("/me/subscriptions")
def my_subscriptions(
    session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[SubscriptionView]:
    """Which topics the resident gets by which channel."""
    return subscriptions.my_subscriptions(session, actor_id=actor)


@router.put("/me/subscriptions")
def set_subscription(
    body: SubscriptionIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[SubscriptionView]:
    """Turn one topic on or off for one channel; returns every choice."""
    subscriptions.set_subscription(
        session, actor_id=actor, topic=body.topic, channel=body.channel, enabled=body.enabled, now=now
    )
    return subscriptions.my_subscriptions(session, actor_id=actor)


@router.get("/unsubscribe")
def unsubscribe(
    token: str = "", session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> UnsubscribeResult:
    """Turn off the e-mails named by the signed token of an e-mail's unsubscribe link (no login)."""
    return subscriptions.unsubscribe(session, token=token[:200], now=now)


@router.get("/me/feedback")
def my_tickets(
    session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[TicketView]:
    """The resident's feedback tickets with answers and statuses, newest first."""
    return feedback.my_tickets(session, actor_id=actor)


@router.post("/me/feedback", status_code=status.HTTP_201_CREATED)
def file_ticket(
    body: TicketIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> TicketView:
    """File a feedback ticket; the answer gives its number."""
    return feedback.file_ticket(session, actor_id=actor, topic=body.topic, text=body.text, now=now)
