"""Owners' meetings for residents: the list, the filing form, the meeting page and its live meter.

The live meter (SPEC §7.6) is the small :class:`MeetingMeterState` on the live channel
:data:`METER` (``ag_app.state.live``): every viewer of ``/house/meetings/{id}`` joins the room of
the meeting on page load and gets the current count; after accepted decisions one refresh
(coalesced per meeting) reads the count from the database and sends it once to the room, through
Redis to whichever backend worker holds each viewer's socket. No client polls.
"""

import logging
from decimal import Decimal
from typing import Any

import reflex as rx
from babel.numbers import format_decimal

from ag_app import i18n
from ag_app.domain.errors import DomainError, FormProblems, InvalidInput
from ag_app.domain.meetings import (
    DECISIONS,
    MAX_AGENDA,
    THRESHOLDS,
    TOPICS,
    AgendaItem,
    MeetingInput,
    default_threshold,
    validate_meeting,
)
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services import meetings
from ag_app.state import fmt, live
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.staff_common import moscow_text, parse_moscow_input

log = logging.getLogger(__name__)


def m2(value: Decimal) -> str:
    """m² for display: «1 234,50 м²» (two decimals, Russian grouping)."""
    return i18n.label("ui.meetings.m", value=format_decimal(value, format="#,##0.00", locale="ru"))


def route_meeting_id(state: rx.State) -> int | None:
    """The meeting id of the ``/house/meetings/[meeting_id]`` route, or None when malformed."""
    return id_or_none(state.router.page.params.get("meeting_id", ""))


def meter_values(meter: meetings.MeetingMeter) -> dict[str, Any]:
    """The vars of :class:`MeetingMeterState` for a meter (aggregates only, display strings)."""
    total = meter.total_m2 or Decimal(1)
    share = float(meter.participating_m2 / total * 100)
    return {
        "mid": meter.meeting_id,
        "collected": (
            i18n.message(
                "ui.meetings.priniali_uchastie_sobstvenniki_s_iz",
                participating_m2=m2(meter.participating_m2),
                total_m2=m2(meter.total_m2),
                share=fmt.percent(share),
            )
        ),
        "collected_width": f"{max(0.0, min(100.0, share)):.1f}%",
        "quorum": meter.quorum,
        "quorum_text": (
            i18n.message("ui.meetings.kvorum_est_bol_she_poloviny", quorum_line_m2=m2(meter.quorum_line_m2))
            if meter.quorum
            else i18n.message(
                "ui.meetings.kvorum_bol_she_ne_khvataet",
                quorum_line_m2=m2(meter.quorum_line_m2),
                quorum_needed_m2=m2(meter.quorum_needed_m2),
            )
        ),
        "owners_text": i18n.label(
            "ui.meetings.resheniia_vernuli_sobstvennikov", owners_voted=fmt.num(meter.owners_voted)
        ),
        "questions": [
            {
                "number": str(q.number),
                "for": m2(q.for_m2),
                "against": m2(q.against_m2),
                "abstain": m2(q.abstain_m2),
                "needed": (
                    i18n.label("ui.meetings.reshenie_prinimaetsia")
                    if q.adopted
                    else i18n.label("ui.meetings.dlia_priniatiia_ne_khvataet_za", needed_m2=m2(q.needed_m2))
                    if q.possible
                    else i18n.label("ui.meetings.reshenie_uzhe_ne_mozhet_byt")
                ),
                "adopted": "1" if q.adopted else "",
            }
            for q in meter.questions
        ],
    }


async def load_meter(meeting_id: int) -> tuple[int, dict[str, Any]] | None:
    """The meter of a meeting from the database, versioned by its number of stored decisions
    (decisions are only ever added); None for an unknown meeting."""
    try:
        meter = await call(meetings.meeting_meter, meeting_id=meeting_id, now=now())
    except DomainError:
        return None
    return meter.decisions, meter_values(meter)


class MeetingMeterState(rx.State):
    """The live meter of the meeting on screen (aggregates only).

    Its vars are written only by the live channel (join and broadcast, straight into the
    browser), never by a handler, so no delta of the viewer's own state can bring back an older
    count. They stay at these defaults on the server.
    """

    mid: int = 0
    # «Собрано 1 234,50 м² из 5 000,00 м² (24,7 %)».
    collected: str = ""
    # CSS widths of the collected bar and of the quorum line (50 % of all votes).
    collected_width: str = "0%"
    quorum: bool = False
    quorum_text: str = ""
    owners_text: str = ""
    # Per question: number, for / against / abstain, the m² still needed and the verdict.
    questions: list[dict[str, str]] = []


# The live channel of meeting meters: key = meeting id.
METER = live.channel("meeting", MeetingMeterState, load_meter)


def publish_meter(meeting_id: int) -> None:
    """After accepted decisions: refresh the meeting's meter for all its viewers (coalesced)."""
    live.publish(METER, meeting_id)


def outcome_text(outcome: meetings.DecisionOutcome) -> tuple[str, str]:
    """(error, notice) after decisions were given."""
    notice = (
        i18n.message("ui.meetings.resheniia_uchteny_po_voprosam", accepted=len(outcome.accepted))
        if outcome.accepted
        else ""
    )
    error = " ".join(r.reason for r in outcome.refused)
    return error, notice


@holds_user_data
class MeetingListState(GuardedState, rx.State):
    """``/house/meetings``: meetings of the user's houses."""

    loaded: bool = False
    logged_in: bool = False
    can_file: bool = False
    rows: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """List the meetings of the houses where the user holds premises or acts for the organisation."""
        self.loaded = False
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.rows, self.can_file = [], False
        if actor is not None:
            try:
                listed = await call(meetings.list_my_meetings, actor_id=actor, now=now())
                houses = await call(meetings.filing_houses, actor_id=actor)
            except DomainError:
                listed, houses = [], []
            self.rows = [
                {
                    "id": str(m.id),
                    "address": m.address,
                    "period": f"{moscow_text(m.starts_at)} — {moscow_text(m.ends_at)}",
                    "state": m.state_name,
                    "questions": i18n.label("ui.meetings.voprosov_v_povestke", questions=m.questions),
                }
                for m in listed
            ]
            self.can_file = any(h.initiator_kind for h in houses)
        self.loaded = True


def _blank_item() -> dict[str, str]:
    return {"text": "", "topic": "organisational", "threshold": ""}


@holds_user_data
class MeetingFormState(FeedbackMixin, rx.State):
    """``/house/meetings/new``: the application of an owners' meeting (SPEC §7.2)."""

    loaded: bool = False
    # Houses the user may file in: id, address; and the reasons for the others.
    houses: list[dict[str, str]] = []
    refusals: list[str] = []
    house_id: str = ""
    items: list[dict[str, str]] = [_blank_item()]
    starts: str = ""
    ends: str = ""
    address: str = ""
    # Form fields named by the last refused filing, marked aria-invalid («house», «starts», «question-1» …).
    invalid_fields: list[str] = []

    @rx.event
    async def load(self):
        """Offer the houses where the user may file a meeting."""
        self._clear_feedback()
        self.loaded, self.invalid_fields = False, []
        self.houses, self.refusals = [], []
        try:
            options = await call(meetings.filing_houses, actor_id=await actor_of(self))
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self.houses = [{"id": str(h.house_id), "address": h.address} for h in options if h.initiator_kind]
        self.refusals = [f"{h.address}: {h.cannot_file_reason}" for h in options if not h.initiator_kind]
        if self.houses and self.house_id not in {h["id"] for h in self.houses}:
            self.house_id = self.houses[0]["id"]
        self.loaded = True

    @rx.event
    def set_field(self, name: str, value: str):
        """Type into the house, period or address field."""
        if name in {"house_id", "starts", "ends", "address"}:
            setattr(self, name, str(value)[:600])

    @rx.event
    def set_item(self, index: int, name: str, value: str):
        """Change the text, topic or threshold of agenda question ``index``."""
        if not (0 <= int(index) < len(self.items)) or name not in {"text", "topic", "threshold"}:
            return
        items = [dict(item) for item in self.items]
        items[int(index)][name] = str(value)[:1200]
        self.items = items

    @rx.event
    def add_item(self):
        """Add an agenda question (at most 20)."""
        if len(self.items) < MAX_AGENDA:
            self.items = [*self.items, _blank_item()]

    @rx.event
    def remove_item(self, index: int):
        """Remove agenda question ``index``."""
        if 0 <= int(index) < len(self.items):
            self.items = [item for i, item in enumerate(self.items) if i != int(index)]

    @rx.event
    async def submit(self):
        """File the meeting; the service checks the initiator, house, agenda and notice period. A
        refused form lists every problem at once and marks its fields; nothing is saved."""
        self._clear_feedback()
        self.invalid_fields = []
        read: list[tuple[str, InvalidInput]] = []
        house_id = id_or_none(self.house_id)
        if house_id is None:
            read.append(("house", InvalidInput("meeting.house_required")))
        starts, ends = parse_moscow_input(self.starts), parse_moscow_input(self.ends)
        if starts is None or ends is None:
            which = "ends" if starts is not None else "starts" if ends is not None else "period"
            read.append((which, InvalidInput("meeting.date_invalid")))
        data = MeetingInput(
            agenda=[
                AgendaItem(text=i["text"], topic=i["topic"], threshold=i["threshold"]) for i in self.items
            ],
            starts_at=starts or now(),
            ends_at=ends or now(),
            in_person_address=self.address,
        )
        try:
            if read or house_id is None:
                validate_meeting(data, notified_at=now(), prior=read)  # raises listing these and the rest
                return
            meeting_id = await call(
                meetings.file_meeting,
                actor_id=await actor_of(self),
                house_id=house_id,
                data=data,
                now=now(),
            )
        except FormProblems as error:
            self.error, self.invalid_fields = str(error), list(error.problems)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.items, self.starts, self.ends, self.address = [_blank_item()], "", "", ""
        return rx.redirect(f"/house/meetings/{meeting_id}")


TOPIC_CHOICES = [(key, label) for key, label in TOPICS.items()]
THRESHOLD_CHOICES = [("", i18n.label("ui.meetings.po_umolchaniiu_dlia_temy"))] + [
    (key, label) for key, label in THRESHOLDS.items()
]
DEFAULT_THRESHOLD_NAMES = {topic: THRESHOLDS[default_threshold(topic)] for topic in TOPICS}


@holds_user_data
class MeetingPageState(FeedbackMixin, rx.State):
    """``/house/meetings/{id}``: the facts, the agenda with the viewer's decisions and the vote."""

    loaded: bool = False
    found: bool = False
    mid: int = 0
    address: str = ""
    district: str = ""
    initiator: str = ""
    notified: str = ""
    period: str = ""
    in_person_address: str = ""
    state: str = ""
    state_name: str = ""
    can_vote: bool = False
    cannot_vote_reason: str = ""
    protocol_sha256: str = ""
    protocol_url: str = ""
    # Agenda: id, number, text, topic, threshold, mine (the viewer's decision label or "") and
    # picked (the choice on screen, not yet sent).
    agenda: list[dict[str, str]] = []
    # Choices picked on screen, not yet sent: question id → «for» / «against» / «abstain».
    picked: dict[str, str] = {}

    def _fill(self, view: meetings.MeetingView) -> None:
        self.mid = view.id
        self.address, self.district = view.address, view.district
        self.initiator = meetings.initiator_name(view.initiator_kind)
        self.notified = moscow_text(view.notified_at)
        self.period = i18n.message(
            "ui.meetings.s_po_msk", starts_at=moscow_text(view.starts_at), ends_at=moscow_text(view.ends_at)
        )
        self.in_person_address = view.in_person_address
        self.state, self.state_name = view.state, view.state_name
        self.can_vote, self.cannot_vote_reason = view.can_vote, view.cannot_vote_reason
        self.protocol_sha256 = view.protocol_sha256
        self.protocol_url = f"/api/v1/meetings/{view.id}/protocol.pdf" if view.protocol_sha256 else ""
        self.agenda = [
            {
                "id": str(q.question_id),
                "number": str(q.number),
                "text": q.text,
                "topic": meetings.topic_name(q.topic),
                "threshold": q.threshold_name,
                "mine": DECISIONS.get(view.my_decisions.get(q.question_id, ""), ""),
                "picked": "",
            }
            for q in view.meter.questions
        ]

    @rx.event
    async def load(self):
        """Open the meeting page (public; an owner also sees their own decisions and may vote)."""
        self._clear_feedback()
        self.loaded = self.found = False
        self.picked = {}
        meeting_id = route_meeting_id(self)
        if meeting_id is None:
            self.error = message("meeting.not_found")
            self.loaded = True
            return
        try:
            view = await call(
                meetings.get_meeting, actor_id=await actor_of(self), meeting_id=meeting_id, now=now()
            )
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self._fill(view)
        self.found = self.loaded = True
        # Watch the live meter in the same event (one state round trip less per page view).
        await live.join(self, METER, meeting_id)

    @rx.event
    def pick(self, question_id: str, choice: str):
        """Choose «За» / «Против» / «Воздержался» for a question not yet decided (sent with «Отправить»)."""
        question_id, choice = str(question_id), str(choice)
        if choice not in DECISIONS:
            return
        agenda = [dict(q) for q in self.agenda]
        for question in agenda:
            if question["id"] == question_id and not question["mine"]:
                question["picked"] = choice
                self.picked = {**self.picked, question_id: choice}
        self.agenda = agenda

    @rx.event
    async def send(self):
        """Send the picked decisions (final); the service re-checks the owner, the period and duplicates."""
        self._clear_feedback()
        if not self.mid:
            return
        if not self.picked:
            self.error = message("meeting.choices_required")
            return
        actor = await actor_of(self)
        try:
            outcome = await call(
                meetings.vote,
                actor_id=actor,
                meeting_id=self.mid,
                choices={int(q): c for q, c in self.picked.items()},
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.picked = {}
        self.error, self.notice = outcome_text(outcome)
        if outcome.accepted:
            publish_meter(self.mid)
        try:
            self._fill(await call(meetings.get_meeting, actor_id=actor, meeting_id=self.mid, now=now()))
        except DomainError as error:
            self.error = str(error)
