"""A hand-built promo campaign for the dashboard tests: campaign, draws, citizens and partner orders
inserted as plain rows, with figures a person can count by hand (see :func:`build_campaigns`)."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from ag_app.domain.clock import MOSCOW
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, ShopCategory, ShopItem, ShopOrder
from tests.factories import make_user

# The windows of the test campaign end at 20:01 Moscow time; each draw is due 10:00 the next morning.
WINDOW_ENDS = (datetime(2026, 12, 10, 20, 1, tzinfo=MOSCOW), datetime(2026, 12, 17, 20, 1, tzinfo=MOSCOW))


def _moscow(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW)


def add_campaign(session: Session, slug: str, *, created_at: datetime) -> PromoCampaign:
    """A campaign row with December 2026 phases (the figures do not depend on them)."""
    campaign = PromoCampaign(
        slug=slug,
        title=f"#ВыбираемВместе {slug}",
        info_starts_at=_moscow(1, 0),
        info_ends_at=_moscow(6, 0),
        eligibility_at=_moscow(1, 0),
        opt_out_ends_at=_moscow(6, 0),
        opt_in_ends_at=_moscow(5, 23),
        category_opens_at=_moscow(1, 0),
        category_ends_at=_moscow(17, 20),
        activation_ends_at=_moscow(25, 0),
        exchange_starts_at=_moscow(11, 12),
        exchange_ends_at=_moscow(31, 0),
        use_ends_at=_moscow(31, 23),
        key_secret="0" * 64,
        created_at=created_at,
    )
    session.add(campaign)
    session.flush()
    return campaign


def add_draw(session: Session, campaign_id: int, window: int, category: str = "") -> None:
    """The main draw (or a category draw) of ``window``, due 10:00 Moscow the morning after it ends."""
    ends = WINDOW_ENDS[window]
    session.add(
        PromoDraw(
            campaign_id=campaign_id,
            kind="category" if category else "main",
            category=category,
            window=window,
            window_ends_at=ends,
            due_at=ends.replace(hour=10, minute=0) + timedelta(days=1),
            prizes="15000x1" if category else "5000x1,1000x1",
            seed="a" * 64,
            commitment="b" * 64,
        )
    )


def add_citizen(
    session: Session, campaign_id: int, n: int, code_sent_at: datetime, phone: str | None = None, **part
) -> PromoCitizen:
    """An eligible citizen (a new account) with a code sent at ``code_sent_at`` and ``part`` of the campaign."""
    user = make_user(session, phone=phone)
    citizen = PromoCitizen(
        campaign_id=campaign_id,
        user_id=user.id,
        code=f"CODE{campaign_id}X{n:04d}",
        key=f"{campaign_id:02d}{n:018x}",
        code_sent_at=code_sent_at,
        **part,
    )
    session.add(citizen)
    session.flush()
    return citizen


def add_order(session: Session, item_id: int, user_id: int, points: int, *, wallet: str, status: str) -> None:
    session.add(
        ShopOrder(
            user_id=user_id,
            item_id=item_id,
            points=points,
            wallet=wallet,
            status=status,
            fulfilment="certificate",
            ordered_at=_moscow(12, 12),
        )
    )


def add_catalogue_item(session: Session, campaign_id: int | None, slug: str) -> int:
    """A partner catalogue of ``campaign_id`` (the civic shop for None) with one item."""
    category = ShopCategory(
        slug=slug, name=f"Партнёры {slug}", fulfilment="certificate", campaign_id=campaign_id
    )
    session.add(category)
    session.flush()
    item = ShopItem(
        category_id=category.id, title="Сертификат партнёра", price=100, stock=10, created_at=_moscow(1, 0)
    )
    session.add(item)
    session.flush()
    return item.id


def build_campaigns(session: Session, *, tag: str = "", phone_prefix: str = "") -> tuple[int, int]:
    """An older campaign with one citizen and the newest one with nine (the figures are in the tests).

    ``tag`` starts the campaigns' slugs and titles («#ВыбираемВместе {tag}2026»); with ``phone_prefix``
    the citizens' phones are that prefix and two digits (else the factory's own numbers).
    """

    def phone(k: int) -> str | None:
        return f"{phone_prefix}{k:02d}" if phone_prefix else None

    older = add_campaign(session, f"{tag}2025", created_at=datetime(2025, 11, 1, tzinfo=UTC))
    old_citizen = add_citizen(
        session,
        older.id,
        1,
        _moscow(2, 12),
        phone(0),
        voted_at=_moscow(3, 12),
        main_window=0,
        main_prize=5000,
    )
    old_item = add_catalogue_item(session, older.id, f"partners-{tag}2025")
    add_order(session, old_item, old_citizen.user_id, 400, wallet="promo", status="certificate")

    campaign = add_campaign(session, f"{tag}2026", created_at=datetime(2026, 11, 1, tzinfo=UTC))
    c = campaign.id
    add_draw(session, c, 0)
    add_draw(session, c, 1)
    add_draw(session, c, 0, "sport")
    add_draw(session, c, 0, "travel")
    add_draw(session, c, 1, "home")
    first_day, fourth_day = _moscow(1, 10), _moscow(4, 9)
    vote_0, vote_1, vote_2 = _moscow(9, 18), _moscow(15, 12), _moscow(20, 12)
    # No vote.
    add_citizen(session, c, 1, first_day, phone(1))
    # Sent 22:30 UTC on 1 December: already 2 December in Moscow.
    add_citizen(session, c, 2, datetime(2026, 12, 1, 22, 30, tzinfo=UTC), phone(2))
    # Opted out on 3 December (and still out), voted anyway, registered in «Спорт»: in no draw.
    add_citizen(
        session,
        c,
        3,
        first_day,
        phone(3),
        opted_out_at=_moscow(3, 15),
        voted_at=vote_0,
        main_window=0,
        category="sport",
        category_window=0,
    )
    # Main prize 5 000, activated, spent 3 000 + 200 (an expired reservation is written off).
    winner = add_citizen(
        session,
        c,
        4,
        first_day,
        phone(4),
        voted_at=vote_0,
        main_window=0,
        main_prize=5000,
        activated_at=_moscow(11, 12),
        prize_points=1800,
    )
    # The extra prize (first online vote), activated, nothing spent.
    add_citizen(
        session,
        c,
        5,
        fourth_day,
        phone(5),
        voted_at=vote_0,
        first_online=True,
        main_window=0,
        extra_prize=1000,
        activated_at=_moscow(11, 13),
        prize_points=1000,
    )
    # Main prize 1 000 never activated: annulled, nothing credited.
    add_citizen(
        session,
        c,
        6,
        fourth_day,
        phone(6),
        voted_at=vote_1,
        main_window=1,
        main_prize=1000,
        annulled_at=_moscow(25, 0),
    )
    # Won the «Техника для дома» draw of the second window.
    add_citizen(
        session,
        c,
        7,
        fourth_day,
        phone(7),
        voted_at=vote_1,
        main_window=1,
        category="home",
        category_window=1,
        category_prize=15000,
        discount_left=15000,
    )
    # Voted after the configured windows: counted in a window without a draw; «Спорт» of the first window.
    add_citizen(
        session,
        c,
        8,
        fourth_day,
        phone(8),
        voted_at=vote_2,
        main_window=2,
        category="sport",
        category_window=0,
    )
    # Opted out and rejoined (the opt-out was cleared): a participant of the first window.
    add_citizen(
        session, c, 9, fourth_day, phone(9), rejoined_at=_moscow(5, 20), voted_at=vote_0, main_window=0
    )
    item = add_catalogue_item(session, c, f"partners-{tag}2026")
    civic_item = add_catalogue_item(session, None, f"civic-{tag}")
    add_order(session, item, winner.user_id, 3000, wallet="promo", status="certificate")
    add_order(session, item, winner.user_id, 200, wallet="promo", status="expired")
    add_order(session, item, winner.user_id, 500, wallet="promo", status="cancelled")
    # Civic points spent in the campaign's catalogue or anywhere else are not prize points.
    add_order(session, item, winner.user_id, 700, wallet="points", status="certificate")
    add_order(session, civic_item, winner.user_id, 900, wallet="points", status="certificate")
    session.commit()
    return older.id, c
