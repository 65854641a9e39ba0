"""Demo house registry of «Электронный дом»: ~30 houses with premises, owners, tenants and residents.

The three demo residents own an apartment in a house of their own district (the one of their
registration address) and their registry rows are already linked to their accounts, as are three
more demo neighbours who own or co-own apartments in the house of +79161234567. Two people of the
citizen registry without an account yet (Васильев, Новикова) hold premises too, so a new user who
reaches level 3 with their documents can link an apartment by ФЛС live.

Deterministic (a ``random.Random`` seeded from the seed number drives everything) and idempotent:
when the demo registry is there (a holder with a ``DEMO-`` reference) nothing changes. The rows go
through the same writer as a CSV import (:func:`~ag_app.services.house_registry.apply_registry_rows`).

:mod:`.cast` names the houses, neighbours and name tables; :mod:`.plan` plans houses, premises and
holders; :mod:`.write` loads them through the registry import and links the demo accounts.
"""

from ag_app.seed.houses.cast import (
    COMPANIES,
    DEMO_HOUSE_SIZES,
    DEMO_REF,
    DEMO_SHARES,
    MANAGER,
    NEIGHBOURS,
    OTHER_HOUSES,
    SIZES,
    UNLINKED,
    DemoNeighbour,
)
from ag_app.seed.houses.plan import HouseSeedReport
from ag_app.seed.houses.write import seed_houses

__all__ = [
    "COMPANIES",
    "DEMO_HOUSE_SIZES",
    "DEMO_REF",
    "DEMO_SHARES",
    "DemoNeighbour",
    "HouseSeedReport",
    "MANAGER",
    "NEIGHBOURS",
    "OTHER_HOUSES",
    "SIZES",
    "UNLINKED",
    "seed_houses",
]
