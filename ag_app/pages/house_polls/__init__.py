"""«Электронный дом» house polls and informings: the resident's list and poll page, the application
form, the initiator's applications and the moderators' queue — one module per page."""

from ag_app.i18n import label
from ag_app.pages.house_polls.form import new_page
from ag_app.pages.house_polls.listing import polls_page
from ag_app.pages.house_polls.mine import mine_page
from ag_app.pages.house_polls.moderation import moderation_page
from ag_app.pages.house_polls.poll import poll_page
from ag_app.state.base import SessionState
from ag_app.state.house_polls import (
    HouseModerationState,
    HousePollFormState,
    HousePollsState,
    HousePollState,
    MyHousePollsState,
)

PAGES = [
    (
        "/house/polls",
        polls_page,
        label("ui.house_polls.oprosy_doma"),
        [SessionState.refresh, HousePollsState.load],
    ),
    (
        "/house/polls/new",
        new_page,
        label("ui.house_polls.zayavka_na_opros"),
        [SessionState.refresh, HousePollFormState.load],
    ),
    (
        "/house/polls/mine",
        mine_page,
        label("ui.common.moi_zayavki"),
        [SessionState.refresh, MyHousePollsState.load],
    ),
    (
        "/house/polls/[poll_id]",
        poll_page,
        label("ui.common.opros_doma"),
        [SessionState.refresh, HousePollState.load],
    ),
    (
        "/staff/house-polls",
        moderation_page,
        label("menu.staff_house_polls"),
        [SessionState.refresh, HouseModerationState.load],
    ),
]
