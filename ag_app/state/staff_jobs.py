"""``/staff/jobs`` «Фоновые задачи»: each background job's last success and last error (staff only).

``load`` and ``refresh`` call :func:`services.jobs.staff_job_statuses`, which checks the actor's role
on the server, so a resident or guest calling them over the websocket gets no rows.
"""

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.i18n import label
from ag_app.services import jobs
from ag_app.services.jobs import JobStatus
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data

NEVER = "—"


def _state(status: JobStatus) -> str:
    if status.failing:
        return label("ui.jobs.oshibka")
    return label("ui.jobs.rabotaet") if status.runs else label("ui.jobs.eshche_ne_zapuskalas")


def job_row(status: JobStatus) -> list[str]:
    """The table row of one job: title, state, last success, last error (Moscow time), counters."""
    return [
        status.title,
        _state(status),
        fmt.when(status.last_success_at) or NEVER,
        fmt.num(status.last_done) if status.last_success_at else NEVER,
        fmt.when(status.last_error_at) or NEVER,
        status.last_error or NEVER,
        f"{fmt.num(status.runs)} / {fmt.num(status.failures)}",
    ]


@holds_user_data
class StaffJobsState(rx.State):
    """The rows of the «Фоновые задачи» table."""

    loaded: bool = False
    allowed: bool = False
    error: str = ""
    rows: list[list[str]] = []
    failing: int = 0

    async def _fill(self) -> None:
        self.error = ""
        try:
            statuses = await call(jobs.staff_job_statuses, actor_id=await actor_of(self))
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.rows, self.failing = False, [], 0
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.allowed = True
        self.rows = [job_row(status) for status in statuses]
        self.failing = sum(status.failing for status in statuses)

    @rx.event
    async def load(self):
        """Show the jobs to staff and administrators only."""
        self.loaded = False
        await self._fill()
        self.loaded = True

    @rx.event
    async def refresh(self):
        """Read the statuses again (the jobs run every minute)."""
        await self._fill()
