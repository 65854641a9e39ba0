"""The demo city's address registry: Moscow's 12 okrugs, its 125 «районы», a few «поселения», streets, houses.

Okrugs and districts carry their real names. Every district gets the 2–3 real streets of
``data/moscow_districts.csv``; the house numbers on them are demo data (5–10 per street, derived from a
random generator seeded by the street, so they never depend on anything else).
"""

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, insert, select

from ag_app.models import District, House, Okrug, Street

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_CSV = DATA_DIR / "moscow_districts.csv"

# District kinds of the CSV: the ten okrugs of old Moscow consist of «районы», НАО and ТАО of «поселения».
KIND_RAION = "район"
KIND_POSELENIE = "поселение"


@dataclass(frozen=True)
class OkrugInfo:
    """An administrative okrug: abbreviation, full name and its prepositional form («в … округе»)."""

    abbrev: str
    name: str
    prepositional: str


OKRUGS: tuple[OkrugInfo, ...] = (
    OkrugInfo("ЦАО", "Центральный административный округ", "Центральном административном округе"),
    OkrugInfo("САО", "Северный административный округ", "Северном административном округе"),
    OkrugInfo("СВАО", "Северо-Восточный административный округ", "Северо-Восточном административном округе"),
    OkrugInfo("ВАО", "Восточный административный округ", "Восточном административном округе"),
    OkrugInfo("ЮВАО", "Юго-Восточный административный округ", "Юго-Восточном административном округе"),
    OkrugInfo("ЮАО", "Южный административный округ", "Южном административном округе"),
    OkrugInfo("ЮЗАО", "Юго-Западный административный округ", "Юго-Западном административном округе"),
    OkrugInfo("ЗАО", "Западный административный округ", "Западном административном округе"),
    OkrugInfo("СЗАО", "Северо-Западный административный округ", "Северо-Западном административном округе"),
    OkrugInfo("ЗелАО", "Зеленоградский административный округ", "Зеленоградском административном округе"),
    OkrugInfo("НАО", "Новомосковский административный округ", "Новомосковском административном округе"),
    OkrugInfo("ТАО", "Троицкий административный округ", "Троицком административном округе"),
)


@dataclass(frozen=True)
class DistrictInfo:
    """A row of ``moscow_districts.csv``."""

    okrug: str
    kind: str
    name: str
    # Approximate population in thousands: only used to spread demo residents plausibly.
    population_k: int
    streets: tuple[str, ...]


@lru_cache
def load_districts() -> tuple[DistrictInfo, ...]:
    """The districts of the shipped CSV (125 «районы» and a few «поселения» of НАО and ТАО)."""
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            DistrictInfo(
                okrug=row["okrug"],
                kind=row["kind"],
                name=row["district"],
                population_k=int(row["population_k"]),
                streets=tuple(row["streets"].split("|")),
            )
            for row in csv.DictReader(handle)
        )


def house_numbers(district: str, street: str, *, seed: int) -> list[str]:
    """5–10 distinct demo house numbers of a street («3», «12к2», «15с1»), the same on every run."""
    rng = random.Random(f"{seed}:house:{district}:{street}")
    count = rng.randint(5, 10)
    numbers: list[str] = []
    for base in sorted(rng.sample(range(1, 90), count)):
        roll = rng.random()
        if roll < 0.15:
            numbers.append(f"{base}к{rng.randint(1, 3)}")
        elif roll < 0.22:
            numbers.append(f"{base}с1")
        else:
            numbers.append(str(base))
    return numbers


def _house_key(number: str) -> tuple[int, str]:
    """Natural order of house numbers: «5» before «12к1» before «44»."""
    digits = len(number) - len(number.lstrip("0123456789"))
    return (int(number[:digits] or 0), number[digits:])


@dataclass(frozen=True)
class Geo:
    """Ids of the registry as written, for placing residents and polls."""

    okrug_ids: dict[str, int]
    district_ids: dict[str, int]
    district_okrug: dict[int, int]
    # District kind («район» / «поселение») by district id.
    district_kind: dict[int, str]
    # Houses of each district, ordered by street and number.
    houses: dict[int, list[int]]
    # Relative population of each district (thousands).
    population: dict[int, int]


def ensure_geo(conn: Connection, *, seed: int) -> Geo:
    """Write whatever of the registry is missing (okrugs, districts, streets, houses) and return its ids.

    Idempotent: existing rows are matched by their natural keys (okrug abbreviation, district name,
    street name within its district, house number within its street) and never duplicated.
    """
    okrug_t, district_t, street_t, house_t = (m.__table__ for m in (Okrug, District, Street, House))
    okrug_ids = dict(conn.execute(select(okrug_t.c.abbrev, okrug_t.c.id)).all())
    missing = [{"abbrev": o.abbrev, "name": o.name} for o in OKRUGS if o.abbrev not in okrug_ids]
    if missing:
        conn.execute(insert(okrug_t), missing)
        okrug_ids = dict(conn.execute(select(okrug_t.c.abbrev, okrug_t.c.id)).all())

    infos = load_districts()
    district_ids = dict(conn.execute(select(district_t.c.name, district_t.c.id)).all())
    missing = [{"okrug_id": okrug_ids[d.okrug], "name": d.name} for d in infos if d.name not in district_ids]
    if missing:
        conn.execute(insert(district_t), missing)
        district_ids = dict(conn.execute(select(district_t.c.name, district_t.c.id)).all())

    street_ids = {
        (district_id, name): street_id
        for street_id, district_id, name in conn.execute(
            select(street_t.c.id, street_t.c.district_id, street_t.c.name)
        ).all()
    }
    missing = [
        {"district_id": district_ids[d.name], "name": street}
        for d in infos
        for street in d.streets
        if (district_ids[d.name], street) not in street_ids
    ]
    if missing:
        conn.execute(insert(street_t), missing)
        street_ids = {
            (district_id, name): street_id
            for street_id, district_id, name in conn.execute(
                select(street_t.c.id, street_t.c.district_id, street_t.c.name)
            ).all()
        }

    existing_houses = set(conn.execute(select(house_t.c.street_id, house_t.c.number)).all())
    missing = []
    for d in infos:
        district_id = district_ids[d.name]
        for street in d.streets:
            street_id = street_ids[(district_id, street)]
            for number in house_numbers(d.name, street, seed=seed):
                if (street_id, number) not in existing_houses:
                    missing.append(
                        {
                            "street_id": street_id,
                            "district_id": district_id,
                            "number": number,
                            "status": "registry",
                        }
                    )
    if missing:
        conn.execute(insert(house_t), missing)

    ours = {district_ids[d.name] for d in infos}
    houses: dict[int, list[int]] = {district_id: [] for district_id in sorted(ours)}
    rows = conn.execute(
        select(house_t.c.district_id, street_t.c.name, house_t.c.number, house_t.c.id)
        .join(street_t, street_t.c.id == house_t.c.street_id)
        .where(house_t.c.status == "registry")
    ).all()
    # Streets in the CSV's order (main street first), houses by number; sorted in Python because
    # database collations differ and the demo must not.
    street_rank = {
        (district_ids[d.name], street): rank for d in infos for rank, street in enumerate(d.streets)
    }
    for district_id, _rank, _number, house_id in sorted(
        (district_id, street_rank.get((district_id, street), len(street_rank)), _house_key(number), house_id)
        for district_id, street, number, house_id in rows
        if district_id in houses
    ):
        houses[district_id].append(house_id)
    return Geo(
        okrug_ids=okrug_ids,
        district_ids={d.name: district_ids[d.name] for d in infos},
        district_okrug={district_ids[d.name]: okrug_ids[d.okrug] for d in infos},
        district_kind={district_ids[d.name]: d.kind for d in infos},
        houses=houses,
        population={district_ids[d.name]: d.population_k for d in infos},
    )
