"""The renovation-type house vote with apartment aggregation (SPEC §8).

Staff open a vote for a set of houses. Verified owners and social tenants (level 3 and a confirmed
registry row of the apartment) vote «За» / «Против» per apartment; staff enter votes given in person
at a service centre. A vote is «на проверке» until verified — automatically when the registry row
still names the voter at that moment, otherwise by a moderator within 4 working days — and only
then counts and earns the voter a 12-digit check code by SMS and e-mail. Which verified votes count
follows SPEC §8.2.2 (:func:`ag_app.domain.renovation.counted_votes`); the result is kept in each
vote's ``counted`` flag, recomputed under a lock of the apartment whenever one of its votes
changes, so a house (or a whole campaign) is tallied by one aggregate query. A general meeting's
decision entered by staff overrides the vote (SPEC §8.2.5).

One module per job — views (limits, DTOs), verification (registry check, recount, codes, moderators),
staff (open a vote, in-person votes, meeting decisions), voting (residents), results (tally, house
result, lookup, code check); this package names what other contexts call.
"""

from ag_app.services.renovation._common import campaign_state
from ag_app.services.renovation.results import (
    NO_DECISION_TEXT,
    check_vote,
    find_houses,
    house_result,
    latest_house_result,
    tally_campaign,
)
from ag_app.services.renovation.staff import (
    apartment_holders,
    campaign_houses,
    desk_capabilities,
    enter_in_person_vote,
    enter_meeting_decision,
    houses_with_apartments,
    list_campaigns,
    open_campaign,
)
from ag_app.services.renovation.verification import (
    check_code_hash,
    registry_matches,
    reject_vote,
    verification_queue,
    verify_vote,
)
from ag_app.services.renovation.views import (
    ADDRESS_MIN,
    CAMPAIGN_STATES,
    CHECK_PATH,
    HOUSES_LIMIT,
    LOOKUP_LIMIT,
    QUESTION_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    VOTER_ROLES,
    ApartmentBallot,
    CampaignView,
    CastOutcome,
    CheckView,
    HolderOption,
    HouseHit,
    HouseOption,
    HouseResult,
    QueueItem,
    ResidentCampaign,
)
from ag_app.services.renovation.voting import cast_vote, resident_campaigns

__all__ = [
    "ADDRESS_MIN",
    "ApartmentBallot",
    "CAMPAIGN_STATES",
    "CHECK_PATH",
    "CampaignView",
    "CastOutcome",
    "CheckView",
    "HOUSES_LIMIT",
    "HolderOption",
    "HouseHit",
    "HouseOption",
    "HouseResult",
    "LOOKUP_LIMIT",
    "NO_DECISION_TEXT",
    "QUESTION_LIMIT",
    "QueueItem",
    "REASON_LIMIT",
    "ResidentCampaign",
    "TITLE_LIMIT",
    "VOTER_ROLES",
    "apartment_holders",
    "campaign_houses",
    "campaign_state",
    "cast_vote",
    "check_code_hash",
    "check_vote",
    "desk_capabilities",
    "enter_in_person_vote",
    "enter_meeting_decision",
    "find_houses",
    "house_result",
    "houses_with_apartments",
    "latest_house_result",
    "list_campaigns",
    "open_campaign",
    "registry_matches",
    "reject_vote",
    "resident_campaigns",
    "tally_campaign",
    "verification_queue",
    "verify_vote",
]
