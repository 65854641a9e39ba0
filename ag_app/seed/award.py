"""The shipped demo of the award contest «Лидеры цифровой трансформации» (2026), replayed through
its use cases at instants before the seed runs.

Four tasks and about forty teams of two to five demo residents (the third task full, one team
withdrawn, one refused), a commission of nine — a chair, the member the chair's powers pass to and
seven members in two expert groups — with one conflict of interest. The first task was decided at a
sitting ten days ago: two teams tied for the first place, the present members split their open vote
evenly and the chair's vote decided; the chair approved the protocol, so the payouts run. The second
task is being scored.

Demo logins: +7 916 123-45-68 captains the winning team of the first task (diploma, payout form);
+7 999 000-00-13 is a jury member with sheets still to fill in the second task; +7 999 000-00-11 chairs
the commission.
"""

import logging
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from ag_app.domain.award import TEAM_MIN
from ag_app.domain.clock import MOSCOW, moscow_date
from ag_app.models import AwardContest, AwardCriterion, AwardMember, AwardTask, AwardTieRound, User, UserRole
from ag_app.seed.people import DEMO_LOGINS
from ag_app.services.award import approval, commission, contests, results, review, scoring, teams, ties
from ag_app.services.award.contests import ContestConfig, CriterionSpec, TaskSpec
from ag_app.services.registry import number_region

log = logging.getLogger(__name__)

YEAR = 2026
CAPTAIN_PHONE = "+79161234568"
CHAIR_PHONE = "+79990000011"
DEPUTY_PHONE = "+79990000012"
JUROR_PHONE = "+79990000013"

# The logins the banner and the README name for the contest.
AWARD_LOGINS = (
    (CAPTAIN_PHONE, "Премия: капитан коллектива-победителя задачи 1 (диплом, данные для выплаты)"),
    (JUROR_PHONE, "Премия: член комиссии, оценивает проекты задачи 2 (/awards/jury)"),
    (CHAIR_PHONE, "Премия: председатель комиссии (/awards/approval)"),
)


@dataclass(frozen=True)
class DemoJuror:
    """A fixed demo account of the commission."""

    phone: str
    role: str
    last_name: str
    first_name: str
    patronymic: str
    # The expert group: the task numbers the member scores.
    tasks: tuple[int, ...] = ()


JURORS: tuple[DemoJuror, ...] = (
    DemoJuror(CHAIR_PHONE, "chair", "Кузнецов", "Михаил", "Андреевич"),
    DemoJuror(DEPUTY_PHONE, "deputy", "Орлова", "Екатерина", "Викторовна"),
    DemoJuror(JUROR_PHONE, "member", "Зайцев", "Игорь", "Петрович", (1, 2)),
    DemoJuror("+79990000014", "member", "Белова", "Наталья", "Сергеевна", (1, 2)),
    DemoJuror("+79990000015", "member", "Григорьев", "Денис", "Олегович", (1, 2)),
    DemoJuror("+79990000016", "member", "Фёдорова", "Ольга", "Ивановна", (1, 2)),
    DemoJuror("+79990000017", "member", "Никитин", "Роман", "Алексеевич", (3, 4)),
    DemoJuror("+79990000018", "member", "Соловьёва", "Анна", "Дмитриевна", (3, 4)),
    DemoJuror("+79990000019", "member", "Тимофеев", "Артём", "Юрьевич", (3, 4)),
)
# The member of the first task's group with a conflict of interest (a former colleague of a team).
RECUSED_PHONE = "+79990000016"

TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        1,
        "Цифровой помощник для управляющих компаний",
        "Сервис, который по обращениям жителей и данным датчиков планирует работы в доме и сообщает "
        "жителям сроки. Прототип должен принимать обращение, назначать исполнителя и показывать статус.",
        team_cap=12,
        prizes=(100_000_000, 60_000_000, 40_000_000),
    ),
    TaskSpec(
        2,
        "Прогноз пассажиропотока городского транспорта",
        "Модель, прогнозирующая загрузку остановок и маршрутов на час вперёд по открытым данным, "
        "и интерфейс диспетчера с рекомендациями по выпуску подвижного состава.",
        prizes=(100_000_000, 60_000_000, 40_000_000),
    ),
    TaskSpec(
        3,
        "Запись к врачу для маломобильных граждан",
        "Доступный сервис записи с голосовым вводом, вызовом социального такси и напоминаниями "
        "родственникам; соответствие требованиям доступности для незрячих пользователей.",
        team_cap=10,
        prizes=(80_000_000, 50_000_000, 30_000_000),
    ),
    TaskSpec(
        4,
        "Качество городской среды по фотографиям",
        "Распознавание дефектов благоустройства (ямы, сломанные скамейки, граффити) по фотографиям "
        "жителей и автоматическое создание заявки в нужную службу.",
        prizes=(80_000_000, 50_000_000, 30_000_000),
    ),
)

CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        1, "Техническая реализация", 10, "Работоспособность прототипа, качество кода и архитектуры."
    ),
    CriterionSpec(2, "Соответствие задаче", 10, "Насколько решение закрывает поставленную задачу."),
    CriterionSpec(
        3, "Применимость в городе", 10, "Готовность к внедрению, масштабируемость, эффекты для жителей."
    ),
    CriterionSpec(4, "Презентация и документация", 5, "Понятность описания, инструкции, демонстрация."),
)

# Team names per task (Latin letters allowed, seed 3.5); the first team of task 1 is the demo captain's.
TEAM_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "Домовой",
        "ByteCraft",
        "Городские решения",
        "SmartHome Lab",
        "Ключ",
        "Vector",
        "Кварталы",
        "DataDom",
        "Сервисный центр",
        "OpenHouse",
    ),
    (
        "Пересадка",
        "TransitAI",
        "Маршрут",
        "Flowmetrics",
        "Час пик",
        "Metro Minds",
        "Остановка",
        "RouteCast",
        "Вагон",
        "MobilityHub",
        "Кольцо",
    ),
    (
        "Доступная среда",
        "CareLink",
        "Запись+",
        "Голос",
        "MedRoute",
        "Рядом",
        "HelpDesk 60+",
        "Забота",
        "Navigator",
        "Вместе",
    ),
    (
        "Благоустройство",
        "PhotoFix",
        "Яма.нет",
        "UrbanEye",
        "Скамейка",
        "CityScan",
        "Двор",
        "StreetAI",
        "Чистый город",
    ),
)
# Team sizes cycle through these (two to five members); the first team of the second task has two.
SIZES = (3, 4, 2, 5, 3, 4, 3, 2, 5, 4, 3)
# A city too small to give every task this many teams gets no demo contest.
MIN_TEAMS = 4

PROJECT_WORDS = {
    1: ("Платформа заявок жителей", "Диспетчер работ в доме", "Бот управляющей компании"),
    2: ("Прогноз загрузки маршрутов", "Модель пассажиропотока", "Панель диспетчера транспорта"),
    3: ("Голосовая запись к врачу", "Сервис сопровождения пациентов", "Помощник записи для незрячих"),
    4: ("Распознавание дефектов двора", "Фотозаявки в службы города", "Карта состояния благоустройства"),
}
TECHNOLOGIES = (
    "Python, FastAPI, PostgreSQL, React",
    "Go, Kafka, ClickHouse, Vue",
    "Kotlin, Spring, PostgreSQL, Android",
    "Python, PyTorch, ONNX, Redis",
    "TypeScript, NestJS, PostgreSQL",
)


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=MOSCOW).astimezone(UTC)


def _jury_accounts(session: Session, now: datetime, rng: random.Random) -> dict[str, int]:
    """The commission's demo accounts (created once): phone → user id."""
    ids: dict[str, int] = {}
    for juror in JURORS:
        user = session.exec(select(User).where(User.phone == juror.phone)).first()
        if user is None:
            user = User(
                uid=f"{rng.getrandbits(64):016x}",
                phone=juror.phone,
                phone_region=number_region(session, phone=juror.phone),
                created_at=now - timedelta(days=120),
                terms_accepted_at=now - timedelta(days=120),
                last_name=juror.last_name,
                first_name=juror.first_name,
                patronymic=juror.patronymic,
                birth_date=date(1965 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            )
            session.add(user)
            session.flush()
        ids[juror.phone] = user.id
    return ids


def _team_plan(captain: User, people: list[User]) -> list[tuple[int, int, str, User, list[User]]]:
    """Who forms which team: (task number, index in the task, name, captain, invited members).

    Teams are taken a round at a time across the tasks (the first of each task, then the second …)
    while the residents last; the demo captain leads the first team of the first task, of three.
    """
    plan = []
    pool = iter(people)
    rounds = max(len(names) for names in TEAM_NAMES)
    for index in range(rounds):
        for number, names in enumerate(TEAM_NAMES, start=1):
            if index >= len(names):
                continue
            first = (number, index) == (1, 0)
            size = 3 if first else SIZES[(index + number) % len(SIZES)]
            team = ([] if first else [next(pool, None)]) + [next(pool, None) for _ in range(size - 1)]
            if None in team:
                return plan
            lead, *members = [captain, *team] if first else team
            plan.append((number, index, names[index], lead, members))
    return plan


def _participants(session: Session, needed: int, born_by: date, exclude: set[str]) -> list[User]:
    """Adult demo residents with a name, in id order, none of the fixed demo accounts."""
    staff = select(UserRole.user_id)
    rows = session.exec(
        select(User)
        .where(
            User.first_name != "",
            User.last_name != "",
            col(User.birth_date).is_not(None),
            col(User.birth_date) <= born_by,
            col(User.phone).not_in(exclude),
            col(User.id).not_in(staff),
            col(User.deactivated_at).is_(None),
        )
        .order_by(User.id)
        .limit(needed)
    ).all()
    return list(rows)


def seed_award(session: Session, *, now: datetime, seed: int = 2026) -> bool:
    """The demo contest, replayed in the caller's transaction (False when it exists)."""
    if session.exec(select(AwardContest.id).where(AwardContest.year == YEAR)).first() is not None:
        return False
    rng = random.Random(seed * 16 + 1)
    staff_id = session.exec(select(User.id).where(User.phone == DEMO_LOGINS[0].phone)).one()
    today = moscow_date(now)
    opens, closes = _at(today - timedelta(days=75), 10), _at(today - timedelta(days=40), 0)
    config = ContestConfig(
        year=YEAR,
        title="Премии Мэра Москвы «Лидеры цифровой трансформации» 2026",
        description=(
            "Конкурс для команд разработчиков от двух до пяти человек: прототип цифрового сервиса для "
            "одной из задач города. Проекты оценивает комиссия по утверждённым критериям; победитель и "
            "призёры каждой задачи получают премию, которая делится поровну между участниками команды."
        ),
        apply_opens_at=opens,
        apply_closes_at=closes,
        tasks=TASKS,
        criteria=CRITERIA,
    )
    exclude = {login.phone for login in DEMO_LOGINS} | {juror.phone for juror in JURORS}
    people = _participants(session, 200, date(today.year - 19, today.month, 1), exclude)
    captain = session.exec(select(User).where(User.phone == CAPTAIN_PHONE)).one()
    plan = _team_plan(captain, people)
    if min((sum(1 for p in plan if p[0] == t.number) for t in TASKS), default=0) < MIN_TEAMS:
        log.info("Премия: в демо-городе мало взрослых жителей для коллективов, конкурс не создан.")
        return False
    jury = _jury_accounts(session, now, rng)
    contest_id = contests.create_contest(
        session, actor_id=staff_id, config=config, now=opens - timedelta(days=3)
    )
    task_ids = {
        t.number: t.id
        for t in session.exec(select(AwardTask).where(AwardTask.contest_id == contest_id)).all()
    }
    criteria = {
        c.number: c
        for c in session.exec(select(AwardCriterion).where(AwardCriterion.contest_id == contest_id))
    }

    # Teams: the captain creates the team, invites by phone, the invitees accept, a member applies.
    team_ids: dict[int, list[int]] = {}
    for number, index, name, lead, members in plan:
        at = opens + timedelta(days=1 + index * 2, hours=number)
        team_id = teams.create_team(
            session, actor_id=lead.id, contest_id=contest_id, name=name, task_id=task_ids[number], now=at
        )
        for k, member in enumerate(members):
            invitation = teams.invite(session, actor_id=lead.id, team_id=team_id, phone=member.phone, now=at)
            teams.accept(
                session, actor_id=member.id, invitation_id=invitation, now=at + timedelta(hours=k + 1)
            )
        words = PROJECT_WORDS[number]
        teams.submit_application(
            session,
            actor_id=lead.id,
            team_id=team_id,
            title=f"{words[index % len(words)]} «{name}»",
            prototype_url=f"https://demo.example.org/lct-2026/{number}-{index + 1}",
            description=(
                f"{words[index % len(words)]}: прототип решения задачи «{TASKS[number - 1].title}». "
                "Работающий образец, описание архитектуры, используемых данных и порядка внедрения."
            ),
            technologies=TECHNOLOGIES[(number + index) % len(TECHNOLOGIES)],
            now=at + timedelta(days=1),
        )
        team_ids.setdefault(number, []).append(team_id)

    # One team withdraws (a member of a two-person team leaves), one application is refused.
    withdrawn = next(t for t in team_ids[2] if teams.team_size(session, t) == TEAM_MIN)
    leaver = session.exec(
        select(User)
        .join(AwardMember, AwardMember.user_id == User.id)
        .where(AwardMember.team_id == withdrawn, AwardMember.status == "member")
        .order_by(col(AwardMember.id).desc())
    ).first()
    teams.leave(session, actor_id=leaver.id, team_id=withdrawn, now=closes - timedelta(days=5))
    refused = team_ids[4][-1]
    reviewed = closes + timedelta(days=2)
    review.refuse(
        session,
        actor_id=staff_id,
        team_id=refused,
        reason="Прототип недоступен по указанной ссылке, описание не раскрывает порядок решения задачи.",
        now=reviewed,
    )
    for ids in team_ids.values():
        for team_id in ids:
            if team_id not in (withdrawn, refused):
                review.admit(session, actor_id=staff_id, team_id=team_id, now=reviewed)
    review.publish_admitted(
        session, actor_id=staff_id, contest_id=contest_id, now=reviewed + timedelta(hours=2)
    )

    # The commission, its expert groups and one conflict of interest.
    juror_ids: dict[str, int] = {}
    for juror in JURORS:
        juror_ids[juror.phone] = commission.add_juror(
            session, actor_id=staff_id, contest_id=contest_id, phone=juror.phone, role=juror.role
        )
        for number in juror.tasks:
            commission.assign(
                session, actor_id=staff_id, juror_id=juror_ids[juror.phone], task_id=task_ids[number]
            )
    scoring_at = reviewed + timedelta(days=3)
    scoring.declare_recusal(
        session,
        actor_id=jury[RECUSED_PHONE],
        team_id=team_ids[1][3],
        note="Ранее работала вместе с участником команды.",
        now=scoring_at,
    )

    # Task 1: every sheet submitted; the demo captain's team and a second one tie for the first place.
    admitted_1 = [t for t in team_ids[1] if t not in (withdrawn, refused)]
    scorers_1 = [j.phone for j in JURORS if 1 in j.tasks and j.phone != RECUSED_PHONE]
    sheets = _task_one_sheets(rng, admitted_1, scorers_1, criteria)
    for (phone, team_id), scores in sheets.items():
        scoring.save_sheet(
            session,
            actor_id=jury[phone],
            team_id=team_id,
            scores=scores,
            comment="",
            submit=True,
            now=scoring_at + timedelta(days=1),
        )
    # Task 2: being scored — the demo jury member has not started; two others have submitted.
    for phone in scorers_1:
        if phone == JUROR_PHONE:
            continue
        for team_id in team_ids[2]:
            if team_id == withdrawn:
                continue
            scores = {c.id: rng.randint(max(1, c.max_score // 3), c.max_score) for c in criteria.values()}
            scoring.save_sheet(
                session,
                actor_id=jury[phone],
                team_id=team_id,
                scores=scores,
                comment="",
                submit=True,
                now=scoring_at + timedelta(days=2),
            )

    # The sitting (ten days ago, in person, seven of nine present): results, the tie vote, approval.
    held = today - timedelta(days=10)
    present_phones = [j.phone for j in JURORS if j.phone not in ("+79990000018", "+79990000019")]
    sitting_at = _at(held, 11)
    sitting_id = commission.create_sitting(
        session,
        actor_id=staff_id,
        contest_id=contest_id,
        held_on=held,
        form="in_person",
        present=[juror_ids[p] for p in present_phones],
        now=sitting_at,
    )
    results.compute(session, actor_id=staff_id, sitting_id=sitting_id, task_id=task_ids[1], now=sitting_at)
    tie = session.exec(
        select(AwardTieRound).where(
            AwardTieRound.task_id == task_ids[1], col(AwardTieRound.closed_at).is_(None)
        )
    ).one()
    first, second = ties.team_ids(tie)
    # Open vote: the recused member does not vote; the other six split three to three and the
    # chair's vote, for the captain's team, decides.
    voters = [p for p in present_phones if p != RECUSED_PHONE]
    winner = admitted_1[0]
    other = second if winner == first else first
    for_winner = {CHAIR_PHONE, "+79990000014", "+79990000017"}
    for k, phone in enumerate(voters):
        ties.cast_vote(
            session,
            actor_id=jury[phone],
            round_id=tie.id,
            team_id=winner if phone in for_winner else other,
            now=sitting_at + timedelta(minutes=20 + k),
        )
    approval.approve_sitting(
        session, actor_id=jury[CHAIR_PHONE], sitting_id=sitting_id, now=sitting_at + timedelta(hours=2)
    )
    return True


def _task_one_sheets(
    rng: random.Random, team_ids: list[int], scorers: list[str], criteria: dict[int, AwardCriterion]
) -> dict[tuple[str, int], dict[int, int]]:
    """Sheets of the first task: the first two teams share the best total (the tie the demo votes on),
    the others score lower with distinct totals at the prize places."""
    ordered = [criteria[n] for n in sorted(criteria)]
    top = [c.max_score - 1 for c in ordered]
    sheets: dict[tuple[str, int], dict[int, int]] = {}
    for phone in scorers:
        for position, team_id in enumerate(team_ids):
            if position < 2:
                values = list(top)
                # The same total, spread differently over the criteria.
                if position == 1:
                    values[0], values[1] = values[0] + 1, values[1] - 1
            else:
                values = [rng.randint(max(1, c.max_score // 3), c.max_score - 3) for c in ordered]
            sheets[phone, team_id] = {c.id: v for c, v in zip(ordered, values, strict=True)}
    totals = {t: sum(sum(sheets[p, t].values()) for p in scorers) for t in team_ids[2:]}
    best = max(totals.values())
    third = [t for t in team_ids[2:] if totals[t] == best]
    # A clear third place: the first of the best others gets one more point on its first sheet.
    if len(third) > 1:
        sheet = sheets[scorers[0], third[0]]
        criterion = ordered[-1]
        if sheet[criterion.id] < criterion.max_score:
            sheet[criterion.id] += 1
        else:
            sheet[ordered[0].id] += 1
    return sheets
