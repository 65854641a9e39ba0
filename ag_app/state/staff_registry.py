"""``/staff/registry``: import the citizen registry and the numbering plan from CSV.

The CSV arrives either as an uploaded file or pasted into a text area; the registry service
parses it, refuses a bad file with the Russian message naming the line, and checks the actor's
role itself (an import over the websocket by a resident changes nothing).
"""

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.roles import Capability
from ag_app.i18n import message
from ag_app.services import access, registry
from ag_app.state.base import actor_of, call, holds_user_data
from ag_app.state.guard import GuardedState

# Which import a form feeds: kind → service function and the «imported N …» wording.
IMPORTS = {
    "citizens": (registry.import_citizens_csv, message("ui.registry.zagruzheno_zapisei_reestra_grazhdan")),
    "numbering": (
        registry.import_numbering_csv,
        message("ui.registry.zagruzheno_diapazonov_plana_numeratsii"),
    ),
}
# Column lists shown on the page (the service defines them).
CITIZEN_COLUMNS_TEXT = ", ".join(registry.CITIZEN_COLUMNS)
NUMBERING_COLUMNS_TEXT = ", ".join(registry.NUMBERING_COLUMNS)
# Larger files belong to the operator CLI (``ag-app``), not a browser upload.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def decode_csv(raw: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without BOM), else Windows-1251 (Excel in Russia)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


@holds_user_data
class StaffRegistryState(GuardedState, rx.State):
    """Result and errors of the two imports."""

    loaded: bool = False
    allowed: bool = False
    citizens_text: str = ""
    numbering_text: str = ""
    citizens_result: str = ""
    citizens_error: str = ""
    numbering_result: str = ""
    numbering_error: str = ""

    @rx.event
    async def load(self):
        """Show the page to staff only."""
        self.citizens_result = self.citizens_error = self.numbering_result = self.numbering_error = ""
        try:
            await call(access.require, actor_id=await actor_of(self), capability=Capability.REGISTRY_IMPORT)
        except (NotAllowed, NotAuthenticated):
            self.allowed = False
        else:
            self.allowed = True
        self.loaded = True

    @rx.event
    def set_citizens_text(self, value: str):
        """Pasted citizen registry CSV."""
        self.citizens_text = value

    @rx.event
    def set_numbering_text(self, value: str):
        """Pasted numbering plan CSV."""
        self.numbering_text = value

    async def _import(self, kind: str, text: str) -> None:
        fn, done = IMPORTS[kind]
        setattr(self, f"{kind}_result", "")
        setattr(self, f"{kind}_error", "")
        if not text.strip():
            setattr(self, f"{kind}_error", message("ui.common.fail_pust_vyberite_csv_fail"))
            return
        try:
            count = await call(fn, actor_id=await actor_of(self), text=text)
        except DomainError as exc:
            setattr(self, f"{kind}_error", str(exc))
            return
        setattr(self, f"{kind}_result", done.format(n=count))

    async def _import_upload(self, kind: str, files: list[rx.UploadFile]) -> None:
        if not files:
            return
        try:
            await call(access.require, actor_id=await actor_of(self), capability=Capability.REGISTRY_IMPORT)
        except DomainError as exc:
            setattr(self, f"{kind}_result", "")
            setattr(self, f"{kind}_error", str(exc))
            return
        raw = await files[0].read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            setattr(self, f"{kind}_result", "")
            setattr(self, f"{kind}_error", message("ui.registry.fail_bol_she_20_mb"))
            return
        await self._import(kind, decode_csv(raw))

    @rx.event
    async def import_citizens_text(self):
        """Import the pasted citizen registry."""
        await self._import("citizens", self.citizens_text)

    @rx.event
    async def import_numbering_text(self):
        """Import the pasted numbering plan."""
        await self._import("numbering", self.numbering_text)

    @rx.event
    async def upload_citizens(self, files: list[rx.UploadFile]):
        """Import an uploaded citizen registry file."""
        await self._import_upload("citizens", files)

    @rx.event
    async def upload_numbering(self, files: list[rx.UploadFile]):
        """Import an uploaded numbering plan file."""
        await self._import_upload("numbering", files)
