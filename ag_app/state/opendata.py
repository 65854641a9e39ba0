"""«Открытые данные голосования»: the seal, a server-paged table, «Найти мой голос», receipt checks."""

import dataclasses

import reflex as rx

from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.numbers import id_or_none, parse_int, parse_page
from ag_app.i18n import message
from ag_app.services import opendata
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, now

PAGE_SIZE = opendata.PAGE_SIZE
NOT_FOUND = message("open_data.receipt_not_found")


@dataclasses.dataclass
class TableRow:
    """A row of the table; ``mine`` marks the logged-in voter's own row."""

    cells: list[str] = dataclasses.field(default_factory=list)
    mine: bool = False


class OpenDataState(FeedbackMixin, rx.State):
    """One poll's open data; only the page on screen (50 rows) is held in the browser."""

    loaded: bool = False
    found: bool = False
    pid: int = 0
    title: str = ""
    rows_text: str = ""
    rows_count: int = 0
    final_hash: str = ""
    header: list[str] = []
    rows: list[TableRow] = []
    page: int = 1
    pages: int = 1
    page_input: str = "1"
    logged_in: bool = False
    # The receipt of the highlighted own row ("" when none is shown).
    mine_receipt: str = ""
    mine_message: str = ""
    receipt_input: str = ""
    receipt_row: list[str] = []
    receipt_message: str = ""

    @rx.var
    def csv_url(self) -> str:
        return f"/api/v1/polls/{self.pid}/open-data.csv"

    @rx.var
    def xlsx_url(self) -> str:
        return f"/api/v1/polls/{self.pid}/open-data.xlsx"

    @rx.var
    def seal_url(self) -> str:
        return f"/api/v1/polls/{self.pid}/open-data/seal"

    @rx.var
    def verify_success(self) -> str:
        """What «Проверить файл» says when the chosen file matches the seal (its rows are the seal's)."""
        form = fmt.plural(self.rows_count, "one", "few", "many")
        return message(f"open_data.verify_ok_{form}", count=fmt.num(self.rows_count))

    @rx.var
    def verify_command(self) -> str:
        return f"ag-app verify-open-data poll-{self.pid}-open-data.csv --expect-hash {self.final_hash}"

    def _poll_id(self) -> int | None:
        return id_or_none(self.poll_id)  # the dynamic route argument of /polls/[poll_id]/open-data

    async def _show(self, page: int) -> None:
        """Load page ``page`` of the table from the server (refusals go to the alert region)."""
        try:
            view = await call(opendata.open_data_page, poll_id=self.pid, page=page, size=PAGE_SIZE, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.error = ""
        self.page, self.pages, self.page_input = view.page, view.pages, str(view.page)
        self.rows = [TableRow(cells=r.cells(), mine=r.receipt == self.mine_receipt) for r in view.rows]

    @rx.event
    async def load(self):
        """Open the page: the seal and the first page of rows (or ``?page=N``)."""
        self._clear_feedback()
        self.loaded = self.found = False
        self.mine_receipt = self.mine_message = self.receipt_message = ""
        self.receipt_row, self.rows = [], []
        yield
        self.logged_in = await actor_of(self) is not None
        poll_id = self._poll_id()
        if poll_id is None:
            self.error = message("poll.not_found")
            self.loaded = True
            return
        try:
            seal = await call(opendata.get_seal, actor_id=None, poll_id=poll_id, now=now())
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self.pid, self.title = seal.poll_id, seal.title
        self.rows_text = fmt.num(seal.rows)
        self.rows_count = seal.rows
        self.final_hash = seal.final_hash
        self.header = seal.header
        try:
            page = parse_page(self.router.url.query_parameters.get("page", "1"))
        except InvalidInput:
            page = 1
        await self._show(page)
        self.found = self.loaded = True

    @rx.event
    async def prev_page(self):
        """The previous page."""
        if self.page > 1:
            await self._show(self.page - 1)

    @rx.event
    async def next_page(self):
        """The next page."""
        if self.page < self.pages:
            await self._show(self.page + 1)

    @rx.event
    def set_page_input(self, value: str):
        """Remember the typed page number."""
        self.page_input = value[:10]

    @rx.event
    async def go_to_page(self, _form: dict):
        """Jump to the typed page number."""
        try:
            page = parse_int(self.page_input.strip(), low=1, high=max(self.pages, 1))
        except InvalidInput:
            self.error = message("ui.opendata.vvedite_nomer_stranitsy_ot_1", pages=fmt.num(self.pages))
            return
        await self._show(page)

    @rx.event
    async def find_mine(self):
        """«Найти мой голос»: jump to the page of the voter's own row and highlight it."""
        self._clear_feedback()
        actor = await actor_of(self)
        if actor is None:
            self.mine_message = message("ui.opendata.voidite_chtoby_naiti_svoi_golos")
            return
        try:
            row = await call(opendata.my_row, actor_id=actor, poll_id=self.pid, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        if row is None:
            self.mine_receipt = ""
            self.mine_message = message("ui.opendata.vy_ne_golosovali_v_etom")
            return
        self.mine_receipt = row.receipt
        self.mine_message = message(
            "ui.opendata.vash_golos_stroka_kod_kvitantsii", number=fmt.num(row.number), receipt=row.receipt
        )
        await self._show((row.number - 1) // PAGE_SIZE + 1)
        yield rx.scroll_to("my-row")

    @rx.event
    def set_receipt_input(self, value: str):
        """Remember the pasted receipt code."""
        self.receipt_input = value[:64]

    @rx.event
    async def check_receipt(self, _form: dict):
        """Show the row of the pasted receipt code, or say that no such ballot exists."""
        self.receipt_row, self.receipt_message = [], ""
        try:
            row = await call(opendata.find_receipt, poll_id=self.pid, code=self.receipt_input, now=now())
        except DomainError as error:
            self.receipt_message = str(error)
            return
        if row is None:
            self.receipt_message = NOT_FOUND
            return
        self.receipt_row = row.cells()
        self.receipt_message = message(
            "ui.opendata.golos_naiden_stroka_iz", number=fmt.num(row.number), rows_text=self.rows_text
        )
