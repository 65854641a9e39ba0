"""``/staff/contest`` «Конкурс чеков: проверка» (moderators; staff see the audit trail).

``load`` shows the fraud queue and the unclassified sellers to moderators and the audit trail of the
month to moderators and staff; every handler calls a service that checks the actor's role again, so
a resident calling a handler by name over the websocket changes nothing. Ids sent by the browser
are parsed with :mod:`ag_app.domain.numbers`; a disqualification acts on the participant and month
of a flag found in the service's own queue, never on a month sent by the browser.
"""

from collections.abc import Awaitable, Callable

import reflex as rx

from ag_app.domain.clock import moscow_month
from ag_app.domain.contest import CATEGORIES, parse_period
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services.contest import moderation, sellers
from ag_app.services.contest.moderation import AuditLine, EvidenceReceipt, QueueItem
from ag_app.services.contest.receipts import STATUS_NAMES
from ag_app.services.contest.sellers import SellerView
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.staff_common import moscow_text

CATEGORY_OPTIONS: list[tuple[str, str]] = list(CATEGORIES.items())
# Longest reason typed in a form before the service checks the exact limit.
_REASON_LIMIT = 2000


def form_text(form: object, key: str, limit: int = 300) -> str | None:
    """A text field of a submitted form; None when it is missing, not text or longer than ``limit``."""
    if not isinstance(form, dict):
        return None
    value = form.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        return None
    return value


def form_period(form: object) -> str:
    """The month «YYYY-MM» chosen in a form (refused with the Russian message otherwise)."""
    value = form_text(form, "period", 20)
    year, month = parse_period(value or "")
    return f"{year:04d}-{month:02d}"


def queue_row(item: QueueItem) -> dict[str, str]:
    """A fraud-queue row as the page shows it."""
    return {
        "flag_id": str(item.flag_id),
        "kind": item.kind_name,
        "evidence": item.evidence,
        "receipt_id": str(item.receipt_id),
        "status": STATUS_NAMES.get(item.receipt_status, item.receipt_status),
        "on_review": "1" if item.receipt_status == "review" else "",
        "accepted": "1" if item.receipt_status == "accepted" else "",
        "rejected": "1" if item.receipt_status == "rejected" else "",
        "owner": str(item.owner),
        "flagged": str(item.flagged),
        "seller": item.seller,
        "amount": item.amount,
        "purchased_at": moscow_text(item.purchased_at),
        "flagged_at": moscow_text(item.created_at),
        "period": item.period,
    }


def seller_row(seller: SellerView) -> dict[str, str]:
    return {
        "id": str(seller.id),
        "fn": seller.fn,
        "name": seller.name or "—",
        "inn": seller.inn or "—",
        "region": seller.region or "—",
        "receipts": str(seller.receipts),
    }


def audit_row(line: AuditLine) -> list[str]:
    return [moscow_text(line.at), line.actor, line.action, line.subject, line.reason]


def evidence_row(receipt: EvidenceReceipt) -> list[str]:
    status = STATUS_NAMES.get(receipt.status, receipt.status)
    if receipt.reason:
        status += f" ({receipt.reason})"
    return [
        str(receipt.id),
        moscow_text(receipt.purchased_at),
        moscow_text(receipt.saved_at),
        receipt.seller,
        receipt.category or "не указана",
        receipt.amount,
        str(receipt.points),
        status,
    ]


@holds_user_data
class StaffContestState(FeedbackMixin, rx.State):
    """The fraud queue, the sellers to classify and the audit trail of a month."""

    loaded: bool = False
    # Moderators and staff see the page; only moderators work the queue.
    allowed: bool = False
    can_moderate: bool = False
    period: str = ""
    queue: list[dict[str, str]] = []
    unclassified: list[dict[str, str]] = []
    audit: list[list[str]] = []
    # The receipts of one participant in one month (the evidence a moderator opened).
    evidence_title: str = ""
    evidence: list[list[str]] = []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            items = await call(moderation.fraud_queue, actor_id=actor)
            waiting = await call(sellers.unclassified, actor_id=actor)
        except NotAllowed:
            self.can_moderate, self.queue, self.unclassified = False, [], []
        else:
            self.can_moderate = True
            self.queue = [queue_row(item) for item in items]
            self.unclassified = [seller_row(seller) for seller in waiting]
        lines = await call(moderation.audit_trail, actor_id=actor, period=self.period, limit=200)
        self.audit = [audit_row(line) for line in lines]
        self.allowed = True

    def _forbid(self) -> None:
        self.allowed = self.can_moderate = False
        self.queue, self.unclassified, self.audit, self.evidence = [], [], [], []
        self.evidence_title = ""

    async def _apply(self, action: Callable[[], Awaitable[None]], notice: str) -> bool:
        """Run a change, then reload the page; the Russian refusal or ``notice`` is shown."""
        self._clear_feedback()
        try:
            await action()
            await self._reload()
        except (NotAllowed, NotAuthenticated) as error:
            await self._refused(str(error))
            return False
        except DomainError as error:
            self.error = str(error)
            return False
        self.notice = notice
        return True

    async def _refused(self, text: str) -> None:
        """A refused action: staff keep what they may see, anyone else sees nothing."""
        try:
            await self._reload()
        except DomainError:
            self._forbid()
        self.error = text

    @rx.event
    async def load(self):
        """Open the page for the current Moscow month."""
        self.loaded = False
        self._clear_feedback()
        self.period = moscow_month(now())
        self.evidence, self.evidence_title = [], ""
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def set_period(self, form: dict):
        """Show the audit trail of another month."""
        self._clear_feedback()
        try:
            period = form_period(form)
        except DomainError as error:
            self.error = str(error)
            return
        previous, self.period = self.period, period
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
        except DomainError as error:
            self.period = previous
            self.error = str(error)

    def _id(self, raw: object, key: str) -> int | None:
        found = id_or_none(raw)
        if found is None:
            self.error = message(key)
        return found

    @rx.event
    async def accept(self, receipt_id: str):
        """«Принять» a receipt of the queue: it counts from now on."""
        self._clear_feedback()
        wanted = self._id(receipt_id, "contest.receipt_not_found")
        if wanted is None:
            return

        async def action() -> None:
            await call(moderation.accept_receipt, actor_id=await actor_of(self), receipt_id=wanted, now=now())

        await self._apply(action, message("contest.receipt_accepted_staff"))

    @rx.event
    async def reject(self, form: dict):
        """«Отклонить» a receipt with a reason: its points leave the rating at once."""
        self._clear_feedback()
        wanted = self._id(
            form.get("receipt_id") if isinstance(form, dict) else None, "contest.receipt_not_found"
        )
        if wanted is None:
            return
        reason = form_text(form, "reason", _REASON_LIMIT)
        if reason is None:
            self.error = message("contest.reason_too_long", limit=moderation.REASON_LIMIT)
            return

        async def action() -> None:
            await call(
                moderation.reject_receipt,
                actor_id=await actor_of(self),
                receipt_id=wanted,
                reason=reason,
                now=now(),
            )

        await self._apply(action, message("contest.receipt_rejected_staff"))

    @rx.event
    async def dismiss(self, flag_id: str):
        """«Закрыть отметку» without changing the receipt."""
        self._clear_feedback()
        wanted = self._id(flag_id, "contest.flag_not_found")
        if wanted is None:
            return

        async def action() -> None:
            await call(moderation.dismiss_flag, actor_id=await actor_of(self), flag_id=wanted, now=now())

        await self._apply(action, message("contest.flag_dismissed"))

    @rx.event
    async def disqualify(self, form: dict):
        """«Исключить участника» the flag is about from every contest of the receipt's month."""
        self._clear_feedback()
        wanted = self._id(form.get("flag_id") if isinstance(form, dict) else None, "contest.flag_not_found")
        if wanted is None:
            return
        reason = form_text(form, "reason", _REASON_LIMIT)
        if reason is None:
            self.error = message("contest.reason_too_long", limit=moderation.REASON_LIMIT)
            return
        done: list[QueueItem] = []

        async def action() -> None:
            actor = await actor_of(self)
            items = await call(moderation.fraud_queue, actor_id=actor, limit=1000)
            item = next((i for i in items if i.flag_id == wanted), None)
            if item is None:
                raise InvalidInput("contest.flag_not_found")
            await call(
                moderation.disqualify,
                actor_id=actor,
                participant_id=item.flagged,
                period=item.period,
                reason=reason,
                now=now(),
            )
            done.append(item)

        if await self._apply(action, ""):
            self.notice = message(
                "contest.participant_disqualified", number=done[0].flagged, period=done[0].period
            )

    @rx.event
    async def show_receipts(self, participant_id: str, period: str):
        """Open a participant's receipts of a month (the evidence behind a flag)."""
        self._clear_feedback()
        wanted = self._id(participant_id, "contest.participant_not_found")
        if wanted is None:
            return
        try:
            month = form_period({"period": period})
            rows = await call(
                moderation.participant_receipts,
                actor_id=await actor_of(self),
                participant_id=wanted,
                period=month,
            )
        except (NotAllowed, NotAuthenticated) as error:
            await self._refused(str(error))
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.evidence_title = f"Чеки участника № {wanted} за {month}"
        self.evidence = [evidence_row(row) for row in rows]

    @rx.event
    def hide_receipts(self):
        """Close the participant's receipts."""
        self.evidence, self.evidence_title = [], ""

    @rx.event
    async def classify(self, form: dict):
        """«Сохранить» a seller's category: its receipts of open months are re-scored at once."""
        self._clear_feedback()
        wanted = self._id(
            form.get("seller_id") if isinstance(form, dict) else None, "contest.seller_not_found"
        )
        if wanted is None:
            return
        category = form_text(form, "category", 40)
        if not category:
            self.error = message("contest.choose_category")
            return

        async def action() -> None:
            await call(
                sellers.classify,
                actor_id=await actor_of(self),
                seller_id=wanted,
                category=category,
                now=now(),
            )

        await self._apply(action, message("contest.seller_classified"))
