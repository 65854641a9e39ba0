"""«Электронный дом» → «Мой дом»: the user's houses and premises, and linking a premise by ФЛС.

The actor always comes from the server-side session; the holder id of «Отменить подтверждение» is
checked by the service against the actor's own links.
"""

import dataclasses
from decimal import Decimal

import reflex as rx
from babel.numbers import format_decimal

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import label, message
from ag_app.services import property
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now

METHOD_OPTIONS: list[tuple[str, str]] = [
    ("account_number", message("ui.house.fls_litsevoi_schet_10_tsifr")),
    ("property_number", label("ui.house.nomer_registratsii_prava_sobstvennosti")),
]


def area_text(value: Decimal) -> str:
    """An area as Russians write it: «78,05 м²»."""
    return label("ui.house.m", value=format_decimal(value, format="#,##0.00", locale="ru"))


@dataclasses.dataclass
class HoldingRow:
    """A confirmed premise as display strings."""

    holder_id: int = 0
    premise: str = ""
    kind: str = ""
    area: str = ""
    share: str = ""
    role: str = ""
    method: str = ""


@dataclasses.dataclass
class HouseCard:
    """A house of the user with its confirmed premises."""

    house_id: int = 0
    address: str = ""
    place: str = ""
    # «По адресу в профиле: адрес регистрации» when the profile names the house, else "".
    from_profile: str = ""
    holdings: list[HoldingRow] = dataclasses.field(default_factory=list)


def _premise_label(h: property.HoldingView) -> str:
    return (
        label("ui.house.kv", premise_number=h.premise_number)
        if h.premise_kind == "apartment"
        else label("ui.house.pomeshchenie", premise_number=h.premise_number)
    )


def _cards(view: property.MyHouses) -> list[HouseCard]:
    return [
        HouseCard(
            house_id=house.house_id,
            address=house.address,
            place=label("ui.house.raion", district=house.district, okrug=house.okrug),
            from_profile=(label("ui.house.po_adresu_v_profile") + ", ".join(house.address_kinds))
            if house.address_kinds
            else "",
            holdings=[
                HoldingRow(
                    holder_id=h.holder_id,
                    premise=_premise_label(h),
                    kind=h.premise_kind_name,
                    area=area_text(h.area_m2),
                    share=h.share or "—",
                    role=h.role_name,
                    method=h.method_name,
                )
                for h in house.holdings
            ],
        )
        for house in view.houses
    ]


@holds_user_data
class HouseState(FeedbackMixin, rx.State):
    """The logged-in user's houses; guests are asked to log in."""

    loaded: bool = False
    logged_in: bool = False
    identity_verified: bool = False
    houses: list[HouseCard] = []
    method: str = "account_number"
    # Bumped after a successful link so the number input is cleared.
    version: int = 0

    async def _fill(self, actor: int) -> None:
        view = await call(property.my_houses, actor_id=actor)
        self.identity_verified = view.identity_verified
        self.houses = _cards(view)
        self.logged_in = True
        self.loaded = True

    @rx.event
    async def load(self):
        """Open «Мой дом»."""
        self._clear_feedback()
        actor = await actor_of(self)
        self.houses = []
        if actor is None:
            self.logged_in = False
            self.loaded = True
            return
        try:
            await self._fill(actor)
        except DomainError as error:
            self.logged_in = False
            self.loaded = True
            self.error = str(error)

    @rx.event
    def set_method(self, value: str):
        """Choose what the resident types: ФЛС or the property registration number."""
        self.method = value if value in dict(METHOD_OPTIONS) else "account_number"

    @rx.event
    async def link(self, form: dict):
        """Link the premise whose ФЛС or property number was typed (rules checked by the service)."""
        self._clear_feedback()
        actor = await actor_of(self)
        try:
            linked = await call(
                property.link_premise,
                actor_id=actor,
                method=self.method,
                number=str(form.get("premise_number", ""))[:200],
                now=now(),
            )
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = (
            label("ui.house.pomeshchenie_podtverzhdeno")
            + "; ".join(f"{_premise_label(h)} — {h.role_name}" for h in linked)
            + "."
        )
        self.version += 1
        await self._fill(actor)

    @rx.event
    async def unlink(self, holder_id: int):
        """Remove the confirmation of one of the user's own premises."""
        self._clear_feedback()
        actor = await actor_of(self)
        holder = id_or_none(holder_id)
        if holder is None:
            self.error = message("property.link_not_found")
            return
        try:
            await call(property.unlink_premise, actor_id=actor, holder_id=holder)
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = message("ui.house.podtverzhdenie_pomeshcheniia_otmeneno")
        await self._fill(actor)
