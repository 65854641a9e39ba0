"""The status of each background job: when it last ran, succeeded and failed."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from ag_app.models._types import instant

# Longest stored error text (exception type and a scrubbed, truncated message).
JOB_ERROR_LENGTH = 300


class JobRun(SQLModel, table=True):
    """One row per job of the periodic loop (``services.jobs.JOBS``), written by every run.

    ``last_error`` holds the exception type and a shortened message with e-mail addresses and long
    numbers removed: never personal data. It stays after a later success, so staff see both.
    """

    name: str = Field(primary_key=True, max_length=40)
    last_started_at: datetime | None = instant(nullable=True, default=None)
    last_finished_at: datetime | None = instant(nullable=True, default=None)
    last_success_at: datetime | None = instant(nullable=True, default=None)
    # How many things (e-mails, ballots, protocols…) the last successful run handled.
    last_done: int = 0
    last_error_at: datetime | None = instant(nullable=True, default=None)
    last_error: str = Field(default="", max_length=JOB_ERROR_LENGTH)
    runs: int = 0
    failures: int = 0
