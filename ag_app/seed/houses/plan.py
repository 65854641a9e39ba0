"""Planning the demo houses: premises, areas, shares and holders (deterministic)."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from ag_app.domain.house_registry import HolderRow
from ag_app.seed.houses.cast import (
    _FEMALE_FIRST,
    _MALE_FIRST,
    _MALE_LAST,
    _PATRONYMIC,
    COMPANIES,
    DEMO_REF,
    MANAGER,
)


@dataclass(frozen=True)
class HouseSeedReport:
    """What the demo registry seed did (``created`` False when it was already there)."""

    created: bool
    seconds: float
    houses: int
    premises: int
    holders: int
    links: int


@dataclass
class _Person:
    ref: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date
    # A fixed ФЛС ("" = the next running number).
    account: str = ""


class _Plan:
    """Registry rows being planned, with running numbers for people, ФЛС and property numbers."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.rows: list[HolderRow] = []
        self.people = 0
        self.accounts = 0

    def person(self, *, female: bool | None = None, age: tuple[int, int] = (25, 85)) -> _Person:
        rng = self.rng
        self.people += 1
        female = rng.random() < 0.54 if female is None else female
        last = rng.choice(_MALE_LAST)
        patronymic = rng.choice(_PATRONYMIC)[1 if female else 0]
        if female:
            last = last + "а"
        birth = self.today - timedelta(days=rng.randint(age[0] * 365, age[1] * 365))
        first = rng.choice(_FEMALE_FIRST if female else _MALE_FIRST)
        return _Person(f"{DEMO_REF}{self.people:06d}", last, first, patronymic, birth)

    def account(self) -> str:
        self.accounts += 1
        return f"77{self.accounts:08d}"

    def add(
        self,
        house: tuple[str, str, str],
        premise: str,
        kind: str,
        area: Decimal,
        role: str,
        *,
        person: _Person | None = None,
        organisation: str = "",
        share: Fraction = Fraction(1),
        account: str = "",
        property_number: str = "",
    ) -> None:
        district, street, number = house
        legal = person is None
        self.rows.append(
            HolderRow(
                line=len(self.rows) + 2,
                district=district,
                street=street,
                house=number,
                premise=premise,
                premise_kind=kind,
                area_m2=area,
                role=role,
                person_kind="legal" if legal else "person",
                person_ref=f"{DEMO_REF}ORG-{organisation}"[:64] if legal else person.ref,
                last_name="" if legal else person.last_name,
                first_name="" if legal else person.first_name,
                patronymic="" if legal else person.patronymic,
                birth_date=None if legal else person.birth_date,
                organisation=organisation,
                share=share,
                account_number=account or self.account(),
                property_number=property_number,
            )
        )


def _area(rng: random.Random) -> Decimal:
    """An apartment's area by its number of rooms (1–4), in m² with two digits."""
    low, high = rng.choice(((31, 42), (31, 42), (44, 60), (44, 60), (62, 86), (90, 121)))
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _property_number(house_no: int, premise: str, n: int, year: int) -> str:
    return f"77:{house_no % 100:02d}:{house_no:07d}:{premise}-77/0{10 + house_no % 9}/{year}-{n}"


def _plan_house(
    plan: _Plan,
    house_no: int,
    house: tuple[str, str, str],
    apartments: int,
    fixed: dict[str, list[tuple[_Person, Fraction, str]]],
) -> None:
    """Premises and holders of one house; ``fixed`` apartments get the given holders (person, share, role)."""
    rng = plan.rng
    for n in range(1, apartments + 1):
        number = str(n)
        area = _area(rng)
        year = rng.randint(1995, 2025)
        if number in fixed:
            holders = fixed[number]
            owners_left = Fraction(0)
            if any(r == "social_tenant" for _p, _s, r in holders):
                plan.add(house, number, "apartment", area, "owner", organisation=MANAGER)
            else:
                owners_left = Fraction(1) - sum((s for _p, s, _r in holders), Fraction(0))
            for k, (person, share, role) in enumerate(holders, start=1):
                account = person.account or plan.account()
                prop = _property_number(house_no, number, k, year) if role == "owner" else ""
                plan.add(
                    house,
                    number,
                    "apartment",
                    area,
                    role,
                    person=person,
                    share=share,
                    account=account,
                    property_number=prop,
                )
                plan.add(house, number, "apartment", area, "resident", person=person, account=account)
            if owners_left > 0:
                partner = plan.person()
                plan.add(
                    house,
                    number,
                    "apartment",
                    area,
                    "owner",
                    person=partner,
                    share=owners_left,
                    property_number=_property_number(house_no, number, 9, year),
                )
            continue
        roll = rng.random()
        if roll < 0.08:
            # A city-owned apartment let under a social tenancy.
            plan.add(house, number, "apartment", area, "owner", organisation=MANAGER)
            tenant = plan.person(age=(30, 85))
            account = plan.account()
            plan.add(house, number, "apartment", area, "social_tenant", person=tenant, account=account)
            plan.add(house, number, "apartment", area, "resident", person=tenant, account=account)
            continue
        if roll < 0.20:
            shares = rng.choice(
                (
                    (Fraction(1, 2), Fraction(1, 2)),
                    (Fraction(1, 3), Fraction(2, 3)),
                    (Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)),
                )
            )
        else:
            shares = (Fraction(1),)
        for k, share in enumerate(shares, start=1):
            owner = plan.person()
            account = plan.account()
            plan.add(
                house,
                number,
                "apartment",
                area,
                "owner",
                person=owner,
                share=share,
                account=account,
                property_number=_property_number(house_no, number, k, year),
            )
            if rng.random() < 0.7:
                plan.add(house, number, "apartment", area, "resident", person=owner, account=account)
        if rng.random() < 0.4:
            plan.add(house, number, "apartment", area, "resident", person=plan.person(age=(0, 80)))
    for n in range(1, 1 + (0 if apartments < 60 else 1 if apartments < 200 else 3)):
        number = f"Н-{n}"
        area = Decimal(rng.randint(4_000, 32_000)) / 100
        company = COMPANIES[(house_no + n) % len(COMPANIES)]
        plan.add(
            house,
            number,
            "non_residential",
            area,
            "owner",
            organisation=company,
            property_number=_property_number(house_no, number, 1, rng.randint(2000, 2024)),
        )
