"""``ag-app bench house-polls``: anonymous participation in a house poll through the service layer.

Setup: one house with ``n`` apartments, each with a confirmed registry resident, an owner who
files a poll of three questions (single, multiple, single choice) and a moderator who approves it.
Measured: ``n`` participations one after another through
:func:`ag_app.services.house_polls.participate`, each in its own transaction (actor, visibility,
audience roles from the registry and the profile, once-only check, validation, participant row,
anonymous response and choices, counter) with every fourth participant leaving an apartment and a
comment. The floor inserts the same participant, response and choice rows for a second poll of the
same house with batched ``executemany`` — what the database itself needs to store them. Extra keys:
``results_ms`` (the initiator's view: results, participants, apartments and comments of all ``n``),
``setup_s``.
"""

import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from ag_app.bench.common import dialect_of, result, scratch_database
from ag_app.db import transaction
from ag_app.domain.house_polls import HousePollInput, HouseQuestionInput
from ag_app.domain.polls import AnswerInput
from ag_app.models import (
    District,
    House,
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
    Okrug,
    Premise,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
    UserRole,
)
from ag_app.services import house_polls

BATCH = 5000


def _user(i: int, now: datetime) -> dict:
    return {"uid": f"hp{i:010d}", "phone": f"+7915{i:07d}", "created_at": now, "terms_accepted_at": now}


def _arrange(engine: Engine, n: int, now: datetime) -> tuple[int, int, list[int]]:
    """The house, its ``n`` residents, the initiator and the moderator; returns (house, initiator, residents)."""
    with transaction(engine) as s:
        okrug = Okrug(name="Бенчмарк", abbrev="БНЧ")
        s.add(okrug)
        s.flush()
        district = District(okrug_id=okrug.id, name="Бенчмарк")
        s.add(district)
        s.flush()
        street = Street(district_id=district.id, name="улица Бенчмарк")
        s.add(street)
        s.flush()
        house = House(street_id=street.id, district_id=district.id, number="1")
        s.add(house)
        initiator = User(uid="hpinit", phone="+79150000000", created_at=now, terms_accepted_at=now)
        initiator.identity_verified_at = now
        moderator = User(uid="hpmod", phone="+79150000001", created_at=now, terms_accepted_at=now)
        s.add_all([initiator, moderator])
        s.flush()
        s.add(UserRole(user_id=moderator.id, role="moderator"))
        owner_premise = Premise(house_id=house.id, number="0", area_m2=Decimal("60.00"))
        s.add(owner_premise)
        s.flush()
        owner = PremiseHolder(
            premise_id=owner_premise.id, house_id=house.id, role="owner", person_ref="owner"
        )
        s.add(owner)
        s.flush()
        s.add(PremiseLink(holder_id=owner.id, user_id=initiator.id, method="account_number", linked_at=now))
        house_id, initiator_id = house.id, initiator.id
    numbers = list(range(2, n + 2))
    with transaction(engine) as s:
        conn = s.connection()
        for start in range(0, n, BATCH):
            chunk = numbers[start : start + BATCH]
            conn.execute(insert(User), [_user(i, now) for i in chunk])
            conn.execute(
                insert(Premise),
                [
                    {"house_id": house_id, "number": str(i), "kind": "apartment", "area_m2": Decimal("45.00")}
                    for i in chunk
                ],
            )
        users = list(s.execute(select(User.id).where(User.uid.like("hp0%")).order_by(User.id)).scalars())
        premises = list(
            s.execute(
                select(Premise.id)
                .where(Premise.house_id == house_id, Premise.number != "0")
                .order_by(Premise.id)
            ).scalars()
        )
        for start in range(0, n, BATCH):
            conn.execute(
                insert(PremiseHolder),
                [
                    {
                        "premise_id": premise_id,
                        "house_id": house_id,
                        "role": "resident",
                        "person_kind": "person",
                        "person_ref": f"r{premise_id}",
                        "share_numerator": 1,
                        "share_denominator": 1,
                    }
                    for premise_id in premises[start : start + BATCH]
                ],
            )
        holders = list(
            s.execute(
                select(PremiseHolder.id)
                .where(PremiseHolder.house_id == house_id, PremiseHolder.role == "resident")
                .order_by(PremiseHolder.id)
            ).scalars()
        )
        for start in range(0, n, BATCH):
            conn.execute(
                insert(PremiseLink),
                [
                    {"holder_id": h, "user_id": u, "method": "account_number", "linked_at": now}
                    for h, u in zip(holders[start : start + BATCH], users[start : start + BATCH], strict=True)
                ],
            )
    return house_id, initiator_id, users


def _open_poll(engine: Engine, house_id: int, initiator_id: int, now: datetime) -> int:
    data = HousePollInput(
        kind="poll",
        title="Бенчмарк: благоустройство двора",
        audience=frozenset({"owners", "residents"}),
        starts_at=now + timedelta(minutes=1),
        ends_at=now + timedelta(days=7),
        questions=[
            HouseQuestionInput("Что сделать первым?", "single", ["Площадку", "Парковку", "Сквер"]),
            HouseQuestionInput(
                "Что ещё нужно?", "multiple", ["Скамейки", "Освещение", "Урны", "Велопарковка"]
            ),
            HouseQuestionInput("Когда начать?", "single", ["Весной", "Летом"]),
        ],
    )
    with transaction(engine) as s:
        poll_id = house_polls.file_application(
            s, actor_id=initiator_id, house_id=house_id, data=data, now=now
        )
        moderator = s.execute(select(User.id).where(User.uid == "hpmod")).scalar_one()
        house_polls.approve(s, actor_id=moderator, poll_id=poll_id, now=now)
        poll = s.get(HousePoll, poll_id)
        poll.starts_at = now
        s.add(poll)
    return poll_id


def _answers(rng: random.Random, questions: list[house_polls.QuestionView]) -> list[AnswerInput]:
    picked = []
    for q in questions:
        ids = [o.id for o in q.options]
        chosen = rng.sample(ids, rng.randint(1, len(ids))) if q.kind == "multiple" else [rng.choice(ids)]
        picked.append(AnswerInput(question_id=q.id, option_ids=chosen))
    return picked


def _floor(
    engine: Engine, house_id: int, initiator_id: int, users: list[int], plans: list, now: datetime
) -> float:
    """Batched inserts of the same rows for a second poll (ids mapped by question and option position)."""
    poll_id = _open_poll(engine, house_id, initiator_id, now)
    with Session(engine) as s:
        position_of = {}
        for option_id, q_position, o_position in s.execute(
            select(HousePollOption.id, HousePollQuestion.position, HousePollOption.position).join(
                HousePollQuestion, HousePollQuestion.id == HousePollOption.question_id
            )
        ).all():
            position_of.setdefault((q_position, o_position), []).append(option_id)
    second = {key: max(ids) for key, ids in position_of.items()}
    first = {min(ids): key for key, ids in position_of.items()}
    participants = [{"poll_id": poll_id, "user_id": u} for u in users]
    responses, choices = [], []
    for answers, apartment, comment in plans:
        key = secrets.token_hex(16)
        responses.append(
            {"id": key, "poll_id": poll_id, "rating": "", "apartment": apartment, "comment": comment}
        )
        choices.extend(
            {"response_id": key, "option_id": second[first[o]]} for a in answers for o in a.option_ids
        )
    started = time.perf_counter()
    with transaction(engine) as s:
        conn = s.connection()
        for start in range(0, len(participants), BATCH):
            conn.execute(insert(HousePollParticipant), participants[start : start + BATCH])
            conn.execute(insert(HousePollResponse), responses[start : start + BATCH])
        for start in range(0, len(choices), BATCH):
            conn.execute(insert(HousePollChoice), choices[start : start + BATCH])
    return time.perf_counter() - started


def run(n: int, db_url: str | None) -> dict:
    """Run the bench on a scratch database and return the result object."""
    now = datetime.now(UTC)
    rng = random.Random(7)
    with scratch_database(db_url, label="housepolls") as engine:
        started = time.perf_counter()
        house_id, initiator_id, users = _arrange(engine, n, now)
        poll_id = _open_poll(engine, house_id, initiator_id, now)
        with transaction(engine) as s:
            questions = house_polls.get_house_poll(
                s, actor_id=initiator_id, poll_id=poll_id, now=now
            ).questions
        plans = [
            (_answers(rng, questions), str(i + 1) if i % 4 == 0 else "", "Комментарий" if i % 4 == 0 else "")
            for i in range(n)
        ]
        setup = time.perf_counter() - started
        latencies = []
        began = time.perf_counter()
        for user_id, (answers, apartment, comment) in zip(users, plans, strict=True):
            t0 = time.perf_counter()
            with transaction(engine) as s:
                house_polls.participate(
                    s,
                    actor_id=user_id,
                    poll_id=poll_id,
                    answers=answers,
                    apartment=apartment,
                    comment=comment,
                    now=now,
                )
            latencies.append((time.perf_counter() - t0) * 1000)
        seconds = time.perf_counter() - began
        t0 = time.perf_counter()
        with transaction(engine) as s:
            (view,) = house_polls.my_applications(s, actor_id=initiator_id, now=now)
        results_ms = (time.perf_counter() - t0) * 1000
        if view.participants != n or len(view.notes) != len([p for p in plans if p[2]]):
            raise RuntimeError(f"counted {view.participants} participants of {n}")
        floor = _floor(engine, house_id, initiator_id, users, plans, now)
        return result(
            name="house_polls_participation",
            n=n,
            seconds=seconds,
            latencies_ms=latencies,
            floor_seconds=floor,
            db=dialect_of(str(engine.url)),
            results_ms=round(results_ms, 1),
            setup_s=round(setup, 1),
        )
