"""«Мой профиль»: personal data, family, e-mail, identification level 3, deactivation.

Addresses have their own state (:mod:`ag_app.state.address`).
"""

from datetime import date

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput
from ag_app.domain.numbers import id_or_none, index_or_none
from ag_app.domain.profile import GENDERS, MARITAL_STATUSES
from ag_app.i18n import label, message
from ag_app.services import profile
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, SessionState, actor_of, call, holds_user_data, now, to_login

GENDER_OPTIONS: list[tuple[str, str]] = [
    ("", label("ui.profile.ne_ukazan")),
    *((k, v.capitalize()) for k, v in GENDERS.items()),
]
MARITAL_OPTIONS: list[tuple[str, str]] = [
    ("", label("ui.profile.ne_ukazano")),
    *((k, v.capitalize()) for k, v in MARITAL_STATUSES.items()),
]


@holds_user_data
class ProfileState(FeedbackMixin, rx.State):
    """The logged-in user's profile; guests are sent to the login page."""

    loaded: bool = False
    # Bumped on every reload so the uncontrolled form inputs remount with the fresh values.
    version: int = 0
    # Which form the error/notice belongs to: personal, family, email, identity, deactivate.
    feedback_for: str = ""
    # The form fields the last refused save named, marked aria-invalid («last_name», «birth_date» …).
    invalid_fields: list[str] = []

    uid: str = ""
    phone: str = ""
    level: int = 1
    level_name: str = ""
    status: str = ""
    points_lifetime: int = 0
    identity_verified: bool = False
    full_profile: bool = False
    blocks: list[str] = []

    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    gender: str = ""
    # ISO date for ``<input type="date">``; "" when not given.
    birth_date: str = ""
    birth_date_text: str = ""

    marital_status: str = ""
    # Birth years of the children being edited (saved with «Сохранить»).
    children: list[str] = []
    new_child_year: str = ""

    email: str = ""
    email_confirmed: bool = False

    # Rows: kind, kind_name, text, district, okrug, next_change (Russian sentence or ""), pending ("1"/"").
    addresses: list[dict[str, str]] = []

    deactivate_open: bool = False

    def _fail(self, section: str, error: DomainError | str) -> None:
        self.feedback_for = section
        self.notice = ""
        self.error = str(error)
        self.invalid_fields = list(error.problems) if isinstance(error, FormProblems) else []

    def _ok(self, section: str, text: str) -> None:
        self.feedback_for = section
        self.error = ""
        self.notice = text
        self.invalid_fields = []

    async def _fill(self, actor: int) -> None:
        view = await call(profile.get_profile, actor_id=actor, now=now())
        self.uid, self.phone = view.uid, view.phone
        self.level, self.level_name, self.status = view.level, view.level_name, view.status
        self.points_lifetime = view.points_lifetime
        self.identity_verified = view.identity_verified
        self.full_profile = view.full_profile
        self.blocks = list(view.blocks)
        self.last_name, self.first_name, self.patronymic = view.last_name, view.first_name, view.patronymic
        self.gender = view.gender
        self.birth_date = view.birth_date.isoformat() if view.birth_date else ""
        self.birth_date_text = fmt.day(view.birth_date)
        self.marital_status = view.marital_status
        self.children = [str(year) for year in view.children_birth_years]
        self.email, self.email_confirmed = view.email, view.email_confirmed
        self.addresses = [
            {
                "kind": a.kind,
                "kind_name": a.kind_name,
                "text": a.text,
                "district": a.district,
                "okrug": a.okrug,
                "next_change": (
                    message(
                        "ui.profile.izmenit_adres_mozhno_budet_s", next_change_on=fmt.day(a.next_change_on)
                    )
                    if a.next_change_on
                    else ""
                ),
                "pending": "1" if a.pending else "",
            }
            for a in view.addresses
        ]
        self.version += 1
        self.loaded = True

    @rx.event
    async def load(self):
        """Open the page: guests go to the login page."""
        self._clear_feedback()
        self.feedback_for = ""
        self.invalid_fields = []
        self.deactivate_open = False
        self.new_child_year = ""
        actor = await actor_of(self)
        if actor is None:
            self.loaded = False
            return to_login(self)
        try:
            await self._fill(actor)
        except DomainError as error:
            self._fail("page", error)

    async def _after_save(self, section: str, text: str):
        """Reload the profile after a successful save and refresh the header."""
        actor = await actor_of(self)
        if actor is not None:
            await self._fill(actor)
        self._ok(section, text)
        return SessionState.refresh

    @rx.event
    async def save_personal(self, form: dict):
        """Save ФИО, gender and date of birth; every bad field is named and marked at once."""
        raw_date = str(form.get("birth_date", "")).strip()
        prior: dict[str, DomainError] = {}
        try:
            birth = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            birth = None
            prior["birth_date"] = InvalidInput("profile.birth_date_invalid")
        actor = await actor_of(self)
        try:
            await call(
                profile.update_personal,
                actor_id=actor,
                last_name=str(form.get("last_name", "")),
                first_name=str(form.get("first_name", "")),
                patronymic=str(form.get("patronymic", "")),
                gender=str(form.get("gender", "")),
                birth_date=birth,
                now=now(),
                prior=prior,
            )
        except DomainError as error:
            self._fail("personal", error)
            return
        return await self._after_save("personal", message("ui.profile.lichnye_dannye_sokhraneny"))

    @rx.event
    def set_new_child_year(self, value: str):
        """Type the birth year of a child to add."""
        self.new_child_year = str(value).strip()[:4]

    @rx.event
    def add_child(self):
        """Add the typed birth year to the list (saved with the family block)."""
        year = self.new_child_year
        if len(year) != 4 or id_or_none(year) is None:
            self._fail("family", message("ui.profile.vvedite_god_rozhdeniia_rebenka_chetyr"))
            return
        self.children = [*self.children, year]
        self.new_child_year = ""
        self.error = ""

    @rx.event
    def remove_child(self, index: int):
        """Remove the child at ``index`` from the list (saved with the family block)."""
        index = index_or_none(index, len(self.children))
        if index is not None:
            self.children = self.children[:index] + self.children[index + 1 :]

    @rx.event
    async def save_family(self, form: dict):
        """Save the marital status and the children's birth years."""
        actor = await actor_of(self)
        try:
            await call(
                profile.update_family,
                actor_id=actor,
                marital_status=str(form.get("marital_status", "")),
                children_birth_years=[int(year) for year in self.children],
                now=now(),
            )
        except DomainError as error:
            self._fail("family", error)
            return
        return await self._after_save("family", message("ui.profile.svedeniia_o_sem_e_sokhraneny"))

    @rx.event
    async def send_email_link(self, form: dict):
        """Save the e-mail address and send the confirmation link."""
        actor = await actor_of(self)
        address = str(form.get("email", "")).strip()
        try:
            await call(profile.request_email_confirmation, actor_id=actor, email=address, now=now())
        except DomainError as error:
            self._fail("email", error)
            return
        return await self._after_save(
            "email", message("ui.profile.na_adres_otpravleno_pis_mo", address=address)
        )

    @rx.event
    async def verify_identity(self, form: dict):
        """Reach level 3 with passport and SNILS checked against the citizen registry."""
        actor = await actor_of(self)
        try:
            await call(
                profile.verify_identity,
                actor_id=actor,
                passport_series=str(form.get("passport_series", "")),
                passport_number=str(form.get("passport_number", "")),
                snils=str(form.get("snils", "")),
                now=now(),
            )
        except DomainError as error:
            self._fail("identity", error)
            return
        return await self._after_save(
            "identity", message("ui.profile.lichnost_podtverzhdena_uroven_identifikatsii_pol")
        )

    @rx.event
    def set_deactivate_open(self, value: bool):
        """Open or close the confirmation dialog."""
        self.deactivate_open = bool(value)

    @rx.event
    async def deactivate(self):
        """Deactivate the profile: personal data removed, session ended."""
        actor = await actor_of(self)
        try:
            await call(profile.deactivate, actor_id=actor, now=now())
        except DomainError as error:
            self.deactivate_open = False
            self._fail("deactivate", error)
            return
        await (await self.get_state(SessionState))._end_session()
        return rx.redirect("/")
