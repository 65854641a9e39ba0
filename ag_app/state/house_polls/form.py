"""``/house/polls/new``: the application form for a house poll or an informing."""

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput
from ag_app.domain.house_polls import (
    AUDIENCES,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    HousePollInput,
    HouseQuestionInput,
    validate_application,
)
from ag_app.domain.numbers import id_or_none
from ag_app.services import house_polls
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.staff_common import parse_moscow_input


def _blank_options() -> list[str]:
    return ["", ""]


@holds_user_data
class HousePollFormState(FeedbackMixin, rx.State):
    """``/house/polls/new``: the application form (a poll of 1–10 questions or an informing)."""

    loaded: bool = False
    logged_in: bool = False
    # Houses the user may apply for: id, name (address and roles).
    houses: list[dict[str, str]] = []
    house_id: str = ""
    kind: str = "poll"
    title: str = ""
    message_text: str = ""
    audience: list[str] = []
    # ``datetime-local`` values in Moscow time.
    starts: str = ""
    ends: str = ""
    # Questions: text, kind («single»/«multiple»); options parallel to them.
    questions: list[dict[str, str]] = []
    options: list[list[str]] = []
    # Form fields named by the last refused filing, marked aria-invalid («title», «starts», «question-1» …).
    invalid_fields: list[str] = []

    def _reset_form(self) -> None:
        self.invalid_fields = []
        self.house_id, self.kind, self.title, self.message_text = "", "poll", "", ""
        self.audience, self.starts, self.ends = [], "", ""
        self.questions = [{"text": "", "kind": "single"}]
        self.options = [_blank_options()]

    @rx.var
    def can_add_question(self) -> bool:
        return len(self.questions) < MAX_QUESTIONS

    @rx.event
    async def load(self):
        """Load the houses the user may apply for and reset the form."""
        self._clear_feedback()
        self._reset_form()
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.houses = []
        if actor is not None:
            try:
                choices = await call(house_polls.houses_for_application, actor_id=actor)
            except DomainError as error:
                self.error = str(error)
                choices = []
            self.houses = [
                {"id": str(c.house_id), "name": f"{c.address} — {', '.join(c.role_names)}"} for c in choices
            ]
            if len(self.houses) == 1:
                self.house_id = self.houses[0]["id"]
        self.loaded = True

    @rx.event
    def set_house(self, value: str):
        self.house_id = str(value)

    @rx.event
    def set_kind(self, value: str):
        self.kind = "informing" if str(value) == "informing" else "poll"

    @rx.event
    def set_title(self, value: str):
        self.title = str(value)[:1000]

    @rx.event
    def set_message(self, value: str):
        self.message_text = str(value)[:10000]

    @rx.event
    def set_starts(self, value: str):
        self.starts = str(value)[:40]

    @rx.event
    def set_ends(self, value: str):
        self.ends = str(value)[:40]

    @rx.event
    def toggle_audience(self, key: str, checked: bool):
        """Add or remove an audience group (owners, social tenants, residents)."""
        key = str(key)
        if key not in AUDIENCES:
            return
        rest = [k for k in self.audience if k != key]
        self.audience = [*rest, key] if checked else rest

    @rx.event
    def add_question(self):
        """Append a question with two empty options (at most 10 questions)."""
        if len(self.questions) < MAX_QUESTIONS:
            self.questions = [*self.questions, {"text": "", "kind": "single"}]
            self.options = [*self.options, _blank_options()]

    @rx.event
    def remove_question(self, index: int):
        if 0 <= int(index) < len(self.questions) and len(self.questions) > 1:
            self.questions = [q for i, q in enumerate(self.questions) if i != int(index)]
            self.options = [o for i, o in enumerate(self.options) if i != int(index)]

    @rx.event
    def set_question_text(self, index: int, value: str):
        if 0 <= int(index) < len(self.questions):
            questions = [dict(q) for q in self.questions]
            questions[int(index)]["text"] = str(value)[:2000]
            self.questions = questions

    @rx.event
    def set_question_kind(self, index: int, value: str):
        if 0 <= int(index) < len(self.questions):
            questions = [dict(q) for q in self.questions]
            questions[int(index)]["kind"] = "multiple" if str(value) == "multiple" else "single"
            self.questions = questions

    @rx.event
    def add_option(self, index: int):
        if 0 <= int(index) < len(self.options) and len(self.options[int(index)]) < MAX_OPTIONS:
            table = [list(o) for o in self.options]
            table[int(index)].append("")
            self.options = table

    @rx.event
    def remove_option(self, index: int, option: int):
        if 0 <= int(index) < len(self.options) and 0 <= int(option) < len(self.options[int(index)]):
            table = [list(o) for o in self.options]
            del table[int(index)][int(option)]
            self.options = table

    @rx.event
    def set_option(self, index: int, option: int, value: str):
        if 0 <= int(index) < len(self.options) and 0 <= int(option) < len(self.options[int(index)]):
            table = [list(o) for o in self.options]
            table[int(index)][int(option)] = str(value)[:1000]
            self.options = table

    def _input(self) -> tuple[HousePollInput, list[tuple[str, InvalidInput]]]:
        """The application as typed, and the problems found while reading it (no house chosen, a
        date that is not a date); an unreadable date is replaced by now, its field already named."""
        read: list[tuple[str, InvalidInput]] = []
        if id_or_none(self.house_id) is None:
            read.append(("house", InvalidInput("house_poll.page_house_required")))
        starts, ends = parse_moscow_input(self.starts), parse_moscow_input(self.ends)
        if starts is None or ends is None:
            # «period» marks both date fields when neither is a date.
            which = "ends" if starts is not None else "starts" if ends is not None else "period"
            read.append((which, InvalidInput("house_poll.page_dates_required")))
        questions = (
            [
                HouseQuestionInput(text=q["text"], kind=q["kind"], options=list(o))
                for q, o in zip(self.questions, self.options, strict=True)
            ]
            if self.kind == "poll"
            else []
        )
        data = HousePollInput(
            kind=self.kind,
            title=self.title,
            audience=frozenset(self.audience),
            starts_at=starts or now(),
            ends_at=ends or now(),
            message=self.message_text,
            questions=questions,
        )
        return data, read

    @rx.event
    async def submit(self):
        """File the application; the service checks the right to apply and every rule. A refused
        form lists every problem at once and marks its fields; nothing is saved."""
        self._clear_feedback()
        self.invalid_fields = []
        data, read = self._input()
        house_id = id_or_none(self.house_id)
        actor = await actor_of(self)
        try:
            if read or house_id is None:
                validate_application(data, now=now(), prior=read)  # raises listing these and the rest
                return
            await call(
                house_polls.file_application,
                actor_id=actor,
                house_id=house_id,
                data=data,
                now=now(),
            )
        except FormProblems as error:
            self.error, self.invalid_fields = str(error), list(error.problems)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self._reset_form()
        return rx.redirect("/house/polls/mine?filed=1")
