"""``/house/polls/[poll_id]``: one house poll or informing — taking part and its results."""

from urllib.parse import urlsplit

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services import house_polls
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.house_polls.rows import (
    APARTMENT_LIMIT,
    COMMENT_LIMIT,
    QuestionRow,
    ResultRow,
    participants_text,
    period,
    question_rows,
    result_rows,
)


def _id_from_path(url: str) -> int | None:
    """The poll id in ``/house/polls/<id>`` (None when absent or not a number)."""
    parts = [part for part in urlsplit(str(url)).path.split("/") if part]
    if len(parts) >= 3 and parts[0] == "house" and parts[1] == "polls":
        return id_or_none(parts[2])
    return None


@holds_user_data
class HousePollState(FeedbackMixin, rx.State):
    """``/house/polls/[poll_id]``: the poll or informing, taking part, results."""

    loaded: bool = False
    found: bool = False
    pid: int = 0
    title: str = ""
    kind: str = ""
    kind_name: str = ""
    address: str = ""
    message_text: str = ""
    audience: str = ""
    period: str = ""
    status_name: str = ""
    questions: list[QuestionRow] = []
    can_participate: bool = False
    cannot_reason: str = ""
    # The answers being given: «question id:option id» keys, and the informing's rating.
    chosen: list[str] = []
    rating: str = ""
    apartment: str = ""
    comment: str = ""
    has_results: bool = False
    results_final: bool = False
    participants_text: str = ""
    results: list[ResultRow] = []

    def _fill(self, view: house_polls.HousePollDetail) -> None:
        self.pid, self.title, self.kind, self.kind_name = view.id, view.title, view.kind, view.kind_name
        self.address, self.message_text = view.address, view.message
        self.audience = ", ".join(view.audience_names)
        self.period = period(view.starts_at, view.ends_at)
        self.status_name = view.status_name
        self.questions = question_rows(view.questions)
        self.can_participate = view.can_participate
        self.cannot_reason = view.cannot_participate_reason
        self._set_results(view.results)

    def _set_results(self, results: house_polls.HousePollResults | None) -> None:
        self.has_results = results is not None
        self.results_final = bool(results and results.final)
        self.participants_text = participants_text(results.participants) if results else ""
        self.results = result_rows(results)

    @rx.event
    async def load(self):
        """Open the poll in the URL (only members of its audience and its initiator see it)."""
        self._clear_feedback()
        self.loaded = self.found = False
        self.chosen, self.rating, self.apartment, self.comment = [], "", "", ""
        yield
        poll_id = _id_from_path(self.router.url)
        actor = await actor_of(self)
        if poll_id is None:
            self.error, self.loaded = message("house_poll.not_found"), True
            return
        try:
            view = await call(house_polls.get_house_poll, actor_id=actor, poll_id=poll_id, now=now())
        except DomainError as error:
            self.error, self.loaded = str(error), True
            return
        self._fill(view)
        self.found = self.loaded = True

    @rx.event
    def choose(self, question_id: str, option_id: str):
        """Pick the one option of a single-choice question."""
        key = f"{question_id}:{option_id}"
        if not any(o.key == key for q in self.questions if q.id == str(question_id) for o in q.options):
            return
        self.chosen = [k for k in self.chosen if not k.startswith(f"{question_id}:")] + [key]

    @rx.event
    def toggle(self, question_id: str, option_id: str, checked: bool):
        """Tick or untick an option of a multiple-choice question."""
        key = f"{question_id}:{option_id}"
        if not any(o.key == key for q in self.questions if q.id == str(question_id) for o in q.options):
            return
        rest = [k for k in self.chosen if k != key]
        self.chosen = [*rest, key] if checked else rest

    @rx.event
    def set_rating(self, value: str):
        """«like» or «dislike» for an informing."""
        self.rating = str(value) if str(value) in ("like", "dislike") else ""

    @rx.event
    def set_apartment(self, value: str):
        self.apartment = str(value)[:APARTMENT_LIMIT]

    @rx.event
    def set_comment(self, value: str):
        self.comment = str(value)[:COMMENT_LIMIT]

    def _answers(self) -> list[house_polls.AnswerInput]:
        by_question: dict[int, list[int]] = {}
        for key in self.chosen:
            question, _, option = key.partition(":")
            question_id, option_id = id_or_none(question), id_or_none(option)
            if question_id is not None and option_id is not None:
                by_question.setdefault(question_id, []).append(option_id)
        return [house_polls.AnswerInput(question_id=q, option_ids=o) for q, o in by_question.items()]

    @rx.event
    async def submit(self):
        """Take part: the service checks the audience, the period, the answers and once-only."""
        self._clear_feedback()
        if not self.pid:
            return
        actor = await actor_of(self)
        try:
            outcome = await call(
                house_polls.participate,
                actor_id=actor,
                poll_id=self.pid,
                answers=self._answers() if self.kind == "poll" else [],
                rating=self.rating,
                apartment=self.apartment,
                comment=self.comment,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.can_participate = False
        self.cannot_reason = message("house_poll.already_participated")
        self._set_results(outcome.results)
        self.notice = message("house_poll.page_thanks")
