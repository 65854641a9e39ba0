"""The address form of the profile: округ → район → улица → дом chosen from the city registry."""

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput
from ag_app.domain.numbers import id_or_none
from ag_app.domain.profile import ADDRESS_KINDS
from ag_app.i18n import message
from ag_app.services import profile, registry
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.profile import ProfileState

KIND_OPTIONS: list[tuple[str, str]] = list(ADDRESS_KINDS.items())


def _int(value: object) -> int | None:
    return id_or_none(value)


@holds_user_data
class AddressState(FeedbackMixin, rx.State):
    """Cascading selects over the registry; each choice loads the next list."""

    kind: str = "registration"
    okrug_id: str = ""
    district_id: str = ""
    street_id: str = ""
    house_id: str = ""
    # Each row: id, name (as strings for the native <select>).
    okrugs: list[dict[str, str]] = []
    districts: list[dict[str, str]] = []
    streets: list[dict[str, str]] = []
    houses: list[dict[str, str]] = []
    # The extended form for a house missing from the registry.
    missing_house: bool = False
    # The form fields the last refused save named, marked aria-invalid («house», «apartment» …).
    invalid_fields: list[str] = []

    def _clear_feedback(self) -> None:
        """A new action: the last refusal and its field marks go."""
        super()._clear_feedback()
        self.invalid_fields = []

    @rx.event
    async def load(self):
        """Fill the okrug list (once) and reset the choice."""
        self._clear_feedback()
        self.okrug_id = self.district_id = self.street_id = self.house_id = ""
        self.districts, self.streets, self.houses = [], [], []
        self.missing_house = False
        if not self.okrugs:
            rows = await call(registry.list_okrugs)
            self.okrugs = [{"id": str(r.id), "name": f"{r.name} ({r.abbrev})"} for r in rows]

    @rx.event
    def set_kind(self, value: str):
        """Choose which address to set."""
        if str(value) in ADDRESS_KINDS:
            self.kind = str(value)
        self._clear_feedback()

    @rx.event
    async def pick_okrug(self, value: str):
        """Choose the okrug: loads its districts."""
        self.okrug_id = str(value)
        self.district_id = self.street_id = self.house_id = ""
        self.streets, self.houses = [], []
        okrug = _int(value)
        rows = await call(registry.list_districts, okrug_id=okrug) if okrug else []
        self.districts = [{"id": str(r.id), "name": r.name} for r in rows]

    @rx.event
    async def pick_district(self, value: str):
        """Choose the district: loads its streets."""
        self.district_id = str(value)
        self.street_id = self.house_id = ""
        self.houses = []
        district = _int(value)
        rows = await call(registry.list_streets, district_id=district) if district else []
        self.streets = [{"id": str(r.id), "name": r.name} for r in rows]

    @rx.event
    async def pick_street(self, value: str):
        """Choose the street: loads its houses."""
        self.street_id = str(value)
        self.house_id = ""
        street = _int(value)
        rows = await call(registry.list_houses, street_id=street) if street else []
        self.houses = [{"id": str(r.id), "name": r.number} for r in rows]

    @rx.event
    def pick_house(self, value: str):
        """Choose the house."""
        self.house_id = str(value)

    @rx.event
    def toggle_missing_house(self):
        """Show or hide the form for a house that is not in the list."""
        self.missing_house = not self.missing_house
        self._clear_feedback()

    @rx.event
    async def save(self, form: dict):
        """Set the chosen address (or a new house entered by hand, queued for staff); every bad field
        is named and marked at once."""
        self._clear_feedback()
        actor = await actor_of(self)
        apartment = str(form.get("apartment", "")).strip()
        try:
            if self.missing_house:
                street = _int(self.street_id)
                await call(
                    profile.set_address_in_new_house,
                    actor_id=actor,
                    kind=self.kind,
                    street_id=street or 0,
                    number=str(form.get("house_number", "")),
                    apartment=apartment,
                    now=now(),
                    prior=(
                        {"street": InvalidInput("ui.address.vyberite_ulitsu_na_kotoroi_stoit")}
                        if street is None
                        else None
                    ),
                )
            else:
                house = _int(self.house_id)
                await call(
                    profile.set_address,
                    actor_id=actor,
                    kind=self.kind,
                    house_id=house or 0,
                    apartment=apartment,
                    now=now(),
                    prior=(
                        {"house": InvalidInput("ui.address.vyberite_okrug_raion_ulitsu_i")}
                        if house is None
                        else None
                    ),
                )
        except DomainError as error:
            self.error = str(error)
            self.invalid_fields = list(error.problems) if isinstance(error, FormProblems) else []
            return
        self.notice = message("ui.address.sokhranen", p1=ADDRESS_KINDS[self.kind])
        if self.missing_house:
            self.notice += message("ui.address.dom_dobavlen_v_ochered_na")
        self.missing_house = False
        self.house_id = ""
        return ProfileState.load
