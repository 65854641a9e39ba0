"""«Электронный дом» house polls: the resident's list and poll page, the application form, the
initiator's applications and the moderators' queue — one state module per page, shared rows in
:mod:`rows`.

Every handler resolves the actor from the session cookie and calls a service with it; the services
check every right again (who may file, who is in the audience, who moderates), so a handler called
over the websocket by name with any arguments changes nothing it should not.
"""

from ag_app.state.house_polls.form import HousePollFormState
from ag_app.state.house_polls.listing import HousePollsState
from ag_app.state.house_polls.mine import MyHousePollsState
from ag_app.state.house_polls.moderation import HouseModerationState
from ag_app.state.house_polls.poll import HousePollState
from ag_app.state.house_polls.rows import APARTMENT_LIMIT, COMMENT_LIMIT

__all__ = [
    "APARTMENT_LIMIT",
    "COMMENT_LIMIT",
    "HouseModerationState",
    "HousePollFormState",
    "HousePollState",
    "HousePollsState",
    "MyHousePollsState",
]
