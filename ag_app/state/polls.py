"""«Голосования»: the list of active polls and the past polls (own answers marked)."""

import dataclasses
import math

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.i18n import label
from ag_app.services import polls
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now

PAGE_SIZE = 10


def poll_row(p: polls.PollSummary) -> dict[str, str]:
    """A poll card's display fields (all strings)."""
    return {
        "id": str(p.id),
        "href": f"/polls/{p.id}",
        "title": p.title,
        "summary": p.summary,
        "image_url": p.image_url,
        "territory": p.territory,
        "scope": label("ui.polls.gorodskoe") if p.scope == "city" else label("ui.polls.raionnoe"),
        "points": f"+{fmt.points_word(p.points)}",
        "period": f"{fmt.day(p.starts_at)} — {fmt.day(p.ends_at)}",
        "ends": label("ui.polls.do", ends_at=fmt.when(p.ends_at)),
        "state_name": p.state_name,
        "ballots": label("ui.common.progolosovali", ballots_count=fmt.num(p.ballots_count)),
        "voted": "1" if p.voted else "",
    }


@dataclasses.dataclass
class PastOption:
    """An option of a past poll's question; ``chosen`` marks the user's own answer."""

    text: str = ""
    chosen: bool = False


@dataclasses.dataclass
class PastQuestion:
    """A question of a past poll with the user's answers."""

    text: str = ""
    options: list[PastOption] = dataclasses.field(default_factory=list)
    own_text: str = ""


@dataclasses.dataclass
class PastPollRow:
    """A poll the user completed."""

    href: str = ""
    title: str = ""
    completed: str = ""
    points: str = ""
    questions: list[PastQuestion] = dataclasses.field(default_factory=list)
    # The ballot's receipt code and, once the poll has closed, the link to its open data.
    receipt: str = ""
    open_data_href: str = ""


@holds_user_data
class PollsState(FeedbackMixin, rx.State):
    """Tabs «Активные» / «Прошедшие»; big lists stay on the server and are paged."""

    tab: str = "active"
    logged_in: bool = False
    loaded: bool = False
    active: list[dict[str, str]] = []
    # My completed polls (one page of them).
    mine: list[PastPollRow] = []
    mine_page: int = 1
    mine_pages: int = 1
    # Finished polls (one page of them).
    closed: list[dict[str, str]] = []
    closed_page: int = 1
    closed_pages: int = 1
    _mine: list[dict] = []
    _closed: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Load the active polls (and, for a logged-in user, the past ones)."""
        self._clear_feedback()
        tab = self.router.url.query_parameters.get("tab", "")
        self.tab = "past" if tab == "past" else "active"
        actor = await actor_of(self)
        self.logged_in = actor is not None
        moment = now()
        try:
            active = await call(polls.list_polls, actor_id=actor, status="active", now=moment)
            closed = await call(polls.list_polls, actor_id=actor, status="closed", now=moment)
            mine = await call(polls.my_past_polls, actor_id=actor, now=moment) if actor is not None else []
        except DomainError as error:
            self.error = str(error)
            return
        self.active = [poll_row(p) for p in active]
        self._closed = [poll_row(p) for p in closed]
        self._mine = [
            {
                "href": f"/polls/{p.poll_id}",
                "title": p.title,
                "completed": label("ui.polls.vy_progolosovali", completed_at=fmt.when(p.completed_at)),
                "points": f"+{fmt.points_word(p.points)}",
                "receipt": p.receipt,
                "open_data_href": f"/polls/{p.poll_id}/open-data" if p.state in ("closed", "results") else "",
                "questions": [
                    {
                        "text": q.text,
                        "options": [{"text": t, "chosen": c} for t, c in q.options],
                        "own": q.own_text,
                    }
                    for q in p.questions
                ],
            }
            for p in mine
        ]
        self.closed_pages = max(1, math.ceil(len(self._closed) / PAGE_SIZE))
        self.mine_pages = max(1, math.ceil(len(self._mine) / PAGE_SIZE))
        self._show_closed(1)
        self._show_mine(1)
        self.loaded = True

    def _show_closed(self, page: int) -> None:
        self.closed_page = min(max(page, 1), self.closed_pages)
        start = (self.closed_page - 1) * PAGE_SIZE
        self.closed = self._closed[start : start + PAGE_SIZE]

    def _show_mine(self, page: int) -> None:
        self.mine_page = min(max(page, 1), self.mine_pages)
        start = (self.mine_page - 1) * PAGE_SIZE
        self.mine = [
            PastPollRow(
                href=p["href"],
                title=p["title"],
                completed=p["completed"],
                points=p["points"],
                receipt=p["receipt"],
                open_data_href=p["open_data_href"],
                questions=[
                    PastQuestion(
                        text=q["text"],
                        options=[PastOption(text=o["text"], chosen=o["chosen"]) for o in q["options"]],
                        own_text=q["own"],
                    )
                    for q in p["questions"]
                ],
            )
            for p in self._mine[start : start + PAGE_SIZE]
        ]

    @rx.event
    def set_tab(self, value: str):
        """Switch between «Активные» and «Прошедшие»."""
        self.tab = "past" if value == "past" else "active"

    @rx.event
    def closed_prev(self):
        """Previous page of finished polls."""
        self._show_closed(self.closed_page - 1)

    @rx.event
    def closed_next(self):
        """Next page of finished polls."""
        self._show_closed(self.closed_page + 1)

    @rx.event
    def mine_prev(self):
        """Previous page of my past polls."""
        self._show_mine(self.mine_page - 1)

    @rx.event
    def mine_next(self):
        """Next page of my past polls."""
        self._show_mine(self.mine_page + 1)
