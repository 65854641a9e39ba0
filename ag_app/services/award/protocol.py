"""The protocol of a sitting of the award commission (commission regulation 2.14) as a PDF.

:func:`protocol_data` reads an approved (or being approved) sitting into a :class:`ProtocolData`;
:func:`render_protocol` turns it into PDF bytes: the contest year, the sitting's date and form, the
commission's size, who was present and the quorum; per task the teams with their projects, the
totals by criterion (the sum over the score sheets that count) and the total, the recusals, the
tie votes round by round (who voted for whom, the outcome, the casting vote of the member holding
the chair's powers), the places and the prizes; and the approval.

No participant's personal data: teams appear by name, never their members. The commission's
members are named (they are the commission's officials), without phones.

Deterministic like :mod:`ag_app.services.protocol_pdf`: the creation date is the approval, the
DejaVu fonts of ``assets/fonts/`` are embedded, so the same data give the same bytes.
"""

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlmodel import Session, col, select

from ag_app.domain.award import sitting_valid
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import Conflict
from ag_app.models import (
    AwardCriterion,
    AwardJuror,
    AwardRecusal,
    AwardScore,
    AwardSheet,
    AwardTeam,
    AwardTieRound,
    AwardTieVote,
    User,
)
from ag_app.services.award.results_reads import (
    JUROR_ROLES,
    SITTING_FORMS,
    decided_tasks,
    get_contest,
    get_sitting,
    jurors_of,
    person_name,
    present_ids,
    prize_of,
    rubles,
    standings_of,
)
from ag_app.settings import ROOT

logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONTS_DIR = ROOT / "assets" / "fonts"
FONT = "DejaVu"
TITLE = "Протокол заседания комиссии по присуждению премий Мэра Москвы «Лидеры цифровой трансформации»"
# Who approved: the chair, or the member the chair's powers passed to in the chair's absence.
APPROVER_ROLES = {
    "chair": "председатель комиссии",
    "deputy": "член комиссии, исполнявший полномочия председателя комиссии в его отсутствие",
}
NO_APPEAL = "Результаты конкурса обжалованию не подлежат."
KEEP_TOGETHER_MM = 50


@dataclass(frozen=True)
class ProtocolTeam:
    """A team's line: its project, sums by criterion (in criterion order), total and place."""

    name: str
    project: str
    by_criterion: tuple[int, ...]
    total: int
    place: int | None


@dataclass(frozen=True)
class ProtocolVote:
    """One member's open vote in a tie round."""

    member: str
    team: str


@dataclass(frozen=True)
class ProtocolTieRound:
    """A round of the open vote on a tie: the place, the tied teams, the votes and the outcome."""

    place: int
    round: int
    teams: tuple[str, ...]
    votes: tuple[ProtocolVote, ...]
    # The team placed, or "" when the round decided nothing (a new round followed).
    decided: str
    # Whether the casting vote of the member holding the chair's powers decided it.
    casting: bool


@dataclass(frozen=True)
class ProtocolPrize:
    """A place awarded: the team and the prize of the place, kopecks."""

    place: int
    team: str
    prize: int


@dataclass(frozen=True)
class ProtocolTask:
    """The results of one task."""

    number: int
    title: str
    # (name, maximum) in criterion order.
    criteria: tuple[tuple[str, int], ...]
    teams: tuple[ProtocolTeam, ...]
    # (member, team)
    recusals: tuple[tuple[str, str], ...]
    ties: tuple[ProtocolTieRound, ...]
    prizes: tuple[ProtocolPrize, ...]


@dataclass(frozen=True)
class ProtocolMember:
    """A present member of the commission: name and role."""

    name: str
    role: str


@dataclass(frozen=True)
class ProtocolData:
    """Everything the protocol shows; no field holds a participant's personal data."""

    sitting_id: int
    contest_year: int
    contest_title: str
    held_on: date
    form: str
    commission_size: int
    present: tuple[ProtocolMember, ...]
    quorum: bool
    tasks: tuple[ProtocolTask, ...]
    # The member holding the chair's powers who approved, their role, and the instant (UTC).
    approved_by: str
    approved_role: str
    approved_at: datetime


def _criterion_sums(
    session: Session,
    task_id: int,
    criteria: list[AwardCriterion],
    recused: set[tuple[int, int]],
    teams: set[int],
) -> dict[int, tuple[int, ...]]:
    """Per team: the sum of each criterion over the counted sheets — as the jury counts the totals, a
    member's sheets count when they declared no conflict of interest in the task and submitted a sheet
    for every team of its standings (a partial set of an absent member is left out)."""
    index = {c.id: i for i, c in enumerate(criteria)}
    rows = session.exec(
        select(AwardSheet.team_id, AwardSheet.juror_id, AwardScore.criterion_id, AwardScore.score)
        .join(AwardScore, col(AwardScore.sheet_id) == AwardSheet.id)
        .where(AwardSheet.task_id == task_id, col(AwardSheet.submitted_at).is_not(None))
    ).all()
    recused_jurors = {juror for juror, _ in recused}
    sheets = {(juror_id, team_id) for team_id, juror_id, _, _ in rows}
    counted = {
        juror
        for juror, _ in sheets
        if juror not in recused_jurors and all((juror, team) in sheets for team in teams)
    }
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * len(criteria))
    for team_id, juror_id, criterion_id, score in rows:
        if juror_id in counted and criterion_id in index:
            sums[team_id][index[criterion_id]] += score
    return {team: tuple(values) for team, values in sums.items()}


def _tie_rounds(
    session: Session, task_id: int, team_names: dict[int, str], names: dict[int, str]
) -> tuple[ProtocolTieRound, ...]:
    """Every round of the task's tie votes with who voted for whom and the outcome."""
    rounds = session.exec(
        select(AwardTieRound)
        .where(AwardTieRound.task_id == task_id)
        .order_by(col(AwardTieRound.place), col(AwardTieRound.round))
    ).all()
    out = []
    for tie in rounds:
        votes = session.exec(
            select(AwardTieVote).where(AwardTieVote.round_id == tie.id).order_by(col(AwardTieVote.id))
        ).all()
        counts = Counter(v.team_id for v in votes)
        decided = tie.decided_team_id
        majority = decided is not None and counts.get(decided, 0) * 2 > len(votes)
        # ``tie_vote`` decides without a majority only by the vote of the member holding the chair's
        # powers in the task (the chair, or the deputy when the chair is absent or recused).
        casting = decided is not None and not majority
        team_ids = [int(part) for part in tie.teams.split(",") if part.strip().isdigit()]
        out.append(
            ProtocolTieRound(
                place=tie.place,
                round=tie.round,
                teams=tuple(team_names.get(t, f"№ {t}") for t in team_ids),
                votes=tuple(
                    ProtocolVote(names.get(v.juror_id, ""), team_names.get(v.team_id, "")) for v in votes
                ),
                decided=team_names.get(decided, "") if decided is not None else "",
                casting=casting,
            )
        )
    return tuple(out)


def protocol_data(session: Session, sitting_id: int) -> ProtocolData:
    """The protocol of an approved sitting, read from the database.

    Raises:
        Conflict: when the sitting is not approved.
    """
    sitting = get_sitting(session, sitting_id)
    if sitting.approved_at is None or sitting.approved_by is None:
        raise Conflict("award.protocol_not_approved")
    contest = get_contest(session, sitting.contest_id)
    jurors = jurors_of(session, contest.id)
    users = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_([j.user_id for j in jurors] or [0]))).all()
    }
    names = {j.id: person_name(users.get(j.user_id)) for j in jurors}
    present = present_ids(session, sitting.id)
    approver = session.get(AwardJuror, sitting.approved_by)
    criteria = list(
        session.exec(
            select(AwardCriterion)
            .where(AwardCriterion.contest_id == contest.id)
            .order_by(col(AwardCriterion.number))
        ).all()
    )
    tasks = []
    for task in decided_tasks(session, sitting.id):
        teams = {t.id: t for t in session.exec(select(AwardTeam).where(AwardTeam.task_id == task.id)).all()}
        team_names = {t.id: t.name for t in teams.values()}
        recusals = session.exec(
            select(AwardRecusal).where(AwardRecusal.task_id == task.id).order_by(col(AwardRecusal.id))
        ).all()
        recused = {(r.juror_id, r.team_id) for r in recusals}
        standings = standings_of(session, task.id)
        sums = _criterion_sums(session, task.id, criteria, recused, {st.team_id for st in standings})
        rows = tuple(
            ProtocolTeam(
                name=team_names.get(s.team_id, ""),
                project=teams[s.team_id].project_title if s.team_id in teams else "",
                by_criterion=sums.get(s.team_id, (0,) * len(criteria)),
                total=s.total,
                place=s.place,
            )
            for s in standings
        )
        tasks.append(
            ProtocolTask(
                number=task.number,
                title=task.title,
                criteria=tuple((c.name, c.max_score) for c in criteria),
                teams=rows,
                recusals=tuple((names.get(r.juror_id, ""), team_names.get(r.team_id, "")) for r in recusals),
                ties=_tie_rounds(session, task.id, team_names, names),
                prizes=tuple(
                    ProtocolPrize(s.place, team_names.get(s.team_id, ""), prize_of(task, s.place))
                    for s in standings
                    if s.place is not None
                ),
            )
        )
    return ProtocolData(
        sitting_id=sitting.id,
        contest_year=contest.year,
        contest_title=contest.title,
        held_on=sitting.held_on,
        form=SITTING_FORMS.get(sitting.form, sitting.form),
        commission_size=len(jurors),
        present=tuple(ProtocolMember(names[j.id], JUROR_ROLES[j.role]) for j in jurors if j.id in present),
        quorum=sitting_valid(len(present), len(jurors)),
        tasks=tuple(tasks),
        approved_by=names.get(approver.id, "") if approver else "",
        approved_role=APPROVER_ROLES.get(approver.role, "") if approver else "",
        approved_at=as_utc(sitting.approved_at),
    )


# ----------------------------------------------------------------------------------------------
# The PDF


class _PDF(FPDF):
    def __init__(self, sitting_id: int) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.sitting_id = sitting_id

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.cell(
            0, 5, f"Протокол заседания № {self.sitting_id} · стр. {self.page_no()} из {{nb}}", align="C"
        )


def _line(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.write(5.5, f"{label}: ")
    pdf.set_font(FONT, size=10)
    pdf.write(5.5, value)
    pdf.ln(6.5)


def _heading(pdf: FPDF, text: str, size: float = 11) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9.5)


def _para(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, size=9.5)
    pdf.multi_cell(0, 5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _place(place: int | None) -> str:
    return "—" if place is None else str(place)


def _write_task(pdf: FPDF, task: ProtocolTask) -> None:
    pdf.ln(3)
    if pdf.will_page_break(KEEP_TOGETHER_MM):
        pdf.add_page()
    _heading(pdf, f"Задача № {task.number}. {task.title}", 12)
    _heading(pdf, "Коллективы и проекты", 10.5)
    with pdf.table(col_widths=(10, 55, 105), line_height=5.5, first_row_as_headings=True) as table:
        table.row(("№", "Коллектив", "Проект"))
        for number, team in enumerate(task.teams, start=1):
            table.row((str(number), team.name, team.project))
    _heading(pdf, "Баллы по критериям (сумма по оценочным листам)", 10.5)
    crit = len(task.criteria)
    width_left = 170 - 45 - 20 - 15
    each = width_left / crit if crit else width_left
    with pdf.table(
        col_widths=(45, *([each] * crit), 20, 15),
        text_align=("LEFT", *(["RIGHT"] * crit), "RIGHT", "CENTER"),
        line_height=5.5,
        first_row_as_headings=True,
    ) as table:
        table.row(("Коллектив", *(f"К{i}" for i in range(1, crit + 1)), "Итого", "Место"))
        for team in task.teams:
            table.row((team.name, *(str(v) for v in team.by_criterion), str(team.total), _place(team.place)))
    for i, (name, maximum) in enumerate(task.criteria, start=1):
        _para(pdf, f"К{i} — {name} (от 0 до {maximum} баллов).")
    _heading(pdf, "Конфликт интересов (самоотводы)", 10.5)
    if task.recusals:
        for member, team in task.recusals:
            _para(
                pdf,
                f"{member} — заявил(а) о конфликте интересов с коллективом «{team}» и не участвовал(а) "
                "в оценке проектов задачи и в голосовании по ней.",
            )
    else:
        _para(pdf, "Не заявлено.")
    _heading(pdf, "Открытое голосование при равенстве баллов", 10.5)
    if task.ties:
        for tie in task.ties:
            teams = ", ".join(f"«{t}»" for t in tie.teams)
            _para(pdf, f"{tie.place} место, голосование {tie.round}: коллективы {teams}.")
            for vote in tie.votes:
                _para(pdf, f"    {vote.member} — за «{vote.team}»")
            if not tie.decided:
                outcome = "решение не принято, проведено повторное голосование."
            elif tie.casting:
                outcome = (
                    f"голоса разделились поровну; решающим голосом председательствующего место присуждено "
                    f"коллективу «{tie.decided}»."
                )
            else:
                outcome = f"большинством голосов место присуждено коллективу «{tie.decided}»."
            _para(pdf, f"Итог: {outcome}")
    else:
        _para(pdf, "Не проводилось.")
    _heading(pdf, "Места и премии", 10.5)
    if task.prizes:
        with pdf.table(
            col_widths=(60, 65, 45),
            text_align=("LEFT", "LEFT", "RIGHT"),
            line_height=5.5,
            first_row_as_headings=True,
        ) as table:
            table.row(("Место", "Коллектив", "Премия"))
            for prize in task.prizes:
                kind = "победитель" if prize.place == 1 else "призёр"
                table.row((f"{prize.place} место ({kind})", prize.team, rubles(prize.prize)))
    else:
        _para(pdf, "Премии не присуждены.")


def _moscow_day(moment: datetime) -> str:
    return f"{as_utc(moment).astimezone(MOSCOW):%d.%m.%Y}"


def render_protocol(protocol: ProtocolData) -> bytes:
    """The protocol as PDF bytes; the same ``protocol`` always gives the same bytes."""
    pdf = _PDF(protocol.sitting_id)
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(as_utc(protocol.approved_at))
    pdf.set_title(f"Протокол заседания комиссии № {protocol.sitting_id}")
    pdf.set_subject(f"{protocol.contest_title} {protocol.contest_year}")
    pdf.set_creator("Активный гражданин")
    pdf.set_lang("ru")
    pdf.set_margins(20, 16, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10.5)
    pdf.multi_cell(
        0,
        5.5,
        f"Конкурс {protocol.contest_year} года · заседание № {protocol.sitting_id}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(4)
    _line(pdf, "Дата заседания", f"{protocol.held_on:%d.%m.%Y}")
    _line(pdf, "Форма заседания", protocol.form)
    _line(pdf, "Состав комиссии", f"{protocol.commission_size} чел.")
    _line(pdf, "Присутствовали", f"{len(protocol.present)} чел.")
    for member in protocol.present:
        _para(pdf, f"    {member.name} — {member.role}")
    pdf.ln(1)
    _line(
        pdf,
        "Кворум",
        "имеется (присутствует не менее 50 % членов комиссии)" if protocol.quorum else "отсутствует",
    )
    for task in protocol.tasks:
        _write_task(pdf, task)
    pdf.ln(5)
    if pdf.will_page_break(KEEP_TOGETHER_MM):
        pdf.add_page()
    _heading(pdf, "Утверждение результатов", 11)
    _para(
        pdf,
        f"Результаты утвердил(а) {protocol.approved_by} ({protocol.approved_role}) "
        f"{_moscow_day(protocol.approved_at)}.",
    )
    _para(pdf, NO_APPEAL)
    return bytes(pdf.output())


def protocol_sha256(pdf: bytes) -> str:
    """The SHA-256 of the protocol's bytes, 64 lowercase hex digits (shown on the results page)."""
    return hashlib.sha256(pdf).hexdigest()
