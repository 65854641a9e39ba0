"""Who may do what in the promo campaign: the capability of the one map (``ag_app.domain.roles``).

An administrator holds it too.
"""

from ag_app.domain.roles import Capability

# Configure campaigns, import vote facts, publish draws, see the dashboard (staff).
MANAGE = Capability.PROMO_MANAGE
