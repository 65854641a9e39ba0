"""``/staff/awards`` «Премия: конкурс» (the operator): the contest form and the review of applications
— admit, refuse with a reason, exclude a team or a person with a ground and a note, publish the list
of admitted teams.

Every handler calls a service that checks the MANAGE role again, so a resident calling a handler by
name over the websocket changes nothing. Team and member ids sent by the page are checked against
the list the page was loaded with, and the services check them again.
"""

import reflex as rx

from ag_app.domain.award import EXCLUSION_GROUNDS
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.models.award import TEAM_STATUSES
from ag_app.services.award import contests, review
from ag_app.services.award.cabinet import STATUS_NAMES
from ag_app.services.award.contest_form import FIELD_LIMIT, FIELDS, config_from_form
from ag_app.services.award.page import staff_page
from ag_app.state.award import task_rows
from ag_app.state.base import actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import moscow_text
from ag_app.state.staff_record import RecordFormMixin

GROUND_CHOICES = list(EXCLUSION_GROUNDS.items())
STATUS_CHOICES = [("", label("award.page_all_statuses")), *((s, STATUS_NAMES[s]) for s in TEAM_STATUSES)]
_NOTE_LIMIT = 2_000


@holds_user_data
class StaffAwardState(RecordFormMixin, rx.State):
    """The chosen contest, its form and applications (the operator)."""

    # {"id", "title"}, the latest year first.
    contests: list[dict[str, str]] = []
    contest_id: str = ""
    tasks: list[dict[str, str]] = []
    admitted_published: bool = False
    published_text: str = ""
    # Filters of the applications list ("" = all).
    task_filter: str = ""
    status_filter: str = ""
    applications: list[dict[str, str]] = []
    # Members of every listed team: {"id", "team_id", "name", "label"}.
    members: list[dict[str, str]] = []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        shown = id_or_none(self.contest_id) if self.contest_id else None
        page = await call(
            staff_page,
            actor_id=actor,
            now=now(),
            contest_id=shown,
            creating=self.creating,
            task_id=id_or_none(self.task_filter) if self.task_filter else None,
            status=self.status_filter or None,
        )
        self.contests = [{"id": str(cid), "title": title} for cid, title in page.contests]
        self.creating = page.contest_id is None
        self.contest_id = str(page.contest_id) if page.contest_id else ""
        self._set_form(page.form)
        view = page.contest
        self.tasks = task_rows(view) if view else []
        self.admitted_published = bool(view and view.admitted_published)
        self.published_text = moscow_text(view.admitted_published_at) if view else ""
        self.applications = [
            {
                "id": str(row.id),
                "name": row.name,
                "task": f"{row.task_number}. {row.task_title}",
                "status": row.status,
                "status_name": row.status_name,
                "size": str(row.size),
                "members": ", ".join(
                    message("award.page_captain", name=m.name).removesuffix(".") if m.captain else m.name
                    for m in row.members
                ),
                "project": row.project_title,
                "url": row.prototype_url,
                "technologies": row.technologies,
                "description": row.project_description,
                "applied": moscow_text(row.applied_at),
                "note": row.review_note,
                "ground": row.exclusion_text,
                "can_review": "1" if row.status == "applied" else "",
            }
            for row in page.applications
        ]
        self.members = [
            {"id": str(m.id), "team_id": str(row.id), "label": f"{m.name} — «{row.name}»"}
            for row in page.applications
            for m in row.members
        ]
        self.allowed = True

    def _forbid(self) -> None:
        self.allowed = False
        self.contests, self.tasks, self.applications, self.members = [], [], [], []
        self.form, self.contest_id, self.creating = {}, "", False

    @rx.event
    async def load(self):
        """Open the page (operator) on the latest contest."""
        self.loaded = False
        self._clear_feedback()
        self.creating, self.task_filter, self.status_filter, self.contest_id = False, "", "", ""
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def choose_contest(self, contest_id: str):
        """Show another contest (the empty choice starts a new one)."""
        await self._choose(contest_id)

    async def _choose(self, contest_id: object) -> None:
        self._clear_feedback()
        if contest_id == "":
            self.creating, self.contest_id, self.form = True, "", {}
        else:
            wanted = self._listed(contest_id, self.contests, "award.contest_not_found")
            if wanted is None:
                return
            self.creating, self.contest_id = False, wanted
        self.task_filter = self.status_filter = ""
        await self._apply(self._nothing)

    @rx.event
    async def new_contest(self):
        """«Новый конкурс»: an empty form."""
        await self._choose("")

    @rx.event
    async def save(self, form: dict):
        """Publish the new contest or save the shown one (every problem listed at once)."""
        self._clear_feedback()
        fields = {name: form.get(name) for name in FIELDS} if isinstance(form, dict) else {}
        try:
            if any(isinstance(v, str) and len(v) > FIELD_LIMIT for v in fields.values()):
                raise InvalidInput(
                    "award.contest_problems", count=1, problems=message("text.too_long", limit=FIELD_LIMIT)
                )
            config = config_from_form(fields)
        except DomainError as error:
            self.error = str(error)
            return
        creating, shown = self.creating, id_or_none(self.contest_id) if self.contest_id else None

        async def action() -> str:
            actor = await actor_of(self)
            if creating:
                created = await call(contests.create_contest, actor_id=actor, config=config, now=now())
                self.creating, self.contest_id = False, str(created)
                return message("award.page_contest_created")
            if shown is None:
                raise InvalidInput("award.contest_not_found")
            await call(contests.update_contest, actor_id=actor, contest_id=shown, config=config, now=now())
            return message("award.page_contest_saved")

        await self._apply(action)

    @rx.event
    async def filter(self, form: dict):
        """Filter the applications by task and status."""
        self._clear_feedback()
        task = form_text(form, "task_id", 20) or ""
        status = form_text(form, "status", 20) or ""
        if (task and str(id_or_none(task)) not in {t["id"] for t in self.tasks}) or (
            status and status not in TEAM_STATUSES
        ):
            self.error = message("award.status_unknown" if status else "award.task_not_found")
            return
        self.task_filter, self.status_filter = task, status
        await self._apply(self._nothing)

    def _listed_team(self, raw: object) -> int | None:
        wanted = id_or_none(raw) if isinstance(raw, str) else None
        if wanted is None or str(wanted) not in {a["id"] for a in self.applications}:
            self._clear_feedback()
            self.error = message("award.page_pick_team")
            return None
        return wanted

    @rx.event
    async def admit(self, team_id: str):
        """«Допустить» an application."""
        wanted = self._listed_team(team_id)
        if wanted is None:
            return

        async def action() -> str:
            await call(review.admit, actor_id=await actor_of(self), team_id=wanted, now=now())
            return message("award.page_admitted")

        await self._apply(action)

    @rx.event
    async def refuse(self, form: dict):
        """«Отказать» with a reason."""
        wanted = self._listed_team(form.get("team_id") if isinstance(form, dict) else None)
        reason = form_text(form, "reason", _NOTE_LIMIT)
        if wanted is None:
            return

        async def action() -> str:
            await call(
                review.refuse, actor_id=await actor_of(self), team_id=wanted, reason=reason or "", now=now()
            )
            return message("award.page_refused")

        await self._apply(action)

    @rx.event
    async def exclude_team(self, form: dict):
        """«Исключить коллектив» with a ground and a note."""
        wanted = self._listed_team(form.get("team_id") if isinstance(form, dict) else None)
        ground, note = form_text(form, "ground", 40), form_text(form, "note", _NOTE_LIMIT)
        if wanted is None:
            return

        async def action() -> str:
            await call(
                review.exclude_team,
                actor_id=await actor_of(self),
                team_id=wanted,
                ground=ground or "",
                note=note or "",
                now=now(),
            )
            return message("award.page_team_excluded")

        await self._apply(action)

    @rx.event
    async def exclude_member(self, form: dict):
        """«Исключить участника» with a ground and a note."""
        raw = form.get("member_id") if isinstance(form, dict) else None
        wanted = id_or_none(raw) if isinstance(raw, str) else None
        ground, note = form_text(form, "ground", 40), form_text(form, "note", _NOTE_LIMIT)
        if wanted is None or str(wanted) not in {m["id"] for m in self.members}:
            self._clear_feedback()
            self.error = message("award.page_pick_member")
            return

        async def action() -> str:
            await call(
                review.exclude_member,
                actor_id=await actor_of(self),
                member_id=wanted,
                ground=ground or "",
                note=note or "",
                now=now(),
            )
            return message("award.page_member_excluded")

        await self._apply(action)

    @rx.event
    async def publish(self):
        """«Опубликовать список допущенных»."""
        shown = id_or_none(self.contest_id) if self.contest_id else None
        if shown is None:
            self._clear_feedback()
            self.error = message("award.contest_not_found")
            return

        async def action() -> str:
            await call(review.publish_admitted, actor_id=await actor_of(self), contest_id=shown, now=now())
            return message("award.page_published")

        await self._apply(action)
