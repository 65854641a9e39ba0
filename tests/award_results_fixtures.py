"""A contest up to computed standings, inserted as plain rows (no business rules), for the tests of the
approval, the protocol, the published results, the diplomas and the payouts.

The scene (task 1, decided at the sitting): a commission of five — chair, deputy, three members;
criteria К1, К2 (0–10); four admitted teams scored by the chair, member 1 and member 2; member 3
declared a conflict of interest with «Delta» (the sheets of the deputy, who scored Alpha alone, and
of member 3 do not count). Totals: Alpha 40, Bravo 35, Charlie 35, Delta 20.
Place 2 was tied between Bravo and Charlie; in the open vote the chair chose Charlie and member 1
Bravo, and the chair's vote decided: Alpha 1st, Charlie 2nd, Bravo 3rd. Alpha has three members
who joined in the order a1, a2, a3 (their rows inserted in another order).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from ag_app.domain.award_payout import account_key_valid, inn_valid, luhn_valid
from ag_app.domain.identity import snils_checksum
from ag_app.models import (
    AwardAttendance,
    AwardContest,
    AwardCriterion,
    AwardJuror,
    AwardMember,
    AwardRecusal,
    AwardScore,
    AwardSheet,
    AwardSitting,
    AwardStanding,
    AwardTask,
    AwardTeam,
    AwardTieRound,
    AwardTieVote,
)
from tests.factories import make_user

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
# 100 000,01 ₽: three shares 33 333,34 + 33 333,34 + 33 333,33.
PRIZE_1 = 10_000_001
PRIZE_2 = 5_000_000
PRIZE_3 = 2_000_000
JUROR_NAMES = {
    "chair": ("Председателев", "Пётр"),
    "deputy": ("Заместителева", "Дарья"),
    "m1": ("Экспертов", "Михаил"),
    "m2": ("Оценщикова", "Мария"),
    "m3": ("Самоотводов", "Семён"),
}
# Sheets: (К1, К2) per scoring juror for each team.
SCORES = {
    "Alpha": {"chair": (7, 7), "m1": (7, 6), "m2": (7, 6)},
    "Bravo": {"chair": (6, 6), "m1": (6, 6), "m2": (6, 5)},
    "Charlie": {"chair": (6, 6), "m1": (6, 5), "m2": (6, 6)},
    "Delta": {"chair": (4, 3), "m1": (3, 3), "m2": (4, 3)},
}
PLACES = {"Alpha": 1, "Charlie": 2, "Bravo": 3, "Delta": None}
MEMBER_LAST_NAMES = ("Альфин", "Альфова", "Альфенко")


@dataclass
class Scene:
    """Ids of everything built."""

    contest_id: int
    task_id: int
    sitting_id: int
    staff_id: int
    jurors: dict[str, int] = field(default_factory=dict)
    juror_users: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    # Team name → member user ids in the order they joined.
    members: dict[str, list[int]] = field(default_factory=dict)
    outsider_id: int = 0


def _named(session: Session, last: str, first: str, **kw) -> int:
    user = make_user(session, **kw)
    user.last_name, user.first_name, user.patronymic = last, first, ""
    session.add(user)
    session.commit()
    return user.id


def build_scene(
    session: Session,
    *,
    present: tuple[str, ...] = ("chair", "m1", "m2"),
    open_tie: bool = False,
    decided: bool = True,
) -> Scene:
    """The contest, its commission, one sitting attended by ``present``, task 1 with its standings
    (``decided``: the task was decided at the sitting; ``open_tie``: a second task decided at it
    has a tie vote still open)."""
    staff_id = make_user(session, roles=("staff",)).id
    contest = AwardContest(
        year=2026,
        title="Лидеры цифровой трансформации",
        apply_opens_at=T0 - timedelta(days=60),
        apply_closes_at=T0 - timedelta(days=30),
        created_at=T0 - timedelta(days=90),
        created_by=staff_id,
    )
    session.add(contest)
    session.flush()
    sitting = AwardSitting(contest_id=contest.id, held_on=date(2026, 11, 19), form="in_person", created_at=T0)
    session.add(sitting)
    session.flush()
    task = AwardTask(
        contest_id=contest.id,
        number=1,
        title="Цифровой помощник жителя",
        prize_1=PRIZE_1,
        prize_2=PRIZE_2,
        prize_3=PRIZE_3,
        decided_sitting_id=sitting.id if decided else None,
    )
    session.add(task)
    session.flush()
    criteria = [
        AwardCriterion(contest_id=contest.id, number=1, name="Качество прототипа", max_score=10),
        AwardCriterion(contest_id=contest.id, number=2, name="Применимость в городе", max_score=10),
    ]
    session.add_all(criteria)
    session.commit()
    scene = Scene(contest.id, task.id, sitting.id, staff_id)
    for key, (last, first) in JUROR_NAMES.items():
        user_id = _named(session, last, first)
        role = key if key in ("chair", "deputy") else "member"
        juror = AwardJuror(contest_id=contest.id, user_id=user_id, role=role)
        session.add(juror)
        session.flush()
        scene.jurors[key], scene.juror_users[key] = juror.id, user_id
        if key in present:
            session.add(AwardAttendance(sitting_id=sitting.id, juror_id=juror.id))
    session.commit()
    for index, name in enumerate(SCORES):
        count = 3 if name == "Alpha" else 2
        ids = [
            _named(session, MEMBER_LAST_NAMES[i] if name == "Alpha" else f"{name}ов", f"Участник{i}")
            for i in range(count)
        ]
        team = AwardTeam(
            contest_id=contest.id,
            task_id=task.id,
            name=name,
            name_key=name.lower(),
            captain_id=ids[0],
            status="admitted",
            project_title=f"Проект {name}",
            created_at=T0 + timedelta(minutes=index),
        )
        session.add(team)
        session.flush()
        scene.teams[name], scene.members[name] = team.id, ids
        # Rows inserted last-joined first: the order of joining is by the answer, not the row.
        for position in reversed(range(count)):
            session.add(
                AwardMember(
                    contest_id=contest.id,
                    team_id=team.id,
                    user_id=ids[position],
                    status="member",
                    invited_at=T0,
                    answered_at=T0 + timedelta(hours=position + 1),
                )
            )
        for juror_key, (k1, k2) in SCORES[name].items():
            sheet = AwardSheet(
                juror_id=scene.jurors[juror_key],
                team_id=team.id,
                task_id=task.id,
                updated_at=T0,
                submitted_at=T0 + timedelta(days=1),
            )
            session.add(sheet)
            session.flush()
            session.add(AwardScore(sheet_id=sheet.id, criterion_id=criteria[0].id, score=k1))
            session.add(AwardScore(sheet_id=sheet.id, criterion_id=criteria[1].id, score=k2))
        total = sum(k1 + k2 for k1, k2 in SCORES[name].values())
        session.add(AwardStanding(task_id=task.id, team_id=team.id, total=total, place=PLACES[name]))
    # Sheets that do not count: a member who scored only one team (a partial set), and the member
    # who declared a conflict of interest in the task.
    for juror_key in ("deputy", "m3"):
        sheet = AwardSheet(
            juror_id=scene.jurors[juror_key],
            team_id=scene.teams["Alpha"],
            task_id=task.id,
            updated_at=T0,
            submitted_at=T0,
        )
        session.add(sheet)
        session.flush()
        session.add(AwardScore(sheet_id=sheet.id, criterion_id=criteria[0].id, score=10))
        session.add(AwardScore(sheet_id=sheet.id, criterion_id=criteria[1].id, score=10))
    session.add(
        AwardRecusal(
            juror_id=scene.jurors["m3"], task_id=task.id, team_id=scene.teams["Delta"], declared_at=T0
        )
    )
    tie = AwardTieRound(
        task_id=task.id,
        sitting_id=sitting.id,
        place=2,
        round=1,
        teams=f"{scene.teams['Bravo']},{scene.teams['Charlie']}",
        opened_at=T0 + timedelta(days=2),
        closed_at=T0 + timedelta(days=2, minutes=10),
        decided_team_id=scene.teams["Charlie"],
    )
    session.add(tie)
    session.flush()
    session.add(
        AwardTieVote(
            round_id=tie.id, juror_id=scene.jurors["chair"], team_id=scene.teams["Charlie"], voted_at=T0
        )
    )
    session.add(
        AwardTieVote(round_id=tie.id, juror_id=scene.jurors["m1"], team_id=scene.teams["Bravo"], voted_at=T0)
    )
    if open_tie:
        other = AwardTask(
            contest_id=contest.id, number=2, title="Умный двор", prize_1=1000, decided_sitting_id=sitting.id
        )
        session.add(other)
        session.flush()
        session.add(
            AwardTieRound(
                task_id=other.id,
                sitting_id=sitting.id,
                place=1,
                round=1,
                teams=f"{scene.teams['Bravo']},{scene.teams['Charlie']}",
                opened_at=T0,
            )
        )
    session.commit()
    scene.outsider_id = _named(session, "Посторонний", "Павел")
    return scene


# --- valid payout data (numbers with their control digits) -------------------------------------------


def _inn12(first10: str) -> str:
    w11, w12 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    d11 = sum(int(d) * w for d, w in zip(first10, w11, strict=True)) % 11 % 10
    d12 = sum(int(d) * w for d, w in zip(first10 + str(d11), w12, strict=True)) % 11 % 10
    return f"{first10}{d11}{d12}"


def _inn10(first9: str) -> str:
    w = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return f"{first9}{sum(int(d) * x for d, x in zip(first9, w, strict=True)) % 11 % 10}"


def _luhn(first: str) -> str:
    for last in "0123456789":
        if luhn_valid(first + last):
            return first + last
    raise AssertionError("no Luhn digit")


def _keyed(key_prefix: str, head: str, tail: str) -> str:
    """A 20-digit account ``head`` + key digit + ``tail`` whose key checks with ``key_prefix``."""
    for digit in "0123456789":
        account = f"{head}{digit}{tail}"
        if account_key_valid(key_prefix, account):
            return account
    raise AssertionError("no key digit")


BIK = "044525225"
ACCOUNT = _keyed(BIK[-3:], "40817810", "38291004417")
CORR = _keyed("0" + BIK[4:6], "30101810", "40000000225")
INN = _inn12("7707083893"[:10])
SNILS_HEAD = "112233445"
SNILS = f"{SNILS_HEAD}{snils_checksum(SNILS_HEAD) % 100:02d}"
CARD = _luhn("220070351234567")
BANK_INN = _inn10("770708389")
assert inn_valid(INN) and inn_valid(BANK_INN)


def payout_form(**overrides: str) -> dict[str, str]:
    """A complete, valid payout form (override a field to break it)."""
    form = {
        "full_name": "Альфин Участник Первый",
        "birth_date": "1990-04-12",
        "phone": "+79161234567",
        "passport_series": "4512",
        "passport_number": "987654",
        "passport_issued_by": "ГУ МВД России по г. Москве",
        "passport_issued_on": "2015-06-01",
        "registration_address": "г. Москва, ул. Тверская, д. 1, кв. 1",
        "inn": INN,
        "snils": SNILS,
        "card_number": CARD,
        "account": ACCOUNT,
        "bank_name": "ПАО Сбербанк",
        "bank_bik": BIK,
        "bank_inn": BANK_INN,
        "bank_kpp": "773601001",
        "bank_corr_account": CORR,
    }
    form.update(overrides)
    return form
