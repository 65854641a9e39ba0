"""Demo people: staff accounts, three named demo residents and thousands of generated residents.

:mod:`.cast` holds the named accounts and the name tables; :mod:`.plan` generates the residents
(deterministically, from the caller's ``random.Random``).
"""

from ag_app.seed.people.cast import (
    CITIZENS_CSV,
    DEMO_LOGINS,
    DEMO_RESIDENTS,
    NUMBERING_CSV,
    DemoLogin,
    DemoResident,
)
from ag_app.seed.people.plan import (
    Address,
    CitizenRow,
    Person,
    Ranges,
    load_citizens,
    moscow_instant,
    phone_region,
    plan_people,
    translit,
)

__all__ = [
    "Address",
    "CITIZENS_CSV",
    "CitizenRow",
    "DEMO_LOGINS",
    "DEMO_RESIDENTS",
    "DemoLogin",
    "DemoResident",
    "NUMBERING_CSV",
    "Person",
    "Ranges",
    "load_citizens",
    "moscow_instant",
    "phone_region",
    "plan_people",
    "translit",
]
