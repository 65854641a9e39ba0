"""«Мой профиль»: personal data, family, e-mail, addresses, identification, deactivation (SPEC §1.3–1.5).

One module per job — views (reading the profile), personal (personal data, family, identification,
deactivation), email_confirmation (confirmation links), addresses; this package names what other
contexts call.
"""

from ag_app.services.profile.addresses import set_address, set_address_in_new_house, submit_house
from ag_app.services.profile.email_confirmation import (
    EMAIL_CONFIRM_SUBJECT,
    EMAIL_LINKS_PER_HOUR,
    EMAIL_TOKEN_TTL,
    confirm_email,
    email_token,
    request_email_confirmation,
)
from ag_app.services.profile.personal import deactivate, update_family, update_personal, verify_identity
from ag_app.services.profile.views import AddressView, ProfileView, get_profile

__all__ = [
    "AddressView",
    "EMAIL_CONFIRM_SUBJECT",
    "EMAIL_LINKS_PER_HOUR",
    "EMAIL_TOKEN_TTL",
    "ProfileView",
    "confirm_email",
    "deactivate",
    "email_token",
    "get_profile",
    "request_email_confirmation",
    "set_address",
    "set_address_in_new_house",
    "submit_house",
    "update_family",
    "update_personal",
    "verify_identity",
]
