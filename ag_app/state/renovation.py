"""The renovation-type house vote for residents and the public: voting per apartment, the house
result looked up by address, and the check code.

Identity comes only from the server-side session; every handler calls a service that re-checks
the voter's rights (level 3, confirmed holding of the apartment, an open vote) from the database.
"""

import dataclasses

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.domain.renovation import format_check_code
from ag_app.i18n import label, message
from ag_app.services import renovation
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now

ROLE_NAMES = {
    "owner": label("ui.renovation.sobstvennik"),
    "social_tenant": label("ui.renovation.nanimatel_po_dogovoru_sotsial_nogo"),
}


def _id(raw: object) -> int | None:
    return id_or_none(raw)


@dataclasses.dataclass
class ApartmentRow:
    """An apartment of the resident in a vote, as display strings."""

    premise_id: str = ""
    apartment: str = ""
    role: str = ""
    # "1" when the resident has voted for it.
    voted: str = ""
    choice: str = ""
    status_text: str = ""
    due: str = ""
    code_tail: str = ""


@dataclasses.dataclass
class VoteCard:
    """A vote in one of the resident's houses."""

    campaign_id: str = ""
    house_id: str = ""
    title: str = ""
    question: str = ""
    address: str = ""
    period: str = ""
    state_name: str = ""
    # "1" while the vote is open.
    is_open: str = ""
    apartments: list[ApartmentRow] = dataclasses.field(default_factory=list)


@holds_user_data
class ResidentRenovationState(FeedbackMixin, rx.State):
    """``/house/renovation``: the votes of the resident's houses and their vote per apartment."""

    loaded: bool = False
    logged_in: bool = False
    cards: list[VoteCard] = []
    # The full check code of the vote just cast (shown once: the database keeps only its hash).
    new_code: str = ""

    async def _fill(self, actor: int) -> None:
        rows = await call(renovation.resident_campaigns, actor_id=actor, now=now())
        self.cards = [
            VoteCard(
                campaign_id=str(r.campaign.id),
                house_id=str(r.house_id),
                title=r.campaign.title,
                question=r.campaign.question,
                address=r.address,
                period=f"{fmt.when(r.campaign.starts_at)} — {fmt.when(r.campaign.ends_at)}",
                state_name=r.campaign.state_name,
                is_open="1" if r.campaign.state == "open" else "",
                apartments=[
                    ApartmentRow(
                        premise_id=str(a.premise_id),
                        apartment=a.apartment,
                        role=ROLE_NAMES.get(a.role, a.role),
                        voted="1" if a.voted else "",
                        choice=a.choice,
                        status_text=a.status_text,
                        due=fmt.when(a.verification_due) if a.status == "pending" else "",
                        code_tail=a.check_code_tail,
                    )
                    for a in r.apartments
                ],
            )
            for r in rows
        ]

    @rx.event
    async def load(self):
        """Open the page; guests are asked to log in."""
        self._clear_feedback()
        self.new_code = ""
        actor = await actor_of(self)
        self.logged_in = actor is not None
        self.cards = []
        if actor is not None:
            try:
                await self._fill(actor)
            except DomainError as error:
                self.error = str(error)
        self.loaded = True

    @rx.event
    async def cast(self, campaign_id: str, premise_id: str, choice: str):
        """Vote «За» / «Против» for one apartment (the service checks every right again)."""
        self._clear_feedback()
        self.new_code = ""
        campaign, premise = _id(campaign_id), _id(premise_id)
        if campaign is None or premise is None:
            return
        actor = await actor_of(self)
        try:
            outcome = await call(
                renovation.cast_vote,
                actor_id=actor,
                campaign_id=campaign,
                premise_id=premise,
                choice=str(choice),
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        if outcome.check_code:
            self.new_code = format_check_code(outcome.check_code)
            self.notice = message("ui.renovation.golos_priniat_i_uchten_kod")
        else:
            self.notice = message(
                "ui.renovation.golos_priniat_i_nakhoditsia_na",
                verification_due=fmt.when(outcome.verification_due),
            )
        await self._fill(actor)


@dataclasses.dataclass
class HitRow:
    """A house found by address."""

    href: str = ""
    address: str = ""
    district: str = ""
    campaign: str = ""
    state: str = ""


class RenovationLookupState(FeedbackMixin, rx.State):
    """``/renovation``: find a house of a vote by address (for anyone)."""

    searched: bool = False
    hits: list[HitRow] = []

    @rx.event
    async def search(self, form: dict):
        """Look the typed address up among the houses of the votes."""
        self._clear_feedback()
        self.hits = []
        try:
            found = await call(renovation.find_houses, address=str(form.get("address", ""))[:200], now=now())
        except DomainError as error:
            self.error = str(error)
            self.searched = False
            return
        self.hits = [
            HitRow(
                href=f"/renovation/{h.campaign_id}/{h.house_id}",
                address=h.address,
                district=h.district,
                campaign=h.campaign_title,
                state=h.campaign_state,
            )
            for h in found
        ]
        self.searched = True


def result_rows(result: renovation.HouseResult) -> list[dict[str, str]]:
    """The §8.3 figures of a house as (caption, value) rows."""
    rows = [
        (label("ui.renovation.kvartir_v_dome"), fmt.num(result.total_apartments)),
        (
            message("ui.renovation.progolosovali_kvartir"),
            label(
                "ui.renovation.iavka",
                voted=fmt.num(result.voted),
                turnout_percent=fmt.percent(result.turnout_percent),
            ),
        ),
        (message("ui.renovation.za_kvartir"), fmt.num(result.for_apartments)),
        (message("ui.renovation.protiv_kvartir"), fmt.num(result.against_apartments)),
        (message("ui.renovation.mneniia_razdelilis_porovnu_ne_uchityvaiutsia"), fmt.num(result.split)),
        (message("ui.renovation.ne_golosovali_molchuny"), fmt.num(result.silent)),
        (
            message("ui.renovation.iz_nikh_uchteny_za_protiv"),
            f"{fmt.num(result.silent_for)} / {fmt.num(result.silent_against)}",
        ),
        (
            message("ui.renovation.itogo_za"),
            message(
                "ui.renovation.iz_uchityvaemykh_kvartir_nuzhno_bol",
                total_for=fmt.num(result.total_for),
                counted=fmt.num(result.counted),
                for_percent=fmt.percent(result.for_percent),
            ),
        ),
    ]
    if result.meeting_protocol:
        rows.append(
            (
                label("ui.renovation.reshenie_obshchego_sobraniia"),
                label(
                    "ui.renovation.protokol_za_iz_golosov",
                    meeting_protocol=result.meeting_protocol,
                    meeting_for_votes=fmt.num(result.meeting_for_votes),
                    meeting_total_votes=fmt.num(result.meeting_total_votes),
                ),
            )
        )
    return [{"caption": caption, "value": value} for caption, value in rows]


class RenovationResultState(FeedbackMixin, rx.State):
    """``/renovation/[campaign_id]/[house_id]``: the result of a house (for anyone)."""

    loaded: bool = False
    found: bool = False
    title: str = ""
    question: str = ""
    address: str = ""
    district: str = ""
    state_name: str = ""
    # The vote has not ended: the figures are preliminary («предварительно»).
    preliminary: bool = False
    ends: str = ""
    decision: str = ""
    # Whether there is a decision at all (a meeting's, or the vote's once it has ended).
    decided: bool = False
    included: bool = False
    rows: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Open the page of the house in the URL."""
        self._clear_feedback()
        self.loaded = self.found = False
        campaign, house = _id(self.campaign_id), _id(self.house_id)
        if campaign is None or house is None:
            self.error = message("ui.renovation.rezul_taty_golosovaniia_ne_naideny")
            self.loaded = True
            return
        try:
            result = await call(renovation.house_result, campaign_id=campaign, house_id=house, now=now())
        except DomainError as error:
            self.error = str(error)
            self.loaded = True
            return
        self.title, self.question = result.campaign_title, result.question
        self.address, self.district = result.address, result.district
        self.state_name = renovation.CAMPAIGN_STATES[result.campaign_state]
        self.preliminary = result.preliminary
        self.ends = fmt.when(result.ends_at)
        self.decision = result.decision_text
        self.decided = result.included is not None
        self.included = bool(result.included)
        self.rows = result_rows(result)
        self.found = self.loaded = True


class RenovationCheckState(FeedbackMixin, rx.State):
    """``/renovation/check``: how the vote with a check code was counted (for anyone with the code)."""

    found: bool = False
    rows: list[dict[str, str]] = []
    counted: bool = False
    explanation: str = ""

    @rx.event
    async def check(self, form: dict):
        """Look the typed code up (only its hash is compared)."""
        self._clear_feedback()
        self.found, self.rows = False, []
        try:
            view = await call(renovation.check_vote, code=str(form.get("code", ""))[:40], now=now())
        except DomainError as error:
            self.error = str(error)
            return
        self.rows = [
            {"caption": caption, "value": value}
            for caption, value in (
                (label("ui.common.golosovanie"), view.campaign_title),
                (label("ui.renovation.dom"), view.address),
                (label("ui.renovation.kvartira"), view.apartment),
                (label("ui.renovation.vybor"), view.choice),
                (label("ui.renovation.kak_podan"), view.channel),
                (label("ui.renovation.kogda"), fmt.when(view.cast_at)),
                (label("ui.renovation.reshenie_po_domu"), view.decision_text),
            )
        ]
        self.counted = view.counted
        self.explanation = view.explanation
        self.found = True
