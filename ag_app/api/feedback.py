"""Subscriptions, unsubscribe links and feedback tickets over the REST API."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db, writes
from ag_app.api.params import Id
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


# Stores the e-mail subscriptions the link turns off.
@writes
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


class AnswerIn(BaseModel):
    """Staff's answer to a ticket (2–4000 characters; a new answer replaces an earlier one)."""

    answer: str = Field(max_length=8000)


@router.get("/me/feedback/{ticket_id}")
def get_ticket(
    ticket_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> TicketView:
    """One ticket of the resident (staff may read any); somebody else's is 404."""
    return feedback.get_ticket(session, actor_id=actor, ticket_id=ticket_id)


@router.post("/me/feedback/{ticket_id}/close")
def close_ticket(
    ticket_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> TicketView:
    """Close a ticket (its author or staff); closing twice is 409."""
    return feedback.close_ticket(session, actor_id=actor, ticket_id=ticket_id, now=now)


# Staff routes (roles «staff», «admin»; residents get 403)


@router.get("/staff/feedback")
def staff_queue(
    status: Literal["", "new", "answered", "closed"] = "",
    order: Literal["newest", "oldest"] = "newest",
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> list[TicketView]:
    """The tickets for staff, optionally of one status, newest or oldest first."""
    return feedback.staff_queue(session, actor_id=actor, status=status, order=order)


@router.post("/staff/feedback/{ticket_id}/answer")
def answer_ticket(
    ticket_id: Id,
    body: AnswerIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> TicketView:
    """Answer a ticket; its author is notified in the app. A closed ticket is 409."""
    return feedback.answer_ticket(session, actor_id=actor, ticket_id=ticket_id, answer=body.answer, now=now)


@router.post("/staff/feedback/{ticket_id}/close")
def staff_close_ticket(
    ticket_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> TicketView:
    """Close a ticket from the staff queue (staff only)."""
    return feedback.staff_close_ticket(session, actor_id=actor, ticket_id=ticket_id, now=now)
