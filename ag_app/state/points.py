"""«Мои баллы»: balance, status, badges, the ledger, promo codes and invitations."""

import math

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.points import ACTIVE_CITIZEN_THRESHOLD, points_to_status
from ag_app.i18n import label, message
from ag_app.services import points
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now, to_login

PAGE_SIZE = 15
# How many ledger rows are fetched (newest first) and paged on the server.
LEDGER_LIMIT = 1000


@holds_user_data
class PointsState(FeedbackMixin, rx.State):
    """The logged-in user's points; guests are sent to the login page."""

    loaded: bool = False
    # Which form the error/notice belongs to: promo, invite.
    feedback_for: str = ""
    available: str = "0"
    blocked: str = "0"
    lifetime: str = "0"
    is_active_citizen: bool = False
    status_text: str = ""
    badges: list[str] = []
    referral_link: str = ""
    # Ledger page rows: date, description, amount («+20» / «−50»), sign («plus» / «minus»).
    entries: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    # Invitations: phone, sent, expires, state.
    invitations: list[dict[str, str]] = []
    _entries: list[dict[str, str]] = []

    def _fail(self, section: str, error: DomainError | str) -> None:
        self.feedback_for, self.notice, self.error = section, "", str(error)

    def _ok(self, section: str, text: str) -> None:
        self.feedback_for, self.error, self.notice = section, "", text

    async def _fill(self, actor: int) -> None:
        view = await call(points.points_overview, actor_id=actor, now=now(), limit=LEDGER_LIMIT)
        self.available, self.blocked, self.lifetime = (
            fmt.num(view.available),
            fmt.num(view.blocked),
            fmt.num(view.lifetime),
        )
        self.is_active_citizen = bool(view.status)
        if view.status:
            since = label("ui.points.s", status_since=fmt.day(view.status_since)) if view.status_since else ""
            self.status_text = message("ui.points.status", status=view.status, since=since)
        else:
            left = points_to_status(view.lifetime)
            self.status_text = message(
                "ui.points.do_statusa_aktivnyi_grazhdanin_ostalos",
                left=fmt.points_word(left),
                ACTIVE_CITIZEN_THRESHOLD=fmt.num(ACTIVE_CITIZEN_THRESHOLD),
            )
        self.badges = list(view.badges)
        self.referral_link = view.referral_link
        self._entries = [
            {
                "date": fmt.short_day(e.created_at),
                "description": e.description,
                "amount": f"+{fmt.num(e.amount)}" if e.amount >= 0 else f"−{fmt.num(-e.amount)}",
                "sign": "plus" if e.amount >= 0 else "minus",
            }
            for e in view.entries
        ]
        self.pages = max(1, math.ceil(len(self._entries) / PAGE_SIZE))
        self._show(self.page)
        self.invitations = [
            {
                "phone": i.phone_masked,
                "sent": fmt.short_day(i.created_at),
                "expires": fmt.short_day(i.expires_on),
                "state": i.state_name,
            }
            for i in view.invitations
        ]
        self.loaded = True

    def _show(self, page: int) -> None:
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * PAGE_SIZE
        self.entries = self._entries[start : start + PAGE_SIZE]

    @rx.event
    async def load(self):
        """Open the page: guests go to the login page."""
        self._clear_feedback()
        self.feedback_for = ""
        self.page = 1
        actor = await actor_of(self)
        if actor is None:
            self.loaded = False
            return to_login(self)
        try:
            await self._fill(actor)
        except DomainError as error:
            self._fail("page", error)

    @rx.event
    def prev_page(self):
        """Newer ledger rows."""
        self._show(self.page - 1)

    @rx.event
    def next_page(self):
        """Older ledger rows."""
        self._show(self.page + 1)

    @rx.event
    async def redeem(self, form: dict):
        """Redeem a promo code."""
        actor = await actor_of(self)
        code = str(form.get("promo", "")).strip()
        try:
            credited = await call(points.redeem_promo, actor_id=actor, code=code, now=now())
            await self._fill(actor)
        except DomainError as error:
            self._fail("promo", error)
            return
        self._ok(
            "promo", message("ui.points.promokod_priniat_nachisleno", credited=fmt.points_word(credited))
        )

    @rx.event
    async def invite(self, form: dict):
        """Invite a friend by phone (they get an SMS with the referral link)."""
        actor = await actor_of(self)
        phone = str(form.get("friend_phone", "")).strip()
        try:
            await call(points.invite, actor_id=actor, phone=phone, now=now())
            await self._fill(actor)
        except DomainError as error:
            self._fail("invite", error)
            return
        self._ok(
            "invite",
            message("ui.points.priglashenie_otpravleno_esli_drug_zaregistriruet"),
        )

    @rx.event
    def copy_link(self):
        """Copy the referral link to the clipboard."""
        self._ok("invite", message("ui.points.ssylka_skopirovana"))
        return rx.set_clipboard(self.referral_link)
