"""Who may do what in the receipt contest: the capabilities of the one map (``ag_app.domain.roles``).

An administrator holds every one. Anyone holding a staff role administers the contest and cannot
take part in it (SPEC §11.5; ``receipts.check_participant``, ``domain.roles.STAFF_ROLES``).
"""

from ag_app.domain.roles import Capability

# Review the fraud queue, accept or reject receipts, disqualify participants, classify sellers (moderators).
MODERATE = Capability.CONTEST_MODERATE
# See the statistics, the audit trail and a participant's receipts (moderators and staff).
REVIEW = Capability.CONTEST_REVIEW
# Create parallel contests, import the seller registry, finalise, see claims, pass prizes on (staff).
MANAGE = Capability.CONTEST_MANAGE
