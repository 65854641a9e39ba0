"""``/awards/jury`` «Комиссия»: a member's tasks and projects, the score sheet, conflicts of interest,
the other members' sheets after submitting one's own, and the open tie votes.

Thin: the member is the logged-in user (``actor_of``), every id from the browser goes through
``id_or_none``, and every service checks the seat on the commission again — the other members'
sheets come only from ``scoring.other_sheets``, which refuses a member who has not submitted.
"""

import reflex as rx

from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services.award import scoring, ties
from ag_app.services.award.scoring import SheetView
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now

# The longest score a form field may carry («100000» is already far above any maximum).
_SCORE_CHARS = 9


def _sheet_info(view: SheetView) -> dict[str, str]:
    return {
        "team_id": str(view.team_id),
        "team": view.team_name,
        "task": view.task_title,
        "title": view.project_title,
        "url": view.prototype_url,
        "description": view.project_description,
        "technologies": view.technologies,
        "status": view.status_name,
        "editable": "1" if view.editable else "",
        "submitted": "1" if view.status == scoring.SUBMITTED else "",
        "comment": view.comment,
    }


@holds_user_data
class AwardJuryState(FeedbackMixin, rx.State):
    """The member's contest, tasks, the open sheet and the tie rounds."""

    loaded: bool = False
    # Whether the user sits on a contest's commission.
    allowed: bool = False
    contests: list[dict[str, str]] = []
    contest_id: str = ""
    # One row per project of my tasks: task, team, project, my sheet's status.
    projects: list[dict[str, str]] = []
    # The open sheet (empty when none): project facts and whether it may still change.
    sheet: dict[str, str] = {}
    # The open sheet's criteria: id, name, description, max, score (my score so far or "").
    criteria: list[dict[str, str]] = []
    # Bumped when the open sheet changes, so the form's uncontrolled inputs re-render.
    sheet_version: int = 0
    # The other members' sheets of the open project (only after I submitted mine).
    others: list[dict[str, str]] = []
    recusals: list[dict[str, str]] = []
    recusal_choices: list[dict[str, str]] = []
    # Open tie rounds: id, task, place, round, votes, waiting, can_vote, reason, my_vote.
    rounds: list[dict[str, str]] = []
    # The teams of the open rounds: round_id, team_id, name.
    round_teams: list[dict[str, str]] = []

    def _forbid(self) -> None:
        self.allowed = False
        self.contests, self.contest_id, self.projects = [], "", []
        self._close_sheet()
        self.recusals, self.recusal_choices, self.rounds, self.round_teams = [], [], [], []

    def _close_sheet(self) -> None:
        self.sheet, self.criteria, self.others = {}, [], []
        self.sheet_version += 1

    async def _fill(self) -> None:
        actor = await actor_of(self)
        if actor is None:
            raise NotAuthenticated("auth.required")
        choices = await call(scoring.my_contests, actor_id=actor)
        if not choices:
            raise NotAllowed("award.not_juror")
        self.contests = [{"id": str(c.id), "title": f"{c.year} — {c.title}"} for c in choices]
        if self.contest_id not in {c["id"] for c in self.contests}:
            self.contest_id = self.contests[0]["id"]
        contest = int(self.contest_id)
        tasks = await call(scoring.my_tasks, actor_id=actor, contest_id=contest)
        self.projects = [
            {
                "task": f"{t.number}. {t.title}"
                + (message("ui.award_jury.itogi_podvedeny") if t.decided else ""),
                "team_id": str(p.team_id),
                "team": p.team_name,
                "title": p.project_title,
                "status": p.status_name,
                "open": "" if p.status == scoring.RECUSED else "1",
            }
            for t in tasks
            for p in t.projects
        ]
        self.recusals = [
            {"team": r.team_name, "task": r.task_title, "note": r.note}
            for r in await call(scoring.my_recusals, actor_id=actor, contest_id=contest)
        ]
        self.recusal_choices = [
            {"id": str(team_id), "title": title}
            for team_id, title in await call(scoring.recusal_choices, actor_id=actor, contest_id=contest)
        ]
        rounds = await call(ties.my_rounds, actor_id=actor, contest_id=contest)
        self.rounds = [
            {
                "id": str(r.view.id),
                "task": r.task_title,
                "place": str(r.view.place),
                "round": str(r.view.round),
                "votes": "; ".join(f"{v.juror_name} — «{v.team_name}»" for v in r.view.votes)
                or label("ui.award_jury.golosov_poka_net"),
                "waiting": ", ".join(r.view.waiting) or "—",
                "can_vote": "1" if r.can_vote else "",
                "reason": r.reason,
            }
            for r in rounds
        ]
        self.round_teams = [
            {"round_id": str(r.view.id), "team_id": str(team_id), "name": name}
            for r in rounds
            for team_id, name in r.view.teams
        ]
        self.allowed = True
        if self.sheet:
            try:
                await self._show_sheet(actor, int(self.sheet["team_id"]))
            except DomainError:
                # The project left my tasks meanwhile (recusal, exclusion): back to the list.
                self._close_sheet()

    async def _show_sheet(self, actor: int | None, team_id: int) -> None:
        view = await call(scoring.sheet_view, actor_id=actor, team_id=team_id)
        self.sheet = _sheet_info(view)
        self.criteria = [
            {
                "id": str(c.id),
                "name": c.name,
                "description": c.description,
                "max": str(c.max_score),
                "score": str(view.scores[c.id]) if c.id in view.scores else "",
                "field": f"score_{c.id}",
                "label": message("ui.award_jury.ot_0_do", name=c.name, max_score=c.max_score),
            }
            for c in view.criteria
        ]
        self.others = []
        if view.status == scoring.SUBMITTED:
            self.others = [
                {
                    "juror": o.juror_name,
                    "total": str(o.total),
                    "scores": "; ".join(
                        label("ui.award_jury.iz", name=name, score=score, maximum=maximum)
                        for name, score, maximum in o.scores
                    ),
                    "comment": o.comment or "—",
                }
                for o in await call(scoring.other_sheets, actor_id=actor, team_id=team_id)
            ]
        self.sheet_version += 1

    async def _refresh(self, notice: str = "") -> None:
        """Reload after a change; a lost seat hides everything."""
        try:
            await self._fill()
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = notice

    @rx.event
    async def load(self):
        """Open the page on the newest contest whose commission I sit on."""
        self.loaded = False
        self._clear_feedback()
        self._close_sheet()
        try:
            await self._fill()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    @rx.event
    async def choose_contest(self, contest_id: str):
        """Show another contest of mine."""
        self._clear_feedback()
        wanted = id_or_none(contest_id)
        if wanted is None or str(wanted) not in {c["id"] for c in self.contests}:
            self.error = message("award.contest_not_found")
            return
        self.contest_id = str(wanted)
        self._close_sheet()
        await self._refresh()

    @rx.event
    async def open_sheet(self, team_id: str):
        """Open my sheet of a project (and the others' sheets when mine is submitted)."""
        self._clear_feedback()
        wanted = id_or_none(team_id)
        if wanted is None:
            self.error = message("award.project_not_found")
            return
        try:
            await self._show_sheet(await actor_of(self), wanted)
        except DomainError as error:
            self._close_sheet()
            self.error = str(error)

    @rx.event
    def close_sheet(self):
        """Back to the list of projects."""
        self._clear_feedback()
        self._close_sheet()

    def _scores(self, form: dict) -> dict[int, int]:
        """The scores typed in the form (blank fields are left out of a draft)."""
        out: dict[int, int] = {}
        for criterion in self.criteria:
            raw = form_text(form, criterion["field"], _SCORE_CHARS)
            if raw is None:
                raise InvalidInput("award.score_not_number", criterion=criterion["name"])
            raw = raw.strip()
            if not raw:
                continue
            if not (raw.isascii() and raw.isdigit()):
                raise InvalidInput("award.score_not_number", criterion=criterion["name"])
            out[int(criterion["id"])] = int(raw)
        return out

    @rx.event
    async def save_sheet(self, form: dict):
        """Save the open sheet as a draft, or submit it when «Отправить анкету» is ticked."""
        self._clear_feedback()
        team_id = id_or_none(self.sheet.get("team_id", ""))
        comment = form_text(form, "comment", scoring.COMMENT_LIMIT)
        if team_id is None:
            self.error = message("award.project_not_found")
            return
        if comment is None:
            self.error = message("award.comment_too_long", limit=scoring.COMMENT_LIMIT)
            return
        final = isinstance(form, dict) and form.get("final") in ("on", "true", True)
        try:
            scores = self._scores(form)
            actor = await actor_of(self)
            await call(
                scoring.save_sheet,
                actor_id=actor,
                team_id=team_id,
                scores=scores,
                comment=comment,
                submit=final,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        await self._refresh(message("award.jury_submitted" if final else "award.jury_draft_saved"))

    @rx.event
    async def declare_recusal(self, form: dict):
        """Declare a conflict of interest with a team of the contest, with a note."""
        self._clear_feedback()
        team_id = id_or_none(form_text(form, "team_id", 20) or "")
        note = form_text(form, "note", 500)
        if team_id is None:
            self.error = message("award.project_not_found")
            return
        if note is None:
            self.error = message("award.reason_length", min=3, max=500)
            return
        try:
            await call(
                scoring.declare_recusal, actor_id=await actor_of(self), team_id=team_id, note=note, now=now()
            )
        except DomainError as error:
            self.error = str(error)
            return
        self._close_sheet()
        await self._refresh(message("award.jury_recused"))

    @rx.event
    async def vote(self, round_id: str, team_id: str):
        """My open vote for one of the tied teams of a round."""
        self._clear_feedback()
        wanted_round, wanted_team = id_or_none(round_id), id_or_none(team_id)
        if wanted_round is None or wanted_team is None:
            self.error = message("award.round_not_found")
            return
        try:
            await call(
                ties.cast_vote,
                actor_id=await actor_of(self),
                round_id=wanted_round,
                team_id=wanted_team,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        await self._refresh(message("award.jury_voted"))
