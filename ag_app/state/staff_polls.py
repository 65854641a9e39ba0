"""Staff pages for city polls: the list with lifecycle actions, and results with decisions.

Every handler resolves the actor from the session cookie and calls a service with it; the
services refuse anyone who is not city staff, so calling these handlers over the websocket as a
resident changes nothing. Poll ids come from the URL or the button pressed — the service checks
them.
"""

from collections.abc import Callable
from typing import Any

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.domain.poll_actions import PollAction, allows
from ag_app.domain.roles import Capability
from ag_app.i18n import label, message
from ag_app.services import access, polls
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.staff_common import POLL_STATE_NAMES, moscow_text, poll_id_from_url

# Decision statuses staff can choose, with their display names.
DECISION_STATUSES: dict[str, str] = dict(polls.DECISION_STATUSES)


def _int(value: str | int) -> int | None:
    return id_or_none(value)


@holds_user_data
class StaffPollsState(GuardedState, rx.State):
    """``/staff/polls``: every poll with its state, dates, ballots and the allowed actions."""

    # Whether the page finished loading and the actor is staff (data is shown only then).
    loaded: bool = False
    allowed: bool = False
    rows: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        """Load the poll list for a staff member (others see «Недостаточно прав»)."""
        self.error, self.notice = "", ""
        await self._reload()
        self.loaded = True

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            summaries = await call(polls.staff_polls, actor_id=actor, now=now())
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.rows = False, []
            return
        self.allowed = True
        self.rows = [
            {
                "id": str(p.id),
                "title": p.title,
                "state": p.state,
                "state_name": POLL_STATE_NAMES.get(p.state, p.state),
                "scope": label("ui.polls.gorodskoe")
                if p.scope == "city"
                else label("ui.polls.territorial_noe"),
                "territory": p.territory,
                "starts": moscow_text(p.starts_at),
                "ends": moscow_text(p.ends_at),
                "ballots": fmt.num(p.ballots_count),
                "points": fmt.num(p.points),
                # Each action the poll's state allows (domain/poll_actions.py) → "1", others → "".
                **{f"may_{a.value}": "1" if allows(p.state, a) else "" for a in PollAction},
            }
            for p in summaries
        ]

    async def _act(self, fn: Callable[..., Any], poll_id: str, done: str):
        """Run one lifecycle use case on ``poll_id`` and reload the list."""
        self.error, self.notice = "", ""
        pid = _int(poll_id)
        if pid is None:
            return
        actor = await actor_of(self)
        try:
            await call(fn, actor_id=actor, poll_id=pid, now=now())
        except DomainError as exc:
            self.error = str(exc)
            return
        self.notice = done
        await self._reload()

    @rx.event
    async def publish(self, poll_id: str):
        """Publish a draft: it opens to residents at its start time."""
        await self._act(polls.publish_poll, poll_id, message("ui.polls.golosovanie_opublikovano"))

    @rx.event
    async def close(self, poll_id: str):
        """Close a running poll before its end time."""
        await self._act(polls.close_poll, poll_id, message("ui.polls.golosovanie_zakryto_dosrochno"))

    @rx.event
    async def publish_results(self, poll_id: str):
        """Publish the final results of an ended poll (they appear in «Новости»)."""
        await self._act(polls.publish_results, poll_id, message("ui.common.itogi_opublikovany"))


@holds_user_data
class StaffDecisionsState(GuardedState, rx.State):
    """``/staff/polls/[poll_id]/decisions``: results summary, publishing results, decisions."""

    loaded: bool = False
    allowed: bool = False
    found: bool = False
    pid: int = 0
    title: str = ""
    state: str = ""
    state_name: str = ""
    # What the poll's state allows here (domain/poll_actions.py).
    may_publish_results: bool = False
    may_decide: bool = False
    # Counts as shown («4 824»).
    ballots: str = "0"
    moscow_ballots: str = "0"
    other_ballots: str = "0"
    # One row per question: id, text, answered.
    questions: list[dict[str, str]] = []
    # Options of each question (parallel to ``questions``): text, count, percent, moscow, other.
    options: list[list[dict[str, str]]] = []
    own_texts: list[list[str]] = []
    decisions: list[dict[str, str]] = []
    # The add-decision form.
    new_text: str = ""
    new_status: str = "adopted"
    error: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        """Load results and decisions of the poll in the URL (staff only)."""
        self.error, self.notice, self.new_text, self.new_status = "", "", "", "adopted"
        self.pid = poll_id_from_url(self.router.url) or 0
        await self._reload()
        self.loaded = True

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            await call(access.require, actor_id=actor, capability=Capability.POLLS_MANAGE)
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.found = False, False
            self._clear()
            return
        self.allowed = True
        try:
            # Staff always get the results (intermediate or final) with the poll.
            detail = await call(polls.get_poll, actor_id=actor, poll_id=self.pid, now=now())
        except DomainError as exc:
            self.found = False
            self.error = str(exc)
            self._clear()
            return
        results = detail.results or polls.PollResults(
            ballots=0, moscow_ballots=0, other_ballots=0, questions=[]
        )
        self.allowed, self.found = True, True
        self.title = detail.title
        self.state = detail.state
        self.state_name = POLL_STATE_NAMES.get(detail.state, detail.state)
        self.may_publish_results = allows(detail.state, PollAction.PUBLISH_RESULTS)
        self.may_decide = allows(detail.state, PollAction.DECIDE)
        self.ballots = fmt.num(results.ballots)
        self.moscow_ballots = fmt.num(results.moscow_ballots)
        self.other_ballots = fmt.num(results.other_ballots)
        self.questions = [
            {"id": str(q.id), "number": str(n), "text": q.text, "answered": fmt.num(q.answered)}
            for n, q in enumerate(results.questions, start=1)
        ]
        self.options = [
            [
                {
                    "text": o.text,
                    "count": fmt.num(o.count),
                    "percent": fmt.percent(o.percent),
                    "moscow": f"{fmt.num(o.moscow)} ({fmt.percent(o.moscow_percent)})",
                    "other": f"{fmt.num(o.other)} ({fmt.percent(o.other_percent)})",
                }
                for o in q.options
            ]
            for q in results.questions
        ]
        self.own_texts = [list(q.own_texts) for q in results.questions]
        self.decisions = [
            {
                "id": str(d.id),
                "text": d.text,
                "status": d.status,
                "status_name": d.status_name or DECISION_STATUSES.get(d.status, d.status),
                "created": moscow_text(d.created_at),
                "implemented": moscow_text(d.implemented_at),
            }
            for d in detail.decisions
        ]

    def _clear(self) -> None:
        self.title, self.state, self.state_name = "", "", ""
        self.ballots = self.moscow_ballots = self.other_ballots = "0"
        self.questions, self.options, self.own_texts, self.decisions = [], [], [], []

    @rx.event
    def set_new_text(self, value: str):
        """Text of the decision being added."""
        self.new_text = value

    @rx.event
    def set_new_status(self, value: str):
        """Status of the decision being added."""
        self.new_status = value if value in DECISION_STATUSES else "adopted"

    @rx.event
    async def publish_results(self):
        """Publish the final results of this poll."""
        self.error, self.notice = "", ""
        actor = await actor_of(self)
        try:
            await call(polls.publish_results, actor_id=actor, poll_id=self.pid, now=now())
        except DomainError as exc:
            self.error = str(exc)
            return
        self.notice = message("ui.common.itogi_opublikovany")
        await self._reload()

    @rx.event
    async def add_decision(self):
        """Record a decision taken on the poll's result."""
        self.error, self.notice = "", ""
        actor = await actor_of(self)
        try:
            await call(
                polls.add_decision,
                actor_id=actor,
                poll_id=self.pid,
                text=self.new_text,
                status=self.new_status,
                now=now(),
            )
        except DomainError as exc:
            self.error = str(exc)
            return
        self.new_text, self.new_status = "", "adopted"
        self.notice = message("ui.polls.reshenie_dobavleno")
        await self._reload()

    @rx.event
    async def mark_implemented(self, decision_id: str):
        """Mark a decision «Реализовано»."""
        self.error, self.notice = "", ""
        did = _int(decision_id)
        if did is None:
            return
        actor = await actor_of(self)
        try:
            await call(
                polls.set_decision_status, actor_id=actor, decision_id=did, status="implemented", now=now()
            )
        except DomainError as exc:
            self.error = str(exc)
            return
        self.notice = message("ui.polls.reshenie_otmecheno_kak_realizovannoe")
        await self._reload()
