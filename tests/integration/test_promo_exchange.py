"""«Обменять баллы»: prize points buy partner rewards through the shop's ordering engine (SPEC §10.6–10.9).

On SQLite and PostgreSQL: the balance goes down and never below zero (also with 20 racing orders),
the category discount is used once and only in its category, every refusal is a clear Russian
message with nothing changed, civic points and the civic shop are untouched.
"""

import itertools
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from ag_app.models import OutboxMessage, PointEntry, PromoCampaign, PromoCitizen, ShopItem, ShopOrder, User
from ag_app.services import shop
from ag_app.services.promo import exchange
from ag_app.services.shop import ItemInput
from tests.factories import make_user
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper

NBSP = "\u00a0"
_EMAILS = itertools.count(1)


def _campaign(session: Session, now: datetime, slug: str = "vybiraem") -> PromoCampaign:
    """A campaign whose exchange runs from a day before ``now`` for ten days; rewards usable 30 days."""
    past = now - timedelta(days=30)
    campaign = PromoCampaign(
        slug=slug,
        title="#ВыбираемВместе",
        info_starts_at=past,
        info_ends_at=past + timedelta(days=5),
        eligibility_at=past,
        opt_out_ends_at=past + timedelta(days=6),
        opt_in_ends_at=past + timedelta(days=6),
        category_opens_at=past,
        category_ends_at=past + timedelta(days=8),
        activation_ends_at=now + timedelta(days=5),
        exchange_starts_at=now - timedelta(days=1),
        exchange_ends_at=now + timedelta(days=10),
        use_ends_at=now + timedelta(days=30),
        key_secret="0" * 64,
        created_at=past,
    )
    session.add(campaign)
    session.commit()
    return campaign


def _winner(
    session: Session,
    campaign: PromoCampaign,
    now: datetime,
    *,
    prize_points: int = 3000,
    level3: bool = True,
    activated: bool = True,
    annulled: bool = False,
    category: str = "",
    discount: int = 0,
    category_activated: bool = True,
    civic_points: int = 0,
) -> User:
    """A winner of ``campaign`` (main prize worth ``prize_points``) with full name and e-mail; with
    ``category`` a category-draw winner whose one-time discount is ``discount``."""
    user = make_shopper(session, points=civic_points, status=False, email=f"winner{next(_EMAILS)}@example.ru")
    if level3:
        user.identity_verified_at = now - timedelta(days=60)
    session.add(user)
    n = user.id
    session.add(
        PromoCitizen(
            campaign_id=campaign.id,
            user_id=user.id,
            code=f"C{n:07d}",
            key=f"{n:020x}",
            code_sent_at=now - timedelta(days=25),
            main_prize=prize_points,
            prize_points=prize_points,
            category=category,
            category_prize=discount,
            discount_left=discount,
            activated_at=now - timedelta(days=2) if activated else None,
            category_activated_at=now - timedelta(days=2) if discount and category_activated else None,
            annulled_at=now - timedelta(hours=1) if annulled else None,
        )
    )
    session.commit()
    session.refresh(user)
    session.commit()
    return user


@dataclass(frozen=True)
class Partner:
    """Ids of a campaign's partner catalogue: a museum pass (no discount), a travel certificate
    («travel» discount), two sport certificates («sport» discount) and a parking credit."""

    museum: int
    travel: int
    sport: int
    sport_big: int
    parking: int
    sport_category: int


def _partner_catalogue(session: Session, campaign: PromoCampaign, now: datetime, *, tag: str = "") -> Partner:
    """Built as staff build it: partner categories, then items through the shop's item admin."""
    staff = make_user(session, roles=("staff",))

    def category(name: str, fulfilment: str, promo_category: str = "") -> int:
        view = exchange.save_partner_category(
            session,
            actor_id=staff.id,
            campaign_id=campaign.id,
            category_id=None,
            name=f"{name}{tag}",
            fulfilment=fulfilment,
            promo_category=promo_category,
        )
        return view.id

    museums = category("Музеи-партнёры", "certificate")
    travel = category("Путешествия", "certificate", "travel")
    sport = category("Спорт", "certificate", "sport")
    parking = category("Парковки-партнёры", "parking")

    def item(category_id: int, title: str, price: int, **extra) -> int:
        data = ItemInput(category_id=category_id, title=f"{title}{tag}", price=price, stock=100, **extra)
        return shop.save_item(session, actor_id=staff.id, item_id=None, data=data, now=now).id

    ids = Partner(
        museum=item(museums, "Годовой абонемент в музей", 1000),
        travel=item(travel, "Сертификат на экскурсию", 2000),
        sport=item(sport, "Абонемент в фитнес-клуб", 2000),
        sport_big=item(sport, "Велосипед", 12_000),
        parking=item(parking, "500 парковочных баллов", 500, parking_points=500),
        sport_category=sport,
    )
    session.commit()
    return ids


def _exchange(engine, user_id: int, campaign_id: int, item_id: int, now: datetime):
    with transaction(engine) as s:
        return exchange.exchange(s, actor_id=user_id, campaign_id=campaign_id, item_id=item_id, now=now)


def _citizen(session: Session, user_id: int) -> PromoCitizen:
    row = session.exec(select(PromoCitizen).where(PromoCitizen.user_id == user_id)).one()
    session.refresh(row)
    session.commit()
    return row


def _count(session: Session, query) -> int:
    """One value read in its own short transaction (SQLite writers wait for an open one)."""
    value = session.exec(query).one()
    session.commit()
    return value


def _orders(session: Session) -> int:
    return _count(session, select(func.count()).select_from(ShopOrder))


def _civic_points(session: Session, user_id: int) -> tuple[int, int, int]:
    row = session.exec(
        select(User.points_available, User.points_blocked, User.points_lifetime).where(User.id == user_id)
    ).one()
    session.commit()
    return tuple(row)


@pytest.fixture
def setup(session, now):
    campaign = _campaign(session, now)
    return campaign, _partner_catalogue(session, campaign, now)


# ------------------------------------------------------------------------------------------- exchange


def test_exchange_spends_prize_points_and_never_civic_points(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=3000, civic_points=700)
    civic_before = _civic_points(session, user.id)

    order = _exchange(engine, user.id, campaign.id, partner.museum, now)

    assert (order.wallet, order.points, order.discount, order.status) == ("promo", 1000, 0, "certificate")
    assert order.certificate_code
    # Promo codes and certificates are valid until the campaign's use deadline.
    assert order.valid_until == campaign.use_ends_at
    assert _citizen(session, user.id).prize_points == 2000
    assert _civic_points(session, user.id) == civic_before == (700, 0, 700)
    assert (
        _count(session, select(func.count()).select_from(PointEntry).where(PointEntry.reason == "shop")) == 0
    )
    with Session(engine) as s:
        mine = exchange.my_exchanges(s, actor_id=user.id, campaign_id=campaign.id, now=now)
        civic_history = shop.my_orders(s, actor_id=user.id, now=now)
        view = exchange.partner_catalogue(s, actor_id=user.id, campaign_id=campaign.id, now=now)
    assert [(o.number, o.item_title, o.points) for o in mine] == [
        (order.number, "Годовой абонемент в музей", 1000)
    ]
    assert civic_history == []
    assert view.prize_points == 2000 and view.can_exchange
    assert_books_balance(session)


def test_parking_reward_credits_the_parking_account(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=1000)

    order = _exchange(engine, user.id, campaign.id, partner.parking, now)

    assert (order.status, order.points, order.parking_points, order.valid_until) == (
        "credited",
        500,
        500,
        None,
    )
    assert _citizen(session, user.id).prize_points == 500


def test_whole_balance_can_be_spent_but_not_a_point_more(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=2500)
    _exchange(engine, user.id, campaign.id, partner.travel, now)
    _exchange(engine, user.id, campaign.id, partner.parking, now)
    assert _citizen(session, user.id).prize_points == 0

    with pytest.raises(DomainError) as refused:
        _exchange(engine, user.id, campaign.id, partner.parking, now)

    assert str(refused.value) == "Недостаточно призовых баллов: нужно 500, доступно 0."
    assert _orders(session) == 2


def test_discount_is_used_once_and_only_in_its_category(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=3000, category="sport", discount=15_000)
    with Session(engine) as s:
        before = exchange.partner_catalogue(s, actor_id=user.id, campaign_id=campaign.id, now=now)
    by_id = {i.id: i for i in before.items}
    assert before.discount_left == 15_000 and before.discount_categories == ["Спорт"]
    assert by_id[partner.sport_big].discount == 12_000 and by_id[partner.travel].discount == 0

    # Another category: the full price, the discount stays.
    travel = _exchange(engine, user.id, campaign.id, partner.travel, now)
    assert (travel.points, travel.discount) == (2000, 0)
    assert (_citizen(session, user.id).prize_points, _citizen(session, user.id).discount_left) == (
        1000,
        15_000,
    )

    # Its category: 12 000 covered, nothing paid, and the 3 000 left of the discount is gone with it.
    bike = _exchange(engine, user.id, campaign.id, partner.sport_big, now)
    assert (bike.points, bike.discount) == (0, 12_000)
    citizen = _citizen(session, user.id)
    assert (citizen.prize_points, citizen.discount_left) == (1000, 0)
    stored = session.exec(select(ShopOrder.points, ShopOrder.discount).where(ShopOrder.id == bike.id)).one()
    mail = session.exec(
        select(OutboxMessage.subject, OutboxMessage.body).where(OutboxMessage.user_id == user.id)
    ).all()
    session.commit()
    assert tuple(stored) == (0, 12_000)
    assert [subject for subject, _ in mail] == [
        f"Заказ № {travel.number} в каталоге партнёров акции",
        f"Заказ № {bike.number} в каталоге партнёров акции",
    ]
    assert mail[1][1].startswith(
        f"Заказ № {bike.number}: «Велосипед», 0 призовых баллов (скидка по категории: 12000)."
    )
    assert f"Код сертификата: {bike.certificate_code}" in mail[1][1]

    # Once only: the next order in that category costs its full price.
    with pytest.raises(DomainError) as refused:
        _exchange(engine, user.id, campaign.id, partner.sport_big, now)
    assert str(refused.value) == f"Недостаточно призовых баллов: нужно 12{NBSP}000, доступно 1{NBSP}000."
    with Session(engine) as s:
        after = exchange.partner_catalogue(s, actor_id=user.id, campaign_id=campaign.id, now=now)
    assert after.discount_left == 0 and after.discount_categories == []
    assert all(i.discount == 0 for i in after.items)


def test_discount_covering_part_of_the_price(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=1000, category="sport", discount=1500)

    order = _exchange(engine, user.id, campaign.id, partner.sport, now)

    assert (order.points, order.discount) == (500, 1500)
    citizen = _citizen(session, user.id)
    assert (citizen.prize_points, citizen.discount_left) == (500, 0)


def test_discount_waits_for_the_second_activation(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(
        session, campaign, now, prize_points=3000, category="sport", discount=15_000, category_activated=False
    )
    with Session(engine) as s:
        view = exchange.partner_catalogue(s, actor_id=user.id, campaign_id=campaign.id, now=now)
    assert view.discount_needs_activation and all(i.discount == 0 for i in view.items)

    with pytest.raises(NotAllowed) as refused:
        _exchange(engine, user.id, campaign.id, partner.sport, now)

    assert "нажмите «Активировать код» на странице акции ещё раз" in str(refused.value)
    assert _orders(session) == 0
    # Outside the discount's category the prize points are spent as usual.
    assert _exchange(engine, user.id, campaign.id, partner.museum, now).points == 1000
    assert _citizen(session, user.id).discount_left == 15_000


# ------------------------------------------------------------------------------------------- refusals


def _refused(engine, session, user, campaign, item_id, now) -> DomainError:
    """Exchange, expecting a refusal that changes nothing."""
    before = _citizen(session, user.id)
    stock = session.exec(select(ShopItem.stock).where(ShopItem.id == item_id)).one()
    session.commit()
    with pytest.raises(DomainError) as refused:
        _exchange(engine, user.id, campaign.id, item_id, now)
    after = _citizen(session, user.id)
    assert (after.prize_points, after.discount_left) == (before.prize_points, before.discount_left)
    assert session.exec(select(ShopItem.stock).where(ShopItem.id == item_id)).one() == stock
    session.commit()
    assert _orders(session) == 0
    return refused.value


def test_level_two_winner_is_told_how_to_reach_the_exchange(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, level3=False)

    error = _refused(engine, session, user, campaign, partner.museum, now)

    assert isinstance(error, NotAllowed)
    assert str(error).startswith(
        "Обмен баллов доступен с полной учётной записью: подтвердите личность в профиле"
    )
    with Session(engine) as s:
        view = exchange.partner_catalogue(s, actor_id=user.id, campaign_id=campaign.id, now=now)
    assert not view.can_exchange and view.problem == str(error)
    assert all(not i.can_order and i.problem == str(error) for i in view.items)


def test_code_not_activated_is_refused(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, activated=False)

    error = _refused(engine, session, user, campaign, partner.museum, now)

    assert str(error) == (
        "Сначала примите правила получения приза и нажмите «Активировать код» на странице акции."
    )


def test_annulled_code_is_refused(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, annulled=True)

    error = _refused(engine, session, user, campaign, partner.museum, now)

    assert str(error) == "Код аннулирован: он не был активирован в срок. Обмен баллов недоступен."


def test_citizen_without_a_prize_is_refused(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=0)
    stranger = make_shopper(session, points=5000, email="stranger@example.ru")

    assert str(_refused(engine, session, user, campaign, partner.museum, now)) == (
        "Обмен баллов доступен только победителям акции."
    )
    with pytest.raises(NotAllowed, match="только победителям акции"):
        _exchange(engine, stranger.id, campaign.id, partner.museum, now)
    assert _civic_points(session, stranger.id)[0] == 5000


def _moscow(moment: datetime) -> str:
    return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


@pytest.mark.parametrize(
    ("shift", "allowed"),
    [
        ("start-1s", False),
        ("start", True),
        ("end-1s", True),
        ("end", False),
        ("end+1d", False),
    ],
)
def test_exchange_period_at_the_second(engine, session, now, setup, shift, allowed):
    campaign, partner = setup
    user = _winner(session, campaign, now)
    start, end = campaign.exchange_starts_at, campaign.exchange_ends_at
    at = {
        "start-1s": start - timedelta(seconds=1),
        "start": start,
        "end-1s": end - timedelta(seconds=1),
        "end": end,
        "end+1d": end + timedelta(days=1),
    }[shift]

    if allowed:
        assert _exchange(engine, user.id, campaign.id, partner.museum, at).points == 1000
        return
    error = _refused(engine, session, user, campaign, partner.museum, at)
    if at < start:
        assert str(error) == f"Обмен баллов начнётся {_moscow(start)} (время московское)."
    else:
        assert str(error) == f"Обмен баллов закончился {_moscow(end)} (время московское)."


def test_items_outside_the_campaigns_catalogue_are_refused(engine, session, now, setup):
    campaign, partner = setup
    civic = make_catalogue(session)
    other = _campaign(session, now, slug="other")
    other_partner = _partner_catalogue(session, other, now, tag=" (другая акция)")
    user = _winner(session, campaign, now, prize_points=50_000)

    for item_id in (civic.museum, civic.souvenir, other_partner.museum):
        error = _refused(engine, session, user, campaign, item_id, now)
        assert isinstance(error, NotFound)
        assert str(error) == "Этого поощрения нет в каталоге партнёров акции."


def test_civic_shop_neither_shows_nor_sells_partner_rewards(engine, session, now, setup):
    campaign, partner = setup
    civic = make_catalogue(session)
    shopper = make_shopper(session, points=50_000, email="civic@example.ru")
    other = _campaign(session, now, slug="other")
    _partner_catalogue(session, other, now, tag=" (другая акция)")

    with Session(engine) as s:
        view = shop.catalogue(s, actor_id=shopper.id, now=now)
        partner_view = exchange.partner_catalogue(s, actor_id=shopper.id, campaign_id=campaign.id, now=now)
    assert {c.id for c in view.categories} == set(civic.categories.values())
    assert partner.museum not in {i.id for i in view.items} and len(view.items) == 7
    assert [c.name for c in partner_view.categories] == [
        "Музеи-партнёры",
        "Путешествия",
        "Спорт",
        "Парковки-партнёры",
    ]
    assert {i.id for i in partner_view.items} == {
        partner.museum,
        partner.travel,
        partner.sport,
        partner.sport_big,
        partner.parking,
    }

    with pytest.raises(NotFound, match="Поощрение не найдено"), transaction(engine) as s:
        shop.place_order(s, actor_id=shopper.id, item_id=partner.museum, now=now)
    assert _civic_points(session, shopper.id)[0] == 50_000
    # The civic shop works as before.
    with transaction(engine) as s:
        order = shop.place_order(s, actor_id=shopper.id, item_id=civic.museum, now=now)
    assert (order.wallet, order.points) == ("points", 1000)
    assert _civic_points(session, shopper.id)[0] == 49_000
    assert_books_balance(session)


def test_guest_sees_the_catalogue_and_is_asked_to_log_in(engine, session, now, setup):
    campaign, partner = setup
    with Session(engine) as s:
        view = exchange.partner_catalogue(s, actor_id=None, campaign_id=campaign.id, now=now)
    assert view.prize_points == 0 and len(view.items) == 5
    assert all(not i.can_order for i in view.items)
    assert view.problem == "Войдите в систему, чтобы продолжить."
    with pytest.raises(NotFound, match="Акция не найдена"), Session(engine) as s:
        exchange.partner_catalogue(s, actor_id=None, campaign_id=campaign.id + 100, now=now)


# --------------------------------------------------------------------------------------------- staff


def test_partner_catalogue_admin_is_staff_only_and_checked(engine, session, now, setup):
    campaign, partner = setup
    resident = make_user(session)
    staff = make_user(session, roles=("staff",))
    civic = make_catalogue(session)

    def save(actor_id, **kwargs):
        args = {
            "campaign_id": campaign.id,
            "category_id": None,
            "name": "Техника",
            "fulfilment": "certificate",
        }
        with transaction(engine) as s:
            return exchange.save_partner_category(s, actor_id=actor_id, **(args | kwargs))

    with pytest.raises(NotAllowed):
        save(resident.id)
    with pytest.raises(InvalidInput, match="без пункта выдачи"):
        save(staff.id, fulfilment="pickup")
    with pytest.raises(InvalidInput, match="Категория скидки"):
        save(staff.id, promo_category="food")
    with pytest.raises(NotFound, match="не относится к каталогу партнёров"):
        save(staff.id, category_id=civic.categories["museums"], name="Музеи")
    created = save(staff.id, promo_category="home")
    assert (created.campaign_id, created.promo_category, created.fulfilment) == (
        campaign.id,
        "home",
        "certificate",
    )
    renamed = save(staff.id, category_id=partner.sport_category, name="Спорт и отдых", promo_category="sport")
    assert (renamed.id, renamed.name, renamed.campaign_id) == (
        partner.sport_category,
        "Спорт и отдых",
        campaign.id,
    )
    # The shop's own category admin cannot turn a partner category into souvenirs for pickup.
    with pytest.raises(InvalidInput, match="без пункта выдачи"), transaction(engine) as s:
        shop.save_category(s, actor_id=staff.id, category_id=created.id, name="Техника", fulfilment="pickup")
    with Session(engine) as s:
        names = [c.name for c in exchange.partner_categories(s, actor_id=staff.id, campaign_id=campaign.id)]
    assert names == ["Музеи-партнёры", "Путешествия", "Спорт и отдых", "Парковки-партнёры", "Техника"]


# --------------------------------------------------------------------------------------- concurrency


def _race(jobs):
    """Run every job at once, each in its own thread and transaction; returns results or exceptions."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        try:
            return job()
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_twenty_racing_exchanges_with_prize_points_for_three(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=3000, civic_points=2000)

    outcomes = _race([lambda: _exchange(engine, user.id, campaign.id, partner.museum, now)] * 20)

    unexpected = [repr(o) for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)]
    assert unexpected == []
    won = [o for o in outcomes if isinstance(o, shop.OrderView)]
    refused = Counter(str(o) for o in outcomes if isinstance(o, DomainError))
    assert len(won) == 3 and len({o.id for o in won}) == 3
    assert refused == {f"Недостаточно призовых баллов: нужно 1{NBSP}000, доступно 0.": 17}
    assert _citizen(session, user.id).prize_points == 0
    assert _orders(session) == 3
    assert _count(session, select(ShopItem.stock).where(ShopItem.id == partner.museum)) == 97
    assert _civic_points(session, user.id) == (2000, 0, 2000)
    assert_books_balance(session)


def test_racing_orders_use_the_discount_once(engine, session, now, setup):
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=4000, category="sport", discount=15_000)

    outcomes = _race([lambda: _exchange(engine, user.id, campaign.id, partner.sport, now)] * 10)

    unexpected = [repr(o) for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)]
    assert unexpected == []
    won = [o for o in outcomes if isinstance(o, shop.OrderView)]
    # One order rides on the discount, two more are paid with the 4 000 prize points.
    assert sorted((o.points, o.discount) for o in won) == [(0, 2000), (2000, 0), (2000, 0)]
    stored = session.exec(select(ShopOrder.points, ShopOrder.discount).order_by(ShopOrder.points)).all()
    session.commit()
    assert [tuple(r) for r in stored] == [(0, 2000), (2000, 0), (2000, 0)]
    citizen = _citizen(session, user.id)
    assert (citizen.prize_points, citizen.discount_left) == (0, 0)


def test_the_payment_itself_refuses_a_code_annulled_meanwhile(engine, session, now, setup):
    """The annulment job may run between the checks and the payment: the conditional UPDATE sees it."""
    campaign, partner = setup
    user = _winner(session, campaign, now, prize_points=3000)
    citizen = _citizen(session, user.id)
    stale = exchange.PromoWallet(
        citizen_id=citizen.id,
        campaign_id=campaign.id,
        balance=3000,
        discount_left=0,
        category="",
        discount_active=False,
        use_ends_at=campaign.use_ends_at,
    )
    citizen.annulled_at = now
    session.add(citizen)
    session.commit()

    with pytest.raises(DomainError) as refused, transaction(engine) as s:
        shop.place_order(s, actor_id=user.id, item_id=partner.museum, now=now, wallet=stale)

    assert str(refused.value) == "Код аннулирован: он не был активирован в срок. Обмен баллов недоступен."
    assert _citizen(session, user.id).prize_points == 3000
    assert _orders(session) == 0
