"""What the award pages read in one go, in one read transaction per page view.

``/awards/team``: the current contest (public view) and the participant's own view of it.
``/staff/awards``: the contests to choose from, the chosen one's form, tasks and applications.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ag_app.db import reads
from ag_app.services.access import Capability, require
from ag_app.services.award.cabinet import MemberView, my_view
from ag_app.services.award.contest_form import blank_form, form_of
from ag_app.services.award.contests import config_of, contests_list, current_contest, get_contest
from ag_app.services.award.public import ContestView, contest_view
from ag_app.services.award.review import ApplicationRow, applications


@dataclass(frozen=True)
class TeamPage:
    """The contest (None: none published yet) and the participant's view of it (None with no contest)."""

    contest: ContestView | None
    me: MemberView | None


@reads
def team_page(
    session: Session, *, actor_id: int | None, now: datetime, contest_id: int | None = None
) -> TeamPage:
    """«Моя команда» at ``now``: ``contest_id`` when given, else the current contest."""
    contest = get_contest(session, contest_id) if contest_id is not None else current_contest(session)
    if contest is None:
        return TeamPage(contest=None, me=None)
    return TeamPage(
        contest=contest_view(session, contest_id=contest.id, now=now),
        me=my_view(session, actor_id=actor_id, contest_id=contest.id, now=now),
    )


@dataclass(frozen=True)
class StaffPage:
    """«Премия: конкурс»: the contests (id, «year — title»), the chosen one (None: a new one) with its
    form, its public view and its applications under the filters."""

    contests: list[tuple[int, str]]
    contest_id: int | None
    form: dict[str, str]
    contest: ContestView | None
    applications: list[ApplicationRow]


@reads
def staff_page(
    session: Session,
    *,
    actor_id: int | None,
    now: datetime,
    contest_id: int | None,
    creating: bool = False,
    task_id: int | None = None,
    status: str | None = None,
) -> StaffPage:
    """The operator's page: ``contest_id`` when given (else the latest), or a blank form when ``creating``."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    every = contests_list(session)
    choices = [(c.id, f"{c.year} — {c.title}") for c in every]
    if creating or not every:
        year = (every[0].year + 1) if every else now.year
        return StaffPage(choices, None, blank_form(year), None, [])
    contest = get_contest(session, contest_id) if contest_id is not None else every[0]
    return StaffPage(
        contests=choices,
        contest_id=contest.id,
        form=form_of(config_of(session, contest)),
        contest=contest_view(session, contest_id=contest.id, now=now),
        applications=applications(
            session, actor_id=actor_id, contest_id=contest.id, task_id=task_id, status=status
        ),
    )
