"""«Новости»: published results, decisions and campaign news, each linking to its poll."""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.i18n import label
from ag_app.services import polls
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, call

PAGE_SIZE = 20
KIND_NAMES = {
    "results": label("ui.news.itogi"),
    "decision": label("ui.news.reshenie"),
    "news": label("ui.news.novost"),
}


def news_row(item: polls.NewsView) -> dict[str, str]:
    """A news item's display fields (all strings)."""
    return {
        "id": str(item.id),
        "kind": KIND_NAMES.get(item.kind, label("ui.news.novost")),
        "title": item.title,
        "body": item.body,
        "date": fmt.day(item.published_at),
        "href": f"/polls/{item.poll_id}" if item.poll_id else "",
    }


class NewsState(FeedbackMixin, rx.State):
    """The news feed, newest first, loaded a page at a time («Показать ещё»)."""

    items: list[dict[str, str]] = []
    has_more: bool = False
    loaded: bool = False

    async def _fetch(self, offset: int) -> list[dict[str, str]] | None:
        try:
            rows = await call(polls.list_news, limit=PAGE_SIZE + 1, offset=offset)
        except DomainError as error:
            self.error = str(error)
            return None
        self.has_more = len(rows) > PAGE_SIZE
        return [news_row(n) for n in rows[:PAGE_SIZE]]

    @rx.event
    async def load(self):
        """Show the first page."""
        self._clear_feedback()
        rows = await self._fetch(0)
        self.items = rows or []
        self.loaded = True

    @rx.event
    async def more(self):
        """Append the next page."""
        rows = await self._fetch(len(self.items))
        if rows:
            self.items = [*self.items, *rows]
