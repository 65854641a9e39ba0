"""«Конкурс чеков» as a viewer sees it: the month's contests as tabs, a rating's facts, one's own place.

Reads only: a month without its general contest yet (nobody saved a receipt) shows the general
prize table and title with an empty rating, and nothing is created. The tabs are the general
contest of the current Moscow month and every parallel contest of the month the viewer has an
entry in (a guest sees the general one only); a contest outside the tabs is refused.

The public top 100 (:func:`public_top`) is the same for everybody: it is read at most once per
:data:`TOP_SECONDS` per contest and process, so a crowd opening the page costs one query a second.
The live board reads it afresh after every change (:func:`read_top`).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.contest import (
    ADULT_AGE,
    CATEGORIES,
    GENERAL_PRIZES,
    period_label,
    period_of,
    time_left_text,
)
from ag_app.domain.errors import NotFound
from ag_app.domain.profile import age_on
from ag_app.i18n import message
from ag_app.models import Contest, ContestEntry, ContestParticipant, Okrug, Receipt, User
from ag_app.services.access import STAFF_ROLES, active_user, roles_of
from ag_app.services.contest.contests import conditions_of, contests_of_period, general_title, prizes_of
from ag_app.services.contest.ranking import TOP, OwnPosition, own_position, participants, top_rows
from ag_app.services.contest.scoring import is_disqualified
from ag_app.services.snapshots import Snapshot

# How long the public top 100 of a contest is served from this process's copy (seconds).
TOP_SECONDS = 1.0
_tops: Snapshot[list[dict]] = Snapshot(TOP_SECONDS)

# Why the viewer has no own place in the selected rating (``Board.reason_kind``).
GUEST = "guest"
STAFF = "staff"
BIRTH_DATE = "birth_date"
MINOR = "minor"
DISQUALIFIED = "disqualified"
NO_RECEIPTS = "no_receipts"
NOT_COUNTED = "not_counted"
# The conditions of the general contest.
GENERAL_CONDITIONS = "Все принятые чеки месяца, без ограничений."


@dataclass(frozen=True)
class ContestTab:
    """One contest of the month on the page: its id, title and conditions in plain words."""

    id: int
    title: str
    conditions: str
    general: bool


@dataclass(frozen=True)
class Board:
    """The selected contest of the month with the viewer's place, or the reason they have none."""

    period: str
    # None while the month has no general contest yet (no receipt saved this month).
    contest_id: int | None
    title: str
    conditions: str
    tabs: list[ContestTab]
    # (place, «2 000 ₽») per prize.
    prizes: list[tuple[int, str]]
    participants: int
    time_left: str
    # The viewer's public participant number (None: guest, or no receipt ever saved).
    number: int | None
    own: OwnPosition | None
    reason_kind: str
    reason: str


def rub_text(amount: int) -> str:
    """«2 000 ₽» (no-break spaces)."""
    return numfmt.rubles(amount)


def conditions_text(contest: Contest, okrug_abbrevs: dict[int, str]) -> str:
    """«Категории: АЗС; регион 77; партнёры: 3; округа: ЦАО, САО» — what a contest counts."""
    conditions = conditions_of(contest)
    if conditions.general:
        return GENERAL_CONDITIONS
    parts = []
    if conditions.categories:
        names = sorted(CATEGORIES.get(key, key) for key in conditions.categories)
        parts.append(("категория " if len(names) == 1 else "категории: ") + ", ".join(names))
    if conditions.regions:
        regions = sorted(conditions.regions, key=lambda code: (len(code), code))
        parts.append(("регион " if len(regions) == 1 else "регионы ") + ", ".join(regions))
    if conditions.partner_inns:
        parts.append(f"партнёры: {len(conditions.partner_inns)}")
    if conditions.okrugs:
        names = sorted(okrug_abbrevs.get(okrug, str(okrug)) for okrug in conditions.okrugs)
        parts.append(("округ " if len(names) == 1 else "округа: ") + ", ".join(names))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _okrug_abbrevs(session: Session, contests: list[Contest]) -> dict[int, str]:
    ids = {okrug for contest in contests for okrug in conditions_of(contest).okrugs}
    if not ids:
        return {}
    return dict(session.exec(select(Okrug.id, Okrug.abbrev).where(col(Okrug.id).in_(ids))).all())


def _reason(
    session: Session, user: User | None, participant: ContestParticipant | None, period: str, now: datetime
) -> tuple[str, str]:
    """(kind, text) when the viewer cannot have a place at all this month, else ("", "")."""
    if user is None:
        return GUEST, message("contest.board_guest")
    if roles_of(session, user.id) & STAFF_ROLES:
        return STAFF, message("contest.staff_excluded")
    if user.birth_date is None:
        return BIRTH_DATE, message("contest.birth_date_required")
    if age_on(user.birth_date, moscow_date(now)) < ADULT_AGE:
        return MINOR, message("contest.adults_only")
    if participant is not None:
        disqualification = is_disqualified(session, participant.id, period)
        if disqualification is not None:
            return DISQUALIFIED, message("contest.disqualified", reason=disqualification.reason)
    return "", ""


def _no_place(session: Session, participant: ContestParticipant | None, period: str) -> tuple[str, str]:
    """Why an eligible viewer is not in the rating: no receipt this month, or none counted yet."""
    if participant is not None:
        saved = session.exec(
            select(Receipt.id)
            .where(Receipt.participant_id == participant.id, Receipt.period == period)
            .limit(1)
        ).first()
        if saved is not None:
            return NOT_COUNTED, message("contest.board_not_counted")
    return NO_RECEIPTS, message("contest.board_first_receipt")


@reads
def board(session: Session, *, actor_id: int | None, contest_id: int | None, now: datetime) -> Board:
    """The contest page for the viewer (``actor_id`` None: a guest); ``contest_id`` None: the general one.

    Raises:
        NotFound: ``contest_id`` is not among the viewer's tabs of the current month.
        NotAuthenticated, NotAllowed: the session's account is gone or deactivated.
    """
    year, month = period_of(now)
    period = period_label(year, month)
    contests = contests_of_period(session, period)
    general = next((contest for contest in contests if contest.general), None)
    user = active_user(session, actor_id) if actor_id is not None else None
    participant = (
        session.exec(select(ContestParticipant).where(ContestParticipant.user_id == user.id)).first()
        if user is not None
        else None
    )
    entered: set[int] = set()
    if participant is not None and contests:
        entered = set(
            session.exec(
                select(ContestEntry.contest_id).where(
                    ContestEntry.participant_id == participant.id,
                    col(ContestEntry.contest_id).in_([contest.id for contest in contests]),
                )
            ).all()
        )
    shown = [contest for contest in contests if contest.general or contest.id in entered]
    abbrevs = _okrug_abbrevs(session, shown)
    tabs = [ContestTab(c.id, c.title, conditions_text(c, abbrevs), c.general) for c in shown]
    if contest_id is None:
        selected = general
    else:
        selected = next((contest for contest in shown if contest.id == contest_id), None)
        if selected is None:
            raise NotFound("contest.tab_unavailable")

    kind, reason = _reason(session, user, participant, period, now)
    own = None
    if not kind:
        if selected is not None and participant is not None:
            own = own_position(session, selected.id, participant.id)
        if own is None:
            kind, reason = _no_place(session, participant, period)
    prizes = prizes_of(selected) if selected is not None else GENERAL_PRIZES
    board_id = selected.id if selected is not None else None
    return Board(
        period=period,
        contest_id=board_id,
        title=selected.title if selected is not None else general_title(year, month),
        conditions=next((tab.conditions for tab in tabs if tab.id == board_id), GENERAL_CONDITIONS),
        tabs=tabs,
        prizes=[(place, rub_text(amount)) for place, amount in enumerate(prizes, start=1)],
        participants=participants(session, selected.id) if selected is not None else 0,
        time_left=time_left_text(year, month, now),
        number=participant.id if participant is not None else None,
        own=own,
        reason_kind=kind,
        reason=reason,
    )


@dataclass(frozen=True)
class TopView:
    """The public top of a rating with the number of participants and when it was read."""

    rows: list[dict]
    total: int
    read_at: datetime


def _top_dicts(session: Session, contest_id: int) -> list[dict]:
    return [row.as_dict() for row in top_rows(session, contest_id, limit=TOP)]


@reads
def read_top(session: Session, contest_id: int, now: datetime) -> TopView | None:
    """The top 100 read now, with the participants count (None: no such contest)."""
    if session.get(Contest, contest_id) is None:
        return None
    return TopView(
        rows=_top_dicts(session, contest_id), total=participants(session, contest_id), read_at=as_utc(now)
    )


@reads
def public_top(session: Session, contest_id: int) -> list[dict]:
    """The top 100 as ``{place, name, number, points}`` (a copy at most :data:`TOP_SECONDS` old).

    Only the shortened name and the participant number: no account id, phone, e-mail or full name.
    """
    return _tops.get(contest_id, lambda: _top_dicts(session, contest_id))
