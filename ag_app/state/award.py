"""«Премия» (``/awards``) and «Моя команда» (``/awards/team``): the contest for everyone, and a
participant's team, invitations and application.

The views are read in ``load`` (one read transaction) and turned into display strings here. The
actions take the identity from the server-side session and the contest and team from backend vars
set by ``load`` (never from the client); the services re-check membership, deadlines and sizes, so
a forged call of a handler whose button is not shown is refused and changes nothing.
"""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services.award import teams
from ag_app.services.award.cabinet import MemberView
from ag_app.services.award.page import TeamPage, team_page
from ag_app.services.award.public import ContestView, public_view
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now

# Submitted text longer than this is not read at all (the rules are stricter).
_SHORT = 1_000
_LONG = 20_000


def rubles(kopecks: int) -> str:
    """«500 000 ₽» or «1 000,50 ₽»."""
    whole, rest = divmod(kopecks, 100)
    text = fmt.num(whole)
    return f"{text},{rest:02d}\u00a0₽" if rest else f"{text}\u00a0₽"


def task_rows(view: ContestView) -> list[dict[str, str]]:
    """The tasks as display strings: prizes, cap and how many teams count against it."""
    return [
        {
            "id": str(t.id),
            "number": str(t.number),
            "title": t.title,
            "label": label("ui.award.zadacha", number=t.number, title=t.title),
            "description": t.description,
            "prizes": label(
                "ui.award.1_mesto_2_mesto_3",
                prize_1=rubles(t.prize_1),
                prize_2=rubles(t.prize_2),
                prize_3=rubles(t.prize_3),
            ),
            "cap": label("ui.award.bez_ogranicheniia")
            if t.team_cap is None
            else label("ui.award.ne_bol_she", team_cap=t.team_cap),
            "teams": str(t.teams),
            "full": label("ui.award.zadacha_zapolnena") if t.full else "",
        }
        for t in view.tasks
    ]


def wanted_contest(state: rx.State) -> int | None:
    """The contest named by ``?contest=ID`` (0 when the value is not an id; None when not given)."""
    raw = state.router.url.query_parameters.get("contest", "")
    if not raw:
        return None
    return id_or_none(raw) or 0


class AwardState(FeedbackMixin, rx.State):
    """``/awards``: the current contest (or ``?contest=ID``) as published."""

    loaded: bool = False
    has_contest: bool = False
    title: str = ""
    year: str = ""
    description: str = ""
    period: str = ""
    open_text: str = ""
    tasks: list[dict[str, str]] = []
    criteria: list[dict[str, str]] = []
    admitted_published: bool = False
    admitted: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Read the contest for everyone (guests included)."""
        self._clear_feedback()
        wanted = wanted_contest(self)
        if wanted == 0:
            self.error, self.has_contest, self.loaded = message("award.contest_not_found"), False, True
            return
        try:
            view = await call(public_view, contest_id=wanted, now=now())
        except DomainError as error:
            self.error, self.has_contest, self.loaded = str(error), False, True
            return
        self.has_contest = view is not None
        if view is not None:
            self.title, self.year, self.description = view.title, str(view.year), view.description
            self.period = view.apply_period_text
            self.open_text = (
                label("ui.award.idet_priem_zaiavok")
                if view.apply_open
                else label("ui.award.priem_zaiavok_zakryt")
            )
            self.tasks = task_rows(view)
            self.criteria = [
                {
                    "number": str(c.number),
                    "name": c.name,
                    "description": c.description,
                    "max": str(c.max_score),
                }
                for c in view.criteria
            ]
            self.admitted_published = view.admitted_published
            self.admitted = [
                {
                    "name": t.name,
                    "task": f"{t.task_number}. {t.task_title}",
                    "project": t.project_title,
                    "url": t.prototype_url,
                }
                for t in view.admitted
            ]
        self.loaded = True


@holds_user_data
class AwardTeamState(FeedbackMixin, rx.State):
    """``/awards/team``: the participant's team, invitations to them and the application."""

    loaded: bool = False
    logged_in: bool = False
    has_contest: bool = False
    contest_title: str = ""
    period: str = ""
    tasks: list[dict[str, str]] = []
    has_team: bool = False
    team_name: str = ""
    task_label: str = ""
    status: str = ""
    status_name: str = ""
    review_note: str = ""
    exclusion_text: str = ""
    is_captain: bool = False
    members: list[dict[str, str]] = []
    pending: list[dict[str, str]] = []
    project: dict[str, str] = {}
    invitations: list[dict[str, str]] = []
    my_exclusion: str = ""
    can_create: bool = False
    can_invite: bool = False
    can_apply: bool = False
    can_change_task: bool = False
    can_leave: bool = False
    notes: list[str] = []
    # «Выйти из коллектива» asks once more before leaving.
    confirming_leave: bool = False
    # Changed after a successful action so the forms are drawn empty again.
    form_key: int = 0
    # The contest and the team the page shows (backend only).
    _cid: int = 0
    _team_id: int = 0

    def _fill_me(self, me: MemberView | None) -> None:
        team = me.team if me is not None else None
        self.has_team = team is not None
        self._team_id = team.id if team is not None else 0
        self.team_name = team.name if team else ""
        self.task_label = (
            label("ui.award.zadacha_2", task_number=team.task_number, task_title=team.task_title)
            if team
            else ""
        )
        self.status = team.status if team else ""
        self.status_name = team.status_name if team else ""
        self.review_note = team.review_note if team else ""
        self.exclusion_text = team.exclusion_text if team else ""
        self.is_captain = bool(team and team.captain)
        self.members = [
            {
                "name": m.name,
                "role": label("ui.award.kapitan") if m.captain else label("ui.award.uchastnik"),
                "me": "1" if m.me else "",
            }
            for m in (team.members if team else ())
        ]
        self.pending = [
            {"phone": p.phone, "since": fmt.short_day(p.invited_at)} for p in (team.pending if team else ())
        ]
        self.project = (
            {
                "title": team.project_title,
                "url": team.prototype_url,
                "description": team.project_description,
                "technologies": team.technologies,
                "applied": fmt.when(team.applied_at),
            }
            if team and team.applied_at
            else {}
        )
        self.invitations = [
            {
                "id": str(i.id),
                "team": i.team_name,
                "task": label("ui.award.zadacha_2", task_number=i.task_number, task_title=i.task_title),
            }
            for i in (me.invitations if me else ())
        ]
        self.my_exclusion = me.my_exclusion if me else ""
        self.can_create = bool(me and me.can_create)
        self.can_invite = bool(me and me.can_invite)
        self.can_apply = bool(me and me.can_apply)
        self.can_change_task = bool(me and me.can_change_task)
        self.can_leave = bool(me and me.can_leave)
        self.notes = list(me.notes) if me else []

    def _fill(self, page: TeamPage) -> None:
        self.has_contest = page.contest is not None
        self._cid = page.contest.id if page.contest else 0
        self.contest_title = page.contest.title if page.contest else ""
        self.period = page.contest.apply_period_text if page.contest else ""
        self.tasks = task_rows(page.contest) if page.contest else []
        self._fill_me(page.me)
        self.loaded = True

    async def _read(self, actor: int) -> bool:
        try:
            page = await call(team_page, actor_id=actor, now=now(), contest_id=self._cid or None)
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return False
        self._fill(page)
        return True

    @rx.event
    async def load(self):
        """Open «Моя команда» for the logged-in user (guests are asked to log in)."""
        self._clear_feedback()
        self.confirming_leave = False
        actor = await actor_of(self)
        self.logged_in = actor is not None
        if actor is None:
            self.reset()
            self.loaded = True
            return
        wanted = wanted_contest(self)
        if wanted == 0:
            self.error, self.loaded = message("award.contest_not_found"), True
            return
        self._cid = wanted or 0
        await self._read(actor)

    async def _act(self, fn, notice: str, **kwargs) -> bool:
        """Run one action for the session's user, then re-read the page (after a refusal too)."""
        self._clear_feedback()
        self.confirming_leave = False
        actor = await actor_of(self)
        if actor is None:
            self.error = message("auth.required")
            return False
        try:
            await call(fn, actor_id=actor, now=now(), **kwargs)
        except DomainError as error:
            refusal = str(error)
            await self._read(actor)
            self.error = refusal
            return False
        self.form_key += 1
        await self._read(actor)
        self.notice = notice
        return True

    def _refuse(self, key: str) -> None:
        self._clear_feedback()
        self.error = message(key)

    @rx.event
    async def create_team(self, form: dict):
        """«Создать коллектив»: a name and a task of the contest shown."""
        name = form_text(form, "name", _SHORT) or ""
        task_id = id_or_none(form_text(form, "task_id", 20) or "")
        if not self._cid or task_id is None:
            self._refuse("award.task_not_found" if self._cid else "award.contest_not_found")
            return
        await self._act(
            teams.create_team,
            message("award.page_team_created"),
            contest_id=self._cid,
            name=name,
            task_id=task_id,
        )

    @rx.event
    async def invite(self, form: dict):
        """«Пригласить» by phone number."""
        phone = form_text(form, "phone", 40)
        if phone is None or not self._team_id:
            self._refuse("award.invite_phone_invalid" if self._team_id else "award.team_not_found")
            return
        await self._act(teams.invite, message("award.page_invited"), team_id=self._team_id, phone=phone)

    @rx.event
    async def accept(self, invitation_id: str):
        """«Принять» an invitation to me."""
        wanted = id_or_none(invitation_id)
        if wanted is None:
            self._refuse("award.invitation_not_found")
            return
        await self._act(teams.accept, message("award.page_accepted"), invitation_id=wanted)

    @rx.event
    async def decline(self, invitation_id: str):
        """«Отклонить» an invitation to me."""
        wanted = id_or_none(invitation_id)
        if wanted is None:
            self._refuse("award.invitation_not_found")
            return
        await self._act(teams.decline, message("award.page_declined"), invitation_id=wanted)

    @rx.event
    async def change_task(self, form: dict):
        """Another task while the team is forming."""
        task_id = id_or_none(form_text(form, "task_id", 20) or "")
        if task_id is None or not self._team_id:
            self._refuse("award.task_not_found")
            return
        await self._act(
            teams.change_task, message("award.page_task_changed"), team_id=self._team_id, task_id=task_id
        )

    @rx.event
    async def submit_application(self, form: dict):
        """«Подать заявку» with the project."""
        values = {
            "title": form_text(form, "title", _SHORT),
            "prototype_url": form_text(form, "prototype_url", _SHORT),
            "description": form_text(form, "description", _LONG),
            "technologies": form_text(form, "technologies", _SHORT),
        }
        if not self._team_id:
            self._refuse("award.team_not_found")
            return
        await self._act(
            teams.submit_application,
            message("award.page_applied"),
            team_id=self._team_id,
            **{key: value or "" for key, value in values.items()},
        )

    @rx.event
    def ask_leave(self):
        """The first press of «Выйти из коллектива»: ask for a confirmation."""
        self._clear_feedback()
        self.confirming_leave = self._team_id != 0

    @rx.event
    def cancel_leave(self):
        self.confirming_leave = False

    @rx.event
    async def leave(self):
        """«Да, выйти»: leave the team (a team left with one member loses its application)."""
        if not self.confirming_leave or not self._team_id:
            self._refuse("award.page_leave_unconfirmed")
            return
        await self._act(teams.leave, message("award.page_left"), team_id=self._team_id)
