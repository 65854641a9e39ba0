"""Which staff actions a city poll's lifecycle state allows (SPEC: polls' lifecycle).

One rule for the staff pages (which buttons a row shows) and the use cases (which change they
refuse with «poll.state_invalid» / «poll.not_ended»): a draft is edited and published; a published
poll, scheduled or running, may be closed early; a closed poll's results are published once; the
results and decisions page opens once voting has started, and decisions are recorded after it ends.
"""

from enum import StrEnum

from ag_app.domain.polls import STATES


class PollAction(StrEnum):
    """A staff action on one poll."""

    EDIT = "edit"
    PUBLISH = "publish"
    CLOSE = "close"
    PUBLISH_RESULTS = "publish_results"
    RESULTS_PAGE = "results_page"
    DECIDE = "decide"


# Action → the lifecycle states (``ag_app.domain.polls.STATES``) in which it is allowed.
ALLOWED_IN: dict[PollAction, frozenset[str]] = {
    PollAction.EDIT: frozenset({"draft"}),
    PollAction.PUBLISH: frozenset({"draft"}),
    PollAction.CLOSE: frozenset({"scheduled", "active"}),
    PollAction.PUBLISH_RESULTS: frozenset({"closed"}),
    PollAction.RESULTS_PAGE: frozenset({"active", "closed", "results"}),
    PollAction.DECIDE: frozenset({"closed", "results"}),
}


def allows(state: str, action: PollAction) -> bool:
    """Whether a poll in lifecycle ``state`` allows ``action``."""
    return state in ALLOWED_IN[action]


def actions_in(state: str) -> tuple[PollAction, ...]:
    """Every action a poll in ``state`` allows, in :class:`PollAction` order (none for an unknown state)."""
    if state not in STATES:
        return ()
    return tuple(action for action in PollAction if allows(state, action))
