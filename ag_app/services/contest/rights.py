"""Who may do what in the receipt contest; read by the use cases and by the menus alike.

An administrator holds every role. Anyone holding one of these roles administers the contest and
cannot take part in it (SPEC §11.5; ``receipts.check_participant``).
"""

# Review the fraud queue, accept or reject receipts, disqualify participants, classify sellers.
MODERATE = ("moderator",)
# Create parallel contests, import the seller registry, finalise, see claims, pass prizes on.
MANAGE = ("staff",)
