"""«Акция» (``/promo``): the campaign, its draws with their published inputs, and the citizen's own state.

The views are read in ``load`` (one read transaction) and turned into display strings here. The
four actions — opt out, opt back in, register for a category draw, activate a winning code — take
the identity from the server-side session and the campaign from the backend var the page was
loaded with (never from the client); the services re-check every deadline and state, so a forged
call of a handler whose button is not shown is refused and changes nothing.
"""

import shlex

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.domain.promo import CATEGORIES
from ag_app.i18n import label, message
from ag_app.services.promo import citizen
from ag_app.services.promo.citizen import REASON_LIMIT, CitizenView
from ag_app.services.promo.page import PromoPage, promo_page
from ag_app.services.promo.public import DRAWN, OPEN, CampaignView, DrawView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now

# Submitted text longer than this is not read at all (the service refuses above REASON_LIMIT).
_FORM_LIMIT = 4 * REASON_LIMIT
# What a ticked checkbox sends: its ``name`` gives «on», its ``id`` ref gives True.
_TICKED = ("on", "true", True)
# The names of the published files in the verification command (as the links download them).
PARTICIPANTS_FILE = "participants.txt"
WINNERS_FILE = "winners.csv"


def download_name(campaign_id: int, draw_id: int, file: str) -> str:
    """The name a published file downloads under (the REST API's ``Content-Disposition``)."""
    return f"promo-{campaign_id}-draw-{draw_id}-{file}"


# «1 призовой балл», «2 призовых балла», «5 призовых баллов» (as ``fmt.points_word`` for civic points).
PRIZE_POINT_FORMS = (
    label("ui.promo.prizovoi_ball"),
    label("ui.promo.prizovykh_balla"),
    label("ui.promo.prizovykh_ballov"),
)


def prize_points(count: int) -> str:
    """«1 000 призовых баллов» with the right plural form."""
    return f"{fmt.num(count)} {fmt.plural(count, *PRIZE_POINT_FORMS)}"


def verify_command(campaign_id: int, draw: DrawView) -> str:
    """The exact ``ag-app promo verify-draw`` call that re-runs a drawn draw on its downloaded files."""
    parts = [
        "ag-app promo verify-draw",
        f"--participants {download_name(campaign_id, draw.id, PARTICIPANTS_FILE)}",
        f"--seed {draw.seed}",
        f"--commitment {draw.commitment}",
        f"--prizes {draw.prizes}",
        f"--winners {download_name(campaign_id, draw.id, WINNERS_FILE)}",
        f"--list-sha256 {draw.list_sha256}",
    ]
    if draw.entropy:
        parts.append(f"--entropy {shlex.quote(draw.entropy)}")
    return " ".join(parts)


def draw_row(campaign_id: int, draw: DrawView) -> dict[str, str]:
    """One row of the draws table (display strings; empty where nothing is published yet)."""
    listed = draw.state != OPEN
    return {
        "id": str(draw.id),
        "title": draw.title,
        "window": draw.window_text,
        "due": draw.due_text,
        "prizes": draw.prizes_text,
        "state": draw.state,
        "state_name": draw.state_name,
        "commitment": draw.commitment,
        "list_count": fmt.num(draw.list_count) if listed else "",
        "list_sha256": draw.list_sha256 if listed else "",
        "participants_url": draw.participants_url,
        "participants_file": download_name(campaign_id, draw.id, PARTICIPANTS_FILE),
        "seed": draw.seed,
        "entropy": draw.entropy if draw.state == DRAWN else "",
        "winners_count": fmt.num(draw.winners_count) if draw.state == DRAWN else "",
        "winners_url": draw.winners_url,
        "winners_file": download_name(campaign_id, draw.id, WINNERS_FILE),
    }


def _prizes(view: CitizenView) -> list[str]:
    lines = []
    if view.main_prize:
        lines.append(message("promo.page_prize_main", points=prize_points(view.main_prize)))
    if view.extra_prize:
        lines.append(message("promo.page_prize_extra", points=prize_points(view.extra_prize)))
    if view.category_prize:
        lines.append(
            message(
                "promo.page_prize_category",
                category=view.category_name,
                points=prize_points(view.category_prize),
            )
        )
    return lines


@holds_user_data
def wanted_campaign(state: rx.State) -> int | None:
    """The campaign named by ``?campaign=ID`` (0 when the value is not an id; None when not given)."""
    raw = state.router.url.query_parameters.get("campaign", "")
    if not raw:
        return None
    return id_or_none(raw) or 0


class PromoState(FeedbackMixin, rx.State):
    """``/promo``: the current campaign for everyone, the own state and actions for a citizen."""

    loaded: bool = False
    # Whether a campaign is configured at all.
    has_campaign: bool = False
    # «Обменять баллы» of the campaign shown («&gift=1» adds «Выбрать подарок»).
    exchange_href: str = "/promo/exchange"
    title: str = ""
    summary: str = ""
    prize_rules: str = ""
    phase_name: str = ""
    # label, text («до 23:59 05.09.2026»).
    deadlines: list[dict[str, str]] = []
    # See :func:`draw_row`.
    draws: list[dict[str, str]] = []
    # title, window, command — one per drawn draw.
    checks: list[dict[str, str]] = []
    # Whether the viewer is logged in and has an own state to show (False for a guest).
    has_me: bool = False
    status: str = ""
    status_text: str = ""
    code: str = ""
    # The pseudonymous key in the published lists.
    key: str = ""
    draw_on: str = ""
    category_name: str = ""
    # «Приз основного розыгрыша: 5 000 призовых баллов.» …
    prizes: list[str] = []
    # Shown once a prize is activated: the balance and the category discount left.
    show_balance: bool = False
    balance: str = ""
    discount: str = ""
    can_opt_out: bool = False
    can_opt_in: bool = False
    can_choose_category: bool = False
    can_activate: bool = False
    can_exchange: bool = False
    can_choose_gift: bool = False
    # Why an action is no longer offered (deadlines, account level).
    notes: list[str] = []
    # Changed after a successful action so the forms are drawn empty again.
    form_key: int = 0
    # The campaign the page shows (backend only: a client cannot point the actions elsewhere).
    _cid: int = 0

    def _fill_campaign(self, view: CampaignView | None) -> None:
        self.has_campaign = view is not None
        if view is None:
            self._cid = 0
            self.title = self.summary = self.prize_rules = self.phase_name = ""
            self.deadlines, self.draws, self.checks = [], [], []
            return
        self._cid = view.id
        self.exchange_href = f"/promo/exchange?campaign={view.id}"
        self.title, self.summary, self.prize_rules = view.title, view.summary, view.prize_rules
        self.phase_name = view.phase_name
        self.deadlines = [{"label": d.label, "text": d.text} for d in view.deadlines]
        self.draws = [draw_row(view.id, d) for d in view.draws]
        self.checks = [
            {
                "id": str(d.id),
                "title": d.title,
                "window": d.window_text,
                "command": verify_command(view.id, d),
            }
            for d in view.draws
            if d.state == DRAWN
        ]

    def _fill_me(self, view: CitizenView | None) -> None:
        self.has_me = view is not None
        if view is None:
            self.status = self.status_text = self.code = self.key = self.draw_on = ""
            self.category_name = self.balance = self.discount = ""
            self.prizes, self.notes = [], []
            self.show_balance = False
            self.can_opt_out = self.can_opt_in = self.can_choose_category = False
            self.can_activate = self.can_exchange = self.can_choose_gift = False
            return
        self.status, self.status_text = view.status, view.status_text
        self.code, self.key = view.code, view.key
        self.draw_on = fmt.short_day(view.draw_on)
        self.category_name = view.category_name
        self.prizes = _prizes(view)
        self.show_balance = view.activated or view.category_activated
        self.balance = prize_points(view.prize_points)
        self.discount = prize_points(view.discount_left) if view.discount_left else ""
        self.can_opt_out, self.can_opt_in = view.can_opt_out, view.can_opt_in
        self.can_choose_category, self.can_activate = view.can_choose_category, view.can_activate
        self.can_exchange, self.can_choose_gift = view.can_exchange, view.can_choose_gift
        self.notes = list(view.notes)

    def _fill(self, page: PromoPage) -> None:
        self._fill_campaign(page.campaign)
        self._fill_me(page.me)
        self.loaded = True

    async def _read(self) -> PromoPage | None:
        """Read the page for the session's user (a Russian refusal in ``error`` on failure)."""
        try:
            page = await call(
                promo_page, actor_id=await actor_of(self), now=now(), campaign_id=self._cid or None
            )
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return None
        self._fill(page)
        return page

    @rx.event
    async def load(self):
        """Open «Акция» on ``?campaign=ID`` when given, else the current campaign (guests see the
        campaign without an own state)."""
        self._clear_feedback()
        wanted = wanted_campaign(self)
        if wanted == 0:
            self.error, self.loaded = message("promo.campaign_not_found"), True
            return
        self._cid = wanted or 0
        await self._read()

    async def _act(self, fn, **kwargs) -> bool:
        """Run one citizen action for the session's user on the page's campaign, then re-read the page.

        The page is read again after a refusal too: a deadline that just passed removes its button.
        """
        self._clear_feedback()
        actor = await actor_of(self)
        if actor is None:
            self.error = message("auth.required")
            return False
        if not self._cid:
            page = await self._read()
            if page is None:
                return False
            if page.campaign is None:
                self.error = message("promo.page_no_campaign")
                return False
        try:
            await call(fn, actor_id=actor, campaign_id=self._cid, now=now(), **kwargs)
        except DomainError as error:
            self.error = str(error)
            refusal = self.error
            await self._read()
            self.error = refusal
            return False
        self.form_key += 1
        return await self._read() is not None

    @rx.event
    async def opt_out(self, form: dict):
        """«Отказаться от участия» with an optional reason (up to 500 characters)."""
        reason = form_text(form, "reason", _FORM_LIMIT)
        if reason is None:
            self._clear_feedback()
            self.error = message("promo.reason_too_long", limit=REASON_LIMIT)
            return
        if await self._act(citizen.opt_out, reason=reason):
            self.notice = message("promo.page_opted_out")

    @rx.event
    async def opt_in(self, form: dict):
        """«Стать участником акции» after ticking that the rules are read and accepted."""
        accepted = isinstance(form, dict) and form.get("accept") in _TICKED
        if await self._act(citizen.opt_in, accept_rules=accepted):
            self.notice = message("promo.page_opted_in")

    @rx.event
    async def choose_category(self, form: dict):
        """«Зарегистрироваться» in one category draw (cannot be changed afterwards)."""
        category = form_text(form, "category", 40)
        if not category:
            self._clear_feedback()
            self.error = message("promo.page_category_required")
            return
        if await self._act(citizen.choose_category, category=category):
            self.notice = message("promo.page_category_chosen", category=CATEGORIES[category])

    @rx.event
    async def activate(self, form: dict):
        """«Активировать код» after ticking that the prize rules are read and accepted."""
        accepted = isinstance(form, dict) and form.get("accept") in _TICKED
        if await self._act(citizen.activate, accept_rules=accepted):
            text = message("promo.page_activated", points=self.balance)
            if self.discount:
                text += " " + message("promo.page_activated_discount", discount=self.discount)
            self.notice = text
