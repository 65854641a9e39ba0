"""``/staff/contest`` «Конкурс чеков: проверка» (moderators; staff see the audit trail).

``load`` shows the fraud queue and the unclassified sellers to moderators and the audit trail of the
month to moderators and staff; every handler calls a service that checks the actor's role again, so
a resident calling a handler by name over the websocket changes nothing. Ids sent by the browser
are parsed with :mod:`ag_app.domain.numbers`; a disqualification acts on the participant and month
of a flag found in the service's own queue, never on a month sent by the browser.
"""

from collections.abc import Callable

import reflex as rx

from ag_app.domain.contest import CATEGORIES
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services.contest import moderation, sellers
from ag_app.services.contest.moderation import AuditLine, EvidenceReceipt, QueueItem
from ag_app.services.contest.receipts import STATUS_NAMES
from ag_app.services.contest.sellers import SellerView
from ag_app.state.base import actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import StaffMonthMixin, form_period, moscow_text

CATEGORY_OPTIONS: list[tuple[str, str]] = list(CATEGORIES.items())
# Longest reason typed in a form before the service checks the exact limit.
_REASON_LIMIT = 2000


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
        receipt.category or label("ui.contest.ne_ukazana"),
        receipt.amount,
        str(receipt.points),
        status,
    ]


@holds_user_data
class StaffContestState(StaffMonthMixin, rx.State):
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
    # Whose receipts of which month are open (kept fresh after every decision).
    _evidence_of: int = 0
    _evidence_month: str = ""

    async def _load_evidence(self, participant_id: int, month: str) -> None:
        rows = await call(
            moderation.participant_receipts,
            actor_id=await actor_of(self),
            participant_id=participant_id,
            period=month,
        )
        self._evidence_of, self._evidence_month = participant_id, month
        self.evidence_title = label(
            "ui.contest.cheki_uchastnika_za", participant_id=participant_id, month=month
        )
        self.evidence = [evidence_row(row) for row in rows]

    async def _reload(self) -> None:
        actor = await actor_of(self)
        if self._evidence_of:
            await self._load_evidence(self._evidence_of, self._evidence_month)
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
        self.evidence_title, self._evidence_of = "", 0

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
        self.evidence, self.evidence_title, self._evidence_of = [], "", 0
        await self._open_month()

    @rx.event
    async def set_period(self, form: dict):
        """Show the audit trail of another month."""
        await self._switch_month(form)

    def _id(self, raw: object, key: str) -> int | None:
        found = id_or_none(raw)
        if found is None:
            self.error = message(key)
        return found

    def _reason(self, form: object) -> str | None:
        """The reason typed in ``form``; None (and the Russian message) when it is far too long."""
        reason = form_text(form, "reason", _REASON_LIMIT)
        if reason is None:
            self.error = message("contest.reason_too_long", limit=moderation.REASON_LIMIT)
        return reason

    async def _change(self, service: Callable[..., object], notice: str, **params: object) -> bool:
        """Call ``service`` as the logged-in actor now, then reload the page (see ``_apply``)."""

        async def action() -> None:
            await call(service, actor_id=await actor_of(self), now=now(), **params)

        return await self._apply(action, notice)

    @rx.event
    async def accept(self, receipt_id: str):
        """«Принять» a receipt of the queue: it counts from now on."""
        self._clear_feedback()
        wanted = self._id(receipt_id, "contest.receipt_not_found")
        if wanted is not None:
            await self._change(
                moderation.accept_receipt, message("contest.receipt_accepted_staff"), receipt_id=wanted
            )

    @rx.event
    async def reject(self, form: dict):
        """«Отклонить» a receipt with a reason: its points leave the rating at once."""
        self._clear_feedback()
        wanted = self._id(
            form.get("receipt_id") if isinstance(form, dict) else None, "contest.receipt_not_found"
        )
        if wanted is None or (reason := self._reason(form)) is None:
            return
        await self._change(
            moderation.reject_receipt,
            message("contest.receipt_rejected_staff"),
            receipt_id=wanted,
            reason=reason,
        )

    @rx.event
    async def dismiss(self, flag_id: str):
        """«Закрыть отметку» without changing the receipt."""
        self._clear_feedback()
        wanted = self._id(flag_id, "contest.flag_not_found")
        if wanted is not None:
            await self._change(moderation.dismiss_flag, message("contest.flag_dismissed"), flag_id=wanted)

    @rx.event
    async def disqualify(self, form: dict):
        """«Исключить участника» the flag is about from every contest of the receipt's month."""
        self._clear_feedback()
        wanted = self._id(form.get("flag_id") if isinstance(form, dict) else None, "contest.flag_not_found")
        if wanted is None or (reason := self._reason(form)) is None:
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
        await self._show(participant_id, period)

    @rx.event
    async def open_participant(self, form: dict):
        """«Показать» any participant's receipts of a month (by the participant number)."""
        fields = form if isinstance(form, dict) else {}
        await self._show(fields.get("participant"), fields.get("period"))

    async def _show(self, participant_id: object, period: object) -> None:
        self._clear_feedback()
        wanted = self._id(participant_id, "contest.participant_not_found")
        if wanted is None:
            return
        try:
            await self._load_evidence(
                wanted, form_period({"period": period if isinstance(period, str) else ""})
            )
        except (NotAllowed, NotAuthenticated) as error:
            await self._refused(str(error))
        except DomainError as error:
            self.error = str(error)

    @rx.event
    def hide_receipts(self):
        """Close the participant's receipts."""
        self.evidence, self.evidence_title, self._evidence_of = [], "", 0

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
        await self._change(
            sellers.classify, message("contest.seller_classified"), seller_id=wanted, category=category
        )
