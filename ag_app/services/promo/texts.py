"""The campaign's SMS texts, from the catalogue."""

from collections.abc import Callable
from datetime import timedelta

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.i18n import message
from ag_app.models import PromoCampaign


def last_minute(moment) -> str:
    """«23:59 5 сентября»-style wording of an exclusive end: the last whole minute before it."""
    last = as_utc(moment).astimezone(MOSCOW) - timedelta(minutes=1)
    return last.strftime("%H:%M %d.%m.%Y")


def code_sms(campaign: PromoCampaign) -> Callable[[str], str]:
    """The information SMS with the citizen's unique code and how to opt out."""
    until = last_minute(campaign.opt_out_ends_at)
    return lambda code: message("promo.sms_code", title=campaign.title, code=code, until=until)
