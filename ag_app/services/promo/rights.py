"""Who may do what in the promo campaign; read by the use cases and by the menus alike.

An administrator holds every role.
"""

# Configure campaigns, import vote facts, run draws, keep the partner catalogue.
MANAGE = ("staff",)
