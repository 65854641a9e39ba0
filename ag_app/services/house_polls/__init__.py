"""«Электронный дом» house polls and informings (SPEC §6): filing, moderation, participation, results.

Every use case re-reads the actor and their rights from the database. Participation is anonymous
by construction (see :mod:`ag_app.models.house_polls`): the participant row says only that a user
took part; the response row holds the answers, the optional apartment number and comment, with a
random key, no user id and no time. No DTO of this module carries a user id, name or phone.

One module per job — views (roles, DTOs), filing (the initiator), moderation, residents (lists, page,
participation), publishing (final results in «Новости»); this package names what other contexts call.
"""

from ag_app.domain.house_polls import HousePollInput, HouseQuestionInput
from ag_app.domain.polls import AnswerInput
from ag_app.services.house_polls.filing import file_application, houses_for_application, my_applications
from ag_app.services.house_polls.moderation import approve, moderation_queue, refuse
from ag_app.services.house_polls.publishing import publish_finished_results
from ag_app.services.house_polls.residents import get_house_poll, list_house_polls, participate
from ag_app.services.house_polls.views import (
    HOME_ADDRESS_KINDS,
    NEWS_TITLE_LIMIT,
    PUBLISH_BATCH,
    HouseChoice,
    HousePollDetail,
    HousePollResults,
    HousePollSummary,
    InitiatorApplication,
    ModerationItem,
    OptionResult,
    OptionView,
    ParticipantNote,
    ParticipationOutcome,
    QuestionResult,
    QuestionView,
)

__all__ = [
    "AnswerInput",
    "HOME_ADDRESS_KINDS",
    "HouseChoice",
    "HousePollDetail",
    "HousePollInput",
    "HousePollResults",
    "HousePollSummary",
    "HouseQuestionInput",
    "InitiatorApplication",
    "ModerationItem",
    "NEWS_TITLE_LIMIT",
    "OptionResult",
    "OptionView",
    "PUBLISH_BATCH",
    "ParticipantNote",
    "ParticipationOutcome",
    "QuestionResult",
    "QuestionView",
    "approve",
    "file_application",
    "get_house_poll",
    "houses_for_application",
    "list_house_polls",
    "moderation_queue",
    "my_applications",
    "participate",
    "publish_finished_results",
    "refuse",
]
