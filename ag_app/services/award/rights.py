"""Who may do what in the award contest; read by the use cases and by the menus alike.

An administrator holds every role. The operator's staff run the contest; the commission is not a
role but a list of people per contest (``AwardJuror``): a juror acts only in the contest whose
commission they sit on, and only on the tasks of their expert group. Participants are any adult
resident with a profile.
"""

# Publish contests and tasks, review applications, publish the admitted teams, exclude, form the
# commission and its groups, record sittings, export the payout register.
MANAGE = ("staff",)
