"""«Конкурс чеков» (``/contest``) with its live rating, and «Мои чеки» (``/contest/receipts``).

The rating of a contest (top 100, participants, time of the read) is the small
:class:`ContestRatingState` on the live channel :data:`RATING` (``ag_app.state.live``), keyed by
contest id: a viewer joins the room of the selected contest on page load, and after every committed
change of a rating — whichever page, REST route, moderation action or job committed it, on whatever
thread — one coalesced refresh per contest reads the top once and sends it once to the room (through
Redis to every worker). Nobody's browser polls, and no viewer's own state is loaded for a push: the
viewer's own row is highlighted in the browser by comparing participant numbers.

Every handler takes the identity from the session (never from its arguments); ids from the client go
through :mod:`ag_app.domain.numbers`, and the services decide the rest.
"""

import asyncio
import logging
import time
from typing import Any

import reflex as rx

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.contest import TYPED_FIELDS, ReceiptQR, parse_receipt_qr, parse_typed_receipt
from ag_app.domain.errors import DomainError, FormProblems
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services import changes
from ag_app.services.contest import board as contest_board
from ag_app.services.contest.photo import MAX_PHOTO_BYTES, read_qr_photo
from ag_app.services.contest.receipts import ReceiptView, my_receipts, submit_receipt
from ag_app.services.contest.scoring import ACCEPTED, RATING_CHANGED
from ag_app.state import fmt, live
from ag_app.state.base import FeedbackMixin, UserPageMixin, actor_of, call, form_text, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.staff_common import moscow_text

log = logging.getLogger(__name__)

# The tie-break of the rating in plain words (shown on the page as it is).
TIEBREAK_RULE = message("contest.tiebreak_rule")
# A refresh of a contest's board waits this long for more receipts: 20 receipts a second cost at
# most two reads and two messages a second per contest and worker, well inside the 2 s promise.
RATING_COALESCE_SECONDS = 0.5
# Where the reason of «no own place» leads: kind → (link, link text).
REASON_LINKS = {
    contest_board.GUEST: ("/login", label("ui.contest.voiti")),
    contest_board.BIRTH_DATE: ("/profile", label("ui.contest.ukazat_datu_rozhdeniia_v_profile")),
    contest_board.NO_RECEIPTS: ("/contest/receipts", label("ui.contest.dobavit_chek")),
    contest_board.NOT_COUNTED: ("/contest/receipts", label("ui.contest.moi_cheki")),
}


# ------------------------------------------------------------------------------------ live rating


def rating_values(top: contest_board.TopView, contest_id: int, version: int = 0) -> dict[str, Any]:
    """The vars of :class:`ContestRatingState` for a read top (public rows only, display strings)
    and the version of the read (see :func:`load_rating`)."""
    return {
        "cid": contest_id,
        "version": version,
        "rows": [
            {
                "place": str(row["place"]),
                "name": row["name"],
                "number": str(row["number"]),
                "points": fmt.num(row["points"]),
            }
            for row in top.rows
        ],
        "total": fmt.num(top.total),
        "updated": as_utc(top.read_at).astimezone(MOSCOW).strftime("%H:%M:%S"),
    }


async def load_rating(contest_id: int) -> tuple[int, dict[str, Any]] | None:
    """The public top of a contest read now, versioned by the wall-clock millisecond its read began.

    Why this version: the hub drops a snapshot older than the one it holds, so the version must grow
    with the freshness of the data. No count of the database does (a rejection or a disqualification
    lowers points and removes entries, and adding a counter would cost every receipt a write to one
    hot row). The start of the read does: a read that starts after a commit sees it, and every
    commit schedules a refresh that starts after it, so the last delivered values are never older
    than the last change. Taken before the read, so a slow read cannot outrank a later one. With
    Redis the publishing worker's clock is used: the workers of one deployment share a host or NTP
    time, and a skew could only delay a refresh until the next change, never show wrong data.
    """
    started = time.time_ns() // 1_000_000
    top = await call(contest_board.read_top, contest_id=contest_id, now=now())
    if top is None:
        return None
    return started, rating_values(top, contest_id, started)


class ContestRatingState(GuardedState, rx.State):
    """The live rating of the contest on screen: top 100 of public rows (shortened name, number).

    Its vars are written only by the live channel (join and broadcast, straight into the
    browser), never by a handler; they stay at these defaults on the server.
    """

    cid: int = 0
    # The version of the values (the millisecond their read began, :func:`load_rating`): tells a
    # client, and ``ag-app bench leaderboard``, which committed changes an update reflects.
    version: int = 0
    # place, name («Анна С.»), number (participant number), points («1 234»).
    rows: list[dict[str, str]] = []
    # Participants in the rating («1 234»).
    total: str = ""
    # Moscow time of the read («18:30:05»).
    updated: str = ""


# The live channel of contest ratings: key = contest id.
RATING = live.channel("contest", ContestRatingState, load_rating, coalesce=RATING_COALESCE_SECONDS)


def on_rating_changed(contest_id: int) -> None:
    """After a committed rating change (any thread): refresh the contest's board for its viewers."""
    live.publish_threadsafe(RATING, contest_id)


changes.subscribe(RATING_CHANGED, on_rating_changed)


# ------------------------------------------------------------------------------------ /contest


def _public_row(row, number: int | None) -> dict[str, str]:
    return {
        "place": str(row.place),
        "name": row.name,
        "number": str(row.number),
        "points": fmt.num(row.points),
        "mine": "1" if row.number == number else "",
    }


@holds_user_data
class ContestState(FeedbackMixin, rx.State):
    """``/contest``: the month's contests as tabs, the selected one's prizes and the viewer's place."""

    loaded: bool = False
    # The selected contest (0: the month has no contest yet).
    cid: int = 0
    title: str = ""
    conditions: str = ""
    # id, title, conditions — the general contest and the parallel ones the viewer takes part in.
    tabs: list[dict[str, str]] = []
    # place, amount («2 000 ₽»).
    prizes: list[dict[str, str]] = []
    # «До конца месяца: 3 дня 5 часов» at the moment the page was opened.
    time_left: str = ""
    # The viewer's participant number (their row is highlighted in the live top).
    my_number: str = ""
    # The viewer's own place: two rows above, the own row, two below (see ``_public_row``).
    own_rows: list[dict[str, str]] = []
    own_place: str = ""
    own_points: str = ""
    to_next: str = ""
    # Why the viewer has no place, with where to go about it.
    reason: str = ""
    reason_link: str = ""
    reason_action: str = ""

    def _fill(self, view: contest_board.Board) -> None:
        self.cid = view.contest_id or 0
        self.title, self.conditions, self.time_left = view.title, view.conditions, view.time_left
        self.tabs = [
            {"id": str(tab.id), "title": tab.title, "conditions": tab.conditions} for tab in view.tabs
        ]
        self.prizes = [{"place": str(place), "amount": amount} for place, amount in view.prizes]
        self.my_number = str(view.number) if view.number is not None else ""
        own = view.own
        self.own_rows = [_public_row(row, view.number) for row in own.rows] if own else []
        self.own_place = fmt.num(own.place) if own else ""
        self.own_points = fmt.points_word(own.points) if own else ""
        if own is None:
            self.to_next = ""
        elif own.to_next is None:
            self.to_next = message("contest.leader")
        else:
            self.to_next = message("contest.to_next", points=fmt.points_word(own.to_next))
        self.reason = view.reason
        self.reason_link, self.reason_action = REASON_LINKS.get(view.reason_kind, ("", ""))
        self.loaded = True

    async def _show(self, contest_id: int | None) -> None:
        try:
            view = await call(
                contest_board.board, actor_id=await actor_of(self), contest_id=contest_id, now=now()
            )
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self._fill(view)
        if view.contest_id is not None:
            # Watch the live rating in the same event (one state round trip less per page view).
            await live.join(self, RATING, view.contest_id)

    @rx.event
    async def load(self):
        """Open the page on the month's general contest (guests see the public rating)."""
        self._clear_feedback()
        await self._show(None)

    @rx.event
    async def select_contest(self, contest_id: str):
        """Show another tab: only a contest among the viewer's tabs (the service checks it again)."""
        self._clear_feedback()
        wanted = id_or_none(contest_id)
        if wanted is None or str(wanted) not in {tab["id"] for tab in self.tabs}:
            self.error = message("contest.tab_unavailable")
            return
        await self._show(wanted)


# ---------------------------------------------------------------------------- /contest/receipts


def _receipt_row(receipt: ReceiptView) -> dict[str, str]:
    return {
        "id": str(receipt.id),
        "seller": receipt.seller,
        "category": receipt.category,
        "amount": receipt.amount,
        "purchased": moscow_text(receipt.purchased_at),
        "points": fmt.num(receipt.points),
        "status": receipt.status,
        "status_name": receipt.status_name,
        "reason": receipt.reason,
    }


@holds_user_data
class ContestReceiptsState(UserPageMixin, rx.State):
    """``/contest/receipts`` «Мои чеки»: add a receipt three ways, and the history of one's receipts."""

    loaded: bool = False
    # seller, category, amount, purchased («07.12.2026 18:30», Moscow), points, status, status_name, reason.
    rows: list[dict[str, str]] = []
    # Changed after a saved receipt so the forms are drawn empty again.
    form_key: int = 0
    # The typed receipt's form fields the last refused save named, marked aria-invalid («t», «fn» …).
    invalid_fields: list[str] = []

    def _clear_feedback(self) -> None:
        """A new action: the last refusal and its field marks go."""
        super()._clear_feedback()
        self.invalid_fields = []

    async def _fill(self, actor: int) -> None:
        self.rows = [_receipt_row(receipt) for receipt in await call(my_receipts, actor_id=actor)]
        self.loaded = True

    @rx.event
    async def load(self):
        """Open «Мои чеки»: guests go to the login page."""
        return await self._open()

    async def _submit(self, actor: int, qr: ReceiptQR, channel: str) -> None:
        """Save the receipt for the logged-in resident and show the outcome."""
        try:
            result = await call(submit_receipt, actor_id=actor, qr=qr, channel=channel, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        if result.refused is not None:
            # Another account saved it: refused, and the moderators' fraud queue has it.
            self.error = str(result.refused)
            return
        receipt = result.receipt
        if receipt.status == ACCEPTED:
            self.notice = message("contest.receipt_accepted", points=fmt.points_word(receipt.points))
        else:
            self.notice = message("contest.receipt_review")
        self.form_key += 1
        try:
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)

    async def _actor(self) -> int | None:
        actor = await actor_of(self)
        if actor is None:
            self.error = message("auth.required")
        return actor

    @rx.event
    async def save_qr(self, form: dict):
        """«Сохранить чек» from the pasted QR string (fields in any order, seconds optional)."""
        self._clear_feedback()
        actor = await self._actor()
        if actor is None:
            return
        text = form.get("qr", "") if isinstance(form, dict) else ""
        try:
            # Anything but text is an empty paste; the parser refuses an over-long one.
            qr = parse_receipt_qr(text if isinstance(text, str) else "")
        except DomainError as error:
            self.error = str(error)
            return
        await self._submit(actor, qr, "qr")

    @rx.event
    async def save_fields(self, form: dict):
        """Save a receipt typed field by field (a sale: the operation is fixed); every bad field is
        named and marked at once."""
        self._clear_feedback()
        actor = await self._actor()
        if actor is None:
            return
        try:
            qr = parse_typed_receipt({name: form_text(form, name, 64) for name in TYPED_FIELDS})
        except DomainError as error:
            self.error = str(error)
            self.invalid_fields = list(error.problems) if isinstance(error, FormProblems) else []
            return
        await self._submit(actor, qr, "fields")

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile]):
        """Save a receipt from a photo of its QR code (JPEG or PNG up to 10 MB, read on the server).

        The photo is read into memory only, decoded on a worker thread and dropped: neither the
        image nor its EXIF is kept.
        """
        self._clear_feedback()
        actor = await self._actor()
        if actor is None:
            return
        if not files:
            self.error = message("contest.photo_required")
            return
        data = await files[0].read(MAX_PHOTO_BYTES + 1)
        try:
            text = await asyncio.to_thread(read_qr_photo, data)
            qr = parse_receipt_qr(text)
        except DomainError as error:
            self.error = str(error)
            return
        finally:
            del data
        await self._submit(actor, qr, "photo")
