"""Builders for owners' meeting tests: house registry rows, verified owners, an enabled house and a
meeting (plain rows; the registry import belongs to another feature)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from ag_app.domain.meetings import AgendaItem, MeetingInput
from ag_app.models import (
    HouseOrganisation,
    Meeting,
    MeetingHouse,
    MeetingQuestion,
    Premise,
    PremiseHolder,
    PremiseLink,
    User,
)
from tests.factories import T0, make_user

DAY = timedelta(days=1)


@dataclass
class HouseRegistry:
    """A house's premises and owners as created: premise ids by number, holder ids by (number, ref)."""

    house_id: int
    premises: dict[str, int] = field(default_factory=dict)
    holders: dict[tuple[str, str], int] = field(default_factory=dict)


def make_registry(
    session: Session, house_id: int, premises: list[tuple[str, str, list[tuple[str, int, int]]]]
) -> HouseRegistry:
    """Premises ``(number, area, [(person_ref, share numerator, share denominator), …])`` of a house."""
    registry = HouseRegistry(house_id=house_id)
    for number, area, owners in premises:
        premise = Premise(house_id=house_id, number=number, area_m2=Decimal(area))
        session.add(premise)
        session.flush()
        registry.premises[number] = premise.id
        for ref, numerator, denominator in owners:
            holder = PremiseHolder(
                premise_id=premise.id,
                house_id=house_id,
                role="owner",
                person_ref=ref,
                last_name=f"Собственник-{ref}",
                first_name="Пётр",
                patronymic="Ильич",
                share_numerator=numerator,
                share_denominator=denominator,
            )
            session.add(holder)
            session.flush()
            registry.holders[(number, ref)] = holder.id
    session.commit()
    return registry


def make_owner(session: Session, registry: HouseRegistry, ref: str, *, verified: bool = True) -> User:
    """A user linked to every premise ``ref`` owns in the house; level 3 unless ``verified=False``."""
    user = make_user(session)
    if verified:
        user.identity_verified_at = T0
        session.add(user)
    for (_, holder_ref), holder_id in registry.holders.items():
        if holder_ref == ref:
            session.add(
                PremiseLink(holder_id=holder_id, user_id=user.id, method="account_number", linked_at=T0)
            )
    session.commit()
    return user


def enable(session: Session, house_id: int, staff_id: int) -> None:
    """Put a house into the register of houses enabled for online meetings."""
    session.add(
        MeetingHouse(house_id=house_id, inspection_protocol="МЖИ № 1", recorded_by=staff_id, recorded_at=T0)
    )
    session.commit()


def make_management(session: Session, house_id: int) -> User:
    """A user recorded as the house's management company."""
    user = make_user(session)
    session.add(
        HouseOrganisation(
            house_id=house_id,
            user_id=user.id,
            role="management_company",
            name="ГБУ «Жилищник»",
            created_at=T0,
        )
    )
    session.commit()
    return user


def meeting_input(now: datetime, **changes) -> MeetingInput:
    """A valid application: three questions, voting from 11 to 25 days after ``now``."""
    data = MeetingInput(
        agenda=[
            AgendaItem("Избрать председателя и секретаря собрания.", "organisational"),
            AgendaItem("Провести капитальный ремонт крыши в 2027 году.", "capital_repair"),
            AgendaItem("Утвердить план текущего ремонта подъездов.", "current_repair"),
        ],
        starts_at=now + 11 * DAY,
        ends_at=now + 25 * DAY,
        in_person_address="г. Москва, улица Арбат, д. 1, помещение совета дома",
    )
    return MeetingInput(**{**data.__dict__, **changes})


def active_meeting(
    session: Session, *, house_id: int, initiator_id: int, now: datetime, questions: int = 3
) -> Meeting:
    """A meeting open now (notified 12 days ago, ending in 5 days), rows written directly."""
    meeting = Meeting(
        house_id=house_id,
        initiator_id=initiator_id,
        initiator_kind="owner",
        notified_at=now - 12 * DAY,
        starts_at=now - DAY,
        ends_at=now + 5 * DAY,
        in_person_address="г. Москва, улица Арбат, д. 1",
    )
    session.add(meeting)
    session.flush()
    topics = ["organisational", "capital_repair", "current_repair", "other", "common_property"]
    for position in range(1, questions + 1):
        topic = topics[(position - 1) % len(topics)]
        threshold = (
            "two_thirds_of_all"
            if topic in ("capital_repair", "common_property")
            else "majority_of_participants"
        )
        session.add(
            MeetingQuestion(
                meeting_id=meeting.id,
                position=position,
                text=f"Вопрос номер {position}",
                topic=topic,
                threshold=threshold,
            )
        )
    session.commit()
    return meeting
