"""Payouts of the prizes («Положение» 4.2–4.5): the member's payout data, the deadline, the register.

Each member of a winning or prize-winning team submits their payout data (``check_payout``: every
problem listed at once) for their own payout only, before its ``due_at`` (the end of the 30th
calendar day after the approval, Moscow time), and may correct them until then. The job
:func:`expire_payouts` marks the members who missed the deadline «не выплачивается». The operator
exports the payout register (CSV, UTF-8 with BOM, «;»).

The payout data are personal: kept as JSON in ``AwardPayout.data``; the only way out is the
register. The member sees them back masked (the last 4 characters); no page, public answer or log
line carries them (log lines here name ids and counts only).
"""

import csv
import io
import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from ag_app.db import reads, transaction
from ag_app.domain.award_payout import FIELDS, check_payout
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict, NotFound
from ag_app.i18n import statuses
from ag_app.models import AwardContest, AwardPayout, AwardTask, AwardTeam, User
from ag_app.services.access import Capability, active_user, lock_user, require
from ag_app.services.award.results_reads import get_contest, person_name

log = logging.getLogger(__name__)

# The payout statuses as shown (the last one is the regulation's «не выплачивается», П. 4.5).
STATUS_NAMES = statuses("award_payout")
# The payout form's fields with their Russian labels, in the form's order.
FIELD_LABELS: dict[str, str] = {
    "full_name": "Фамилия, имя, отчество",
    "birth_date": "Дата рождения (ГГГГ-ММ-ДД)",
    "phone": "Телефон",
    "passport_series": "Серия паспорта",
    "passport_number": "Номер паспорта",
    "passport_issued_by": "Кем выдан паспорт",
    "passport_issued_on": "Дата выдачи паспорта (ГГГГ-ММ-ДД)",
    "registration_address": "Адрес регистрации по месту жительства",
    "inn": "ИНН",
    "snils": "СНИЛС",
    "card_number": "Номер карты «Мир»",
    "account": "Номер банковского счёта карты",
    "bank_name": "Банк получателя",
    "bank_bik": "БИК банка",
    "bank_inn": "ИНН банка",
    "bank_kpp": "КПП банка",
    "bank_corr_account": "Корреспондентский счёт банка",
}
assert tuple(FIELD_LABELS) == FIELDS
# A submitted field longer than this is not even read (the rules cap every field far below).
FIELD_LIMIT = 1000
REGISTER_HEADER = (
    "Задача",
    "Место",
    "Коллектив",
    "Ф. И. О.",
    "Паспорт",
    "ИНН",
    "СНИЛС",
    "Карта «Мир»",
    "Счёт",
    "Банк: реквизиты",
    "Сумма, ₽",
    "Статус",
)


def status_name(status: str) -> str:
    """The Russian name of a payout status («не выплачивается» …)."""
    return STATUS_NAMES.get(status, status)


def mask(value: str) -> str:
    """A stored value as shown back to its owner: only its last 4 characters («•••• 1234»)."""
    value = value.strip()
    if not value:
        return ""
    return f"•••• {value[-4:]}" if len(value) > 4 else "••••"


def _lock_own(session: Session, user_id: int, payout_id: int) -> AwardPayout:
    """The member's own payout, locked; someone else's is «not found» (its existence is not told)."""
    lock_user(session, user_id)
    payout = session.exec(select(AwardPayout).where(AwardPayout.id == payout_id).with_for_update()).first()
    if payout is None or payout.user_id != user_id:
        raise NotFound("award.payout_unknown")
    return payout


def _stored(form: Mapping[str, object], today: date) -> str:
    """The validated payout data as stored JSON (dates ISO)."""
    clean = {name: value if isinstance(value, str) else "" for name, value in form.items() if name in FIELDS}
    data = check_payout(clean, today)
    return json.dumps(
        {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(data).items()},
        ensure_ascii=False,
        sort_keys=True,
    )


class PayoutNotSaved(RuntimeError):
    """The database refused to store payout data (the driver's error is not kept: it would quote them)."""


def flush_quietly(session: Session) -> None:
    """Flush, and if the database fails, raise an error that does not carry the statement's
    parameters (the payout data) into any traceback or log."""
    try:
        session.flush()
    except SQLAlchemyError as error:
        kind = type(error).__name__
        session.rollback()
        raise PayoutNotSaved(f"payout data not saved: {kind}") from None


def submit_payout(
    session: Session, *, actor_id: int | None, payout_id: int, form: Mapping[str, object], now: datetime
) -> AwardPayout:
    """Save (or correct) the member's payout data before the deadline.

    Raises:
        NotAuthenticated: a guest. NotFound: not the actor's payout. Conflict: the deadline has passed
        (or the payout is already marked «не выплачивается»). FormProblems: every bad field at once.
    """
    user = active_user(session, actor_id)
    payout = _lock_own(session, user.id, payout_id)
    if payout.status == "not_paid" or as_utc(now) >= as_utc(payout.due_at):
        raise Conflict("award.payout_late")
    payout.data = _stored(form, moscow_date(now))
    payout.status = "submitted"
    payout.submitted_at = as_utc(now)
    session.add(payout)
    flush_quietly(session)
    log.info("Данные для выплаты %s сохранены", payout.id)
    return payout


def expire_payouts(engine: Engine, *, now: datetime) -> int:
    """Mark every payout still awaiting its data after its deadline «не выплачивается» (П. 4.5);
    idempotent. Returns how many were marked."""
    with transaction(engine) as session:
        result = session.exec(  # type: ignore[call-overload]
            update(AwardPayout)
            .where(col(AwardPayout.status) == "awaiting", col(AwardPayout.due_at) <= as_utc(now))
            .values(status="not_paid")
        )
        count = result.rowcount or 0
    if count:
        log.info("Выплат премии без данных после срока: %s", count)
    return count


@dataclass(frozen=True)
class MaskedField:
    """A stored payout field shown back to its owner: label and masked value."""

    label: str
    value: str


@dataclass(frozen=True)
class OwnPayout:
    """A member's own payout: share, status, deadline and their data masked."""

    id: int
    contest_id: int
    task_number: int
    task_title: str
    team: str
    place: int
    amount: int
    status: str
    status_name: str
    due_at: datetime
    submitted_at: datetime | None
    can_submit: bool
    masked: tuple[MaskedField, ...]


def _masked(data: str) -> tuple[MaskedField, ...]:
    if not data:
        return ()
    try:
        stored = json.loads(data)
    except ValueError:
        return ()
    return tuple(MaskedField(FIELD_LABELS[k], mask(str(stored.get(k, "")))) for k in FIELDS if stored.get(k))


def own_payouts(
    session: Session, *, user_id: int, now: datetime, contest_id: int | None = None
) -> list[OwnPayout]:
    """The member's own payouts (the newest contest first), data masked."""
    query = (
        select(AwardPayout, AwardTask, AwardTeam)
        .join(AwardTask, col(AwardTask.id) == AwardPayout.task_id)
        .join(AwardTeam, col(AwardTeam.id) == AwardPayout.team_id)
        .where(AwardPayout.user_id == user_id)
    )
    if contest_id is not None:
        query = query.where(AwardPayout.contest_id == contest_id)
    rows = session.exec(query.order_by(col(AwardPayout.contest_id).desc(), col(AwardPayout.id))).all()
    return [
        OwnPayout(
            id=p.id,
            contest_id=p.contest_id,
            task_number=task.number,
            task_title=task.title,
            team=team.name,
            place=p.place,
            amount=p.amount,
            status=p.status,
            status_name=status_name(p.status),
            due_at=as_utc(p.due_at),
            submitted_at=as_utc(p.submitted_at) if p.submitted_at else None,
            can_submit=p.status != "not_paid" and as_utc(now) < as_utc(p.due_at),
            masked=_masked(p.data),
        )
        for p, task, team in rows
    ]


@dataclass(frozen=True)
class StaffPayout:
    """A payout as the operator's list shows it: no payout data, only whether they came."""

    id: int
    task_number: int
    team: str
    place: int
    member: str
    amount: int
    status: str
    status_name: str
    due_at: datetime
    submitted_at: datetime | None


def _register_rows(session: Session, contest_id: int) -> list[tuple[AwardPayout, AwardTask, AwardTeam, User]]:
    return list(
        session.exec(
            select(AwardPayout, AwardTask, AwardTeam, User)
            .join(AwardTask, col(AwardTask.id) == AwardPayout.task_id)
            .join(AwardTeam, col(AwardTeam.id) == AwardPayout.team_id)
            .join(User, col(User.id) == AwardPayout.user_id)
            .where(AwardPayout.contest_id == contest_id)
            .order_by(col(AwardTask.number), col(AwardPayout.place), col(AwardTeam.name), col(AwardPayout.id))
        ).all()
    )


@reads
def staff_payouts(session: Session, *, actor_id: int | None, contest_id: int) -> list[StaffPayout]:
    """The contest's payouts for the operator: task, place, team, member, amount, status, dates."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    get_contest(session, contest_id)
    return [
        StaffPayout(
            id=p.id,
            task_number=task.number,
            team=team.name,
            place=p.place,
            member=person_name(user),
            amount=p.amount,
            status=p.status,
            status_name=status_name(p.status),
            due_at=as_utc(p.due_at),
            submitted_at=as_utc(p.submitted_at) if p.submitted_at else None,
        )
        for p, task, team, user in _register_rows(session, contest_id)
    ]


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _amount(kopecks: int) -> str:
    rub, kop = divmod(kopecks, 100)
    return f"{rub},{kop:02d}"


@reads
def payout_register(session: Session, *, actor_id: int | None, contest_id: int) -> bytes:
    """The payout register of a contest for the accounting system (operator only): one line per
    payout — task, place, team, full name, passport, INN, SNILS, card, account, bank details,
    amount in roubles with kopecks, status. UTF-8 with BOM, «;»-separated."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    get_contest(session, contest_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(REGISTER_HEADER)
    for payout, task, team, user in _register_rows(session, contest_id):
        data: dict[str, str] = {}
        if payout.data:
            try:
                data = json.loads(payout.data)
            except ValueError:
                data = {}
        passport = " ".join(
            part
            for part in (
                data.get("passport_series", ""),
                data.get("passport_number", ""),
                f"выдан {data['passport_issued_by']} {data.get('passport_issued_on', '')}"
                if data.get("passport_issued_by")
                else "",
            )
            if part
        )
        bank = ", ".join(
            f"{label} {data[key]}"
            for key, label in (
                ("bank_name", "банк"),
                ("bank_bik", "БИК"),
                ("bank_inn", "ИНН"),
                ("bank_kpp", "КПП"),
                ("bank_corr_account", "к/с"),
            )
            if data.get(key)
        )
        writer.writerow(
            [
                _safe(f"№ {task.number}. {task.title}"),
                str(payout.place),
                _safe(team.name),
                _safe(data.get("full_name") or person_name(user)),
                _safe(passport),
                data.get("inn", ""),
                data.get("snils", ""),
                data.get("card_number", ""),
                data.get("account", ""),
                _safe(bank),
                _amount(payout.amount),
                status_name(payout.status),
            ]
        )
    log.info("Реестр выплат премии конкурса %s выгружен", contest_id)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class StaffPayoutPage:
    """«Премия: выплаты»: the contest shown and its payouts."""

    contest_id: int | None
    year: int
    payouts: tuple[StaffPayout, ...]


@reads
def staff_payout_page(
    session: Session, *, actor_id: int | None, contest_id: int | None = None
) -> StaffPayoutPage:
    """The payouts of the contest asked for, else of the latest contest (operator only)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    if contest_id is None:
        contest_id = session.exec(select(AwardContest.id).order_by(col(AwardContest.year).desc())).first()
        if contest_id is None:
            return StaffPayoutPage(None, 0, ())
    contest = get_contest(session, contest_id)
    rows = staff_payouts(session, actor_id=actor_id, contest_id=contest.id)
    return StaffPayoutPage(contest.id, contest.year, tuple(rows))
