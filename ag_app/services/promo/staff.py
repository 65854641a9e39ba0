"""What the staff page «Акция: управление» and the operator's command read and do.

Every use case checks the MANAGE role again (an administrator holds every role), except the
operator's command line (``operator=True``), which acts for the platform as the other imports do.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.promo import CATEGORIES, parse_votes
from ag_app.i18n import status
from ag_app.models import Poll, PromoCampaign
from ag_app.services.access import Capability, require
from ag_app.services.promo.campaigns import MAIN, campaigns, config_of, draws_of, get_campaign
from ag_app.services.promo.config_form import form_of
from ag_app.services.promo.votes import ImportReport, import_votes

# How many platform polls the vote-source choice offers (the newest).
POLL_CHOICES = 200
API_PREFIX = "/api/v1/promo/campaigns"

OPEN, FROZEN, DONE = "open", "frozen", "done"
# Display names of a draw's states and kinds.
# «done» here is the published «drawn» state.
DRAW_STATE_NAMES = {
    OPEN: status("promo_draw", OPEN),
    FROZEN: status("promo_draw", FROZEN),
    DONE: status("promo_draw", "drawn"),
}
MAIN_NAME = "Основной"
CATEGORY_NAME = "Категория «{category}»"


@dataclass(frozen=True)
class CampaignChoice:
    """A campaign in the staff page's choice, the newest first."""

    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class StaffDraw:
    """One draw as the staff table shows it (instants are aware UTC)."""

    id: int
    kind_name: str
    window: int
    window_ends_at: datetime
    due_at: datetime
    prizes: str
    commitment: str
    list_sha256: str
    list_count: int
    # OPEN (still taking votes), FROZEN (list closed and published) or DONE (drawn).
    state: str
    state_name: str
    winners: int
    entropy: str
    # Public randomness may be added between the window's close and the draw.
    can_set_entropy: bool
    participants_url: str
    winners_url: str


@reads
def require_manager(session: Session, *, actor_id: int | None) -> None:
    """Refuse anyone who may not manage the campaign (before an uploaded file is even parsed)."""
    require(session, actor_id, Capability.PROMO_MANAGE)


@reads
def campaign_choices(session: Session, *, actor_id: int | None) -> list[CampaignChoice]:
    """Every campaign for the staff choice, the newest first."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    return [CampaignChoice(c.id, c.slug, c.title) for c in campaigns(session)]


@reads
def poll_choices(session: Session, *, actor_id: int | None) -> list[tuple[int, str]]:
    """The newest platform polls a campaign may take its vote facts from: (id, title)."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    rows = session.exec(select(Poll.id, Poll.title).order_by(col(Poll.id).desc()).limit(POLL_CHOICES)).all()
    return [(poll_id, title) for poll_id, title in rows]


@reads
def campaign_form(session: Session, *, actor_id: int | None, campaign_id: int) -> dict[str, str]:
    """The edit form of a campaign, prefilled from its current configuration."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    return form_of(config_of(session, get_campaign(session, campaign_id)))


def _state(frozen_at: datetime | None, drawn_at: datetime | None) -> str:
    if drawn_at is not None:
        return DONE
    return OPEN if frozen_at is None else FROZEN


@reads
def staff_draws(session: Session, *, actor_id: int | None, campaign_id: int) -> list[StaffDraw]:
    """The campaign's draws by window (main first) with their published inputs and results."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    get_campaign(session, campaign_id)
    out = []
    for draw in draws_of(session, campaign_id):
        state = _state(draw.frozen_at, draw.drawn_at)
        base = f"{API_PREFIX}/{campaign_id}/draws/{draw.id}"
        kind = (
            MAIN_NAME
            if draw.kind == MAIN
            else CATEGORY_NAME.format(category=CATEGORIES.get(draw.category, draw.category))
        )
        out.append(
            StaffDraw(
                id=draw.id,
                kind_name=kind,
                window=draw.window,
                window_ends_at=as_utc(draw.window_ends_at),
                due_at=as_utc(draw.due_at),
                prizes=draw.prizes,
                commitment=draw.commitment,
                list_sha256=draw.list_sha256,
                list_count=draw.list_count,
                state=state,
                state_name=DRAW_STATE_NAMES[state],
                winners=draw.winners_count,
                entropy=draw.entropy,
                can_set_entropy=state == FROZEN,
                participants_url=f"{base}/participants.txt" if state != OPEN else "",
                winners_url=f"{base}/winners.csv" if state == DONE else "",
            )
        )
    return out


def campaign_by_slug(session: Session, slug: str) -> PromoCampaign:
    """The campaign with this short name (refused in Russian when there is none)."""
    campaign = session.exec(select(PromoCampaign).where(PromoCampaign.slug == slug.strip())).first()
    if campaign is None:
        raise NotFound("promo.campaign_slug_unknown", slug=slug)
    return campaign


def import_vote_file(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    text: str,
    now: datetime,
    operator: bool = False,
) -> ImportReport:
    """Parse the voting system's file and apply it, all or nothing.

    A malformed file is refused as a whole (``VoteFileError`` listing its bad lines) before any
    row is written; the rights are checked before the file is read.
    """
    if not operator:
        require(session, actor_id, Capability.PROMO_MANAGE)
    rows = parse_votes(text)
    return import_votes(
        session, actor_id=actor_id, campaign_id=campaign_id, rows=rows, now=now, operator=operator
    )
