"""City and district polls (SPEC §2): lists, poll pages, results, past polls, staff lifecycle, news.

One module per job — views (DTOs), eligibility (staff, state, territory, voter), results, page,
lists (polls, past polls, news), staff (lifecycle), publishing (results, decisions); this package
names what other contexts call (``from ag_app.services import polls; polls.get_poll(...)``).
AnswerInput, ExpertInput, OptionInput and QuestionInput are re-exported: callers build inputs from here.
Ballots themselves are completed in :mod:`ag_app.services.ballots`.
"""

from ag_app.domain.polls import (
    DECISION_STATUSES,
    STATE_NAMES,
    AnswerInput,
    ExpertInput,
    OptionInput,
    PollInput,
    QuestionInput,
)
from ag_app.services.polls.eligibility import (
    audience_of,
    has_voted,
    is_poll_staff,
    load_territories,
    load_voter,
    state_of,
    user_places,
)
from ag_app.services.polls.lists import (
    NEWS_PAGE_MAX,
    PUBLIC_LIST_SECONDS,
    list_news,
    list_polls,
    my_past_polls,
)
from ag_app.services.polls.page import POLL_PAGE_SECONDS, get_poll, poll_results
from ag_app.services.polls.publishing import (
    DECISION_TEXT_LIMIT,
    NEWS_TITLE_LIMIT,
    add_decision,
    publish_results,
    set_decision_status,
)
from ag_app.services.polls.results import (
    QUESTION_COLUMNS,
    QUESTION_ORDER,
    count_results,
    load_questions,
    questions_from_rows,
    results_from_counts,
    shown_results,
)
from ag_app.services.polls.staff import close_poll, create_poll, publish_poll, staff_polls, update_poll
from ag_app.services.polls.views import (
    CITY_TERRITORY,
    DecisionView,
    ExpertView,
    NewsView,
    OptionResult,
    OptionView,
    PastAnswer,
    PastPoll,
    PollDetail,
    PollResults,
    PollSummary,
    QuestionResult,
    QuestionView,
    Territory,
)

__all__ = [
    "AnswerInput",
    "CITY_TERRITORY",
    "DECISION_STATUSES",
    "DECISION_TEXT_LIMIT",
    "DecisionView",
    "ExpertInput",
    "ExpertView",
    "NEWS_PAGE_MAX",
    "NEWS_TITLE_LIMIT",
    "NewsView",
    "OptionInput",
    "OptionResult",
    "OptionView",
    "POLL_PAGE_SECONDS",
    "PUBLIC_LIST_SECONDS",
    "PastAnswer",
    "PastPoll",
    "PollDetail",
    "PollInput",
    "PollResults",
    "PollSummary",
    "QUESTION_COLUMNS",
    "QUESTION_ORDER",
    "QuestionInput",
    "QuestionResult",
    "QuestionView",
    "STATE_NAMES",
    "Territory",
    "add_decision",
    "audience_of",
    "close_poll",
    "count_results",
    "create_poll",
    "get_poll",
    "has_voted",
    "is_poll_staff",
    "list_news",
    "list_polls",
    "load_questions",
    "load_territories",
    "load_voter",
    "my_past_polls",
    "poll_results",
    "publish_poll",
    "publish_results",
    "questions_from_rows",
    "results_from_counts",
    "set_decision_status",
    "shown_results",
    "staff_polls",
    "state_of",
    "update_poll",
    "user_places",
]
