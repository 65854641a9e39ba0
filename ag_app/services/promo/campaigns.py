"""Campaigns from configuration: the schedule, the draws with their committed seeds, and changes.

A draw's seed is made with the draw and only its SHA-256 is public until the draw, so the
commitment is published before the window closes. Once a window has closed (its list is frozen)
nothing that decides that draw may change: its window, prizes, the vote source, the eligibility
moment and the opt-out deadlines.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.promo import (
    CATEGORIES,
    Schedule,
    commitment,
    new_seed,
    parse_prizes,
    prizes_spec,
    schedule_problem,
)
from ag_app.models import Poll, PromoCampaign, PromoDraw
from ag_app.services.access import Capability, require

MAIN = "main"
CATEGORY = "category"
VOTE_SOURCES = ("import", "poll")


@dataclass(frozen=True)
class CampaignConfig:
    """Everything a campaign is configured with; instants are aware (UTC) exclusive ends."""

    slug: str
    title: str
    summary: str
    prize_rules: str
    schedule: Schedule
    # The main prizes of each window, as specs («5000x10,3000x20,1000x70»), one per window.
    window_prizes: tuple[str, ...]
    extra_prize: int = 1_000
    category_discount: int = 15_000
    category_winners: int = 1
    vote_source: str = "import"
    vote_poll_id: int | None = None


# The campaign's own instants, named as in :class:`~ag_app.domain.promo.Schedule`.
_SCHEDULE_FIELDS = (
    "info_starts_at",
    "info_ends_at",
    "eligibility_at",
    "opt_out_ends_at",
    "opt_in_ends_at",
    "category_opens_at",
    "category_ends_at",
    "activation_ends_at",
    "exchange_starts_at",
    "exchange_ends_at",
    "use_ends_at",
)


def schedule_of(campaign: PromoCampaign, draws: Sequence[PromoDraw]) -> Schedule:
    """The pure schedule of a campaign (its main draws give the windows)."""
    main = sorted((d for d in draws if d.kind == MAIN), key=lambda d: d.window)
    return Schedule(
        **{name: as_utc(getattr(campaign, name)) for name in _SCHEDULE_FIELDS},
        window_ends=tuple(as_utc(d.window_ends_at) for d in main),
        draws_due=tuple(as_utc(d.due_at) for d in main),
    )


def draws_of(session: Session, campaign_id: int) -> list[PromoDraw]:
    """The campaign's draws by window, main before category, categories in catalogue order."""
    order = list(CATEGORIES)
    draws = session.exec(select(PromoDraw).where(PromoDraw.campaign_id == campaign_id)).all()
    return sorted(
        draws, key=lambda d: (d.window, d.kind != MAIN, order.index(d.category) if d.category else 0)
    )


def get_campaign(session: Session, campaign_id: int) -> PromoCampaign:
    campaign = session.get(PromoCampaign, campaign_id)
    if campaign is None:
        raise NotFound("promo.campaign_not_found")
    return campaign


def campaigns(session: Session) -> list[PromoCampaign]:
    """Every campaign, the newest first."""
    return list(session.exec(select(PromoCampaign).order_by(col(PromoCampaign.info_starts_at).desc())).all())


def current_campaign(session: Session) -> PromoCampaign | None:
    """The campaign the «Акция» page shows: the one that started last."""
    return session.exec(select(PromoCampaign).order_by(col(PromoCampaign.info_starts_at).desc())).first()


def _check(session: Session, config: CampaignConfig) -> list[int]:
    """The config's problems refused in Russian; returns each window's prizes."""
    if not config.slug.strip() or not config.title.strip():
        raise InvalidInput("promo.config_title_required")
    problem = schedule_problem(config.schedule)
    if problem is not None:
        raise InvalidInput(problem)
    if len(config.window_prizes) != len(config.schedule.window_ends):
        raise InvalidInput("promo.config_prizes_per_window")
    for value in (config.extra_prize, config.category_discount):
        if not 0 <= value <= 10_000_000:
            raise InvalidInput("promo.config_amount_bad")
    if not 0 <= config.category_winners <= 100_000:
        raise InvalidInput("promo.config_amount_bad")
    if config.vote_source not in VOTE_SOURCES:
        raise InvalidInput("promo.config_vote_source_bad")
    if config.vote_source == "poll" and (
        config.vote_poll_id is None or session.get(Poll, config.vote_poll_id) is None
    ):
        raise InvalidInput("promo.config_poll_unknown")
    for spec in config.window_prizes:
        parse_prizes(spec)
    return [len(parse_prizes(spec)) for spec in config.window_prizes]


def _fields(config: CampaignConfig) -> dict:
    s = config.schedule
    return {
        "slug": config.slug.strip(),
        "title": config.title.strip(),
        "summary": config.summary.strip(),
        "prize_rules": config.prize_rules.strip(),
        **{name: as_utc(getattr(s, name)) for name in _SCHEDULE_FIELDS},
        "extra_prize": config.extra_prize,
        "category_discount": config.category_discount,
        "category_winners": config.category_winners,
        "vote_source": config.vote_source,
        "vote_poll_id": config.vote_poll_id if config.vote_source == "poll" else None,
    }


def _new_draw(
    campaign_id: int, kind: str, category: str, window: int, ends: datetime, due: datetime, prizes: str
):
    seed = new_seed()
    return PromoDraw(
        campaign_id=campaign_id,
        kind=kind,
        category=category,
        window=window,
        window_ends_at=ends,
        due_at=due,
        prizes=prizes,
        seed=seed.hex(),
        commitment=commitment(seed),
    )


def _category_prizes(config: CampaignConfig) -> str:
    if config.category_winners == 0 or config.category_discount == 0:
        return ""
    return prizes_spec([config.category_discount] * config.category_winners)


def create_campaign(session: Session, *, actor_id: int | None, config: CampaignConfig, now: datetime) -> int:
    """A new campaign with a draw per window (and a category draw per window and category)."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    _check(session, config)
    if session.exec(select(PromoCampaign.id).where(PromoCampaign.slug == config.slug.strip())).first():
        raise Conflict("promo.config_slug_taken")
    campaign = PromoCampaign(**_fields(config), key_secret=secrets.token_hex(32), created_at=now)
    session.add(campaign)
    session.flush()
    _reshape_draws(session, campaign.id, config, [])
    session.flush()
    return campaign.id


def config_of(session: Session, campaign: PromoCampaign) -> CampaignConfig:
    """The campaign's current configuration (what the staff form starts from)."""
    draws = draws_of(session, campaign.id)
    return CampaignConfig(
        slug=campaign.slug,
        title=campaign.title,
        summary=campaign.summary,
        prize_rules=campaign.prize_rules,
        schedule=schedule_of(campaign, draws),
        window_prizes=tuple(d.prizes for d in draws if d.kind == MAIN),
        extra_prize=campaign.extra_prize,
        category_discount=campaign.category_discount,
        category_winners=campaign.category_winners,
        vote_source=campaign.vote_source,
        vote_poll_id=campaign.vote_poll_id,
    )


def _stored(value):
    """A value as compared across databases (SQLite returns naive UTC instants)."""
    return as_utc(value) if isinstance(value, datetime) else value


# What decides every draw's list: frozen as soon as the first window has closed.
_LIST_FIELDS = (
    "eligibility_at",
    "opt_out_ends_at",
    "opt_in_ends_at",
    "vote_source",
    "vote_poll_id",
    "category_opens_at",
    "category_ends_at",
    "extra_prize",
    "category_discount",
    "category_winners",
)


def update_campaign(
    session: Session, *, actor_id: int | None, campaign_id: int, config: CampaignConfig
) -> None:
    """Change a campaign; refused when the change would alter a frozen (or drawn) draw."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    campaign = session.exec(
        select(PromoCampaign).where(PromoCampaign.id == campaign_id).with_for_update()
    ).first()
    if campaign is None:
        raise NotFound("promo.campaign_not_found")
    config = replace(config, slug=campaign.slug)
    _check(session, config)
    draws = draws_of(session, campaign_id)
    frozen = [d for d in draws if d.frozen_at is not None]
    fields = _fields(config)
    if frozen:
        if any(_stored(getattr(campaign, name)) != _stored(fields[name]) for name in _LIST_FIELDS):
            raise Conflict("promo.config_frozen")
        windows = config.schedule.window_ends
        for draw in (d for d in frozen if d.kind == MAIN):
            same = (
                draw.window < len(windows)
                and windows[draw.window] == as_utc(draw.window_ends_at)
                and config.schedule.draws_due[draw.window] == as_utc(draw.due_at)
                and prizes_spec(parse_prizes(config.window_prizes[draw.window])) == draw.prizes
            )
            if not same:
                raise Conflict("promo.config_frozen")
    for name, value in fields.items():
        setattr(campaign, name, value)
    _reshape_draws(session, campaign_id, config, draws)
    session.flush()


def _reshape_draws(
    session: Session, campaign_id: int, config: CampaignConfig, draws: list[PromoDraw]
) -> None:
    """Draws follow the new windows; an existing draw keeps its seed (its commitment never changes)."""
    s = config.schedule
    category_spec = _category_prizes(config)
    existing = {(d.kind, d.category, d.window): d for d in draws}
    wanted = set()
    for window in range(len(s.window_ends)):
        ends, due = as_utc(s.window_ends[window]), as_utc(s.draws_due[window])
        specs = {(MAIN, ""): prizes_spec(parse_prizes(config.window_prizes[window]))}
        if category_spec:
            specs.update({(CATEGORY, category): category_spec for category in CATEGORIES})
        for (kind, category), spec in specs.items():
            wanted.add((kind, category, window))
            draw = existing.get((kind, category, window))
            if draw is None:
                session.add(_new_draw(campaign_id, kind, category, window, ends, due, spec))
            elif draw.frozen_at is None:
                draw.window_ends_at, draw.due_at, draw.prizes = ends, due, spec
    for key, draw in existing.items():
        if key not in wanted:
            if draw.frozen_at is not None:
                raise Conflict("promo.config_frozen")
            session.delete(draw)
