"""Statistics of published polls (suppressed breakdowns as JSON or CSV) and the staff dashboard.

Status codes: 404 when the poll's results are not visible to the caller; 422 with a Russian
message for an unknown breakdown or format.
"""

import csv
import io
from datetime import date, datetime

from fastapi import APIRouter, Depends, Query, Response
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Id
from ag_app.domain.errors import InvalidInput
from ag_app.services import dashboard, stats
from ag_app.services.dashboard import DashboardFilter, DashboardView
from ag_app.services.stats import PollStatsView

router = APIRouter(tags=["Статистика"])


def stats_csv(view: PollStatsView) -> str:
    """The breakdown as CSV (UTF-8 with BOM, for Excel; plain digits); suppressed cells read «<5»."""
    header, rows = stats.stats_table(view, grouped=False)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@router.get("/polls/{poll_id}/stats", response_model=None)
def poll_stats(
    poll_id: Id,
    by: str = Query(
        ..., max_length=20, description="age | gender | okrug | district | hour | day | number_region"
    ),
    format: str = Query("json", max_length=10, description="json или csv"),
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PollStatsView | Response:
    """Ballots and answers of a poll by age band, gender, okrug, district, hour, day or number region.

    Cells with fewer than 5 ballots (and cells that would reveal them) are null in JSON and «<5»
    in CSV.
    """
    if format not in ("json", "csv"):
        raise InvalidInput("stats.format_unknown")
    view = stats.poll_stats(session, actor_id=actor, poll_id=poll_id, by=by, now=now)
    if format == "json":
        return view
    return Response(
        content=stats_csv(view).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="poll-{poll_id}-stats-{view.dimension}.csv"'},
    )


@router.get("/staff/dashboard")
def staff_dashboard(
    start: date | None = Query(None, description="Начало периода (московская дата)"),
    end: date | None = Query(None, description="Конец периода включительно"),
    okrug_id: Id | None = None,
    district_id: Id | None = None,
    poll_id: Id | None = None,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> DashboardView:
    """The staff dashboard (staff only: 401 for guests, 403 for residents); default: the last 30 days."""
    default = dashboard.default_filter(now)
    data = DashboardFilter(
        start=start or default.start,
        end=end or default.end,
        okrug_id=okrug_id,
        district_id=district_id,
        poll_id=poll_id,
    )
    return dashboard.staff_dashboard(session, actor_id=actor, data=data, now=now)
