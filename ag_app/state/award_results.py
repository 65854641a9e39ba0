"""The award contest's results pages: «Итоги премии» (public), «Моя премия» (member),
«Утверждение итогов» (the member holding the chair's powers) and «Премия: выплаты» (operator).

Thin: identity from the server-side session, ids the page was loaded with kept in backend vars
(never taken from the client), every rule in the services. The payout form is not bound to any
state var: what a member types goes straight to the service and is never kept here; only the
masked values come back.
"""

from datetime import datetime, timedelta

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services.award import approval, diploma, payouts, published
from ag_app.services.award.payouts import FIELD_LABELS, FIELD_LIMIT
from ag_app.services.award.results_reads import PLACE_NAMES, rubles
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now, to_login


def last_day(due_at: datetime) -> str:
    """The last day payout data are accepted: «20 декабря 2026 включительно» (the deadline is the
    end of that Moscow day)."""
    return label("ui.award_results.vkliuchitel_no", p1=fmt.day(due_at - timedelta(seconds=1)))


def _wanted_contest(state: rx.State) -> int | None:
    """``?contest=ID`` (0 when it is not an id; None when not given)."""
    raw = state.router.url.query_parameters.get("contest", "")
    if not raw:
        return None
    return id_or_none(raw) or 0


class AwardResultsState(FeedbackMixin, rx.State):
    """``/awards/results`` «Итоги премии»: winners and prize-winners, protocols, the no-appeal sentence."""

    loaded: bool = False
    has_contest: bool = False
    title: str = ""
    year: str = ""
    # task, place, team, project, prize — one row per place.
    places: list[dict[str, str]] = []
    # id, held_on, form, approved, sha256, url.
    sittings: list[dict[str, str]] = []
    no_appeal: str = published.NO_APPEAL

    @rx.event
    async def load(self):
        """Read the results of ``?contest=ID`` or of the latest contest."""
        self._clear_feedback()
        self.loaded, self.has_contest, self.places, self.sittings = False, False, [], []
        wanted = _wanted_contest(self)
        if wanted == 0:
            self.error, self.loaded = message("award.contest_unknown"), True
            return
        try:
            view = await call(published.results_page, contest_id=wanted)
        except DomainError as error:
            self.error, self.loaded = str(error), True
            return
        self.loaded = True
        if view is None:
            return
        self.has_contest = True
        self.title, self.year = view.title, str(view.year)
        self.places = [
            {
                "task": f"№ {task.number}. {task.title}",
                "place": PLACE_NAMES.get(p.place, str(p.place)),
                "team": p.team,
                "project": p.project,
                "prize": rubles(p.prize),
            }
            for task in view.tasks
            for p in task.places
        ]
        self.sittings = [
            {
                "id": str(s.id),
                "held_on": fmt.short_day(s.held_on),
                "form": s.form,
                "approved": fmt.when(s.approved_at),
                "sha256": s.protocol_sha256,
                "url": s.protocol_url,
            }
            for s in view.sittings
        ]


@holds_user_data
class MyPrizeState(FeedbackMixin, rx.State):
    """``/awards/prize`` «Моя премия»: the member's place, share, diploma and payout data."""

    loaded: bool = False
    has_prize: bool = False
    year: str = ""
    team: str = ""
    task: str = ""
    place: str = ""
    share: str = ""
    has_payout: bool = False
    status: str = ""
    status_name: str = ""
    due: str = ""
    submitted: str = ""
    can_submit: bool = False
    # label, value (masked: the last 4 characters).
    masked: list[dict[str, str]] = []
    # Every problem of the last refused form, one sentence each.
    problems: list[str] = []
    form_key: int = 0
    _cid: int = 0
    _pid: int = 0

    async def _read(self, actor: int) -> None:
        view = await call(published.my_prize, actor_id=actor, now=now())
        self.loaded = True
        self.has_prize = view is not None
        self._cid = view.contest_id if view else 0
        payout = view.payout if view else None
        self._pid = payout.id if payout else 0
        self.has_payout = payout is not None
        if view is None:
            return
        self.year, self.team = str(view.year), view.team
        self.task = f"№ {view.task_number}. {view.task_title}"
        self.place = PLACE_NAMES.get(view.place, str(view.place))
        self.share = rubles(payout.amount) if payout else ""
        self.status = payout.status if payout else ""
        self.status_name = payout.status_name if payout else ""
        self.due = last_day(payout.due_at) if payout else ""
        self.submitted = fmt.when(payout.submitted_at) if payout and payout.submitted_at else ""
        self.can_submit = bool(payout and payout.can_submit)
        self.masked = [{"label": f.label, "value": f.value} for f in payout.masked] if payout else []

    @rx.event
    async def load(self):
        """Open the page for the logged-in member (a guest is sent to the login page)."""
        self._clear_feedback()
        self.problems = []
        actor = await actor_of(self)
        if actor is None:
            self.reset()
            return to_login(self)
        try:
            await self._read(actor)
        except DomainError as error:
            self.error, self.loaded = str(error), True

    @rx.event
    async def download_diploma(self):
        """«Скачать диплом»: the member's own diploma PDF."""
        self._clear_feedback()
        actor = await actor_of(self)
        if actor is None or not self._cid:
            self.error = message("award.diploma_none")
            return
        try:
            data = await call(diploma.my_diploma, actor_id=actor, contest_id=self._cid)
        except DomainError as error:
            self.error = str(error)
            return
        return rx.download(data=data, filename=f"diplom-{self.year}.pdf")

    @rx.event
    async def submit_payout(self, form: dict):
        """«Отправить данные для выплаты»: every problem is listed at once; nothing is kept here."""
        self._clear_feedback()
        self.problems = []
        actor = await actor_of(self)
        if actor is None or not self._pid:
            self.error = message("award.payout_unknown")
            return
        values: dict[str, str] = {}
        for name in FIELD_LABELS:
            value = form_text(form, name, FIELD_LIMIT)
            values[name] = value or ""
        try:
            await call(payouts.submit_payout, actor_id=actor, payout_id=self._pid, form=values, now=now())
        except FormProblems as error:
            self.error = message("award.payout_problems", count=len(error.problems), problems="").strip()
            self.problems = list(error.problems.values())
            return
        except DomainError as error:
            self.error = str(error)
            await self._read(actor)
            return
        self.form_key += 1
        await self._read(actor)
        self.notice = message("award.payout_saved", due=self.due)


@holds_user_data
class ApprovalState(FeedbackMixin, rx.State):
    """``/awards/approval`` «Утверждение итогов»: the sittings awaiting the actor's approval."""

    loaded: bool = False
    # id, title, form, present, blocker, ready («1» or «»).
    sittings: list[dict[str, str]] = []
    # sitting, task, team, project, total, place, prize.
    lines: list[dict[str, str]] = []
    # The sitting whose approval is being confirmed ("" when none).
    confirming: str = ""
    _ids: list[int] = []

    async def _read(self, actor: int) -> None:
        queue = await call(published.approval_queue, actor_id=actor)
        self.loaded = True
        self._ids = [s.id for s in queue]
        self.sittings = [
            {
                "id": str(s.id),
                "title": message(
                    "ui.award_results.zasedanie_ot_konkurs_goda",
                    id=s.id,
                    held_on=fmt.short_day(s.held_on),
                    contest_year=s.contest_year,
                ),
                "form": s.form,
                "present": label("ui.award_results.iz", present=s.present, members=s.members),
                "blocker": s.blocker,
                "ready": "" if s.blocker else "1",
            }
            for s in queue
        ]
        self.lines = [
            {
                "sitting": str(s.id),
                "task": f"№ {t.number}. {t.title}",
                "team": line.team,
                "project": line.project,
                "total": str(line.total),
                "place": str(line.place) if line.place else "—",
                "prize": rubles(line.prize) if line.place else "",
            }
            for s in queue
            for t in s.tasks
            for line in t.lines
        ]

    @rx.event
    async def load(self):
        """Open the queue for the logged-in member (a guest is sent to the login page)."""
        self._clear_feedback()
        self.confirming = ""
        actor = await actor_of(self)
        if actor is None:
            self.reset()
            return to_login(self)
        try:
            await self._read(actor)
        except DomainError as error:
            self.error, self.loaded = str(error), True

    @rx.event
    def ask(self, sitting_id: str):
        """«Утвердить результаты»: ask for the confirmation first."""
        self._clear_feedback()
        chosen = id_or_none(sitting_id)
        self.confirming = str(chosen) if chosen in self._ids else ""

    @rx.event
    def cancel(self):
        """«Отмена»: no approval."""
        self.confirming = ""

    @rx.event
    async def approve(self):
        """«Да, утвердить»: approve the sitting being confirmed (the service checks everything again)."""
        self._clear_feedback()
        chosen = id_or_none(self.confirming)
        self.confirming = ""
        actor = await actor_of(self)
        if actor is None or chosen is None or chosen not in self._ids:
            self.error = message("award.sitting_unknown")
            return
        try:
            done = await call(approval.approve_sitting, actor_id=actor, sitting_id=chosen, now=now())
        except DomainError as error:
            self.error = str(error)
            await self._read(actor)
            return
        await self._read(actor)
        self.notice = message("award.approved", sha256=done.protocol_sha256)


@holds_user_data
class StaffAwardPayoutsState(FeedbackMixin, rx.State):
    """``/staff/awards/payouts`` «Премия: выплаты»: payouts with status and the register download."""

    loaded: bool = False
    allowed: bool = False
    year: str = ""
    # task, place, team, member, amount, status, due, submitted.
    rows: list[dict[str, str]] = []
    _cid: int = 0

    @rx.event
    async def load(self):
        """Read the payouts of ``?contest=ID`` or of the latest contest (operator only)."""
        self._clear_feedback()
        self.rows, self.allowed = [], False
        actor = await actor_of(self)
        wanted = _wanted_contest(self)
        try:
            page = await call(payouts.staff_payout_page, actor_id=actor, contest_id=wanted or None)
        except DomainError as error:
            self.error, self.loaded = str(error), True
            return
        self.loaded, self.allowed = True, True
        self._cid = page.contest_id or 0
        self.year = str(page.year) if page.year else ""
        self.rows = [
            {
                "task": str(p.task_number),
                "place": str(p.place),
                "team": p.team,
                "member": p.member,
                "amount": rubles(p.amount),
                "status": p.status_name,
                "due": last_day(p.due_at),
                "submitted": fmt.when(p.submitted_at),
            }
            for p in page.payouts
        ]

    @rx.event
    async def download_register(self):
        """«Скачать реестр выплат» (CSV for the accounting system)."""
        self._clear_feedback()
        actor = await actor_of(self)
        if not self._cid:
            self.error = message("award.no_results")
            return
        try:
            data = await call(payouts.payout_register, actor_id=actor, contest_id=self._cid)
        except DomainError as error:
            self.error = str(error)
            return
        return rx.download(data=data, filename=f"award-{self.year}-payouts.csv")
