"""``/staff/awards/commission`` «Премия: комиссия» (operator): the commission's members and roles, the
expert groups, the sittings with attendance and quorum, and per task «Подвести итоги» with the missing
sheets listed, the standings and the tie rounds.

Every handler calls a service that checks the MANAGE role again; ids from the browser go through
``id_or_none`` and must be among the ones the page shows.
"""

from datetime import date

import reflex as rx

from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services.award import commission, results
from ag_app.services.award.panel import FORM_NAMES, ROLE_NAMES
from ag_app.state.base import actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import StaffActionMixin

ROLE_CHOICES = list(ROLE_NAMES.items())
FORM_CHOICES = list(FORM_NAMES.items())


def _place(place: int | None) -> str:
    return label("ui.award_commission.e_mesto", place=place) if place is not None else "—"


@holds_user_data
class StaffAwardCommissionState(StaffActionMixin, rx.State):
    """The chosen contest's commission, sittings and the chosen sitting's tasks."""

    loaded: bool = False
    allowed: bool = False
    contests: list[dict[str, str]] = []
    contest_id: str = ""
    jurors: list[dict[str, str]] = []
    tasks: list[dict[str, str]] = []
    # Every (member, task) pair: whether the member is in the task's expert group.
    groups: list[dict[str, str]] = []
    sittings: list[dict[str, str]] = []
    # The sitting edited and used for «Подвести итоги» ("" — a new sitting is being recorded).
    sitting_id: str = ""
    # The chosen sitting's values for the form: date, form and the present members' ids.
    sitting_form: dict[str, str] = {}
    present_ids: list[str] = []
    form_version: int = 0
    # The contest's tasks at the chosen sitting: state, missing sheets, whether it may be computed.
    sitting_tasks: list[dict[str, str]] = []
    standings: list[dict[str, str]] = []
    rounds: list[dict[str, str]] = []

    def _forbid(self) -> None:
        self.allowed = False
        self.contests, self.contest_id, self.jurors, self.tasks, self.groups = [], "", [], [], []
        self.sittings, self.sitting_id, self.sitting_form, self.present_ids = [], "", {}, []
        self.sitting_tasks, self.standings, self.rounds = [], [], []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        choices = await call(commission.contest_choices, actor_id=actor)
        self.contests = [{"id": str(i), "title": t} for i, t in choices]
        self.allowed = True
        if not self.contests:
            self.contest_id = ""
            self.jurors, self.tasks, self.groups, self.sittings = [], [], [], []
            self.sitting_tasks, self.standings, self.rounds = [], [], []
            return
        if self.contest_id not in {c["id"] for c in self.contests}:
            self.contest_id = self.contests[0]["id"]
        view = await call(commission.commission_view, actor_id=actor, contest_id=int(self.contest_id))
        titles = {t.id: f"{t.number}. {t.title}" for t in view.tasks}
        self.jurors = [
            {
                "id": str(j.id),
                "name": j.name,
                "role": j.role_name,
                "tasks": ", ".join(titles.get(t, "") for t in j.task_ids) or "—",
                "removable": "1" if j.removable else "",
            }
            for j in view.jurors
        ]
        self.tasks = [
            {"id": str(t.id), "title": titles[t.id], "decided": "1" if t.decided_sitting_id else ""}
            for t in view.tasks
        ]
        self.groups = [
            {
                "juror_id": str(j.id),
                "task_id": str(t.id),
                "juror": j.name,
                "task": titles[t.id],
                "in": "1" if t.id in j.task_ids else "",
            }
            for j in view.jurors
            for t in view.tasks
        ]
        self.sittings = [
            {
                "id": str(s.id),
                "title": f"{s.held_on.strftime('%d.%m.%Y')}, {s.form_name}",
                "date": s.held_on.strftime("%d.%m.%Y"),
                "held_on": s.held_on.isoformat(),
                "form": s.form,
                "form_name": s.form_name,
                "present": ", ".join(s.present_names) or "—",
                "present_ids": ",".join(str(p) for p in s.present_ids),
                "quorum": label("ui.award_commission.iz", present_ids=len(s.present_ids), members=s.members)
                + (
                    label("ui.award_commission.zasedanie_pravomochno")
                    if s.valid
                    else message("ui.award_commission.kvoruma_net_nuzhno_ne_menee")
                ),
                "chair": s.chair_holder_name or message("ui.award_commission.nikto_net_ni_predsedatelya_ni"),
                "approved": label("ui.award_commission.utverzhdeno")
                if s.approved
                else label("ui.award_commission.ne_utverzhdeno"),
            }
            for s in view.sittings
        ]
        if self.sitting_id and self.sitting_id not in {s["id"] for s in self.sittings}:
            self.sitting_id = ""
        self._set_sitting_form()
        await self._sitting_results(actor)

    def _set_sitting_form(self) -> None:
        chosen = next((s for s in self.sittings if s["id"] == self.sitting_id), None)
        if chosen is None:
            self.sitting_form = {"held_on": now().date().isoformat(), "form": "in_person"}
            self.present_ids = []
        else:
            self.sitting_form = {"held_on": chosen["held_on"], "form": chosen["form"]}
            self.present_ids = [p for p in chosen["present_ids"].split(",") if p]
        self.form_version += 1

    async def _sitting_results(self, actor: int | None) -> None:
        self.sitting_tasks, self.standings, self.rounds = [], [], []
        if self.sitting_id:
            tasks = await call(results.sitting_tasks, actor_id=actor, sitting_id=int(self.sitting_id))
            self.sitting_tasks = [
                {
                    "id": str(t.id),
                    "title": f"{t.number}. {t.title}",
                    "state": (
                        (
                            label("ui.award_commission.itogi_podvedeny")
                            if t.settled
                            else label("ui.award_commission.idet_golosovanie_pri_ravenstve_ballov")
                        )
                        if t.decided_sitting_id is not None
                        else label("ui.award_commission.otsenivaetsya_dopushcheno_kollektivov", teams=t.teams)
                    ),
                    "missing": "; ".join(f"{m.juror_name} — «{m.team_name}»" for m in t.missing),
                    "can_compute": "1" if t.can_compute else "",
                }
                for t in tasks
            ]
        for task in self.tasks:
            if not task["decided"]:
                continue
            found = await call(results.task_results, actor_id=actor, task_id=int(task["id"]))
            self.standings += [
                {
                    "task": task["title"],
                    "team": s.team_name,
                    "project": s.project_title,
                    "total": str(s.total),
                    "place": _place(s.place),
                }
                for s in found.standings
            ]
            self.rounds += [
                {
                    "task": task["title"],
                    "place": str(r.place),
                    "round": str(r.round),
                    "teams": ", ".join(f"«{name}»" for _, name in r.teams),
                    "votes": "; ".join(f"{v.juror_name} — «{v.team_name}»" for v in r.votes) or "—",
                    "outcome": (
                        message("ui.award_commission.reshenie", decided_team_name=r.decided_team_name)
                        if r.decided_team_id
                        else (
                            label("ui.award_commission.bez_resheniya_novyy_tur")
                            if r.closed
                            else label("status.meeting.active")
                        )
                    ),
                }
                for r in found.rounds
            ]

    @rx.event
    async def load(self):
        """Open the page (operator) on the newest contest."""
        self.loaded = False
        self._clear_feedback()
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    async def _nothing(self) -> None:
        return None

    @rx.event
    async def choose_contest(self, contest_id: str):
        """Show another contest's commission."""
        self._clear_feedback()
        wanted = id_or_none(contest_id)
        if wanted is None or str(wanted) not in {c["id"] for c in self.contests}:
            self.error = message("award.contest_not_found")
            return
        self.contest_id, self.sitting_id = str(wanted), ""
        await self._apply(self._nothing)

    @rx.event
    async def choose_sitting(self, sitting_id: str):
        """Edit another sitting and compute at it (the empty choice records a new one)."""
        self._clear_feedback()
        if sitting_id == "":
            self.sitting_id = ""
        else:
            wanted = id_or_none(sitting_id)
            if wanted is None or str(wanted) not in {s["id"] for s in self.sittings}:
                self.error = message("award.sitting_not_found")
                return
            self.sitting_id = str(wanted)
        await self._apply(self._nothing)

    def _contest(self) -> int:
        wanted = id_or_none(self.contest_id)
        if wanted is None:
            raise InvalidInput("award.contest_not_found")
        return wanted

    @rx.event
    async def add_juror(self, form: dict):
        """Add a member by phone with a role."""
        phone = form_text(form, "phone", 40)
        role = form_text(form, "role", 20)

        async def action() -> str:
            if phone is None or role is None:
                raise InvalidInput("award.role_invalid")
            await call(
                commission.add_juror,
                actor_id=await actor_of(self),
                contest_id=self._contest(),
                phone=phone,
                role=role,
            )
            return message("award.commission_added")

        await self._apply(action)

    def _shown_juror(self, raw: object) -> int:
        wanted = id_or_none(raw)
        if wanted is None or str(wanted) not in {j["id"] for j in self.jurors}:
            raise InvalidInput("award.juror_not_found")
        return wanted

    @rx.event
    async def set_role(self, form: dict):
        """Change a member's role."""
        juror_raw = form_text(form, "juror_id", 20) or ""
        role = form_text(form, "role", 20) or ""

        async def action() -> str:
            await call(
                commission.set_role,
                actor_id=await actor_of(self),
                juror_id=self._shown_juror(juror_raw),
                role=role,
            )
            return message("award.commission_role_saved")

        await self._apply(action)

    @rx.event
    async def remove_juror(self, juror_id: str):
        """Remove a member who has not acted yet."""

        async def action() -> str:
            await call(
                commission.remove_juror, actor_id=await actor_of(self), juror_id=self._shown_juror(juror_id)
            )
            return message("award.commission_removed")

        await self._apply(action)

    @rx.event
    async def toggle_group(self, juror_id: str, task_id: str):
        """Put a member into a task's expert group, or take them out of it."""

        async def action() -> str:
            juror = self._shown_juror(juror_id)
            task = id_or_none(task_id)
            pair = next(
                (g for g in self.groups if g["juror_id"] == str(juror) and g["task_id"] == str(task)), None
            )
            if task is None or pair is None:
                raise InvalidInput("award.task_not_found")
            use_case = commission.unassign if pair["in"] else commission.assign
            await call(use_case, actor_id=await actor_of(self), juror_id=juror, task_id=task)
            return message("award.commission_assigned")

        await self._apply(action)

    @rx.event
    async def save_sitting(self, form: dict):
        """Record a new sitting, or change the chosen one: date, form and the members present."""
        raw_date = form_text(form, "held_on", 20) or ""
        kind = form_text(form, "form", 20) or ""
        present_raw = [
            key[len("present_") :]
            for key in (form if isinstance(form, dict) else {})
            if isinstance(key, str) and key.startswith("present_")
        ]
        editing = self.sitting_id

        async def action() -> str:
            try:
                held_on = date.fromisoformat(raw_date.strip())
            except ValueError:
                raise InvalidInput("award.sitting_date_invalid") from None
            present = [
                self._shown_juror(raw)
                for raw in present_raw
                if form.get(f"present_{raw}") in ("on", True, "true")
            ]
            actor = await actor_of(self)
            if editing:
                sitting = id_or_none(editing)
                if sitting is None:
                    raise InvalidInput("award.sitting_not_found")
                await call(
                    commission.update_sitting,
                    actor_id=actor,
                    sitting_id=sitting,
                    held_on=held_on,
                    form=kind,
                    present=present,
                    now=now(),
                )
                return message("award.sitting_saved")
            created = await call(
                commission.create_sitting,
                actor_id=actor,
                contest_id=self._contest(),
                held_on=held_on,
                form=kind,
                present=present,
                now=now(),
            )
            self.sitting_id = str(created)
            return message("award.sitting_created")

        await self._apply(action)

    @rx.event
    async def compute(self, task_id: str):
        """«Подвести итоги» of a task at the chosen sitting."""

        async def action() -> str:
            task = id_or_none(task_id)
            sitting = id_or_none(self.sitting_id)
            if sitting is None:
                raise InvalidInput("award.sitting_not_found")
            if task is None or str(task) not in {t["id"] for t in self.tasks}:
                raise InvalidInput("award.task_not_found")
            await call(
                results.compute, actor_id=await actor_of(self), sitting_id=sitting, task_id=task, now=now()
            )
            return message("award.results_computed")

        await self._apply(action)
