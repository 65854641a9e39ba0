"""Points rules of SPEC §3: amounts, caps, the status threshold."""

# Lifetime credited points that grant the permanent status «Активный гражданин».
ACTIVE_CITIZEN_THRESHOLD = 1000
