"""``/staff/meetings``: the register of houses enabled for online meetings, paper decisions, the
audit log of refused decisions and the export of the register of decisions.

The page gate only decides what is shown; every handler calls a service that checks the staff
role again (a handler may be called over the websocket by anyone).
"""

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.meetings import DECISIONS, clean_inspection_reference
from ag_app.domain.numbers import id_or_none
from ag_app.domain.roles import Capability
from ag_app.i18n import message
from ag_app.services import access, meetings
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.meetings import outcome_text, publish_meter
from ag_app.state.staff_common import moscow_text


@holds_user_data
class StaffMeetingsState(GuardedState, rx.State):
    """The staff page of owners' meetings."""

    loaded: bool = False
    allowed: bool = False
    # The register: address, inspection reference, when.
    enabled: list[dict[str, str]] = []
    # Registry houses not yet enabled: id, address.
    candidates: list[dict[str, str]] = []
    enable_house_id: str = ""
    enable_reference: str = ""
    enable_error: str = ""
    enable_notice: str = ""
    # Fields of the enabling form named by its last refusal («house», «reference»), marked aria-invalid.
    enable_invalid: list[str] = []

    meetings_rows: list[dict[str, str]] = []
    chosen_meeting: str = ""
    # The chosen meeting's agenda: id, number, text, paper (the choice on the paper form or "").
    agenda: list[dict[str, str]] = []
    premise: str = ""
    owners: list[dict[str, str]] = []
    person_ref: str = ""
    scan: str = ""
    paper_error: str = ""
    paper_notice: str = ""
    # Fields of the paper-decision form named by its last refusal («scan», «owner», «choices»).
    paper_invalid: list[str] = []
    rejections: list[dict[str, str]] = []

    async def _reload(self, actor: int | None) -> None:
        houses = await call(meetings.list_enabled_houses, actor_id=actor)
        self.enabled = [
            {
                "address": h.address,
                "district": h.district,
                "reference": h.inspection_protocol,
                "when": moscow_text(h.recorded_at),
            }
            for h in houses
        ]
        registry = await call(meetings.registry_houses, actor_id=actor)
        self.candidates = [
            {
                "id": str(h.house_id),
                "address": message("ui.meetings.pomeshchenii", address=h.address, premises=h.premises),
            }
            for h in registry
            if not h.enabled
        ]
        listed = await call(meetings.list_all_meetings, actor_id=actor, now=now())
        self.meetings_rows = [
            {
                "id": str(m.id),
                "name": f"№ {m.id}: {m.address}, {moscow_text(m.starts_at)} — {moscow_text(m.ends_at)} ({m.state_name})",
            }
            for m in listed
        ]

    @rx.event
    async def load(self):
        """Show the page to staff only."""
        self.enable_error = self.enable_notice = self.paper_error = self.paper_notice = ""
        self.enable_invalid, self.paper_invalid = [], []
        actor = await actor_of(self)
        try:
            await call(access.require, actor_id=actor, capability=Capability.MEETINGS_MANAGE)
            await self._reload(actor)
        except (NotAllowed, NotAuthenticated):
            self.allowed = False
        else:
            self.allowed = True
            if self.chosen_meeting:
                await self._open_meeting(actor)
        self.loaded = True

    @rx.event
    def set_field(self, name: str, value: str):
        """Type into one of the page's fields."""
        if name in {"enable_house_id", "enable_reference", "premise", "person_ref", "scan"}:
            setattr(self, name, str(value)[:300])

    @rx.event
    async def enable(self):
        """Add the chosen house to the register with the inspection's protocol reference."""
        self.enable_error = self.enable_notice = ""
        self.enable_invalid = []
        house_id = id_or_none(self.enable_house_id)
        actor = await actor_of(self)
        try:
            if house_id is None:  # raises listing this and a bad reference at once
                clean_inspection_reference(
                    self.enable_reference,
                    limit=meetings.INSPECTION_LIMIT,
                    prior=[("house", InvalidInput("meeting.house_required"))],
                )
                return
            added = await call(
                meetings.enable_house,
                actor_id=actor,
                house_id=house_id,
                inspection_protocol=self.enable_reference,
                now=now(),
            )
            await self._reload(actor)
        except FormProblems as error:
            self.enable_error, self.enable_invalid = str(error), list(error.problems)
            return
        except DomainError as error:
            self.enable_error = str(error)
            return
        self.enable_house_id = self.enable_reference = ""
        self.enable_notice = message("ui.meetings.dom_vkliuchen_v_reestr", address=added.address)

    async def _open_meeting(self, actor: int | None) -> None:
        view = await call(
            meetings.get_meeting, actor_id=actor, meeting_id=int(self.chosen_meeting), now=now()
        )
        kept = {q["id"]: q["paper"] for q in self.agenda}
        self.agenda = [
            {
                "id": str(q.question_id),
                "number": str(q.number),
                "text": q.text,
                "paper": kept.get(str(q.question_id), ""),
            }
            for q in view.meter.questions
        ]
        audit = await call(meetings.list_rejections, actor_id=actor, meeting_id=int(self.chosen_meeting))
        self.rejections = [
            {
                "when": moscow_text(r.created_at),
                "owner": r.owner_ref,
                "question": str(r.question_number),
                "channel": r.channel,
                "choice": r.choice,
                "reason": r.reason,
                "scan": r.scan_sha256 or "—",
                "by": r.entered_by,
            }
            for r in audit
        ]

    @rx.event
    async def choose_meeting(self, value: str):
        """Open a meeting for paper decisions, its audit log and export."""
        self.paper_error = self.paper_notice = ""
        self.paper_invalid = []
        # Kept as the digits of a valid id (or empty): the other handlers convert it back with int().
        wanted = id_or_none(value)
        self.chosen_meeting = str(wanted) if wanted is not None else ""
        self.agenda, self.rejections, self.owners = [], [], []
        self.person_ref = ""
        if not self.chosen_meeting:
            return
        try:
            await self._open_meeting(await actor_of(self))
        except DomainError as error:
            self.paper_error = str(error)

    @rx.event
    async def find_owners(self):
        """List the owners of the premise typed in (names from the registry, for staff)."""
        self.paper_error = self.paper_notice = ""
        self.owners, self.person_ref = [], ""
        if not self.chosen_meeting:
            return
        try:
            owners = await call(
                meetings.premise_owners,
                actor_id=await actor_of(self),
                meeting_id=int(self.chosen_meeting),
                premise_number=self.premise,
            )
        except DomainError as error:
            self.paper_error = str(error)
            return
        self.owners = [
            {"ref": o.person_ref, "name": message("ui.meetings.dolia", name=o.name, share=o.share)}
            for o in owners
        ]
        if self.owners:
            self.person_ref = self.owners[0]["ref"]

    @rx.event
    def set_paper(self, question_id: str, choice: str):
        """The decision on one question as written on the paper form ("" = not answered)."""
        question_id, choice = str(question_id), str(choice)
        self.agenda = [
            {**q, "paper": choice if choice in DECISIONS else ""} if q["id"] == question_id else q
            for q in self.agenda
        ]

    @rx.event
    async def enter_paper(self):
        """Enter the paper decision; a question the owner already decided on is refused and logged."""
        self.paper_error = self.paper_notice = ""
        self.paper_invalid = []
        if not self.chosen_meeting:
            return
        actor = await actor_of(self)
        meeting_id = int(self.chosen_meeting)
        try:
            outcome = await call(
                meetings.enter_paper_decision,
                actor_id=actor,
                meeting_id=meeting_id,
                premise_number=self.premise,
                person_ref=self.person_ref,
                choices={int(q["id"]): q["paper"] for q in self.agenda if q["paper"]},
                scan_sha256=self.scan,
                now=now(),
            )
        except FormProblems as error:
            self.paper_error, self.paper_invalid = str(error), list(error.problems)
            return
        except DomainError as error:
            self.paper_error = str(error)
            return
        self.paper_error, self.paper_notice = outcome_text(outcome)
        if outcome.accepted:
            publish_meter(meeting_id)
            self.agenda = [{**q, "paper": ""} for q in self.agenda]
            self.scan = ""
        try:
            await self._open_meeting(actor)
        except DomainError as error:
            self.paper_error = str(error)

    @rx.event
    async def export(self):
        """Download the register of decisions of the chosen meeting (CSV for the housing inspection)."""
        self.paper_error = ""
        if not self.chosen_meeting:
            return
        try:
            text = await call(
                meetings.decisions_register_csv,
                actor_id=await actor_of(self),
                meeting_id=int(self.chosen_meeting),
            )
        except DomainError as error:
            self.paper_error = str(error)
            return
        return rx.download(data=text.encode("utf-8"), filename=f"meeting-{self.chosen_meeting}-decisions.csv")
