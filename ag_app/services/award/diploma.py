"""Diplomas of the winners and prize-winners («Положение» 3.18): a PDF in the member's own name.

Every member of a team that took a place (1st: winner; 2nd, 3rd: prize-winner) in a task decided at
an approved sitting gets one: their name from the profile, the team, the task, the place and the
contest year. Only that member can download their own diploma. A member of the team is one who had
a payout created at the approval, or (when the place carried no prize) is a member of the team.
Deterministic bytes: the creation date is the approval.
"""

from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.models import AwardMember, AwardPayout, AwardStanding, AwardTeam
from ag_app.services.access import active_user
from ag_app.services.award.protocol import FONT, FONTS_DIR
from ag_app.services.award.results_reads import get_contest, person_name, published_tasks

PLACE_TITLES = {1: "победителя", 2: "призёра", 3: "призёра"}


@dataclass(frozen=True)
class DiplomaData:
    """What a diploma shows."""

    name: str
    team: str
    task_number: int
    task_title: str
    place: int
    contest_year: int
    contest_title: str
    approved_at: datetime


@dataclass(frozen=True)
class Entitlement:
    """A placed team of an approved sitting that the user belongs to."""

    team: AwardTeam
    place: int
    task_number: int
    task_title: str
    approved_at: datetime


def entitlement(session: Session, *, user_id: int, contest_id: int) -> Entitlement | None:
    """The user's placed team in the contest's published results, or None."""
    for published in published_tasks(session, contest_id):
        task = published.task
        placed = session.exec(
            select(AwardStanding).where(
                AwardStanding.task_id == task.id, col(AwardStanding.place).is_not(None)
            )
        ).all()
        for standing in placed:
            paid = session.exec(
                select(AwardPayout.id).where(
                    AwardPayout.task_id == task.id,
                    AwardPayout.team_id == standing.team_id,
                    AwardPayout.user_id == user_id,
                )
            ).first()
            member = session.exec(
                select(AwardMember.id).where(
                    AwardMember.team_id == standing.team_id,
                    AwardMember.user_id == user_id,
                    AwardMember.status == "member",
                )
            ).first()
            if paid is None and member is None:
                continue
            team = session.get(AwardTeam, standing.team_id)
            if team is None:
                continue
            return Entitlement(
                team, standing.place or 0, task.number, task.title, as_utc(published.sitting.approved_at)
            )
    return None


def diploma_data(session: Session, *, actor_id: int | None, contest_id: int) -> DiplomaData:
    """The actor's own diploma of a contest.

    Raises:
        NotAuthenticated: a guest. NotFound: no such contest, or the actor has no diploma in it.
        InvalidInput: the profile has no name.
    """
    user = active_user(session, actor_id)
    contest = get_contest(session, contest_id)
    found = entitlement(session, user_id=user.id, contest_id=contest.id)
    if found is None:
        raise NotFound("award.diploma_none")
    if not (user.last_name.strip() and user.first_name.strip()):
        raise InvalidInput("award.diploma_no_name")
    return DiplomaData(
        name=person_name(user),
        team=found.team.name,
        task_number=found.task_number,
        task_title=found.task_title,
        place=found.place,
        contest_year=contest.year,
        contest_title=contest.title,
        approved_at=found.approved_at,
    )


def render_diploma(data: DiplomaData) -> bytes:
    """The diploma as PDF bytes (A4 landscape); the same data give the same bytes."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(as_utc(data.approved_at))
    pdf.set_title(f"Диплом {PLACE_TITLES.get(data.place, '')} конкурса {data.contest_year}")
    pdf.set_creator("Активный гражданин")
    pdf.set_lang("ru")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_y(30)
    pdf.set_font(FONT, "B", 34)
    pdf.cell(0, 16, "ДИПЛОМ", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=15)
    pdf.multi_cell(
        0,
        8,
        f"{PLACE_TITLES.get(data.place, '')} конкурса на соискание премий Мэра Москвы\n"
        f"«Лидеры цифровой трансформации» {data.contest_year} года",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(10)
    pdf.set_font(FONT, size=13)
    pdf.cell(0, 8, "награждается", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 12, data.name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT, size=13)
    pdf.multi_cell(
        0,
        7,
        f"участник коллектива «{data.team}»,\nзанявшего {data.place} место в решении задачи "
        f"№ {data.task_number} «{data.task_title}»",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(170)
    pdf.set_font(FONT, size=11)
    day: date = as_utc(data.approved_at).astimezone(MOSCOW).date()
    pdf.cell(0, 6, f"Москва, {day:%d.%m.%Y}", align="C")
    return bytes(pdf.output())


@reads
def my_diploma(session: Session, *, actor_id: int | None, contest_id: int) -> bytes:
    """The actor's own diploma PDF of a contest (see :func:`diploma_data`)."""
    return render_diploma(diploma_data(session, actor_id=actor_id, contest_id=contest_id))
