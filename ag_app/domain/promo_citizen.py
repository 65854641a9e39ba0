"""A citizen's part in a promo campaign, in plain words (SPEC §10.1–10.8); pure.

The «Акция» page, the REST API and the SMS texts all read the same status from
:func:`citizen_status`, so nobody is told something the rules do not say.
"""

from dataclasses import dataclass
from datetime import date

from ag_app.domain.profile import age_on

ADULT_AGE = 18

NOT_ELIGIBLE = "not_eligible"
ELIGIBLE = "eligible"
OPTED_OUT = "opted_out"
LATE = "late"
PARTICIPANT = "participant"
WINNER = "winner"
EXTRA = "extra"
NOT_FOUND = "not_found"
ANNULLED = "annulled"


def adult_born_by(day: date) -> date:
    """The latest birth date of a person who is an adult on ``day`` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:
        return day.replace(year=day.year - ADULT_AGE, day=28)


def eligibility_problem(
    *,
    account_by_moment: bool,
    birth_date: date | None,
    eligibility_day: date,
    has_registration: bool,
    has_document: bool,
) -> str | None:
    """Why a citizen gets no code (a catalogue key), or None when eligible (SPEC §10.1).

    Eligible: an account on the eligibility moment, adult on that day, a Moscow registration
    address and an identity document on file (identification level 2 or 3 with a passport).
    """
    if not account_by_moment:
        return "promo.why_account_late"
    if birth_date is None:
        return "promo.why_no_birth_date"
    if age_on(birth_date, eligibility_day) < ADULT_AGE:
        return "promo.why_minor"
    if not has_registration:
        return "promo.why_no_registration"
    if not has_document:
        return "promo.why_no_document"
    return None


@dataclass(frozen=True)
class CitizenFacts:
    """What the status depends on, read from the citizen's row and their draw."""

    opted_out: bool
    voted: bool
    # The main draw the vote belongs to (None: after the last window or no vote).
    in_window: bool
    # Whether that draw's results have been announced (winners chosen, extra prizes given).
    drawn: bool
    main_prize: int
    extra_prize: int
    category_prize: int
    annulled: bool


def citizen_status(facts: CitizenFacts) -> str:
    """The one status the page shows for a citizen with a code."""
    if facts.opted_out:
        return OPTED_OUT
    if facts.annulled:
        return ANNULLED
    if facts.main_prize or facts.category_prize:
        return WINNER
    if not facts.voted:
        return ELIGIBLE
    if not facts.in_window:
        return LATE
    if not facts.drawn:
        return PARTICIPANT
    return EXTRA if facts.extra_prize else NOT_FOUND
