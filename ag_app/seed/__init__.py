"""The demo city: ``ag-app seed`` loads a deterministic, idempotent demo dataset.

Moscow's 12 okrugs with their 125 «районы» (and a few «поселения» of НАО and ТАО), demo streets and
houses, thousands of residents, staff accounts, ~40 polls with ballots, decisions, news and points.
"""

from ag_app.seed.people import DEMO_LOGINS, DemoLogin
from ag_app.seed.run import SeedReport, seed_demo

__all__ = ["DEMO_LOGINS", "DemoLogin", "SeedReport", "seed_demo"]
