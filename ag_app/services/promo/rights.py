"""Who may do what in the promo campaign «#ВыбираемВместе»; read by the use cases and by the menus alike.

An administrator holds every role.
"""

# Configure campaigns, import vote facts, publish draws, see the dashboard.
MANAGE = ("staff",)
