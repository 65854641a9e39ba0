"""«Итоги конкурсов» (``/contest/results``, public) and «Мои призы» (``/contest/prizes``, the winner's).

The results page lists the published contests and shows one of them (``?contest=ID`` or the newest):
its winners with shortened names and masked e-mails only, the seal of the final rating and how to
check a downloaded file. The prizes page lists the prizes the logged-in resident holds and takes a
claim (payout details for an SBP transfer) for an unclaimed one within its month; the details are
sent to the service and never shown back. Ids from the client go through
:mod:`ag_app.domain.numbers`; the services decide who may claim what.
"""

import reflex as rx

from ag_app.domain.clock import as_utc
from ag_app.domain.contest import MONTHS, parse_period
from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message, status
from ag_app.services.contest.board import rub_text
from ag_app.services.contest.claims import PrizeView, claim_prize, my_prizes
from ag_app.services.contest.finalise import SealView, Winner, final_results
from ag_app.services.contest.results import PublishedContest, published_contest, published_contests
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, UserPageMixin, actor_of, call, holds_user_data, now
from ag_app.state.staff_common import moscow_text

# ------------------------------------------------------------------------------- /contest/results


def period_text(period: str) -> str:
    """«ноябрь 2026» for ``2026-11``."""
    year, month = parse_period(period)
    return f"{MONTHS[month - 1]} {year}"


def _contest_row(contest: PublishedContest) -> dict[str, str]:
    return {
        "id": str(contest.id),
        "period": period_text(contest.period),
        "title": contest.title,
        "published": moscow_text(contest.published_at),
        "winners": fmt.num(contest.winners),
    }


def _winner_row(winner: Winner) -> dict[str, str]:
    return {
        "place": str(winner.place),
        "name": winner.name,
        "email": winner.email,
        "number": str(winner.number),
        "points": fmt.num(winner.points),
        "prize": rub_text(winner.prize),
    }


def verify_command(contest_id: int, sha256: str) -> str:
    """The exact command that checks a downloaded final rating against its published hash."""
    return f"ag-app verify-rating contest-{contest_id}-final.csv --expect-hash {sha256}"


class ContestResultsState(FeedbackMixin, rx.State):
    """``/contest/results``: the published contests and the selected one's winners and seal."""

    loaded: bool = False
    # id, period («ноябрь 2026»), title, published («01.12.2026 10:00», Moscow), winners («5»).
    contests: list[dict[str, str]] = []
    # The selected contest ("" when none is shown).
    cid: str = ""
    title: str = ""
    period: str = ""
    published: str = ""
    # «07.01.2027»: the winners claim their prizes until this day (Moscow).
    claim_until: str = ""
    # place, name («Анна С.»), email («a***@mail.ru»), number, points, prize («2 000 ₽»).
    winners: list[dict[str, str]] = []
    sha256: str = ""
    rows: str = ""
    version: str = ""
    # Why the final rating was re-ranked after publication ("" for the first version).
    reason: str = ""
    csv_url: str = ""
    command: str = ""

    def _forget_selected(self) -> None:
        self.cid = self.title = self.period = self.published = self.claim_until = ""
        self.sha256 = self.rows = self.version = self.reason = self.csv_url = self.command = ""
        self.winners = []

    def _fill(self, contest: PublishedContest, seal: SealView, winners: list[Winner]) -> None:
        self.cid, self.title = str(contest.id), contest.title
        self.period, self.published = period_text(contest.period), moscow_text(contest.published_at)
        self.claim_until = fmt.short_day(as_utc(contest.claim_until))
        self.winners = [_winner_row(winner) for winner in winners]
        self.sha256, self.rows, self.version = seal.sha256, fmt.num(seal.rows), str(seal.version)
        self.reason = seal.reason if seal.version > 1 else ""
        self.csv_url = f"/api/v1/contests/{contest.id}/final.csv"
        self.command = verify_command(contest.id, seal.sha256)

    async def _show(self, contest_id: int) -> None:
        try:
            contest = await call(published_contest, contest_id=contest_id)
            seal, winners = await call(final_results, contest_id=contest_id)
        except DomainError as error:
            self.error = str(error)
            return
        self._fill(contest, seal, winners)

    @rx.event
    async def load(self):
        """Open the list; show ``?contest=ID`` when given, else the newest published contest."""
        self._clear_feedback()
        self._forget_selected()
        try:
            contests = await call(published_contests)
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self.contests = [_contest_row(contest) for contest in contests]
        raw = self.router.url.query_parameters.get("contest", "")
        if raw:
            wanted = id_or_none(raw)
            if wanted is None:
                self.error = message("contest.not_final")
            else:
                await self._show(wanted)
        elif contests:
            await self._show(contests[0].id)
        self.loaded = True

    @rx.event
    async def select_contest(self, contest_id: str):
        """Show another published contest (any finalised one is public)."""
        self._clear_feedback()
        wanted = id_or_none(contest_id)
        if wanted is None:
            self.error = message("contest.not_final")
            return
        await self._show(wanted)


# -------------------------------------------------------------------------------- /contest/prizes

AWARDED, CLAIMED, PASSED = "awarded", "claimed", "passed"
# How the holder sees a prize's status.
PRIZE_STATUS = {
    AWARDED: status("prize", AWARDED),
    CLAIMED: status("prize", CLAIMED),
    PASSED: label("contest.prize_passed_to_you"),
}
LATE_STATUS = label("ui.contest_results.srok_zaiavki_istek")
# The longest text a claim field may carry to the service (which checks the real limits).
FIELD_LIMIT = 200
CLAIM_FIELDS = ("last_name", "first_name", "phone", "bank")


def _prize_row(prize: PrizeView) -> dict[str, str]:
    until = fmt.short_day(prize.claim_until)
    waiting = prize.status != CLAIMED
    late = waiting and as_utc(now()) > as_utc(prize.claim_until)
    if late:
        status, note = LATE_STATUS, message("contest.prize_claim_late", until=until)
    else:
        status, note = PRIZE_STATUS.get(prize.status, prize.status), ""
    return {
        "id": str(prize.id),
        "contest": prize.contest,
        "place": str(prize.place),
        "amount": rub_text(prize.amount),
        "status": "late" if late else prize.status,
        "status_name": status,
        "until": until,
        # "1": the claim form is shown (unclaimed, within its month).
        "open": "1" if waiting and not late else "",
        "note": note,
    }


def _form_text(form: object, key: str) -> str | None:
    """A text field of the submitted form, or None when missing, not text or far too long."""
    value = form.get(key) if isinstance(form, dict) else None
    if not isinstance(value, str) or len(value) > FIELD_LIMIT:
        return None
    return value


@holds_user_data
class ContestPrizesState(UserPageMixin, rx.State):
    """``/contest/prizes`` «Мои призы»: the prizes one holds and the claim form of each unclaimed one."""

    loaded: bool = False
    # id, contest, place, amount («2 000 ₽»), status, status_name, until («07.01.2027»), open, note.
    prizes: list[dict[str, str]] = []
    # Changed after a saved claim so the forms are drawn empty again.
    form_key: int = 0

    async def _fill(self, actor: int) -> None:
        self.prizes = [_prize_row(prize) for prize in await call(my_prizes, actor_id=actor)]
        self.loaded = True

    @rx.event
    async def load(self):
        """Open «Мои призы»: guests go to the login page."""
        return await self._open()

    @rx.event
    async def claim(self, form: dict):
        """«Заявить приз»: payout details for an SBP transfer (the service checks holder, month, fields)."""
        self._clear_feedback()
        actor = await actor_of(self)
        if actor is None:
            self.error = message("auth.required")
            return
        prize_id = id_or_none(form.get("prize_id") if isinstance(form, dict) else None)
        if prize_id is None:
            self.error = message("contest.prize_not_found")
            return
        fields = {key: _form_text(form, key) for key in CLAIM_FIELDS}
        if any(value is None for value in fields.values()):
            self.error = message("contest.claim_fields_missing")
            return
        try:
            await call(claim_prize, actor_id=actor, prize_id=prize_id, now=now(), **fields)
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("contest.prize_claim_saved")
        self.form_key += 1
        try:
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
