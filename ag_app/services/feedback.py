"""«Обратная связь» (SPEC §4.3): residents file tickets, staff answer them, residents read the answers."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from ag_app.domain.feedback import (
    ANSWER_MAX,
    FEEDBACK_TOPICS,
    STATUSES,
    check_ticket,
    clean_text,
    ticket_number,
)
from ag_app.models import FeedbackTicket
from ag_app.services.access import Capability, active_user, has, lock_user, require
from ag_app.services.notifications import notify

# Tickets without an answer one resident may have at a time (keeps the queue from being flooded).
OPEN_TICKETS_LIMIT = 10
_LIST_LIMIT = 200
QUEUE_ORDERS = ("newest", "oldest")


@dataclass(frozen=True)
class TicketView:
    """A ticket as its author or staff see it (no personal data of the author)."""

    id: int
    number: str
    topic: str
    topic_label: str
    text: str
    status: str
    status_label: str
    created_at: datetime
    answer: str
    answered_at: datetime | None


def _view(ticket: FeedbackTicket) -> TicketView:
    return TicketView(
        id=ticket.id,
        number=ticket_number(ticket.id),
        topic=ticket.topic,
        topic_label=FEEDBACK_TOPICS.get(ticket.topic, ticket.topic),
        text=ticket.text,
        status=ticket.status,
        status_label=STATUSES[ticket.status],
        created_at=ticket.created_at,
        answer=ticket.answer,
        answered_at=ticket.answered_at,
    )


def file_ticket(
    session: Session,
    *,
    actor_id: int | None,
    topic: str,
    text: str,
    now: datetime,
    prior: Mapping[str, DomainError] | None = None,
) -> TicketView:
    """File a ticket with a topic of the list and a text of 10–4000 characters; returns it with its number.

    Topic and text are checked together (:func:`ag_app.domain.feedback.check_ticket`; ``prior`` are
    fields the form could not read). At most :data:`OPEN_TICKETS_LIMIT` tickets of one resident may
    wait for an answer at a time.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    topic, text = check_ticket(topic, text, prior)
    waiting = session.exec(
        select(func.count())
        .select_from(FeedbackTicket)
        .where(FeedbackTicket.user_id == user.id, FeedbackTicket.status == "new")
    ).one()
    if waiting >= OPEN_TICKETS_LIMIT:
        raise Conflict("feedback.too_many_open", limit=OPEN_TICKETS_LIMIT)
    ticket = FeedbackTicket(user_id=user.id, topic=topic, text=text, status="new", created_at=now)
    session.add(ticket)
    session.flush()
    return _view(ticket)


def my_tickets(session: Session, *, actor_id: int | None) -> list[TicketView]:
    """The actor's own tickets, newest first."""
    user = active_user(session, actor_id)
    rows = session.exec(
        select(FeedbackTicket)
        .where(FeedbackTicket.user_id == user.id)
        .order_by(col(FeedbackTicket.created_at).desc(), col(FeedbackTicket.id).desc())
        .limit(_LIST_LIMIT)
    ).all()
    return [_view(row) for row in rows]


def get_ticket(session: Session, *, actor_id: int | None, ticket_id: int) -> TicketView:
    """One ticket for its author or staff; anybody else's is «не найдено» (ids cannot be probed)."""
    user = active_user(session, actor_id)
    ticket = session.get(FeedbackTicket, ticket_id)
    if ticket is None or (
        ticket.user_id != user.id and not has(session, user.id, Capability.FEEDBACK_ANSWER)
    ):
        raise NotFound("feedback.not_found")
    return _view(ticket)


def staff_queue(
    session: Session, *, actor_id: int | None, status: str = "", order: str = "newest"
) -> list[TicketView]:
    """The tickets for staff, optionally of one status, newest or oldest first."""
    require(session, actor_id, Capability.FEEDBACK_ANSWER)
    if status and status not in STATUSES:
        raise InvalidInput("feedback.status_invalid")
    if order not in QUEUE_ORDERS:
        raise InvalidInput("feedback.order_invalid")
    query = select(FeedbackTicket)
    if status:
        query = query.where(FeedbackTicket.status == status)
    ordering = (
        (col(FeedbackTicket.created_at).desc(), col(FeedbackTicket.id).desc())
        if order == "newest"
        else (col(FeedbackTicket.created_at), col(FeedbackTicket.id))
    )
    return [_view(row) for row in session.exec(query.order_by(*ordering).limit(_LIST_LIMIT)).all()]


def _ticket_for_update(session: Session, ticket_id: int) -> FeedbackTicket:
    ticket = session.exec(
        select(FeedbackTicket).where(FeedbackTicket.id == ticket_id).with_for_update()
    ).first()
    if ticket is None:
        raise NotFound("feedback.not_found")
    return ticket


def answer_ticket(
    session: Session, *, actor_id: int | None, ticket_id: int, answer: str, now: datetime
) -> TicketView:
    """Staff answer a ticket (a new answer replaces an earlier one); the author is notified in the app.

    A closed ticket cannot be answered.
    """
    staff = require(session, actor_id, Capability.FEEDBACK_ANSWER)
    answer = clean_text(answer, limit=ANSWER_MAX, minimum=2)
    ticket = _ticket_for_update(session, ticket_id)
    if ticket.status == "closed":
        raise Conflict("feedback.already_closed")
    ticket.answer, ticket.answered_at, ticket.answered_by, ticket.status = answer, now, staff.id, "answered"
    session.add(ticket)
    session.flush()
    number = ticket_number(ticket.id)
    notify(
        session,
        user_id=ticket.user_id,
        title=f"Ответ на обращение {number}",
        body=answer[:500],
        link="/feedback",
        now=now,
    )
    return _view(ticket)


def close_ticket(session: Session, *, actor_id: int | None, ticket_id: int, now: datetime) -> TicketView:
    """Close a ticket: its author or staff may; closing twice is refused."""
    user = active_user(session, actor_id)
    ticket = _ticket_for_update(session, ticket_id)
    if ticket.user_id != user.id and not has(session, user.id, Capability.FEEDBACK_ANSWER):
        raise NotFound("feedback.not_found")
    if ticket.status == "closed":
        raise Conflict("feedback.already_closed")
    ticket.status, ticket.closed_at = "closed", now
    session.add(ticket)
    session.flush()
    return _view(ticket)


def staff_close_ticket(
    session: Session, *, actor_id: int | None, ticket_id: int, now: datetime
) -> TicketView:
    """Close a ticket from the staff queue: staff and administrators only (residents use :func:`close_ticket`)."""
    require(session, actor_id, Capability.FEEDBACK_ANSWER)
    return close_ticket(session, actor_id=actor_id, ticket_id=ticket_id, now=now)
