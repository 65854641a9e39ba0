"""``/staff/promo`` «Акция: управление» (staff): the campaign's configuration, its draws with their
published inputs, public randomness for a closed window, and the voting system's file.

Every handler calls a service that checks the MANAGE role again, so a resident or a moderator
calling a handler by name over the websocket changes nothing. The lists (campaigns, polls, draws)
are filled by ``load``, never shipped as default values.
"""

import asyncio

import reflex as rx

from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.domain.promo import parse_votes
from ag_app.i18n import label, message
from ag_app.services.promo import campaigns, draws, staff, votes
from ag_app.services.promo.config_form import blank_form, config_from_form
from ag_app.services.promo.staff import StaffDraw
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import moscow_text
from ag_app.state.staff_record import RecordFormMixin

VOTES_UPLOAD_ID = "promo-votes"
MAX_VOTES_BYTES = 20 * 1024 * 1024
# A submitted form field longer than this is not a campaign's configuration.
_FIELD_LIMIT = 20_000


def draw_row(draw: StaffDraw) -> dict[str, str]:
    """One row of the draws table, as text."""
    return {
        "id": str(draw.id),
        "kind": draw.kind_name,
        "window": str(draw.window + 1),
        "ends": moscow_text(draw.window_ends_at),
        "due": moscow_text(draw.due_at),
        "prizes": draw.prizes or "—",
        "commitment": draw.commitment,
        "sha256": draw.list_sha256,
        "count": fmt.num(draw.list_count) if draw.state != staff.OPEN else "",
        "state": draw.state_name,
        "winners": str(draw.winners) if draw.state == staff.DONE else "",
        "entropy": draw.entropy,
        "can_entropy": "1" if draw.can_set_entropy else "",
        "participants_url": draw.participants_url,
        "winners_url": draw.winners_url,
    }


def _form_fields(form: object) -> dict[str, str]:
    """The text fields of a submitted form (refused when it is not one)."""
    if not isinstance(form, dict) or any(
        isinstance(value, str) and len(value) > _FIELD_LIMIT for value in form.values()
    ):
        too_long = message("promo.form_too_long", label=label("promo.form_field"), limit=_FIELD_LIMIT)
        raise InvalidInput("promo.form_problems", count=1, problems=too_long)
    return {key: value for key, value in form.items() if isinstance(key, str) and isinstance(value, str)}


@holds_user_data
class StaffPromoState(RecordFormMixin, rx.State):
    """The chosen campaign, its form and draws, and the last vote import's report (staff)."""

    # Every campaign, the newest first: {"id", "title"}.
    campaigns: list[dict[str, str]] = []
    # The campaign shown ("" while a new one is being created).
    campaign_id: str = ""
    # The platform's newest polls, a possible source of vote facts: {"id", "title"}.
    polls: list[dict[str, str]] = []
    draws: list[dict[str, str]] = []
    # The last import's refused rows, one Russian sentence per reason.
    import_lines: list[str] = []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        choices = await call(staff.campaign_choices, actor_id=actor)
        self.campaigns = [{"id": str(c.id), "title": f"{c.title} ({c.slug})"} for c in choices]
        if not self.polls:
            polls = await call(staff.poll_choices, actor_id=actor)
            self.polls = [{"id": str(poll_id), "title": f"№ {poll_id}. {title}"} for poll_id, title in polls]
        ids = [c["id"] for c in self.campaigns]
        if not ids:
            self.creating = True
        if self.creating:
            self.campaign_id, self.draws = "", []
            if not self.form:
                self._set_form(blank_form())
        else:
            if self.campaign_id not in ids:
                self.campaign_id = ids[0]
            wanted = int(self.campaign_id)
            self._set_form(await call(staff.campaign_form, actor_id=actor, campaign_id=wanted))
            self.draws = [
                draw_row(d) for d in await call(staff.staff_draws, actor_id=actor, campaign_id=wanted)
            ]
        self.allowed = True

    def _forbid(self) -> None:
        self.allowed = False
        self.campaigns, self.polls, self.draws, self.import_lines = [], [], [], []
        self.form, self.campaign_id, self.creating = {}, "", False

    @rx.event
    async def load(self):
        """Open the page (staff and administrators) on the newest campaign."""
        self.loaded = False
        self._clear_feedback()
        self.creating, self.import_lines, self.form = False, [], {}
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def choose_campaign(self, campaign_id: str):
        """Show another campaign (the empty choice starts a new one)."""
        self._clear_feedback()
        if campaign_id == "":
            await self._start_new()
            return
        wanted = self._listed(campaign_id, self.campaigns, "promo.campaign_not_found")
        if wanted is None:
            return
        self.creating, self.campaign_id, self.import_lines = False, wanted, []
        await self._apply(self._nothing)

    @rx.event
    async def new_campaign(self):
        """«Новая акция»: an empty form; the draws appear once it is created."""
        self._clear_feedback()
        await self._start_new()

    async def _start_new(self) -> None:
        self.creating, self.import_lines, self.form = True, [], {}
        await self._apply(self._nothing)

    @rx.event
    async def save(self, form: dict):
        """Create the new campaign or save the shown one's configuration (all problems listed at once)."""
        self._clear_feedback()
        try:
            config = config_from_form(_form_fields(form))
        except DomainError as error:
            self.error = str(error)
            return
        creating, shown = self.creating, id_or_none(self.campaign_id)

        async def action() -> str:
            actor = await actor_of(self)
            if creating:
                created = await call(campaigns.create_campaign, actor_id=actor, config=config, now=now())
                self.creating, self.campaign_id = False, str(created)
                return message("promo.campaign_created")
            if shown is None:
                raise InvalidInput("promo.campaign_not_found")
            await call(campaigns.update_campaign, actor_id=actor, campaign_id=shown, config=config)
            return message("promo.campaign_saved")

        await self._apply(action)

    @rx.event
    async def set_entropy(self, form: dict):
        """Public randomness published after the window closed (RFC 3797 style), before the draw."""
        self._clear_feedback()
        draw_id = id_or_none(form_text(form, "draw_id", 20) or "")
        entropy = form_text(form, "entropy", 1_000)
        if draw_id is None or entropy is None:
            self.error = message("promo.draw_not_found")
            return

        async def action() -> str:
            await call(
                draws.set_entropy, actor_id=await actor_of(self), draw_id=draw_id, entropy=entropy, now=now()
            )
            return message("promo.entropy_saved" if entropy.strip() else "promo.entropy_cleared")

        await self._apply(action)

    @rx.event
    async def upload_votes(self, files: list[rx.UploadFile]):
        """The voting system's file (UTF-8, up to 20 MB): all rows applied, or none when one is malformed."""
        self._clear_feedback()
        self.import_lines = []
        wanted = id_or_none(self.campaign_id)
        if wanted is None:
            self.error = message("promo.campaign_not_found")
            return
        if not files:
            self.error = message("promo.votes_file_required")
            return
        data = await files[0].read(MAX_VOTES_BYTES + 1)
        if len(data) > MAX_VOTES_BYTES:
            self.error = message("promo.votes_too_large", limit_mb=MAX_VOTES_BYTES // (1024 * 1024))
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error = message("promo.votes_not_utf8")
            return
        del data
        lines: list[str] = []

        async def action() -> str:
            actor = await actor_of(self)
            # Rights first, then the file is parsed off the event loop and outside any transaction.
            await call(staff.require_manager, actor_id=actor)
            rows = await asyncio.to_thread(parse_votes, text)
            report = await call(votes.import_votes, actor_id=actor, campaign_id=wanted, rows=rows, now=now())
            lines.extend(votes.report_lines(report))
            return message(
                "promo.import_done", rows=report.rows, added=report.added, unchanged=report.unchanged
            )

        if await self._apply(action):
            self.import_lines = lines
