"""A poll page: texts, experts, decisions, the step-by-step questionnaire, results and sharing."""

import dataclasses
from urllib.parse import quote

import reflex as rx

from ag_app.domain.errors import DomainError, NotFound
from ag_app.domain.numbers import id_or_none
from ag_app.domain.polls import toggle_choice
from ag_app.i18n import label, message
from ag_app.services import ballots, opendata, points, poll_invitation, polls
from ag_app.services.polls import AnswerInput
from ag_app.settings import get_settings
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, SessionState, actor_of, call, holds_user_data, now

OWN_TEXT_LIMIT = 500

NETWORK_NAMES = {
    "vk": label("ui.poll.vkontakte"),
    "ok": label("ui.poll.odnoklassniki"),
    "telegram": "Telegram",
    "max": "MAX",
}


@dataclasses.dataclass
class ResultOption:
    """One option's share of the answers, as display strings."""

    text: str = ""
    count: str = ""
    percent: str = ""
    # CSS width of the bar, e.g. «42.5%».
    width: str = "0%"
    moscow: str = ""
    other: str = ""


@dataclasses.dataclass
class ResultQuestion:
    """Results of one question."""

    text: str = ""
    answered: str = ""
    options: list[ResultOption] = dataclasses.field(default_factory=list)
    own_texts: list[str] = dataclasses.field(default_factory=list)


def _results_rows(results: polls.PollResults) -> list[ResultQuestion]:
    return [
        ResultQuestion(
            text=q.text,
            answered=label("ui.poll.otvetili", answered=fmt.num(q.answered)),
            options=[
                ResultOption(
                    text=o.text,
                    count=fmt.num(o.count),
                    percent=fmt.percent(o.percent),
                    width=f"{max(0.0, min(100.0, o.percent)):.1f}%",
                    moscow=f"{fmt.percent(o.moscow_percent)} ({fmt.num(o.moscow)})",
                    other=f"{fmt.percent(o.other_percent)} ({fmt.num(o.other)})",
                )
                for o in q.options
            ],
            own_texts=list(q.own_texts),
        )
        for q in results.questions
    ]


def _results_caption(results: polls.PollResults) -> str:
    votes = fmt.plural(
        results.ballots, label("ui.poll.golos"), label("ui.poll.golosa"), label("ui.poll.golosov")
    )
    caption = label("ui.poll.vsego", ballots=fmt.num(results.ballots), votes=votes)
    if results.final:
        caption += label(
            "ui.poll.iz_nikh_s_moskovskikh_nomerov",
            moscow_ballots=fmt.num(results.moscow_ballots),
            other_ballots=fmt.num(results.other_ballots),
        )
    return caption + "."


@holds_user_data
class PollState(FeedbackMixin, rx.State):
    """One poll; the questionnaire keeps its answers server-side and saves a draft on every step."""

    loaded: bool = False
    found: bool = False
    pid: int = 0
    title: str = ""
    summary: str = ""
    details: str = ""
    image_url: str = ""
    territory: str = ""
    scope: str = ""
    points_text: str = ""
    period: str = ""
    state_name: str = ""
    ballots_text: str = ""
    experts: list[dict[str, str]] = []
    decisions: list[dict[str, str]] = []

    logged_in: bool = False
    can_vote: bool = False
    # «Войдите, чтобы проголосовать» only for a guest on a poll that is open now; a closed or not
    # yet started poll shows its state instead (and a link to its results once they are out).
    invite_login: bool = False
    # A territorial poll opened from a share link by someone outside its territory: only its
    # title, state, dates and who may vote are shown (``found`` stays False).
    outsider: bool = False
    who_may_vote: str = ""
    cannot_vote_reason: str = ""
    voted: bool = False

    has_results: bool = False
    results_final: bool = False
    # The final hash of the closed poll's sealed open data ("" while the poll is open).
    open_data_hash: str = ""
    results_caption: str = ""
    results: list[ResultQuestion] = []

    # The questionnaire: the current question (0-based step) and its answer being edited.
    step: int = 0
    total: int = 0
    q_text: str = ""
    q_multiple: bool = False
    q_max: int = 1
    # Options of the current question: id, text, own ("1" for «Свой вариант»), exclusive ("1"/"").
    q_options: list[dict[str, str]] = []
    selected: list[str] = []
    own_text: str = ""
    # «Спасибо! Вам начислено N баллов» after completing.
    success: str = ""
    share_message: str = ""
    share_url: str = ""

    # Questions as plain dicts and the answers given so far ({question id: {option_ids, own_text}}).
    _questions: list[dict] = []
    _answers: dict[str, dict] = {}

    @rx.var
    def own_selected(self) -> bool:
        """Whether «Свой вариант» is chosen in the current question (shows the text area)."""
        own = {o["id"] for o in self.q_options if o["own"]}
        return bool(own & set(self.selected))

    @rx.var
    def single_value(self) -> str:
        """The chosen option of a single-choice question (for the radio group)."""
        return self.selected[0] if self.selected else ""

    @rx.var
    def is_last(self) -> bool:
        return self.total > 0 and self.step == self.total - 1

    @rx.var
    def progress_text(self) -> str:
        return label("ui.poll.vopros_iz", p1=self.step + 1, total=self.total) if self.total else ""

    @rx.var
    def share_links(self) -> list[dict[str, str]]:
        """Share addresses of the poll page in the social networks (MAX gets the link copied)."""
        url = quote(self.share_url, safe="")
        text = quote(self.title, safe="")
        return [
            {
                "network": "vk",
                "name": label("ui.poll.vkontakte"),
                "href": f"https://vk.com/share.php?url={url}&title={text}",
            },
            {
                "network": "ok",
                "name": label("ui.poll.odnoklassniki"),
                "href": f"https://connect.ok.ru/offer?url={url}&title={text}",
            },
            {
                "network": "telegram",
                "name": "Telegram",
                "href": f"https://t.me/share/url?url={url}&text={text}",
            },
        ]

    def _poll_id(self) -> int | None:
        return id_or_none(self.poll_id)  # the dynamic route argument of /polls/[poll_id]

    def _fill(self, view: polls.PollDetail) -> None:
        self.pid = view.id
        self.title, self.summary, self.details = view.title, view.summary, view.details
        self.image_url, self.territory = view.image_url, view.territory
        self.scope = (
            label("ui.poll.obshchegorodskoe_golosovanie")
            if view.scope == "city"
            else label("ui.poll.raionnoe_golosovanie")
        )
        self.points_text = label("ui.poll.za_uchastie", points=fmt.points_word(view.points))
        self.period = f"{fmt.when(view.starts_at)} — {fmt.when(view.ends_at)}"
        self.state_name = view.state_name
        self.ballots_text = label("ui.common.progolosovali", ballots_count=fmt.num(view.ballots_count))
        self.experts = [{"name": e.name, "title": e.title, "text": e.text} for e in view.experts]
        self.decisions = [
            {
                "text": d.text,
                "status": d.status,
                "status_name": d.status_name,
                "date": (
                    label("ui.poll.realizovano", implemented_at=fmt.day(d.implemented_at))
                    if d.implemented_at
                    else label("ui.poll.priniato", created_at=fmt.day(d.created_at))
                ),
            }
            for d in view.decisions
        ]
        self.can_vote, self.voted = view.can_vote, view.voted
        self.invite_login = not self.logged_in and view.state == "active"
        # Someone who voted is told so first, whatever else (e.g. the end of the poll) also applies.
        self.cannot_vote_reason = message("poll.already_voted") if view.voted else view.cannot_vote_reason
        self._set_results(view.results)
        self._questions = [
            {
                "id": q.id,
                "text": q.text,
                "multiple": q.kind == "multiple",
                "max": q.max_choices,
                "options": [
                    {
                        "id": str(o.id),
                        "text": o.text,
                        "own": "1" if o.is_own_text else "",
                        "exclusive": "1" if o.is_exclusive else "",
                    }
                    for o in q.options
                ],
            }
            for q in view.questions
        ]
        self.total = len(self._questions)
        self.share_url = f"{get_settings().public_url.rstrip('/')}/polls/{view.id}"

    def _set_results(self, results: polls.PollResults | None) -> None:
        self.has_results = results is not None
        self.results_final = bool(results and results.final)
        self.results = _results_rows(results) if results else []
        self.results_caption = _results_caption(results) if results else ""

    def _show_step(self, step: int) -> None:
        """Show question ``step`` with the answer given to it so far."""
        if not self._questions:
            return
        self.step = min(max(step, 0), len(self._questions) - 1)
        question = self._questions[self.step]
        self.q_text = question["text"]
        self.q_multiple = question["multiple"]
        self.q_max = question["max"]
        self.q_options = question["options"]
        answer = self._answers.get(str(question["id"]), {})
        self.selected = [str(i) for i in answer.get("option_ids", [])]
        self.own_text = answer.get("own_text", "")

    def _keep_current(self) -> None:
        """Remember the answer of the question on screen."""
        if not self._questions:
            return
        question = self._questions[self.step]
        own_ids = {o["id"] for o in question["options"] if o["own"]}
        self._answers = {
            **self._answers,
            str(question["id"]): {
                "option_ids": [int(i) for i in self.selected],
                "own_text": self.own_text if own_ids & set(self.selected) else "",
            },
        }

    def _answer_inputs(self) -> list[AnswerInput]:
        return [
            AnswerInput(question_id=q["id"], option_ids=list(a["option_ids"]), own_text=a["own_text"])
            for q in self._questions
            if (a := self._answers.get(str(q["id"]))) is not None
        ]

    async def _show_invitation(self, poll_id: int, refusal: str) -> None:
        """An outsider's view of a territorial poll (title, state, voters), else the refusal."""
        try:
            invitation = await call(poll_invitation.poll_invitation, poll_id=poll_id, now=now())
        except NotFound:
            self.error, self.loaded = refusal, True
            return
        self.pid, self.title = invitation.poll_id, invitation.title
        self.who_may_vote = invitation.who_may_vote
        self.state_name = invitation.state_name
        self.period = f"{fmt.when(invitation.starts_at)} — {fmt.when(invitation.ends_at)}"
        self.invite_login = not self.logged_in and invitation.state == "active"
        self.outsider = self.loaded = True

    @rx.event
    async def load(self):
        """Open the poll page; restore a saved draft when the user may vote."""
        self._clear_feedback()
        self.success = self.share_message = ""
        self.loaded = self.found = self.outsider = False
        self.who_may_vote = ""
        self._answers = {}
        self.step = 0
        # Show «Загрузка…» at once instead of the previously opened poll.
        yield
        actor = await actor_of(self)
        self.logged_in = actor is not None
        poll_id = self._poll_id()
        if poll_id is None:
            self.error = message("poll.not_found")
            self.loaded = True
            return
        try:
            view = await call(polls.get_poll, actor_id=actor, poll_id=poll_id, now=now())
            draft = (
                await call(ballots.get_draft, actor_id=actor, poll_id=poll_id)
                if view.can_vote and actor is not None
                else []
            )
        except NotFound as error:
            await self._show_invitation(poll_id, str(error))
            return
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self._fill(view)
        self.open_data_hash = ""
        if view.state in opendata.PUBLISHED_STATES:
            try:
                seal = await call(opendata.get_seal, actor_id=actor, poll_id=poll_id, now=now())
            except DomainError:
                seal = None  # e.g. a staff preview of a draft: no open data, the page still shows
            self.open_data_hash = seal.final_hash if seal else ""
        self._answers = {
            str(a.question_id): {"option_ids": list(a.option_ids), "own_text": a.own_text} for a in draft
        }
        answered = [
            i for i, q in enumerate(self._questions) if self._answers.get(str(q["id"]), {}).get("option_ids")
        ]
        first_open = next((i for i in range(self.total) if i not in answered), max(self.total - 1, 0))
        self._show_step(first_open)
        self.found = self.loaded = True

    @rx.event
    def choose_single(self, option_id: str):
        """Pick the option of a single-choice question."""
        option_id = str(option_id)
        if any(o["id"] == option_id for o in self.q_options):
            self.selected = [option_id]
            self.error = ""

    @rx.event
    def toggle_option(self, option_id: str, checked: bool):
        """Tick or untick an option of a multiple-choice question (at most ``q_max``)."""
        options = {o["id"]: o for o in self.q_options}
        option_id = str(option_id)
        if option_id not in options:
            return
        exclusive = {i for i, o in options.items() if o["exclusive"]}
        chosen = toggle_choice(self.selected, option_id, bool(checked), exclusive=exclusive, limit=self.q_max)
        if chosen is None:
            self.error = message("poll.too_many_choices", number=self.step + 1, limit=self.q_max)
            return
        self.error = ""
        self.selected = chosen

    @rx.event
    def set_own_text(self, value: str):
        """Type the «Свой вариант» answer (at most 500 characters)."""
        self.own_text = str(value)[:OWN_TEXT_LIMIT]

    def _current_missing(self) -> str:
        """The message for an unanswered current question, or ""."""
        question = self._questions[self.step]
        if not self.selected:
            return message("poll.answer_required", number=self.step + 1, text=question["text"])
        if self.own_selected and not self.own_text.strip():
            return message("poll.own_text_required", number=self.step + 1)
        return ""

    async def _save_draft(self, actor: int | None) -> bool:
        try:
            await call(
                ballots.save_draft, actor_id=actor, poll_id=self.pid, answers=self._answer_inputs(), now=now()
            )
        except DomainError as error:
            self.error = str(error)
            return False
        return True

    @rx.event
    async def next_question(self):
        """Save the answer and go to the next question."""
        if not self._questions or not self.can_vote:
            return
        self.error = ""
        missing = self._current_missing()
        if missing:
            self.error = missing
            return
        self._keep_current()
        if await self._save_draft(await actor_of(self)):
            self._show_step(self.step + 1)

    @rx.event
    async def previous_question(self):
        """Go back one question (the answer on screen is kept)."""
        if not self._questions:
            return
        self.error = ""
        self._keep_current()
        await self._save_draft(await actor_of(self))
        self._show_step(self.step - 1)

    @rx.event
    async def finish(self):
        """«Завершить голосование»: complete the ballot; points and results come back at once."""
        if not self._questions or not self.can_vote:
            return
        self.error = ""
        missing = self._current_missing()
        if missing:
            self.error = missing
            return
        self._keep_current()
        actor = await actor_of(self)
        try:
            outcome = await call(
                ballots.complete_ballot,
                actor_id=actor,
                poll_id=self.pid,
                answers=self._answer_inputs(),
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self._answers = {}
        try:
            self._fill(await call(polls.get_poll, actor_id=actor, poll_id=self.pid, now=now()))
        except DomainError:
            self.voted, self.can_vote = True, False
            self.cannot_vote_reason = message("poll.already_voted")
            self._set_results(outcome.results)
        self.success = message(
            "ui.poll.spasibo_vash_golos_uchten_vam", points_credited=fmt.points_word(outcome.points_credited)
        )
        return SessionState.refresh

    @rx.event
    async def share(self, network: str):
        """Record a share of this poll (points within the monthly caps) and say how many were credited."""
        network = str(network)
        if network not in NETWORK_NAMES or not self.pid:
            return
        actor = await actor_of(self)
        if actor is None:
            self.share_message = message("ui.poll.voidite_chtoby_poluchat_bally_za")
            return
        try:
            credited = await call(
                points.record_share, actor_id=actor, poll_id=self.pid, network=network, now=now()
            )
        except DomainError as error:
            self.share_message = str(error)
            return
        name = NETWORK_NAMES[network]
        if credited:
            self.share_message = message(
                "ui.poll.spasibo_za_publikatsiiu_v_nachisleno", name=name, credited=fmt.points_word(credited)
            )
        else:
            self.share_message = message("ui.poll.publikatsiia_v_uchtena_bally_ne", name=name)
        if network == "max":
            self.share_message = (
                message("ui.poll.ssylka_na_golosovanie_skopirovana_otprav") + self.share_message
            )
            return rx.set_clipboard(self.share_url)
