"""What the «Акция» pages read in one go, in one read transaction per page view.

``/promo``: the public view of the campaign the page shows (the one that started last, or a given
one) and the citizen's own view of it (none for a guest). ``/promo/exchange``: that campaign's
partner catalogue priced for the viewer and their exchanges.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ag_app.db import reads
from ag_app.services.promo.campaigns import current_campaign
from ag_app.services.promo.citizen import CitizenView, my_state
from ag_app.services.promo.exchange import PartnerCatalogueView, my_exchanges, partner_catalogue
from ag_app.services.promo.public import CampaignView, campaign_view
from ag_app.services.shop import OrderView


@dataclass(frozen=True)
class PromoPage:
    """The campaign (None: no campaign configured yet) and the viewer's own state (None: a guest)."""

    campaign: CampaignView | None
    me: CitizenView | None


@reads
def promo_page(
    session: Session, *, actor_id: int | None, now: datetime, campaign_id: int | None = None
) -> PromoPage:
    """The «Акция» page at ``now``: ``campaign_id`` when given, else the current campaign.

    Raises:
        NotFound: ``campaign_id`` names no campaign.
        NotAllowed: the actor's profile is deactivated.
    """
    if campaign_id is None:
        current = current_campaign(session)
        if current is None:
            return PromoPage(campaign=None, me=None)
        campaign_id = current.id
    view = campaign_view(session, campaign_id=campaign_id, now=now)
    me = my_state(session, actor_id=actor_id, campaign_id=campaign_id, now=now) if actor_id else None
    return PromoPage(campaign=view, me=me)


@dataclass(frozen=True)
class ExchangePage:
    """«Обменять баллы»: the campaign's partner catalogue priced for the viewer and their exchanges.

    ``catalogue`` is None when no campaign is configured; ``orders`` is empty for a guest.
    """

    catalogue: PartnerCatalogueView | None
    orders: list[OrderView]


@reads
def exchange_page(
    session: Session, *, actor_id: int | None, now: datetime, campaign_id: int | None = None
) -> ExchangePage:
    """The exchange page at ``now``: ``campaign_id`` when given, else the current campaign."""
    if campaign_id is None:
        current = current_campaign(session)
        if current is None:
            return ExchangePage(catalogue=None, orders=[])
        campaign_id = current.id
    catalogue = partner_catalogue(session, actor_id=actor_id, campaign_id=campaign_id, now=now)
    orders = my_exchanges(session, actor_id=actor_id, campaign_id=campaign_id, now=now) if actor_id else []
    return ExchangePage(catalogue=catalogue, orders=orders)
