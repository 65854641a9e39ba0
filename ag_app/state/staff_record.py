"""The state shared by the staff pages that edit one record chosen from a list (a contest of the
award, a promo campaign) through a prefilled form of uncontrolled inputs."""

from ag_app.domain.numbers import id_or_none
from ag_app.i18n import message
from ag_app.state.staff_common import StaffActionMixin


class RecordFormMixin(StaffActionMixin, mixin=True):
    """``loaded``/``allowed`` of the page, ``creating`` while a new record is filled in, the form's
    prefilled values (field name → text) and ``form_version``, bumped whenever they change so the
    page's uncontrolled inputs are re-created. The state defines ``_reload`` and ``_forbid``."""

    loaded: bool = False
    allowed: bool = False
    creating: bool = False
    form: dict[str, str] = {}
    form_version: int = 0

    def _set_form(self, values: dict[str, str]) -> None:
        """Prefill the form with ``values`` (the inputs are re-created only when they differ)."""
        if values != self.form:
            self.form = values
            self.form_version += 1

    def _listed(self, raw: object, rows: list[dict[str, str]], missing_key: str) -> str | None:
        """The id chosen in the selector when it is one of ``rows`` (else the ``missing_key`` error)."""
        wanted = id_or_none(raw) if isinstance(raw, str) else None
        if wanted is None or str(wanted) not in {row["id"] for row in rows}:
            self.error = message(missing_key)
            return None
        return str(wanted)

    async def _nothing(self) -> None:
        """No change: ``self._apply(self._nothing)`` only reloads the page."""
        return None
