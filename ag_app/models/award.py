"""The award contest «Лидеры цифровой трансформации» (SPEC §12, seed 004): contests, tasks and
criteria; teams, their members and applications; the commission, its expert groups, recusals,
score sheets and sittings; the standings, tie votes and payouts of the results.

Money is in kopecks. Every state change a rule depends on is a column here, so the services can
check it inside one transaction (a team's row is locked while its members change).
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class AwardContest(SQLModel, table=True):
    """One year's contest: its application period and the publication of the admitted teams."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Applications are accepted from the first instant up to (not including) the second.
    apply_opens_at: datetime = instant()
    apply_closes_at: datetime = instant()
    admitted_published_at: datetime | None = instant(nullable=True, default=None)
    created_at: datetime = instant()
    created_by: int | None = Field(default=None, foreign_key="user.id")


class AwardTask(SQLModel, table=True):
    """A task of the contest with its optional cap on teams and the prize of each place."""

    __table_args__ = (
        UniqueConstraint("contest_id", "number", name="ux_award_task_number"),
        CheckConstraint("team_cap IS NULL OR team_cap > 0", name="ck_award_task_cap"),
        CheckConstraint("prize_1 >= 0 AND prize_2 >= 0 AND prize_3 >= 0", name="ck_award_task_prizes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    number: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The most teams admitted to the task at once (seed 2.7); None: no cap.
    team_cap: int | None = None
    # Prizes of the 1st, 2nd and 3rd place, kopecks.
    prize_1: int = 0
    prize_2: int = 0
    prize_3: int = 0
    # The sitting at which the task's results were computed; None while it is being scored.
    decided_sitting_id: int | None = Field(default=None, foreign_key="awardsitting.id")


class AwardCriterion(SQLModel, table=True):
    """An evaluation criterion of the contest: a score from 0 to ``max_score``."""

    __table_args__ = (
        UniqueConstraint("contest_id", "number", name="ux_award_criterion_number"),
        CheckConstraint("max_score > 0", name="ck_award_criterion_max"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    number: int
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    max_score: int


# forming → applied → admitted | refused; any of them → withdrawn (a member is left alone, or the
# team withdrew) or excluded (seed 1.14).
TEAM_STATUSES = ("forming", "applied", "admitted", "refused", "withdrawn", "excluded")


class AwardTeam(SQLModel, table=True):
    """A team («коллектив») solving one task, with its application and project."""

    __table_args__ = (
        UniqueConstraint("contest_id", "name_key", name="ux_award_team_name"),
        CheckConstraint(
            "status IN ('forming', 'applied', 'admitted', 'refused', 'withdrawn', 'excluded')",
            name="ck_award_team_status",
        ),
        Index("ix_award_team_task_status", "task_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    task_id: int = Field(foreign_key="awardtask.id")
    name: str = Field(max_length=60)
    # The name folded for uniqueness within the contest.
    name_key: str = Field(max_length=60)
    captain_id: int = Field(foreign_key="user.id")
    status: str = Field(default="forming", max_length=12)
    project_title: str = Field(default="", max_length=200)
    prototype_url: str = Field(default="", max_length=500)
    project_description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    technologies: str = Field(default="", max_length=500)
    created_at: datetime = instant()
    applied_at: datetime | None = instant(nullable=True, default=None)
    reviewed_at: datetime | None = instant(nullable=True, default=None)
    # The refusal reason, or the note of an exclusion or withdrawal.
    review_note: str = Field(default="", max_length=500)
    # A key of ``domain.award.EXCLUSION_GROUNDS`` when excluded.
    exclusion_ground: str = Field(default="", max_length=20)


# invited → member | declined; member → left | excluded.
MEMBER_STATUSES = ("invited", "member", "declined", "left", "excluded")


class AwardMember(SQLModel, table=True):
    """A person's place in a team: an invitation, then membership (seed 2.6: one team per person)."""

    __table_args__ = (
        # A person is invited to or in at most one team of a contest at a time.
        Index(
            "ux_award_member_active",
            "contest_id",
            "user_id",
            unique=True,
            sqlite_where=text("status IN ('invited', 'member')"),
            postgresql_where=text("status IN ('invited', 'member')"),
        ),
        CheckConstraint(
            "status IN ('invited', 'member', 'declined', 'left', 'excluded')", name="ck_award_member_status"
        ),
        Index("ix_award_member_team", "team_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id")
    team_id: int = Field(foreign_key="awardteam.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default="invited", max_length=10)
    invited_at: datetime = instant()
    answered_at: datetime | None = instant(nullable=True, default=None)
    left_at: datetime | None = instant(nullable=True, default=None)
    exclusion_ground: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=500)


JUROR_ROLES = ("chair", "deputy", "member")


class AwardJuror(SQLModel, table=True):
    """A member of the commission: the chair, the member the chair's powers pass to, or a member."""

    __table_args__ = (
        UniqueConstraint("contest_id", "user_id", name="ux_award_juror_user"),
        Index(
            "ux_award_juror_chair",
            "contest_id",
            "role",
            unique=True,
            sqlite_where=text("role IN ('chair', 'deputy')"),
            postgresql_where=text("role IN ('chair', 'deputy')"),
        ),
        CheckConstraint("role IN ('chair', 'deputy', 'member')", name="ck_award_juror_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    role: str = Field(default="member", max_length=10)


class AwardAssignment(SQLModel, table=True):
    """A juror in the expert group of a task: they score its projects."""

    __table_args__ = (UniqueConstraint("juror_id", "task_id", name="ux_award_assignment"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(foreign_key="awardjuror.id")
    task_id: int = Field(foreign_key="awardtask.id", index=True)


class AwardRecusal(SQLModel, table=True):
    """A declared conflict of interest with a team: the juror takes no part in the team's task
    (its projects and its votes)."""

    __table_args__ = (UniqueConstraint("juror_id", "team_id", name="ux_award_recusal"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(foreign_key="awardjuror.id")
    task_id: int = Field(foreign_key="awardtask.id", index=True)
    team_id: int = Field(foreign_key="awardteam.id")
    note: str = Field(default="", max_length=500)
    declared_at: datetime = instant()


class AwardSheet(SQLModel, table=True):
    """A juror's electronic score sheet of one project (seed, commission 2.10)."""

    __table_args__ = (UniqueConstraint("juror_id", "team_id", name="ux_award_sheet"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(foreign_key="awardjuror.id")
    team_id: int = Field(foreign_key="awardteam.id", index=True)
    task_id: int = Field(foreign_key="awardtask.id", index=True)
    comment: str = Field(default="", max_length=2000)
    updated_at: datetime = instant()
    # Set when the juror submits it; other jurors' sheets of the project are shown only after.
    submitted_at: datetime | None = instant(nullable=True, default=None)


class AwardScore(SQLModel, table=True):
    """One criterion's score on a sheet."""

    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id", name="ux_award_score"),
        CheckConstraint("score >= 0", name="ck_award_score"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="awardsheet.id", index=True)
    criterion_id: int = Field(foreign_key="awardcriterion.id")
    score: int


SITTING_FORMS = ("in_person", "remote")


class AwardSitting(SQLModel, table=True):
    """A sitting of the commission (очная / заочная) and, once approved, its protocol."""

    __table_args__ = (CheckConstraint("form IN ('in_person', 'remote')", name="ck_award_sitting_form"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    held_on: date
    form: str = Field(max_length=10)
    created_at: datetime = instant()
    created_by: int | None = Field(default=None, foreign_key="user.id")
    # The chair's approval (or that of the member holding the chair's powers) and the protocol.
    approved_at: datetime | None = instant(nullable=True, default=None)
    approved_by: int | None = Field(default=None, foreign_key="awardjuror.id")
    protocol_sha256: str = Field(default="", max_length=64)
    protocol_pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class AwardAttendance(SQLModel, table=True):
    """A juror present at a sitting."""

    __table_args__ = (UniqueConstraint("sitting_id", "juror_id", name="ux_award_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    sitting_id: int = Field(foreign_key="awardsitting.id", index=True)
    juror_id: int = Field(foreign_key="awardjuror.id")


class AwardStanding(SQLModel, table=True):
    """A team's total in its task's results and its place once decided (None: no prize place)."""

    __table_args__ = (
        UniqueConstraint("task_id", "team_id", name="ux_award_standing"),
        CheckConstraint("place IS NULL OR place BETWEEN 1 AND 3", name="ck_award_standing_place"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="awardtask.id", index=True)
    team_id: int = Field(foreign_key="awardteam.id")
    total: int
    place: int | None = None


class AwardTieRound(SQLModel, table=True):
    """One open vote of the present members between teams tied for a place (commission 2.13)."""

    __table_args__ = (UniqueConstraint("task_id", "place", "round", name="ux_award_tie_round"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="awardtask.id", index=True)
    sitting_id: int = Field(foreign_key="awardsitting.id")
    place: int
    round: int = 1
    # The tied teams' ids, comma-separated in standing order.
    teams: str = Field(max_length=200)
    opened_at: datetime = instant()
    closed_at: datetime | None = instant(nullable=True, default=None)
    # The team the vote placed; None when closed without a decision (a new round follows).
    decided_team_id: int | None = Field(default=None, foreign_key="awardteam.id")


class AwardTieVote(SQLModel, table=True):
    """A present member's open vote in a tie round."""

    __table_args__ = (UniqueConstraint("round_id", "juror_id", name="ux_award_tie_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="awardtieround.id", index=True)
    juror_id: int = Field(foreign_key="awardjuror.id")
    team_id: int = Field(foreign_key="awardteam.id")
    voted_at: datetime = instant()


PAYOUT_STATUSES = ("awaiting", "submitted", "not_paid")


class AwardPayout(SQLModel, table=True):
    """A member's equal share of a team's prize and the payout data they submitted (seed 4.2, 4.4).

    ``data`` holds the personal data of the payout (JSON); only the operator's payout register
    reads it — no page, public file or log does.
    """

    __table_args__ = (
        UniqueConstraint("task_id", "user_id", name="ux_award_payout"),
        CheckConstraint("amount >= 0", name="ck_award_payout_amount"),
        CheckConstraint("status IN ('awaiting', 'submitted', 'not_paid')", name="ck_award_payout_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="awardcontest.id", index=True)
    task_id: int = Field(foreign_key="awardtask.id")
    team_id: int = Field(foreign_key="awardteam.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    place: int
    # Kopecks: the member's share by ``domain.award.split_prize``.
    amount: int
    # The payout data are accepted until this instant (30 calendar days after the results).
    due_at: datetime = instant()
    status: str = Field(default="awaiting", max_length=10)
    submitted_at: datetime | None = instant(nullable=True, default=None)
    data: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
