"""``/staff/contest/manage`` «Конкурс чеков: управление» (staff): the month's contests, a new
parallel contest, the seller registry upload, «Подвести итоги» and the prizes of final ratings.

Every handler calls a service that checks the staff role again, so a resident calling a handler by
name over the websocket changes nothing. Ids sent by the browser are parsed with
:mod:`ag_app.domain.numbers`; the form's numbers are checked here and by the service.
"""

import re

import reflex as rx

from ag_app.domain import numfmt
from ag_app.domain.contest import CATEGORIES, ReviewRules
from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.numbers import id_or_none, parse_count
from ag_app.i18n import label, message
from ag_app.services.contest import contests, finalise, sellers, staff
from ag_app.services.contest.contests import ContestDraft
from ag_app.services.contest.staff import StaffContest, StaffPrize
from ag_app.services.registry import list_okrugs
from ag_app.state.base import actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import StaffMonthMixin, moscow_text

REGISTRY_UPLOAD_ID = "contest-registry"
MAX_REGISTRY_BYTES = 5 * 1024 * 1024
_SPLIT = re.compile(r"[,;\s]+")
_LIST_LIMIT = 20_000
DEFAULT_RULES = ReviewRules()


def split_list(raw: str) -> tuple[str, ...]:
    """Items of a comma-, semicolon- or line-separated list («7707083893, 7736050003»)."""
    return tuple(part for part in _SPLIT.split(raw.strip()) if part)


def parse_prizes(raw: str) -> tuple[int, ...]:
    """«3000, 2000, 1000» (or «3 000; 2 000») → (3000, 2000, 1000)."""
    prizes = []
    for part in re.split(r"[,;\n]+", raw):
        digits = part.strip().replace(" ", "").replace("\u00a0", "").removesuffix("₽")
        if not digits:
            continue
        try:
            prizes.append(parse_count(digits, high=10_000_000))
        except InvalidInput:
            raise InvalidInput("contest.prizes_format") from None
    return tuple(prizes)


def _threshold(form: dict, key: str, default: int) -> int:
    raw = form_text(form, key, 12)
    if raw is None:
        raise InvalidInput("contest.rules_format")
    if not raw.strip():
        return default
    try:
        return parse_count(raw.strip(), high=100_000)
    except InvalidInput:
        raise InvalidInput("contest.rules_format") from None


def draft_of(form: object, period: str, okrug_ids: set[int]) -> ContestDraft:
    """The parallel contest a submitted form describes (refused with a Russian message)."""
    if not isinstance(form, dict):
        raise InvalidInput("contest.form_invalid")
    texts = {key: form_text(form, key, _LIST_LIMIT) for key in ("title", "regions", "partner_inns", "prizes")}
    if any(value is None for value in texts.values()):
        raise InvalidInput("contest.form_invalid")
    ticked = {key for key, value in form.items() if value in ("on", "true", True, "1")}
    categories = tuple(key for key in CATEGORIES if f"category_{key}" in ticked)
    okrugs = tuple(sorted(okrug for okrug in okrug_ids if f"okrug_{okrug}" in ticked))
    return ContestDraft(
        period=period,
        title=texts["title"] or "",
        categories=categories,
        regions=split_list(texts["regions"] or ""),
        partner_inns=split_list(texts["partner_inns"] or ""),
        okrugs=okrugs,
        prizes=parse_prizes(texts["prizes"] or ""),
        daily_limit=_threshold(form, "daily_limit", DEFAULT_RULES.daily_limit),
        split_count=_threshold(form, "split_count", DEFAULT_RULES.split_count),
        split_minutes=_threshold(form, "split_minutes", DEFAULT_RULES.split_minutes),
    )


def contest_row(contest: StaffContest) -> dict[str, str]:
    return {
        "id": str(contest.id),
        "title": contest.title,
        "kind": label("ui.contest_manage.obshchii")
        if contest.general
        else label("ui.contest_manage.parallel_nyi"),
        "conditions": contest.conditions,
        "prizes": contest.prizes,
        "status": contest.status_name,
        "participants": str(contest.participants),
        "can_finalise": "1" if contest.can_finalise else "",
        "sha256": contest.sha256,
        "published_at": moscow_text(contest.published_at),
        "claim_until": moscow_text(contest.claim_until),
    }


def prize_row(contest: str, prize: StaffPrize) -> dict[str, str]:
    return {
        "id": str(prize.id),
        "contest": contest,
        "place": str(prize.place),
        "amount": numfmt.rubles(prize.amount),
        "holder": str(prize.holder),
        "status": prize.status_name,
        "claim_until": moscow_text(prize.claim_until),
        "claim": prize.claim or "—",
        "can_pass": "1" if prize.can_pass else "",
    }


@holds_user_data
class StaffContestManageState(StaffMonthMixin, rx.State):
    """The month's contests, their prizes, the creation form and the registry upload (staff)."""

    loaded: bool = False
    allowed: bool = False
    period: str = ""
    contests: list[dict[str, str]] = []
    prizes: list[dict[str, str]] = []
    okrugs: list[dict[str, str]] = []
    # The seal of the contest finalised last («Подвести итоги»).
    last_seal: str = ""
    # Bumped after a contest is created, so the form's uncontrolled inputs are emptied.
    form_version: int = 0

    async def _reload(self) -> None:
        actor = await actor_of(self)
        moment = now()
        views = await call(staff.staff_contests, actor_id=actor, period=self.period, now=moment)
        self.contests = [contest_row(view) for view in views]
        rows = []
        for view in views:
            if view.status == staff.FINAL:
                prizes = await call(staff.staff_prizes, actor_id=actor, contest_id=view.id, now=moment)
                rows += [prize_row(view.title, prize) for prize in prizes]
        self.prizes = rows
        if not self.okrugs:
            self.okrugs = [
                {"id": str(o.id), "name": f"{o.abbrev} — {o.name}"} for o in await call(list_okrugs)
            ]
        self.allowed = True

    def _forbid(self) -> None:
        self.allowed = False
        self.contests, self.prizes, self.okrugs = [], [], []
        self.last_seal = ""

    def _month_changed(self) -> None:
        self.last_seal = ""

    @rx.event
    async def load(self):
        """Open the page (staff and administrators) for the current Moscow month."""
        await self._open_month()

    @rx.event
    async def set_period(self, form: dict):
        """Show the contests of another month."""
        await self._switch_month(form)

    @rx.event
    async def create(self, form: dict):
        """«Создать параллельный конкурс» for the shown month."""
        self._clear_feedback()
        okrug_ids = {found for row in self.okrugs if (found := id_or_none(row["id"])) is not None}
        try:
            draft = draft_of(form, self.period, okrug_ids)
        except DomainError as error:
            self.error = str(error)
            return

        async def action() -> str:
            await call(contests.create_contest, actor_id=await actor_of(self), draft=draft, now=now())
            return message("contest.contest_created")

        if await self._apply(action):
            self.form_version += 1

    @rx.event
    async def finalise(self, contest_id: str):
        """«Подвести итоги»: freeze, seal and publish the contest's final rating."""
        self._clear_feedback()
        wanted = id_or_none(contest_id)
        if wanted is None:
            self.error = message("contest.not_found")
            return
        seal: list[str] = []

        async def action() -> str:
            view = await call(
                finalise.finalise_contest, actor_id=await actor_of(self), contest_id=wanted, now=now()
            )
            seal.append(view.sha256)
            return message("contest.finalised", sha256=view.sha256)

        if await self._apply(action):
            self.last_seal = seal[0]

    @rx.event
    async def pass_prize(self, prize_id: str):
        """«Передать следующему»: an unclaimed prize after its deadline goes down the final rating."""
        self._clear_feedback()
        wanted = id_or_none(prize_id)
        if wanted is None:
            self.error = message("contest.prize_not_found")
            return

        async def action() -> str:
            number = await call(
                finalise.pass_prize, actor_id=await actor_of(self), prize_id=wanted, now=now()
            )
            return message("contest.prize_passed", number=number)

        await self._apply(action)

    @rx.event
    async def upload_registry(self, files: list[rx.UploadFile]):
        """The seller registry CSV (UTF-8, up to 5 MB, header «fn;name;inn;category;region»)."""
        self._clear_feedback()
        if not files:
            self.error = message("contest.registry_file_required")
            return
        data = await files[0].read(MAX_REGISTRY_BYTES + 1)
        if len(data) > MAX_REGISTRY_BYTES:
            self.error = message("contest.registry_too_large", limit_mb=MAX_REGISTRY_BYTES // (1024 * 1024))
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error = message("contest.registry_not_utf8")
            return

        async def action() -> str:
            count = await call(sellers.import_registry, actor_id=await actor_of(self), text=text, now=now())
            return message("contest.registry_imported", count=count)

        await self._apply(action)
