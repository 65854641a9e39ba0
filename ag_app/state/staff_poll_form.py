"""The staff poll form (``/staff/polls/new`` and ``/staff/polls/[poll_id]/edit``).

The form is kept as plain lists of string dicts; :meth:`StaffPollFormState.save` turns them into a
``PollInput`` and hands it to ``polls.create_poll`` / ``polls.update_poll``, which validate every
rule and refuse anyone who is not city staff. A refused save changes nothing and shows the
Russian message in an alert region.
"""

from datetime import UTC, datetime

import reflex as rx

from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none, parse_count
from ag_app.domain.polls import PollProblems, validate_poll
from ag_app.domain.roles import Capability
from ag_app.i18n import label, message
from ag_app.services import access, polls, registry
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.staff_common import moscow_input, parse_moscow_input, poll_id_from_url

# Text fields of the poll itself that :meth:`StaffPollFormState.set_text` may change.
TEXT_FIELDS = frozenset(
    {
        "title",
        "summary",
        "details",
        "image_url",
        "scope",
        "min_level",
        "age_min",
        "age_max",
        "starts",
        "ends",
        "points",
    }
)
FLAG_FIELDS = frozenset({"include_work", "hide_intermediate"})
EXPERT_FIELDS = frozenset({"name", "title", "text"})
QUESTION_FIELDS = frozenset({"text", "kind", "max_choices"})
OPTION_FLAGS = frozenset({"own", "exclusive"})

# Quick-add options: preset key → (text, «Свой вариант», exclusive).
PRESET_OPTIONS: dict[str, tuple[str, bool, bool]] = {
    "hard": (label("ui.poll_form.zatrudniaius_otvetit"), False, True),
    "nointerest": (label("ui.poll_form.mne_ne_interesno"), False, True),
    "own": (label("ui.common.svoi_variant"), True, False),
}


def _blank_option(text: str = "", own: bool = False, exclusive: bool = False) -> dict[str, str]:
    return {"text": text, "own": "1" if own else "", "exclusive": "1" if exclusive else ""}


def _blank_question() -> dict[str, str]:
    return {"text": "", "kind": "single", "max_choices": "1"}


def _move(items: list, index: int, delta: int) -> bool:
    """Swap ``items[index]`` with its neighbour ``index + delta``; False when out of range."""
    target = index + delta
    if not (0 <= index < len(items) and 0 <= target < len(items)):
        return False
    items[index], items[target] = items[target], items[index]
    return True


# Stands in for an unreadable date so the other rules can still be checked (never saved).
_NO_DATE = datetime(2000, 1, 1, tzinfo=UTC)


def _optional_int(value: str, error: DomainError) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return parse_count(value)
    except InvalidInput:
        raise error from None


@holds_user_data
class StaffPollFormState(GuardedState, rx.State):
    """Form state for creating or editing a poll (every field of SPEC §2.1)."""

    loaded: bool = False
    allowed: bool = False
    # 0 for a new poll, else the poll being edited.
    pid: int = 0
    title: str = ""
    summary: str = ""
    details: str = ""
    image_url: str = ""
    # «city» or «territorial».
    scope: str = "city"
    okrug_ids: list[str] = []
    district_ids: list[str] = []
    include_work: bool = False
    min_level: str = "1"
    age_min: str = ""
    age_max: str = ""
    # ``datetime-local`` values in Moscow time.
    starts: str = ""
    ends: str = ""
    # Blank means the default (20 city-wide, 5 territorial).
    points: str = ""
    hide_intermediate: bool = False
    experts: list[dict[str, str]] = []
    questions: list[dict[str, str]] = []
    # Options of each question, parallel to ``questions``.
    options: list[list[dict[str, str]]] = []
    # Reference lists for the territory picker.
    okrugs: list[dict[str, str]] = []
    # Districts of each okrug, parallel to ``okrugs``.
    okrug_districts: list[list[dict[str, str]]] = []
    error: str = ""
    # Form fields named by the last refused save, marked aria-invalid («title», «starts», «question-1» …).
    invalid_fields: list[str] = []

    def _reset_form(self) -> None:
        self.pid, self.title, self.summary, self.details, self.image_url = 0, "", "", "", ""
        self.scope, self.okrug_ids, self.district_ids, self.include_work = "city", [], [], False
        self.min_level, self.age_min, self.age_max = "1", "", ""
        self.starts, self.ends, self.points, self.hide_intermediate = "", "", "", False
        self.experts = []
        self.questions = [_blank_question()]
        self.options = [[_blank_option(), _blank_option()]]
        self.error, self.invalid_fields = "", []

    @rx.event
    async def load(self):
        """Open the form: empty for ``/new``, filled from the poll for ``/edit`` (staff only)."""
        self._reset_form()
        actor = await actor_of(self)
        try:
            await call(access.require, actor_id=actor, capability=Capability.POLLS_MANAGE)
        except (NotAllowed, NotAuthenticated):
            self.allowed, self.loaded = False, True
            return
        self.allowed = True
        okrugs = await call(registry.list_okrugs)
        districts = await call(registry.list_districts)
        self.okrugs = [{"id": str(o.id), "name": o.name, "abbrev": o.abbrev} for o in okrugs]
        self.okrug_districts = [
            [{"id": str(d.id), "name": d.name} for d in districts if d.okrug_id == o.id] for o in okrugs
        ]
        pid = poll_id_from_url(self.router.url)
        if pid is not None:
            try:
                detail = await call(polls.get_poll, actor_id=actor, poll_id=pid, now=now())
            except DomainError as exc:
                self.error = str(exc)
            else:
                if detail.state == "draft":
                    self.pid = pid
                    self._fill(detail)
                else:
                    self.error = message("poll.edit_draft_only", state=polls.STATE_NAMES[detail.state])
        self.loaded = True

    def _fill(self, poll: "polls.PollDetail") -> None:
        """Copy a saved draft into the form fields."""
        self.title, self.summary, self.details = poll.title, poll.summary, poll.details
        self.image_url, self.scope = poll.image_url, poll.scope
        self.okrug_ids = [str(i) for i in poll.okrug_ids or []]
        self.district_ids = [str(i) for i in poll.district_ids or []]
        self.include_work = poll.include_work_address
        self.min_level = str(poll.min_level)
        self.age_min = "" if poll.children_age_min is None else str(poll.children_age_min)
        self.age_max = "" if poll.children_age_max is None else str(poll.children_age_max)
        self.starts, self.ends = moscow_input(poll.starts_at), moscow_input(poll.ends_at)
        self.points = str(poll.points)
        self.hide_intermediate = poll.hide_intermediate
        self.experts = [{"name": e.name, "title": e.title, "text": e.text} for e in poll.experts]
        self.questions = [
            {"text": q.text, "kind": q.kind, "max_choices": str(q.max_choices)} for q in poll.questions
        ]
        self.options = [
            [_blank_option(o.text, o.is_own_text, o.is_exclusive) for o in q.options] for q in poll.questions
        ]

    @rx.var
    def district_counts(self) -> list[int]:
        """How many districts are ticked in each okrug (parallel to ``okrugs``)."""
        chosen = set(self.district_ids)
        return [sum(1 for d in group if d["id"] in chosen) for group in self.okrug_districts]

    @rx.var
    def territory_text(self) -> str:
        """The chosen okrugs and districts in words, for review before saving."""
        chosen_okrugs, chosen_districts = set(self.okrug_ids), set(self.district_ids)
        names = [o["abbrev"] for o in self.okrugs if o["id"] in chosen_okrugs]
        names += [d["name"] for group in self.okrug_districts for d in group if d["id"] in chosen_districts]
        return ", ".join(names)

    # --- simple fields -------------------------------------------------------------------
    @rx.event
    def set_text(self, field: str, value: str):
        """Set one text field of the poll (only the fields of the form)."""
        if field in TEXT_FIELDS:
            setattr(self, field, str(value))

    @rx.event
    def set_flag(self, field: str, value: bool):
        """Set one yes/no field of the poll."""
        if field in FLAG_FIELDS:
            setattr(self, field, bool(value))

    @rx.event
    def toggle_okrug(self, okrug_id: str, checked: bool):
        """Add or remove an okrug of a territorial poll (the service checks that the id exists)."""
        wanted = id_or_none(okrug_id)
        if wanted is not None:
            ids = [i for i in self.okrug_ids if i != str(wanted)]
            self.okrug_ids = [*ids, str(wanted)] if checked else ids

    @rx.event
    def toggle_district(self, district_id: str, checked: bool):
        """Add or remove a district of a territorial poll (the service checks that the id exists)."""
        wanted = id_or_none(district_id)
        if wanted is not None:
            ids = [i for i in self.district_ids if i != str(wanted)]
            self.district_ids = [*ids, str(wanted)] if checked else ids

    # --- experts -------------------------------------------------------------------------
    @rx.event
    def add_expert(self):
        """Append an empty expert opinion."""
        self.experts = [*self.experts, {"name": "", "title": "", "text": ""}]

    @rx.event
    def remove_expert(self, index: int):
        """Remove an expert opinion."""
        if 0 <= index < len(self.experts):
            self.experts = [e for i, e in enumerate(self.experts) if i != index]

    @rx.event
    def set_expert(self, index: int, field: str, value: str):
        """Change the name, position or text of an expert opinion."""
        if field in EXPERT_FIELDS and 0 <= index < len(self.experts):
            experts = [dict(e) for e in self.experts]
            experts[index][field] = str(value)
            self.experts = experts

    # --- questions -----------------------------------------------------------------------
    @rx.event
    def add_question(self):
        """Append a question with two empty options."""
        self.questions = [*self.questions, _blank_question()]
        self.options = [*self.options, [_blank_option(), _blank_option()]]

    @rx.event
    def remove_question(self, index: int):
        """Remove a question and its options."""
        if 0 <= index < len(self.questions):
            self.questions = [q for i, q in enumerate(self.questions) if i != index]
            self.options = [o for i, o in enumerate(self.options) if i != index]

    @rx.event
    def move_question(self, index: int, delta: int):
        """Move a question up (-1) or down (+1) together with its options."""
        questions, options = list(self.questions), list(self.options)
        if _move(questions, index, delta) and _move(options, index, delta):
            self.questions, self.options = questions, options

    @rx.event
    def set_question(self, index: int, field: str, value: str):
        """Change the text, kind («single»/«multiple») or maximum of choices of a question."""
        if field not in QUESTION_FIELDS or not 0 <= index < len(self.questions):
            return
        questions = [dict(q) for q in self.questions]
        value = str(value)
        questions[index][field] = value
        if field == "kind" and value == "single":
            questions[index]["max_choices"] = "1"
        self.questions = questions

    # --- options -------------------------------------------------------------------------
    def _with_options(self, q_index: int, change) -> None:
        if not 0 <= q_index < len(self.options):
            return
        table = [[dict(o) for o in opts] for opts in self.options]
        if change(table[q_index]) is not False:
            self.options = table

    @rx.event
    def add_option(self, q_index: int):
        """Append an empty option to a question."""
        self._with_options(q_index, lambda opts: opts.append(_blank_option()))

    @rx.event
    def add_preset(self, q_index: int, preset: str):
        """Append «Затрудняюсь ответить», «Мне не интересно» or «Свой вариант» to a question."""
        if preset in PRESET_OPTIONS:
            text, own, exclusive = PRESET_OPTIONS[preset]
            self._with_options(q_index, lambda opts: opts.append(_blank_option(text, own, exclusive)))

    @rx.event
    def remove_option(self, q_index: int, o_index: int):
        """Remove an option of a question."""

        def change(opts: list) -> bool:
            if not 0 <= o_index < len(opts):
                return False
            del opts[o_index]
            return True

        self._with_options(q_index, change)

    @rx.event
    def move_option(self, q_index: int, o_index: int, delta: int):
        """Move an option up (-1) or down (+1) within its question."""
        self._with_options(q_index, lambda opts: _move(opts, o_index, delta))

    @rx.event
    def set_option_text(self, q_index: int, o_index: int, value: str):
        """Change the text of an option."""

        def change(opts: list) -> bool:
            if not 0 <= o_index < len(opts):
                return False
            opts[o_index]["text"] = str(value)
            return True

        self._with_options(q_index, change)

    @rx.event
    def set_option_flag(self, q_index: int, o_index: int, flag: str, value: bool):
        """Mark an option «Свой вариант» or exclusive («Затрудняюсь ответить»-like)."""

        def change(opts: list) -> bool:
            if flag not in OPTION_FLAGS or not 0 <= o_index < len(opts):
                return False
            opts[o_index][flag] = "1" if value else ""
            return True

        self._with_options(q_index, change)

    # --- saving --------------------------------------------------------------------------
    def _poll_input(self) -> "polls.PollInput":
        """Build the service input from the form.

        Unparsable numbers and dates are collected with every other broken rule and refused at
        once as :class:`PollProblems` (a single problem keeps its own key).
        """
        read: list[tuple[str, InvalidInput]] = []

        def number(name: str, value: str, error: InvalidInput) -> int | None:
            try:
                return _optional_int(value, error)
            except InvalidInput as refused:
                read.append((name, refused))
                return None

        starts_at, ends_at = parse_moscow_input(self.starts), parse_moscow_input(self.ends)
        if starts_at is None or ends_at is None:
            read.append(("starts" if starts_at is None else "ends", InvalidInput("poll.dates_required")))
        questions = []
        for index, (question, opts) in enumerate(zip(self.questions, self.options, strict=True), start=1):
            limit = max(len(opts), 1)
            max_choices = number(
                f"question-{index}",
                question["max_choices"],
                InvalidInput("poll.max_choices_invalid", number=index, limit=limit),
            )
            questions.append(
                polls.QuestionInput(
                    text=question["text"],
                    kind=question["kind"],
                    max_choices=1 if max_choices is None else max_choices,
                    options=[
                        polls.OptionInput(
                            text=o["text"], is_own_text=bool(o["own"]), is_exclusive=bool(o["exclusive"])
                        )
                        for o in opts
                    ],
                )
            )
        ages_error = InvalidInput("poll.children_ages_invalid")
        data = polls.PollInput(
            title=self.title,
            summary=self.summary,
            details=self.details,
            image_url=self.image_url.strip(),
            scope=self.scope,
            okrug_ids=[int(i) for i in self.okrug_ids] if self.scope == "territorial" else [],
            district_ids=[int(i) for i in self.district_ids] if self.scope == "territorial" else [],
            include_work_address=self.include_work,
            min_level=number("min_level", self.min_level, InvalidInput("poll.min_level_invalid")) or 0,
            children_age_min=number("age_min", self.age_min, ages_error),
            children_age_max=number("age_max", self.age_max, ages_error),
            # Placeholders only when a date is unreadable: that problem is already listed.
            starts_at=starts_at or _NO_DATE,
            ends_at=ends_at or _NO_DATE,
            points=number("points", self.points, InvalidInput("poll.points_invalid")),
            hide_intermediate=self.hide_intermediate,
            experts=[
                polls.ExpertInput(name=e["name"], title=e["title"], text=e["text"]) for e in self.experts
            ],
            questions=questions,
        )
        if read:
            validate_poll(data, prior=read)  # raises PollProblems listing these and every other problem
        return data

    @rx.event
    async def save(self):
        """Validate and save the poll; on any refusal nothing is saved and every reason is shown."""
        self.error, self.invalid_fields = "", []
        actor = await actor_of(self)
        try:
            data = self._poll_input()
            if self.pid:
                await call(polls.update_poll, actor_id=actor, poll_id=self.pid, data=data, now=now())
                poll_id = self.pid
            else:
                poll_id = await call(polls.create_poll, actor_id=actor, data=data, now=now())
        except PollProblems as exc:
            self.error, self.invalid_fields = str(exc), exc.fields
            return None
        except DomainError as exc:
            self.error = str(exc)
            return None
        self.pid = poll_id
        return [rx.toast.success(message("ui.poll_form.golosovanie_sokhraneno")), rx.redirect("/staff/polls")]
