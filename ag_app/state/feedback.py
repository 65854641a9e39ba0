"""«Обратная связь» (SPEC §4.3): the resident's tickets and the staff queue.

Every handler resolves the actor from the session cookie and calls a service that checks the
rights again (only the author or staff see and close a ticket, only staff answer), so a handler
called over the websocket by name with any arguments changes nothing it should not. Arguments are
checked for type and length before they reach a service.
"""

import dataclasses

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.feedback import ANSWER_MAX, FEEDBACK_TOPICS, STATUSES, TEXT_MAX
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services import feedback
from ag_app.services.feedback import QUEUE_ORDERS, TicketView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, UserPageMixin, actor_of, call, holds_user_data, now

# Choices of the topic select, in the order of the list.
TOPIC_OPTIONS: list[tuple[str, str]] = list(FEEDBACK_TOPICS.items())
# Choices of the staff status filter («all» is the empty value).
STATUS_OPTIONS: list[tuple[str, str]] = [("", label("ui.common.vse")), *STATUSES.items()]
ORDER_OPTIONS: list[tuple[str, str]] = [
    ("newest", label("ui.feedback.snachala_novye")),
    ("oldest", label("ui.feedback.snachala_starye")),
]


@dataclasses.dataclass
class TicketRow:
    """A ticket as display strings."""

    id: str = ""
    number: str = ""
    topic: str = ""
    text: str = ""
    status: str = ""
    status_label: str = ""
    created: str = ""
    answer: str = ""
    answered: str = ""


def _row(view: TicketView) -> TicketRow:
    return TicketRow(
        id=str(view.id),
        number=view.number,
        topic=view.topic_label,
        text=view.text,
        status=view.status,
        status_label=view.status_label,
        created=fmt.when(view.created_at),
        answer=view.answer,
        answered=fmt.when(view.answered_at),
    )


def _ticket_id(value: object) -> int | None:
    """A ticket id sent by the page (digits only), or None."""
    return id_or_none(value)


def _form_text(form: object, key: str, limit: int) -> str | None:
    """A text field of a submitted form, or None when it is missing, not text or far too long."""
    value = form.get(key, "") if isinstance(form, dict) else None
    if not isinstance(value, str) or len(value) > limit:
        return None
    return value


@holds_user_data
class FeedbackState(UserPageMixin, rx.State):
    """``/feedback``: the form and the resident's own tickets; guests are sent to the login page."""

    loaded: bool = False
    tickets: list[TicketRow] = []
    # The number of the ticket just filed («ОБ-000123»), shown above the list.
    filed_number: str = ""
    # Changed after a successful filing so the form is drawn empty again.
    form_key: int = 0
    # The form fields the last refused filing named, marked aria-invalid («topic», «text»).
    invalid_fields: list[str] = []

    def _clear_feedback(self) -> None:
        """A new action: the last refusal and its field marks go."""
        super()._clear_feedback()
        self.invalid_fields = []

    async def _fill(self, actor: int | None) -> None:
        self.tickets = [_row(t) for t in await call(feedback.my_tickets, actor_id=actor)]
        self.loaded = True

    @rx.event
    async def load(self):
        """Open the page: guests go to the login page."""
        self.filed_number = ""
        self.invalid_fields = []
        return await self._open()

    @rx.event
    async def submit(self, form: dict):
        """File a ticket with the chosen topic and text; shows its number (one confirmation)."""
        self._clear_feedback()
        self.filed_number = ""
        topic = _form_text(form, "topic", 20)
        text = _form_text(form, "text", 2 * TEXT_MAX)
        prior: dict[str, DomainError] = {}
        if topic is None or topic not in FEEDBACK_TOPICS:
            prior["topic"] = InvalidInput("feedback.topic_invalid")
        if text is None:
            prior["text"] = InvalidInput("feedback.text_too_long", limit=TEXT_MAX)
        actor = await actor_of(self)
        try:
            ticket = await call(
                feedback.file_ticket,
                actor_id=actor,
                topic=topic or "",
                text=text or "",
                now=now(),
                prior=prior,
            )
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
            self.invalid_fields = list(error.problems) if isinstance(error, FormProblems) else []
            return
        # The page confirms a filing once, in its «Обращение № … зарегистрировано» box (not ``notice``).
        self.filed_number = ticket.number
        self.form_key += 1

    @rx.event
    async def close(self, ticket_id: str):
        """Close one of the resident's tickets (the service refuses somebody else's)."""
        self._clear_feedback()
        number = _ticket_id(ticket_id)
        if number is None:
            return
        actor = await actor_of(self)
        try:
            ticket = await call(feedback.close_ticket, actor_id=actor, ticket_id=number, now=now())
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("ui.feedback.obrashchenie_zakryto_2", number=ticket.number)


@holds_user_data
class StaffFeedbackState(FeedbackMixin, rx.State):
    """``/staff/feedback``: the queue of tickets for staff (others see «Недостаточно прав», no data)."""

    loaded: bool = False
    allowed: bool = False
    queue: list[TicketRow] = []
    # Status filter («» — all) and order of the queue.
    status: str = ""
    order: str = "newest"

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            items = await call(feedback.staff_queue, actor_id=actor, status=self.status, order=self.order)
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.queue = False, []
            return
        self.allowed = True
        self.queue = [_row(t) for t in items]

    @rx.event
    async def load(self):
        """Load the queue with the current filter (others see «Недостаточно прав»)."""
        self._clear_feedback()
        try:
            await self._reload()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def set_status(self, value: str):
        """Show only the tickets of one status («» — all)."""
        self._clear_feedback()
        if not isinstance(value, str) or (value and value not in STATUSES):
            return
        self.status = value
        await self._reload()

    @rx.event
    async def set_order(self, value: str):
        """Newest or oldest tickets first."""
        self._clear_feedback()
        if not isinstance(value, str) or value not in QUEUE_ORDERS:
            return
        self.order = value
        await self._reload()

    @rx.event
    async def answer(self, form: dict):
        """Answer the ticket named in the form (the service checks the staff role); the author is notified."""
        self._clear_feedback()
        number = _ticket_id(form.get("ticket_id", "") if isinstance(form, dict) else "")
        text = _form_text(form, "answer", 2 * ANSWER_MAX)
        if number is None:
            return
        if text is None:
            self.error = message("feedback.text_too_long", limit=ANSWER_MAX)
            return
        try:
            ticket = await call(
                feedback.answer_ticket,
                actor_id=await actor_of(self),
                ticket_id=number,
                answer=text,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("ui.feedback.otvet_na_obrashchenie_otpravlen_avtor", number=ticket.number)
        await self._reload()

    @rx.event
    async def close(self, ticket_id: str):
        """Close a ticket from the queue (staff only here; the service checks the role again)."""
        self._clear_feedback()
        number = _ticket_id(ticket_id)
        if number is None:
            return
        actor = await actor_of(self)
        try:
            await call(feedback.staff_close_ticket, actor_id=actor, ticket_id=number, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("ui.feedback.obrashchenie_zakryto")
        await self._reload()
