"""What anyone may see of a campaign: phases, deadlines and the draws with their published inputs.

A draw's seed is shown only once the draw has run; before that only its SHA-256 commitment. No
code, phone or name is ever part of these views or of the files they link.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.promo import CATEGORIES, PHASE_NAMES, parse_prizes, phase
from ag_app.i18n import status
from ag_app.models import PromoCampaign, PromoDraw
from ag_app.services.promo.campaigns import MAIN, draws_of, get_campaign, schedule_of
from ag_app.services.promo.texts import last_minute

API = "/api/v1/promo/campaigns"
OPEN, FROZEN, DRAWN = "open", "frozen", "drawn"
DRAW_STATES = {s: status("promo_draw", s) for s in (OPEN, FROZEN, DRAWN)}


@dataclass(frozen=True)
class DrawView:
    """One draw as published."""

    id: int
    kind: str
    category: str
    # «Основной розыгрыш» or «Розыгрыш в категории «Спорт»».
    title: str
    window: int
    window_ends_at: datetime
    # «до 20:00 06.09.2026» — the last included minute.
    window_text: str
    due_at: datetime
    due_text: str
    prizes: str
    prizes_text: str
    prize_count: int
    commitment: str
    state: str
    state_name: str
    list_sha256: str
    list_count: int
    seed: str
    entropy: str
    winners_count: int
    participants_url: str
    winners_url: str


@dataclass(frozen=True)
class Deadline:
    label: str
    text: str


@dataclass(frozen=True)
class CampaignView:
    """A campaign as the «Акция» page and the public API show it."""

    id: int
    slug: str
    title: str
    summary: str
    prize_rules: str
    phase: str
    phase_name: str
    deadlines: tuple[Deadline, ...]
    draws: tuple[DrawView, ...]


def _msk(moment: datetime) -> str:
    return as_utc(moment).astimezone(MOSCOW).strftime("%H:%M %d.%m.%Y")


def _prizes_text(spec: str) -> str:
    if not spec:
        return "—"
    values = parse_prizes(spec)
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{numfmt.num(n)} × {numfmt.num(v)}" for v, n in counts.items())


def _state(draw: PromoDraw) -> str:
    if draw.drawn_at is not None:
        return DRAWN
    return FROZEN if draw.frozen_at is not None else OPEN


def draw_view(draw: PromoDraw) -> DrawView:
    state = _state(draw)
    base = f"{API}/{draw.campaign_id}/draws/{draw.id}"
    title = (
        "Основной розыгрыш" if draw.kind == MAIN else f"Розыгрыш в категории «{CATEGORIES[draw.category]}»"
    )
    return DrawView(
        id=draw.id,
        kind=draw.kind,
        category=draw.category,
        title=title,
        window=draw.window,
        window_ends_at=as_utc(draw.window_ends_at),
        window_text=f"до {last_minute(draw.window_ends_at)}",
        due_at=as_utc(draw.due_at),
        due_text=f"не позднее {_msk(draw.due_at)}",
        prizes=draw.prizes,
        prizes_text=_prizes_text(draw.prizes),
        prize_count=len(parse_prizes(draw.prizes)) if draw.prizes else 0,
        commitment=draw.commitment,
        state=state,
        state_name=DRAW_STATES[state],
        list_sha256=draw.list_sha256,
        list_count=draw.list_count,
        seed=draw.seed if state == DRAWN else "",
        entropy=draw.entropy,
        winners_count=draw.winners_count,
        participants_url=f"{base}/participants.txt" if state != OPEN else "",
        winners_url=f"{base}/winners.csv" if state == DRAWN else "",
    )


def _deadlines(campaign: PromoCampaign) -> tuple[Deadline, ...]:
    c = campaign
    return (
        Deadline("Информирование", f"с {_msk(c.info_starts_at)} до {last_minute(c.info_ends_at)}"),
        Deadline("Право участия определяется на", last_minute(c.eligibility_at)),
        Deadline("Отказ от участия", f"до {last_minute(c.opt_out_ends_at)}"),
        Deadline("Отмена отказа от участия", f"до {last_minute(c.opt_in_ends_at)}"),
        Deadline(
            "Регистрация на розыгрыш в категориях",
            f"с {_msk(c.category_opens_at)} до {last_minute(c.category_ends_at)}",
        ),
        Deadline("Активация выигрышных кодов", f"до {last_minute(c.activation_ends_at)}"),
        Deadline(
            "Обмен призовых баллов", f"с {_msk(c.exchange_starts_at)} до {last_minute(c.exchange_ends_at)}"
        ),
        Deadline("Использование поощрений", f"до {last_minute(c.use_ends_at)}"),
    )


def campaign_view(session: Session, *, campaign_id: int, now: datetime) -> CampaignView:
    """The campaign with its deadlines and draws (main before category draws, by window)."""
    campaign = get_campaign(session, campaign_id)
    draws = draws_of(session, campaign_id)
    current = phase(schedule_of(campaign, draws), now)
    return CampaignView(
        id=campaign.id,
        slug=campaign.slug,
        title=campaign.title,
        summary=campaign.summary,
        prize_rules=campaign.prize_rules,
        phase=current,
        phase_name=PHASE_NAMES[current],
        deadlines=_deadlines(campaign),
        draws=tuple(draw_view(d) for d in draws),
    )


def get_draw(session: Session, *, campaign_id: int, draw_id: int) -> PromoDraw:
    """A draw of the campaign (a draw of another campaign is not found)."""
    draw = session.get(PromoDraw, draw_id)
    if draw is None or draw.campaign_id != campaign_id:
        raise NotFound("promo.draw_not_found")
    return draw
