"""``/staff/houses`` «Реестр домов»: the house registry CSV import and the houses' management companies.

Administrators only: the page shows nothing to others, and every handler's service re-checks the
role (an import or a record sent over the websocket by anybody else changes nothing). The rights
are checked before an uploaded file is read.
"""

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.house_registry import COLUMNS, RegistryFileInvalid
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.services import house_registry
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.guard import GuardedState
from ag_app.state.staff_registry import MAX_UPLOAD_BYTES, decode_csv

COLUMNS_TEXT = ", ".join(COLUMNS)
ROLE_OPTIONS: list[tuple[str, str]] = [
    (k, v.capitalize()) for k, v in house_registry.ORGANISATION_ROLES.items()
]


def summary_lines(s: house_registry.ImportSummary) -> list[str]:
    """The import summary as Russian lines."""
    return [
        message(
            "ui.houses.strok_v_faile_domov_novykh",
            rows=fmt.num(s.rows),
            houses=fmt.num(s.houses),
            houses_created=fmt.num(s.houses_created),
            streets_created=fmt.num(s.streets_created),
        ),
        message(
            "ui.houses.pomeshcheniia_dobavleno_izmeneno_bez_izmenenii",
            premises_created=fmt.num(s.premises_created),
            premises_updated=fmt.num(s.premises_updated),
            premises_unchanged=fmt.num(s.premises_unchanged),
        ),
        message(
            "ui.houses.sobstvenniki_nanimateli_i_zhiteli_dobavleno",
            holders_created=fmt.num(s.holders_created),
            holders_updated=fmt.num(s.holders_updated),
            holders_unchanged=fmt.num(s.holders_unchanged),
            holders_removed=fmt.num(s.holders_removed),
            links_removed=fmt.num(s.links_removed),
        ),
    ]


@holds_user_data
class StaffHousesState(GuardedState, rx.State):
    """Import result and errors, the house search and the organisations recorded."""

    loaded: bool = False
    allowed: bool = False
    csv_text: str = ""
    import_error: str = ""
    import_errors: list[str] = []
    import_summary: list[str] = []

    address_query: str = ""
    # Houses found for the organisation form: id, address, place.
    found: list[dict[str, str]] = []
    house_id: str = ""
    org_role: str = "management_company"
    org_error: str = ""
    org_notice: str = ""
    # Bumped after a record so the form inputs are cleared.
    org_version: int = 0
    organisations: list[dict[str, str]] = []

    async def _reload_organisations(self) -> None:
        views = await call(house_registry.list_house_organisations, actor_id=await actor_of(self))
        self.organisations = [
            {"id": str(v.id), "address": v.address, "role": v.role_name, "name": v.name, "phone": v.phone}
            for v in views
        ]

    @rx.event
    async def load(self):
        """Show the page to administrators only."""
        self.import_error, self.import_errors, self.import_summary = "", [], []
        self.org_error = self.org_notice = ""
        try:
            await call(house_registry.require_registry_admin, actor_id=await actor_of(self))
            await self._reload_organisations()
        except (NotAllowed, NotAuthenticated):
            self.allowed = False
            self.organisations = []
        else:
            self.allowed = True
        self.loaded = True

    @rx.event
    def set_csv_text(self, value: str):
        """Pasted registry CSV."""
        self.csv_text = value

    async def _import(self, text: str) -> None:
        self.import_error, self.import_errors, self.import_summary = "", [], []
        if not text.strip():
            self.import_error = message("ui.common.fail_pust_vyberite_csv_fail")
            return
        try:
            summary = await call(
                house_registry.import_house_registry, actor_id=await actor_of(self), text=text
            )
        except RegistryFileInvalid as exc:
            self.import_error = str(exc)
            self.import_errors = exc.errors
            if exc.total > len(exc.errors):
                self.import_errors = [
                    *exc.errors,
                    message("ui.houses.i_eshche_oshibok", p1=exc.total - len(exc.errors)),
                ]
            return
        except DomainError as exc:
            self.import_error = str(exc)
            return
        self.import_summary = summary_lines(summary)

    @rx.event
    async def import_text(self):
        """Import the pasted registry."""
        await self._import(self.csv_text)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        """Import an uploaded registry file (rights checked before it is read)."""
        if not files:
            return
        try:
            await call(house_registry.require_registry_admin, actor_id=await actor_of(self))
        except DomainError as exc:
            self.import_errors, self.import_summary = [], []
            self.import_error = str(exc)
            return
        raw = await files[0].read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            self.import_errors, self.import_summary = [], []
            self.import_error = message("ui.houses.fail_bol_she_20_mb")
            return
        await self._import(decode_csv(raw))

    @rx.event
    def set_address_query(self, value: str):
        """The address typed to find a house."""
        self.address_query = value[:200]

    @rx.event
    async def search(self):
        """Find houses by the typed address (public data)."""
        self.org_error = self.org_notice = ""
        try:
            houses = await call(house_registry.search_houses, address=self.address_query)
        except DomainError as exc:
            self.org_error, self.found, self.house_id = str(exc), [], ""
            return
        self.found = [
            {
                "id": str(h.id),
                "label": message("ui.houses.raion", address=h.address, district=h.district, okrug=h.okrug),
            }
            for h in houses
        ]
        self.house_id = self.found[0]["id"] if self.found else ""
        if not houses:
            self.org_error = message("ui.houses.dom_s_takim_adresom_ne")

    @rx.event
    def set_house_id(self, value: str):
        """Choose one of the houses found."""
        self.house_id = value

    @rx.event
    def set_org_role(self, value: str):
        """Management company or HOA."""
        self.org_role = value

    @rx.event
    async def record(self, form: dict):
        """Record the user with the typed phone as acting for the chosen house's organisation."""
        self.org_error = self.org_notice = ""
        house_id = id_or_none(self.house_id)
        if house_id is None:
            self.org_error = message("ui.houses.snachala_naidite_i_vyberite_dom")
            return
        try:
            view = await call(
                house_registry.record_house_organisation,
                actor_id=await actor_of(self),
                house_id=house_id,
                phone=str(form.get("org_phone", ""))[:40],
                role=self.org_role,
                name=str(form.get("org_name", ""))[:1000],
                now=now(),
            )
        except DomainError as exc:
            self.org_error = str(exc)
            return
        self.org_notice = message(
            "ui.houses.zapisano",
            phone=view.phone,
            role_name=view.role_name,
            name=view.name,
            address=view.address,
        )
        self.org_version += 1
        await self._reload_organisations()

    @rx.event
    async def remove(self, organisation_id: str):
        """Remove a record of a management company or HOA."""
        self.org_error = self.org_notice = ""
        try:
            await call(
                house_registry.remove_house_organisation,
                actor_id=await actor_of(self),
                organisation_id=id_or_none(organisation_id) or 0,
            )
        except DomainError as exc:
            self.org_error = str(exc)
            return
        self.org_notice = message("ui.houses.zapis_udalena")
        await self._reload_organisations()
