"""``/staff/renovation``: open a house vote, enter in-person votes and meeting decisions (staff),
verify votes «на проверке» (moderators).

What the page shows depends on the roles read on load; every handler still calls a service that
checks the actor's role again (a handler may be called over the websocket by anyone).
"""

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.domain.renovation import CampaignInput, check_campaign, format_check_code
from ag_app.domain.roles import Capability
from ag_app.i18n import label, message
from ag_app.services import renovation
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.renovation import ROLE_NAMES
from ag_app.state.staff_common import parse_moscow_input


def _id(raw: object) -> int | None:
    return id_or_none(raw)


@holds_user_data
class StaffRenovationState(FeedbackMixin, rx.State):
    """Campaigns, the houses to choose from, the in-person entry and the verification queue."""

    loaded: bool = False
    is_staff: bool = False
    is_moderator: bool = False
    campaigns: list[dict[str, str]] = []
    houses: list[dict[str, str]] = []
    chosen_houses: list[str] = []
    # Fields of the new-vote form named by its last refusal («title», «starts», «houses» …), marked aria-invalid.
    invalid_fields: list[str] = []
    # The in-person entry: the chosen vote, its houses, the apartment's registry holders.
    entry_campaign: str = ""
    entry_houses: list[dict[str, str]] = []
    entry_house: str = ""
    holders: list[dict[str, str]] = []
    paper_code: str = ""
    queue: list[dict[str, str]] = []

    async def _fill(self, actor: int) -> None:
        held = await call(renovation.desk_capabilities, actor_id=actor)
        self.is_staff = Capability.RENOVATION_MANAGE in held
        self.is_moderator = Capability.RENOVATION_MODERATE in held
        if self.is_staff:
            campaigns = await call(renovation.list_campaigns, actor_id=actor, now=now())
            self.campaigns = [
                {
                    "id": str(c.id),
                    "title": c.title,
                    "label": f"№ {c.id}. {c.title} ({c.state_name})",
                    "period": f"{fmt.when(c.starts_at)} — {fmt.when(c.ends_at)}",
                    "state": c.state_name,
                    "houses": fmt.num(c.houses),
                }
                for c in campaigns
            ]
            houses = await call(renovation.houses_with_apartments, actor_id=actor)
            self.houses = [
                {
                    "id": str(h.id),
                    "label": message("ui.renovation.kv", address=h.address, apartments=fmt.num(h.apartments)),
                }
                for h in houses
            ]
        if self.is_moderator:
            items = await call(renovation.verification_queue, actor_id=actor, now=now())
            self.queue = [
                {
                    "id": str(q.ballot_id),
                    "what": label(
                        "ui.renovation.kv_2",
                        address=q.address,
                        apartment=q.apartment,
                        campaign_title=q.campaign_title,
                    ),
                    "channel": q.channel,
                    "cast": fmt.when(q.cast_at),
                    "due": fmt.when(q.verification_due),
                    "overdue": "1" if q.overdue else "",
                    "voter": q.voter_name or "—",
                    "registry": f"{q.registry_name} ({ROLE_NAMES.get(q.registry_role, q.registry_role)})"
                    if q.registry_name
                    else label("ui.renovation.net_v_reestre"),
                }
                for q in items
            ]

    @rx.event
    async def load(self):
        """Open the page: staff and moderators only."""
        self._clear_feedback()
        self.paper_code, self.invalid_fields = "", []
        self.loaded = False
        actor = await actor_of(self)
        try:
            await self._fill(actor)
        except (NotAllowed, NotAuthenticated):
            self.is_staff = self.is_moderator = False
        self.loaded = True

    async def _run(self, fn, done: str, **kwargs):
        """Call a use case with the session's actor; show its refusal or ``done`` and refresh."""
        self._clear_feedback()
        actor = await actor_of(self)
        try:
            result = await call(fn, actor_id=actor, now=now(), **kwargs)
        except DomainError as error:
            self.error = str(error)
            return None
        self.notice = done
        await self._fill(actor)
        return result

    @rx.event
    def toggle_house(self, house_id: str, checked: bool):
        """Add or remove a house of the new vote."""
        house_id = str(house_id)
        if checked and house_id not in self.chosen_houses:
            self.chosen_houses = [*self.chosen_houses, house_id]
        elif not checked:
            self.chosen_houses = [h for h in self.chosen_houses if h != house_id]

    @rx.event
    async def open_campaign(self, form: dict):
        """Open a vote for the chosen houses. A refused form lists every problem at once and marks
        its fields; nothing is saved."""
        self._clear_feedback()
        self.invalid_fields = []
        data = CampaignInput(
            title=str(form.get("title", "")),
            question=str(form.get("question", "")),
            starts_at=parse_moscow_input(str(form.get("starts_at", ""))),
            ends_at=parse_moscow_input(str(form.get("ends_at", ""))),
            house_ids=[h for h in (_id(x) for x in self.chosen_houses) if h is not None],
        )
        actor = await actor_of(self)
        try:
            if data.starts_at is None or data.ends_at is None:  # raises listing this and the rest
                check_campaign(
                    data,
                    now=now(),
                    title_limit=renovation.TITLE_LIMIT,
                    question_limit=renovation.QUESTION_LIMIT,
                    houses_limit=renovation.HOUSES_LIMIT,
                )
                return
            await call(
                renovation.open_campaign,
                actor_id=actor,
                now=now(),
                title=data.title,
                question=data.question,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                house_ids=data.house_ids,
            )
        except FormProblems as error:
            self.error, self.invalid_fields = str(error), list(error.problems)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("ui.renovation.golosovanie_otkryto")
        self.chosen_houses = []
        await self._fill(actor)

    @rx.event
    async def choose_entry_campaign(self, campaign_id: str):
        """Pick the vote for in-person entry and list its houses."""
        self._clear_feedback()
        self.entry_campaign, self.entry_house, self.holders, self.entry_houses = str(campaign_id), "", [], []
        campaign = _id(campaign_id)
        if campaign is None:
            return
        try:
            houses = await call(
                renovation.campaign_houses, actor_id=await actor_of(self), campaign_id=campaign
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.entry_houses = [{"id": str(h.id), "label": h.address} for h in houses]

    @rx.event
    def choose_entry_house(self, house_id: str):
        """Pick the house for in-person entry."""
        self.entry_house, self.holders = str(house_id), []

    @rx.event
    async def find_holders(self, form: dict):
        """List the registry owners and social tenants of the typed apartment."""
        self._clear_feedback()
        self.holders, self.paper_code = [], ""
        campaign, house = _id(self.entry_campaign), _id(self.entry_house)
        if campaign is None or house is None:
            self.error = message("ui.renovation.vyberite_golosovanie_i_dom")
            return
        try:
            found = await call(
                renovation.apartment_holders,
                actor_id=await actor_of(self),
                campaign_id=campaign,
                house_id=house,
                apartment=str(form.get("apartment", ""))[:10],
            )
        except DomainError as error:
            self.error = str(error)
            return
        if not found:
            self.error = message("ui.renovation.v_reestre_net_sobstvennikov_ili")
        self.holders = [
            {
                "id": str(h.holder_id),
                "label": message(
                    "ui.renovation.kv_3",
                    apartment=h.apartment,
                    name=h.name,
                    role=ROLE_NAMES.get(h.role, h.role),
                ),
            }
            for h in found
        ]

    @rx.event
    async def enter_paper_vote(self, holder_id: str, choice: str):
        """Enter the in-person vote of a registry holder whose documents were checked."""
        self.paper_code = ""
        campaign, holder = _id(self.entry_campaign), _id(holder_id)
        if campaign is None or holder is None:
            return
        outcome = await self._run(
            renovation.enter_in_person_vote,
            message("ui.renovation.golos_podannyi_lichno_vnesen_i"),
            campaign_id=campaign,
            holder_id=holder,
            choice=str(choice),
        )
        if outcome is not None:
            self.paper_code = format_check_code(outcome.check_code)

    @rx.event
    async def verify(self, ballot_id: str):
        """Confirm a vote «на проверке» (moderators)."""
        ballot = _id(ballot_id)
        if ballot is not None:
            await self._run(
                renovation.verify_vote, message("ui.renovation.golos_podtverzhden_i_uchten"), ballot_id=ballot
            )

    @rx.event
    async def reject(self, form: dict):
        """Reject a vote «на проверке» with the typed reason (moderators)."""
        ballot = _id(form.get("ballot_id", ""))
        if ballot is not None:
            await self._run(
                renovation.reject_vote,
                message("ui.renovation.golos_otklonen_golosuiushchii_uvedomlen"),
                ballot_id=ballot,
                reason=str(form.get("reason", ""))[:1000],
            )

    @rx.event
    async def enter_meeting(self, form: dict):
        """Record a general meeting's decision for the chosen house of the chosen vote (it overrides the vote)."""
        campaign, house = _id(self.entry_campaign), _id(self.entry_house)
        if campaign is None or house is None:
            self._clear_feedback()
            self.error = message("ui.renovation.vyberite_golosovanie_i_dom")
            return
        await self._run(
            renovation.enter_meeting_decision,
            message("ui.renovation.reshenie_obshchego_sobraniia_vneseno_ono"),
            campaign_id=campaign,
            house_id=house,
            protocol=str(form.get("protocol", ""))[:1000],
            for_votes=str(form.get("for_votes", ""))[:40],
            total_votes=str(form.get("total_votes", ""))[:40],
        )
