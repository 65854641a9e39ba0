"""Who may do what in the award contest: the capabilities of the one map (``ag_app.domain.roles``).

An administrator holds :data:`MANAGE` too. The operator's staff run the contest; the commission is
not a role but a list of people per contest (``AwardJuror``): a juror acts only in the contest whose
commission they sit on, and only on the tasks of their expert group (:data:`JURY` and
:data:`APPROVE` only decide which links a juror's menu shows). Participants are any adult resident
with a profile.
"""

from ag_app.domain.roles import Capability

# Publish contests and tasks, review applications, publish the admitted teams, exclude, form the
# commission and its groups, record sittings, export the payout register.
MANAGE = Capability.AWARD_MANAGE
# A seat on some contest's commission; the chair's or deputy's seat.
JURY = Capability.AWARD_JURY
APPROVE = Capability.AWARD_APPROVE
