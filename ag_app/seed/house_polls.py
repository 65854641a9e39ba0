"""Demo house polls of «Электронный дом» for the house of the demo resident (+79161234567).

Needs the house registry's demo data (premises and account links). For that house it creates, once:
an approved poll open now, an approved informing open now, an application waiting for moderation
and a finished poll with responses of the house's people (its results go to «Новости»). Without a
house with linked holders it does nothing. Deterministic: fixed texts, answers chosen by a seeded
generator; idempotent: a house that already has the demo titles is left alone.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from ag_app.domain.house_polls import (
    AUDIENCES,
    HousePollInput,
    HouseQuestionInput,
    initiator_roles,
    moderation_deadline,
    validate_application,
)
from ag_app.models import (
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
    PremiseHolder,
    PremiseLink,
    User,
    UserAddress,
    UserRole,
)
from ag_app.services.holdings import verified_holdings
from ag_app.services.house_polls.publishing import publish_finished_results

log = logging.getLogger(__name__)

DEMO_RESIDENT_PHONE = "+79161234567"
MODERATOR_PHONE = "+79990000002"
# Participants of the demo polls at most (the house's linked people, by user id).
MAX_PARTICIPANTS = 40
COMMENTS = (
    ("", "Спасибо, что спросили жителей."),
    ("7", "Прошу учесть мнение жителей первого подъезда."),
    ("", ""),
    ("21", ""),
    ("", "Лучше сделать это летом."),
)


@dataclass(frozen=True)
class _Plan:
    """One demo application: its input, when it was filed and whether/when it was decided."""

    data: HousePollInput
    filed_at: datetime
    decision: str
    # Share of the house's people who took part (0 for none).
    turnout: float


def _plans(now: datetime) -> list[_Plan]:
    day = timedelta(days=1)
    everyone = frozenset(AUDIENCES)
    return [
        _Plan(
            HousePollInput(
                kind="poll",
                title="Благоустройство двора в следующем году",
                message="Управляющая организация готовит план работ. Ответьте на два вопроса.",
                audience=frozenset({"owners", "residents"}),
                starts_at=now - 2 * day,
                ends_at=now + 12 * day,
                questions=[
                    HouseQuestionInput(
                        "Что сделать в первую очередь?",
                        "single",
                        ["Детскую площадку", "Парковку", "Озеленение"],
                    ),
                    HouseQuestionInput(
                        "Какие работы вы поддерживаете?",
                        "multiple",
                        ["Замена освещения", "Новые скамейки", "Велопарковка"],
                    ),
                ],
            ),
            now - 6 * day,
            "approved",
            0.3,
        ),
        _Plan(
            HousePollInput(
                kind="informing",
                title="Плановое отключение горячей воды",
                message="Горячей воды не будет с 10:00 до 18:00 в ближайшую среду: промывка системы.",
                audience=everyone,
                starts_at=now - day,
                ends_at=now + 6 * day,
            ),
            now - 4 * day,
            "approved",
            0.2,
        ),
        _Plan(
            HousePollInput(
                kind="poll",
                title="Установка шлагбаума на въезде во двор",
                audience=frozenset({"owners"}),
                starts_at=now + 7 * day,
                ends_at=now + 21 * day,
                questions=[
                    HouseQuestionInput("Нужен ли шлагбаум?", "single", ["Да", "Нет", "Затрудняюсь ответить"])
                ],
            ),
            now - day,
            "",
            0.0,
        ),
        _Plan(
            HousePollInput(
                kind="poll",
                title="График уборки подъездов",
                audience=everyone,
                starts_at=now - 30 * day,
                ends_at=now - 16 * day,
                questions=[
                    HouseQuestionInput(
                        "Как часто мыть полы в подъезде?",
                        "single",
                        ["Ежедневно", "Через день", "Два раза в неделю"],
                    )
                ],
            ),
            now - 35 * day,
            "approved",
            0.6,
        ),
    ]


def _demo_house(session: Session, resident: User) -> int | None:
    """The demo resident's house in the registry: of a confirmed premise, else of a home address
    whose house has linked holders."""
    holdings = verified_holdings(session, resident.id)
    if holdings:
        return holdings[0].house_id
    for house_id in session.exec(
        select(UserAddress.house_id)
        .where(UserAddress.user_id == resident.id, col(UserAddress.kind).in_(("registration", "residence")))
        .order_by(col(UserAddress.kind))
    ).all():
        linked = session.exec(
            select(func.count())
            .select_from(PremiseLink)
            .join(PremiseHolder, col(PremiseHolder.id) == PremiseLink.holder_id)
            .where(PremiseHolder.house_id == house_id)
        ).one()
        if linked:
            return house_id
    return None


def _people(session: Session, house_id: int) -> list[int]:
    """Users linked to the house's registry rows, by id."""
    return list(
        session.exec(
            select(PremiseLink.user_id)
            .join(PremiseHolder, col(PremiseHolder.id) == PremiseLink.holder_id)
            .where(PremiseHolder.house_id == house_id)
            .distinct()
            .order_by(col(PremiseLink.user_id))
        ).all()
    )


def _initiator(session: Session, house_id: int, people: list[int], resident: User) -> tuple[int, str] | None:
    """A linked person of the house who may file (a verified owner or registered resident), the demo
    resident first; with the role they file as."""
    for user_id in sorted(people, key=lambda u: (u != resident.id, u)):
        user = session.get(User, user_id)
        if user is None or user.identity_verified_at is None:
            continue
        kinds = session.exec(
            select(UserAddress.kind).where(UserAddress.user_id == user_id, UserAddress.house_id == house_id)
        ).all()
        roles = initiator_roles(
            registry_roles={h.role for h in verified_holdings(session, user_id, house_id)},
            address_kinds=kinds,
        )
        for role in ("owner", "registered_resident"):
            if role in roles:
                return user_id, role
    return None


def _write(
    session: Session,
    plan: _Plan,
    *,
    house_id: int,
    initiator: tuple[int, str],
    moderator_id: int | None,
    participants: list[int],
    rng: random.Random,
) -> None:
    data = validate_application(plan.data, now=plan.data.starts_at)
    poll = HousePoll(
        house_id=house_id,
        kind=data.kind,
        title=data.title,
        message=data.message,
        audience=",".join(key for key in AUDIENCES if key in data.audience),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        initiator_id=initiator[0],
        initiator_role=initiator[1],
        filed_at=plan.filed_at,
        moderation_due_at=moderation_deadline(plan.filed_at),
        decision=plan.decision,
        decided_at=plan.filed_at + timedelta(days=1) if plan.decision else None,
        moderator_id=moderator_id if plan.decision else None,
        participants_count=len(participants),
    )
    session.add(poll)
    session.flush()
    options: list[list[HousePollOption]] = []
    for position, question_input in enumerate(data.questions, start=1):
        question = HousePollQuestion(
            poll_id=poll.id, position=position, text=question_input.text, kind=question_input.kind
        )
        session.add(question)
        session.flush()
        rows = [
            HousePollOption(question_id=question.id, position=n, text=text)
            for n, text in enumerate(question_input.options, start=1)
        ]
        session.add_all(rows)
        session.flush()
        options.append(rows)
    session.add_all(HousePollParticipant(poll_id=poll.id, user_id=user_id) for user_id in participants)
    for n in range(len(participants)):
        apartment, comment = COMMENTS[n % len(COMMENTS)] if n < 2 * len(COMMENTS) else ("", "")
        response = HousePollResponse(
            id=f"{rng.getrandbits(128):032x}",
            poll_id=poll.id,
            rating=rng.choice(("like", "like", "dislike")) if data.kind == "informing" else "",
            apartment=apartment,
            comment=comment,
        )
        session.add(response)
        session.flush()
        if response.rating == "like":
            poll.likes += 1
        elif response.rating == "dislike":
            poll.dislikes += 1
        for question_input, rows in zip(data.questions, options, strict=True):
            picked = (
                rng.sample(rows, rng.randint(1, len(rows)))
                if question_input.kind == "multiple"
                else [rng.choice(rows)]
            )
            for option in picked:
                option.votes += 1
                session.add(HousePollChoice(response_id=response.id, option_id=option.id))
    session.add(poll)
    session.add_all(row for rows in options for row in rows)
    session.flush()


def seed_house_polls(session: Session, *, now: datetime) -> int:
    """Create the demo house polls (see the module docstring); returns how many were created."""
    resident = session.exec(select(User).where(User.phone == DEMO_RESIDENT_PHONE)).first()
    house_id = _demo_house(session, resident) if resident is not None else None
    if house_id is None:
        return 0
    plans = _plans(now)
    existing = session.exec(
        select(func.count())
        .select_from(HousePoll)
        .where(HousePoll.house_id == house_id, col(HousePoll.title).in_([p.data.title for p in plans]))
    ).one()
    people = _people(session, house_id)
    initiator = _initiator(session, house_id, people, resident)
    if existing or initiator is None:
        return 0
    moderator_id = session.exec(
        select(User.id)
        .join(UserRole, col(UserRole.user_id) == User.id)
        .where(User.phone == MODERATOR_PHONE, UserRole.role == "moderator")
    ).first()
    rng = random.Random(f"house-polls:{house_id}")
    # The demo resident is left out of the open ones, so they can take part themselves.
    others = [u for u in people if u != resident.id][:MAX_PARTICIPANTS]
    for plan in plans:
        chosen = sorted(rng.sample(others, round(len(others) * plan.turnout))) if plan.turnout else []
        if plan.data.ends_at <= now and resident.id in people:
            chosen = sorted({*chosen, resident.id})
        _write(
            session,
            plan,
            house_id=house_id,
            initiator=initiator,
            moderator_id=moderator_id,
            participants=chosen,
            rng=rng,
        )
    publish_finished_results(session, now=now)
    log.info("Опросы «Электронного дома» для дома %s созданы: %d", house_id, len(plans))
    return len(plans)
