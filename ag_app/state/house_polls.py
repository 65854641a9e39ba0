"""«Электронный дом» house polls: the resident's list and poll page, the application form, the
initiator's applications and the moderators' queue.

Every handler resolves the actor from the session cookie and calls a service with it; the services
check every right again (who may file, who is in the audience, who moderates), so a handler called
over the websocket by name with any arguments changes nothing it should not.
"""

import dataclasses
from urllib.parse import urlsplit

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.house_polls import (
    AUDIENCES,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    REFUSAL_REASONS,
    HousePollInput,
    HouseQuestionInput,
)
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services import house_polls
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.staff_common import parse_moscow_input

# Apartment and comment limits of the form (the service checks them again).
APARTMENT_LIMIT = 10
COMMENT_LIMIT = 1000


@dataclasses.dataclass
class OptionRow:
    """An option as the page shows it; ``key`` is «question id:option id»."""

    id: str = ""
    text: str = ""
    key: str = ""


@dataclasses.dataclass
class QuestionRow:
    """A question with its options; ``multiple`` for multiple choice."""

    id: str = ""
    number: str = ""
    text: str = ""
    multiple: bool = False
    options: list[OptionRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ResultOptionRow:
    """An option's count and share, as display strings."""

    text: str = ""
    count: str = ""
    percent: str = ""
    # CSS width of the bar, e.g. «42.5%».
    width: str = "0%"


@dataclasses.dataclass
class ResultRow:
    """Results of one question (or of an informing's rating)."""

    text: str = ""
    options: list[ResultOptionRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class NoteRow:
    """An apartment and comment left for the initiator."""

    apartment: str = ""
    comment: str = ""


@dataclasses.dataclass
class ApplicationRow:
    """One of the initiator's applications, as display strings."""

    id: str = ""
    title: str = ""
    kind_name: str = ""
    address: str = ""
    status: str = ""
    status_name: str = ""
    period: str = ""
    filed: str = ""
    due: str = ""
    reasons: list[str] = dataclasses.field(default_factory=list)
    participants: str = ""
    approved: bool = False
    results: list[ResultRow] = dataclasses.field(default_factory=list)
    notes: list[NoteRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class QueueRow:
    """An application in the moderation queue, as display strings."""

    id: str = ""
    title: str = ""
    kind_name: str = ""
    address: str = ""
    message: str = ""
    audience: str = ""
    period: str = ""
    initiator: str = ""
    filed: str = ""
    due: str = ""
    overdue: bool = False
    calendar_note: str = ""
    questions: list[QuestionRow] = dataclasses.field(default_factory=list)


def _period(starts, ends) -> str:
    return f"{fmt.when(starts)} — {fmt.when(ends)} (мск)"


def _question_rows(questions: list[house_polls.QuestionView]) -> list[QuestionRow]:
    return [
        QuestionRow(
            id=str(q.id),
            number=str(q.position),
            text=q.text,
            multiple=q.kind == "multiple",
            options=[OptionRow(id=str(o.id), text=o.text, key=f"{q.id}:{o.id}") for o in q.options],
        )
        for q in questions
    ]


def _bar(count: int, total: int) -> ResultOptionRow:
    percent = 100.0 * count / total if total else 0.0
    return ResultOptionRow(count=fmt.num(count), percent=fmt.percent(percent), width=f"{percent:.1f}%")


def _result_rows(results: house_polls.HousePollResults | None) -> list[ResultRow]:
    """Results as rows: one per question, or one «Оценка сообщения» row for an informing."""
    if results is None:
        return []
    if not results.questions:
        rows = []
        for text, count in (("Нравится", results.likes), ("Не нравится", results.dislikes)):
            row = _bar(count, results.participants)
            row.text = text
            rows.append(row)
        return [ResultRow(text="Оценка сообщения", options=rows)]
    table = []
    for q in results.questions:
        rows = []
        for o in q.options:
            row = _bar(o.count, results.participants)
            row.text = o.text
            rows.append(row)
        table.append(ResultRow(text=q.text, options=rows))
    return table


def _participants_text(count: int) -> str:
    return f"Приняли участие: {fmt.num(count)} {fmt.plural(count, 'человек', 'человека', 'человек')}"


def _id_from_path(url: str) -> int | None:
    """The poll id in ``/house/polls/<id>`` (None when absent or not a number)."""
    parts = [part for part in urlsplit(str(url)).path.split("/") if part]
    if len(parts) >= 3 and parts[0] == "house" and parts[1] == "polls":
        return id_or_none(parts[2])
    return None


@holds_user_data
class HousePollsState(FeedbackMixin, rx.State):
    """``/house/polls``: open and past house polls of the user's houses."""

    loaded: bool = False
    logged_in: bool = False
    # Rows: id, title, kind_name, address, status, status_name, period, participated ("1"/"").
    current: list[dict[str, str]] = []
    past: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Load the list for the logged-in user."""
        self._clear_feedback()
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.current, self.past = [], []
        if actor is not None:
            try:
                summaries = await call(house_polls.list_house_polls, actor_id=actor, now=now())
            except DomainError as error:
                self.error = str(error)
                summaries = []
            rows = [
                {
                    "id": str(s.id),
                    "title": s.title,
                    "kind_name": s.kind_name,
                    "address": s.address,
                    "status": s.status,
                    "status_name": s.status_name,
                    "period": _period(s.starts_at, s.ends_at),
                    "participated": "1" if s.participated else "",
                }
                for s in summaries
            ]
            self.current = [r for r in rows if r["status"] != "finished"]
            self.past = [r for r in rows if r["status"] == "finished"]
        self.loaded = True


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
        self.period = _period(view.starts_at, view.ends_at)
        self.status_name = view.status_name
        self.questions = _question_rows(view.questions)
        self.can_participate = view.can_participate
        self.cannot_reason = view.cannot_participate_reason
        self._set_results(view.results)

    def _set_results(self, results: house_polls.HousePollResults | None) -> None:
        self.has_results = results is not None
        self.results_final = bool(results and results.final)
        self.participants_text = _participants_text(results.participants) if results else ""
        self.results = _result_rows(results)

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
        self.notice = "Спасибо! Вы приняли участие. Ниже — промежуточные результаты."


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

    def _reset_form(self) -> None:
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

    def _input(self) -> HousePollInput | None:
        starts, ends = parse_moscow_input(self.starts), parse_moscow_input(self.ends)
        if starts is None or ends is None:
            self.error = "Укажите дату и время начала и окончания (московское время)."
            return None
        questions = (
            [
                HouseQuestionInput(text=q["text"], kind=q["kind"], options=list(o))
                for q, o in zip(self.questions, self.options, strict=True)
            ]
            if self.kind == "poll"
            else []
        )
        return HousePollInput(
            kind=self.kind,
            title=self.title,
            audience=frozenset(self.audience),
            starts_at=starts,
            ends_at=ends,
            message=self.message_text,
            questions=questions,
        )

    @rx.event
    async def submit(self):
        """File the application; the service checks the right to apply and every rule."""
        self._clear_feedback()
        house_id = id_or_none(self.house_id)
        if house_id is None:
            self.error = "Выберите дом."
            return
        data = self._input()
        if data is None:
            return
        actor = await actor_of(self)
        try:
            await call(
                house_polls.file_application,
                actor_id=actor,
                house_id=house_id,
                data=data,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self._reset_form()
        return rx.redirect("/house/polls/mine?filed=1")


@holds_user_data
class MyHousePollsState(FeedbackMixin, rx.State):
    """``/house/polls/mine``: the initiator's applications, their status and results."""

    loaded: bool = False
    logged_in: bool = False
    applications: list[ApplicationRow] = []

    @rx.event
    async def load(self):
        """Load the actor's applications."""
        self._clear_feedback()
        if "filed=1" in str(self.router.url):
            self.notice = "Заявка отправлена на модерацию. Решение — в течение 5 рабочих дней."
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.applications = []
        if actor is not None:
            try:
                mine = await call(house_polls.my_applications, actor_id=actor, now=now())
            except DomainError as error:
                self.error = str(error)
                mine = []
            self.applications = [
                ApplicationRow(
                    id=str(a.id),
                    title=a.title,
                    kind_name=a.kind_name,
                    address=a.address,
                    status=a.status,
                    status_name=a.status_name,
                    period=_period(a.starts_at, a.ends_at),
                    filed=fmt.when(a.filed_at),
                    due=fmt.when(a.due_at),
                    reasons=list(a.refusal_reasons),
                    participants=_participants_text(a.participants),
                    approved=a.results is not None,
                    results=_result_rows(a.results),
                    notes=[NoteRow(apartment=n.apartment or "—", comment=n.comment or "—") for n in a.notes],
                )
                for a in mine
            ]
        self.loaded = True


@holds_user_data
class HouseModerationState(FeedbackMixin, rx.State):
    """``/staff/house-polls``: the moderation queue (moderators and administrators)."""

    loaded: bool = False
    allowed: bool = False
    queue: list[QueueRow] = []
    # Refusal reasons ticked, as «application id:reason key».
    ticked: list[str] = []

    async def _reload(self) -> None:
        actor = await actor_of(self)
        try:
            items = await call(house_polls.moderation_queue, actor_id=actor, now=now())
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.queue = False, []
            return
        self.allowed = True
        self.queue = [
            QueueRow(
                id=str(i.id),
                title=i.title,
                kind_name=i.kind_name,
                address=i.address,
                message=i.message,
                audience=", ".join(i.audience_names),
                period=_period(i.starts_at, i.ends_at),
                initiator=i.initiator_role_name,
                filed=fmt.when(i.filed_at),
                due=fmt.when(i.due_at),
                overdue=i.overdue,
                calendar_note=(
                    ""
                    if i.calendar_known
                    else "Производственный календарь этого года не загружен: учтены только выходные."
                ),
                questions=_question_rows(i.questions),
            )
            for i in items
        ]
        ids = {row.id for row in self.queue}
        self.ticked = [t for t in self.ticked if t.partition(":")[0] in ids]

    @rx.event
    async def load(self):
        """Load the queue (others see «Недостаточно прав»)."""
        self._clear_feedback()
        self.ticked = []
        await self._reload()
        self.loaded = True

    @rx.event
    def toggle_reason(self, poll_id: str, reason: str, checked: bool):
        """Tick or untick a refusal reason of one application."""
        if str(reason) not in REFUSAL_REASONS:
            return
        key = f"{poll_id}:{reason}"
        rest = [k for k in self.ticked if k != key]
        self.ticked = [*rest, key] if checked else rest

    @rx.event
    async def approve(self, poll_id: str):
        """Approve an application (the service checks the moderator role)."""
        self._clear_feedback()
        wanted = id_or_none(poll_id)
        if wanted is None:
            return
        try:
            await call(house_polls.approve, actor_id=await actor_of(self), poll_id=wanted, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = "Заявка одобрена, инициатор уведомлён."
        await self._reload()

    @rx.event
    async def refuse(self, poll_id: str):
        """Refuse an application with the ticked reasons (at least one)."""
        self._clear_feedback()
        wanted = id_or_none(poll_id)
        if wanted is None:
            return
        reasons = [k.partition(":")[2] for k in self.ticked if k.partition(":")[0] == str(poll_id)]
        try:
            await call(
                house_polls.refuse,
                actor_id=await actor_of(self),
                poll_id=wanted,
                reasons=reasons,
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = "Заявка отклонена, инициатор уведомлён о причинах."
        await self._reload()
