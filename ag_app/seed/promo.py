"""The shipped demo campaign: a replica of «#ВыбираемВместе2024-Москва» with its dates shifted.

Every instant keeps its distance from the last voting day of 2024 (8 September), so the phases,
the «до 23:59» / «до 22:59» / «до 20:00» deadlines and the 10:00 draws read exactly as in the order.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.promo import CATEGORIES, Schedule, VoteRow, moscow_until
from ag_app.domain.shop import CERTIFICATE
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, ShopCategory, ShopItem, User
from ag_app.seed.people import DEMO_LOGINS
from ag_app.services.promo import campaigns
from ag_app.services.promo.campaigns import CampaignConfig

DEMO_RESIDENT_LOGINS = tuple(login for login in DEMO_LOGINS if login.role == "resident")

SUMMARY = (
    "Комплекс мероприятий «#ВыбираемВместе» в рамках программы «Миллион призов»: жители Москвы, "
    "проголосовавшие электронно (онлайн или на терминале), участвуют в ежедневных розыгрышах призов "
    "1 000, 3 000 и 5 000 призовых баллов (1 балл = 1 ₽) и обменивают их на поощрения партнёров. "
    "Впервые проголосовавшие онлайн и жители старше 60 лет, не выигравшие в розыгрыше, получают "
    "1 000 баллов. Участие бесплатное и добровольное; отказаться можно на этой странице."
)
PRIZE_RULES = (
    "Призовые баллы начисляются после активации выигрышного кода и обмениваются на поощрения "
    "партнёров программы в каталоге акции до окончания срока обмена; поощрения используются до "
    "окончания срока использования. Денежный эквивалент не выдаётся. Обмен доступен владельцам "
    "полной учётной записи. Скидка розыгрыша в категории применяется один раз к промокоду этой категории."
)


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=MOSCOW).astimezone(UTC)


def vmeste_schedule(last_day: date) -> Schedule:
    """The 2024 schedule with 8 September 2024 moved to ``last_day`` (three daily windows)."""

    def d(days: int) -> date:
        return last_day + timedelta(days=days)

    return Schedule(
        info_starts_at=_at(d(-39), 0),
        info_ends_at=moscow_until(d(-10), 23, 59),
        eligibility_at=moscow_until(d(-14), 23, 59),
        opt_out_ends_at=moscow_until(d(-3), 23, 59),
        opt_in_ends_at=moscow_until(d(-3), 22, 59),
        window_ends=tuple(moscow_until(d(k), 20, 0) for k in (-2, -1, 0)),
        draws_due=tuple(_at(d(k), 10) for k in (-1, 0, 1)),
        category_opens_at=_at(d(-19), 8),
        category_ends_at=moscow_until(d(0), 19, 59),
        activation_ends_at=moscow_until(d(22), 23, 59),
        exchange_starts_at=_at(d(-1), 10),
        exchange_ends_at=moscow_until(d(97), 23, 59),
        use_ends_at=moscow_until(d(98), 23, 59),
    )


def vmeste_config(
    last_day: date,
    *,
    slug: str = "vmeste",
    window_prizes: tuple[str, ...] = ("5000x2,3000x3,1000x5",) * 3,
    category_winners: int = 1,
    vote_source: str = "import",
    vote_poll_id: int | None = None,
) -> CampaignConfig:
    """The replica's configuration around ``last_day``."""
    return CampaignConfig(
        slug=slug,
        title=f"#ВыбираемВместе{last_day.year}",
        summary=SUMMARY,
        prize_rules=PRIZE_RULES,
        schedule=vmeste_schedule(last_day),
        window_prizes=window_prizes,
        category_winners=category_winners,
        vote_source=vote_source,
        vote_poll_id=vote_poll_id,
    )


# The partner catalogue of the demo campaign: (category, title, price in prize points, stock).
PARTNER_ITEMS: tuple[tuple[str, str, int, int], ...] = (
    ("sport", "Абонемент в бассейн «Лужники» на месяц", 5_000, 200),
    ("sport", "Промокод на спортивную экипировку", 15_000, 100),
    ("travel", "Билеты в Третьяковскую галерею на двоих", 1_000, 500),
    ("travel", "Промокод на путешествие по России", 15_000, 100),
    ("home", "Промокод на технику для дома", 15_000, 100),
    ("home", "Сертификат магазина бытовой техники", 3_000, 300),
)
# Share of the demo's eligible citizens who vote electronically, and of those online.
VOTERS, ONLINE, FIRST_ONLINE, CATEGORY_SHARE = 0.6, 0.85, 0.2, 0.1
# The demo residents: a winner of the first window (every participant of it wins), a terminal voter
# of the second (more participants than prizes), one who has not voted yet.
FIRST_WINDOW_VOTERS = 10


def seed_promo(session: Session, *, now: datetime, seed: int = 2026) -> bool:
    """The demo campaign, replayed at its own instants in the caller's transaction (False when it exists).

    The replica's last voting day is chosen so that the first two windows are closed and drawn by
    the time the seed runs: codes went out, the demo residents and a share of the eligible citizens
    voted, the due draws ran, and the first demo resident (+7 916 123-45-67) won in the first window
    and in the «Спорт» category — their code waits for «Активировать код».
    """
    from ag_app.services.promo import citizen, codes, draws, votes

    if session.exec(select(PromoCampaign.id).where(PromoCampaign.slug == "vmeste")).first() is not None:
        return False
    staff_id = session.exec(select(User.id).where(User.phone == DEMO_LOGINS[0].phone)).one()
    last_day = moscow_date(now - timedelta(hours=11))
    config = vmeste_config(
        last_day, window_prizes=("5000x2,3000x3,1000x5", "5000x1,3000x2,1000x3", "5000x1,3000x2,1000x3")
    )
    s = config.schedule
    campaign_id = campaigns.create_campaign(session, actor_id=staff_id, config=config, now=s.info_starts_at)
    sent_at, after = max(s.info_ends_at, s.eligibility_at) + timedelta(hours=10), 0
    while after is not None:
        _, after = codes.issue_batch(session, campaign_id=campaign_id, now=sent_at, after=after)
    rng = random.Random(seed * 15 + 1)
    rows = session.exec(
        select(PromoCitizen.user_id, User.phone, User.snils)
        .join(User, User.id == PromoCitizen.user_id)
        .where(PromoCitizen.campaign_id == campaign_id)
        .order_by(PromoCitizen.user_id)
    ).all()
    demo = {login.phone: None for login in DEMO_RESIDENT_LOGINS}
    others = [r for r in rows if r.phone not in demo]
    by_phone = {r.phone: r for r in rows}
    first, second, _third = (by_phone[login.phone] for login in DEMO_RESIDENT_LOGINS)
    window0_start = s.window_ends[0] - timedelta(hours=30)
    category_at = s.category_opens_at + timedelta(days=1)
    citizen.choose_category(
        session, actor_id=first.user_id, campaign_id=campaign_id, category="sport", now=category_at
    )
    facts = [
        (first, window0_start + timedelta(hours=14), "online", True),
        (second, s.window_ends[0] + timedelta(hours=16), "terminal", False),
    ]
    for row in others[: FIRST_WINDOW_VOTERS - 1]:
        facts.append(
            (
                row,
                window0_start + timedelta(minutes=rng.randrange(30 * 60)),
                "online",
                rng.random() < FIRST_ONLINE,
            )
        )
    latest = min(now, s.window_ends[-1])
    for row in others[FIRST_WINDOW_VOTERS - 1 :]:
        if rng.random() >= VOTERS:
            continue
        at = s.window_ends[0] + (latest - s.window_ends[0]) * rng.random()
        online = rng.random() < ONLINE
        if online and rng.random() < CATEGORY_SHARE:
            citizen.choose_category(
                session,
                actor_id=row.user_id,
                campaign_id=campaign_id,
                category=rng.choice(["travel", "home"]),
                now=category_at,
            )
        facts.append((row, at, "online" if online else "terminal", online and rng.random() < FIRST_ONLINE))
    votes.import_votes(
        session,
        actor_id=staff_id,
        campaign_id=campaign_id,
        now=now,
        rows=[
            VoteRow(
                line=n,
                snils=row.snils,
                phone="" if row.snils else row.phone,
                voted_at=at,
                channel=channel,
                first_online=first_vote,
            )
            for n, (row, at, channel, first_vote) in enumerate(facts, start=2)
        ],
    )
    for draw in session.exec(select(PromoDraw).where(PromoDraw.campaign_id == campaign_id)).all():
        if as_utc(draw.window_ends_at) <= now:
            draws.freeze(session, draw_id=draw.id, now=as_utc(draw.window_ends_at))
        run_at = as_utc(draw.due_at) - draws.DRAW_LEAD + timedelta(minutes=5)
        if run_at <= now:
            draws.run_draw(session, draw_id=draw.id, now=run_at)
            draws.announce(session, draw_id=draw.id, now=run_at)
    _partner_catalogue(session, campaign_id, now)
    return True


def _partner_catalogue(session: Session, campaign_id: int, now: datetime) -> None:
    categories = {}
    for position, (slug, name) in enumerate(CATEGORIES.items()):
        category = ShopCategory(
            slug=f"vmeste-{slug}",
            name=f"Акция: {name}",
            fulfilment=CERTIFICATE,
            position=100 + position,
            campaign_id=campaign_id,
            promo_category=slug,
        )
        session.add(category)
        session.flush()
        categories[slug] = category.id
    for slug, title, price, stock in PARTNER_ITEMS:
        session.add(
            ShopItem(
                category_id=categories[slug],
                title=title,
                price=price,
                stock=stock,
                open_to_all=True,
                validity_note="Действует до окончания срока использования поощрений акции",
                created_at=now,
            )
        )
    session.flush()
