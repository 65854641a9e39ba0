"""``ag-app seed``: write the demo city in one transaction, with bulk Core inserts.

Deterministic: one ``random.Random(seed)`` (2026 by default) drives everything, so the same
parameters and ``now`` give the same data. Idempotent: when any demo account (``DEMO_LOGINS``) already
exists the seed changes nothing. Everything happens in the caller's transaction: all or nothing.

:mod:`.main` orders the steps, :mod:`.writers` writes people, polls, ballots and outcomes,
:mod:`.bulk` holds the fast insert helpers (COPY on PostgreSQL).
"""

from ag_app.seed.run.bulk import CHUNK, COPY_FROM, SEED, SeedReport
from ag_app.seed.run.main import seed_demo

__all__ = ["CHUNK", "COPY_FROM", "SEED", "SeedReport", "seed_demo"]
