"""The demo catalogue of the rewards shop («Магазин поощрений», SPEC §9).

The six built-in categories, the ten service centres «Мои документы» where souvenirs are picked up,
and two dozen rewards in the spirit of the real shop: souvenirs with the project's logo (one out of
stock, one open to everybody), park and museum certificates (one for two persons), theatre
certificates for performances a month or more ahead, a double-decker tour and parking points.
Photos are the flat SVG drawings under ``assets/shop/``.

Deterministic (fixed texts; theatre dates relative to ``now``) and idempotent: a category is looked
up by its slug, a pickup point by its name, an item by its title, and only what is missing is added,
in the caller's transaction.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import DomainError
from ag_app.domain.shop import CATEGORIES, THEATRE_EXCHANGE_DAYS_BEFORE, new_certificate_code
from ag_app.models import PickupPoint, ShopCategory, ShopItem, ShopOrder, User, UserRole
from ag_app.seed.people import DEMO_LOGINS
from ag_app.services import shop

log = logging.getLogger(__name__)

# The list of the seed text (SPEC §9.3): centres «Мои документы» that hand out the souvenirs.
PICKUP_POINTS = (
    ("Центр госуслуг района Тимирязевский", "ул. Тимирязевская, д. 8, к. 1"),
    ("Центр госуслуг района Лианозово", "ул. Абрамцевская, д. 3"),
    ("Центр госуслуг районов Северное Тушино и Южное Тушино", "ул. Василия Петушкова, д. 13, к. 1"),
    ("Центр госуслуг района Тропарёво-Никулино", "просп. Вернадского, д. 97, к. 3"),
    ("Центр госуслуг районов Богородское и Метрогородок", "Открытое ш., д. 8"),
    ("Центр госуслуг района Академический", "ул. Новочерёмушкинская, д. 23, к. 5"),
    ("Центр госуслуг района Москворечье-Сабурово", "Пролетарский просп., д. 18"),
    ("Центр госуслуг района Марьино", "ул. Совхозная, д. 41"),
    ("Центр госуслуг района Красносельский", "ул. Верхняя Красносельская, д. 3, стр. 2"),
    ("Центр госуслуг района Арбат", "пер. Сивцев Вражек, д. 20"),
)

SOUVENIR_NOTE = "Бронируется на 14 дней до 20:00 последнего дня в выбранном центре госуслуг"
CERTIFICATE_NOTE = "Электронный сертификат действует 14 дней с момента заказа"
THEATRE_NOTE = (
    "Электронный сертификат нужно обменять на билет в кассе театра не позднее "
    f"чем за {THEATRE_EXCHANGE_DAYS_BEFORE} дней до спектакля"
)
PARKING_NOTE = "Парковочные баллы не сгорают"
NOTES = {
    "souvenirs": SOUVENIR_NOTE,
    "parks": CERTIFICATE_NOTE,
    "museums": CERTIFICATE_NOTE,
    "theatres": THEATRE_NOTE,
    "transport": CERTIFICATE_NOTE,
    "parking": PARKING_NOTE,
}


@dataclass(frozen=True)
class DemoItem:
    """A reward of the demo catalogue; ``performance_in`` counts days from the seed's Moscow date."""

    category: str
    title: str
    description: str
    price: int
    stock: int
    photo: str
    open_to_all: bool = False
    is_pair: bool = False
    performance_in: int | None = None
    parking_points: int = 0


ITEMS = (
    # «Сувениры»: picked up at a service centre within 14 days.
    DemoItem(
        "souvenirs",
        "Кружка «Активный гражданин»",
        "Керамическая кружка объёмом 330 мл с логотипом проекта. Можно мыть в посудомоечной машине "
        "и греть в микроволновой печи.",
        1000,
        120,
        "shop/mug.svg",
    ),
    DemoItem(
        "souvenirs",
        "Футболка с логотипом проекта",
        "Белая хлопковая футболка прямого кроя с логотипом «Активного гражданина» на груди. "
        "Размеры от S до XXL; при получении её можно примерить.",
        1500,
        80,
        "shop/tshirt.svg",
    ),
    DemoItem(
        "souvenirs",
        "Толстовка с капюшоном",
        "Тёплая толстовка из футера с начёсом, с капюшоном и карманом-кенгуру. "
        "Партия закончилась: следите за пополнением каталога.",
        3000,
        0,
        "shop/hoodie.svg",
    ),
    DemoItem(
        "souvenirs",
        "Бейсболка «Активный гражданин»",
        "Хлопковая бейсболка с вышитым логотипом проекта. Размер регулируется застёжкой на затылке.",
        1200,
        70,
        "shop/cap.svg",
    ),
    DemoItem(
        "souvenirs",
        "Зонт-трость",
        "Большой зонт-трость с куполом диаметром 105 см и прочным каркасом, выдерживающим порывы ветра. "
        "На куполе — логотип проекта.",
        2000,
        40,
        "shop/umbrella.svg",
    ),
    DemoItem(
        "souvenirs",
        "Термос 500 мл",
        "Стальной термос с двойными стенками сохраняет напиток горячим до 12 часов. "
        "Крышка плотно закручивается и служит чашкой.",
        2500,
        25,
        "shop/thermos.svg",
    ),
    DemoItem(
        "souvenirs",
        "Внешний аккумулятор 10 000 мА·ч",
        "Компактный внешний аккумулятор с двумя портами USB и индикатором заряда. "
        "Полностью заряжает смартфон два-три раза.",
        3000,
        15,
        "shop/powerbank.svg",
    ),
    DemoItem(
        "souvenirs",
        "Блокнот в твёрдой обложке",
        "Блокнот формата A5 на 96 листов в линейку с закладкой-ляссе и резинкой. "
        "На обложке — тиснение с логотипом проекта.",
        1000,
        200,
        "shop/notebook.svg",
    ),
    DemoItem(
        "souvenirs",
        "Сумка-шоппер",
        "Вместительная сумка из плотного хлопка с длинными ручками. "
        "Подходит для покупок и прогулок по городу.",
        1200,
        60,
        "shop/shopper.svg",
    ),
    DemoItem(
        "souvenirs",
        "Значок «Активный гражданин»",
        "Металлический значок с эмалью и логотипом проекта. Его могут заказать все участники проекта, "
        "даже те, у кого ещё нет статуса «Активный гражданин».",
        300,
        150,
        "shop/badge.svg",
        open_to_all=True,
    ),
    # «Парки»: an e-certificate valid 14 days.
    DemoItem(
        "parks",
        "Экскурсия по парку «Зарядье»",
        "Пешеходная экскурсия по парку «Зарядье» с прогулкой по Парящему мосту и рассказом о природных "
        "зонах парка. Продолжительность — около полутора часов.",
        1500,
        40,
        "shop/park.svg",
    ),
    DemoItem(
        "parks",
        "Экскурсия по Аптекарскому огороду",
        "Экскурсия по старейшему ботаническому саду Москвы на проспекте Мира. "
        "Вы увидите оранжереи с тропическими растениями и узнаете историю сада со времён Петра I.",
        1200,
        30,
        "shop/park.svg",
    ),
    DemoItem(
        "parks",
        "Сеанс на катке в парке Горького",
        "Входной билет на один сеанс катания на катке в Центральном парке культуры и отдыха им. Горького. "
        "Прокат коньков оплачивается отдельно.",
        1000,
        60,
        "shop/skates.svg",
    ),
    DemoItem(
        "parks",
        "Обзорная экскурсия по ВДНХ",
        "Прогулка по главной выставке страны: фонтаны «Дружба народов» и «Каменный цветок», "
        "исторические павильоны и их архитектура. Продолжительность — два часа.",
        1500,
        35,
        "shop/park.svg",
    ),
    # «Музеи»: an e-certificate valid 14 days.
    DemoItem(
        "museums",
        "Билет в Музей Москвы",
        "Входной билет на постоянную экспозицию об истории города в Провиантских складах на Зубовском "
        "бульваре. Сертификат действует для одного посетителя.",
        1000,
        80,
        "shop/museum.svg",
    ),
    DemoItem(
        "museums",
        "Билет в Музей космонавтики",
        "Входной билет в Музей космонавтики у монумента «Покорителям космоса» на ВДНХ. "
        "В экспозиции — настоящие космические аппараты, скафандры и макет станции «Мир».",
        1200,
        60,
        "shop/rocket.svg",
    ),
    DemoItem(
        "museums",
        "Билет в музей-заповедник «Царицыно» на двоих",
        "Парная позиция: один сертификат даёт вход двум посетителям в Большой дворец и Хлебный дом "
        "музея-заповедника «Царицыно». Приходить нужно вместе.",
        2000,
        30,
        "shop/museum.svg",
        is_pair=True,
    ),
    DemoItem(
        "museums",
        "Билет в Государственный Дарвиновский музей",
        "Входной билет в один из крупнейших естественнонаучных музеев Европы. "
        "Интерактивная экспозиция «Открывая мир» понравится и взрослым, и детям.",
        1000,
        50,
        "shop/museum.svg",
    ),
    # «Театры»: a certificate exchanged for a ticket at the box office up to 7 days before.
    DemoItem(
        "theatres",
        "Спектакль в Театре на Таганке",
        "Сертификат на один билет на вечерний спектакль текущего репертуара Театра на Таганке. "
        "Место в зале назначает касса при обмене сертификата.",
        2500,
        10,
        "shop/theatre.svg",
        performance_in=33,
    ),
    DemoItem(
        "theatres",
        "Спектакль в Московском театре оперетты",
        "Сертификат на один билет на музыкальный спектакль Московского театра оперетты на Большой "
        "Дмитровке. Место в зале назначает касса при обмене сертификата.",
        3000,
        8,
        "shop/theatre.svg",
        performance_in=40,
    ),
    DemoItem(
        "theatres",
        "Спектакль в театре «Современник»",
        "Сертификат на один билет на спектакль театра «Современник» на Чистопрудном бульваре. "
        "Место в зале назначает касса при обмене сертификата.",
        2500,
        12,
        "shop/theatre.svg",
        performance_in=54,
    ),
    # «Транспорт»: an e-certificate valid 14 days.
    DemoItem(
        "transport",
        "Экскурсия на даблдекере",
        "Обзорная экскурсия по центру Москвы на двухэтажном автобусе с открытым верхом и аудиогидом. "
        "Сертификат действует на один круг маршрута.",
        1500,
        40,
        "shop/doubledecker.svg",
    ),
    DemoItem(
        "transport",
        "Прогулка на речном трамвайчике",
        "Прогулка по Москве-реке от Киевского вокзала до Новоспасского моста мимо Кремля и парка "
        "«Зарядье». Продолжительность — около двух с половиной часов.",
        2000,
        25,
        "shop/boat.svg",
    ),
    # «Парковки»: parking points to the «Парковки Москвы» account of the same phone number.
    DemoItem(
        "parking",
        "100 парковочных баллов",
        "100 парковочных баллов (100 ₽) зачисляются на счёт в «Парковках Москвы», привязанный к тому же "
        "номеру телефона. Баллами можно оплатить городскую платную парковку.",
        1000,
        500,
        "shop/parking.svg",
        parking_points=100,
    ),
)


def _categories(session: Session, *, added: list[str]) -> dict[str, int]:
    """The built-in categories by slug: those missing are created at their place in the list."""
    ids: dict[str, int] = {}
    for position, rule in enumerate(CATEGORIES, start=1):
        found = session.exec(
            select(ShopCategory).where(or_(ShopCategory.slug == rule.slug, ShopCategory.name == rule.name))
        ).first()
        if found is None:
            found = ShopCategory(
                slug=rule.slug, name=rule.name, fulfilment=rule.fulfilment, position=position
            )
            session.add(found)
            session.flush()
            added.append(f"category:{rule.slug}")
        assert found.id is not None
        ids[rule.slug] = found.id
    return ids


def _pickup_points(session: Session, *, added: list[str]) -> None:
    known = set(session.exec(select(PickupPoint.name)).all())
    for name, address in PICKUP_POINTS:
        if name not in known:
            session.add(PickupPoint(name=name, address=address, active=True))
            added.append(f"pickup:{name}")


def _items(session: Session, categories: dict[str, int], *, now: datetime, added: list[str]) -> None:
    known = set(session.exec(select(ShopItem.title).where(col(ShopItem.title).in_([i.title for i in ITEMS]))))
    today = moscow_date(now)
    for item in ITEMS:
        if item.title in known:
            continue
        session.add(
            ShopItem(
                category_id=categories[item.category],
                title=item.title,
                description=item.description,
                price=item.price,
                stock=item.stock,
                photo=item.photo,
                visible=True,
                open_to_all=item.open_to_all,
                is_pair=item.is_pair,
                validity_note=NOTES[item.category],
                performance_on=None
                if item.performance_in is None
                else today + timedelta(days=item.performance_in),
                parking_points=item.parking_points,
                created_at=now,
            )
        )
        added.append(f"item:{item.title}")


def seed_shop(session: Session, *, now: datetime) -> bool:
    """Add what is missing of the demo catalogue: categories, pickup points and items.

    Returns whether anything was written (False when the catalogue was already complete).
    """
    added: list[str] = []
    categories = _categories(session, added=added)
    _pickup_points(session, added=added)
    _items(session, categories, now=now, added=added)
    session.flush()
    if added:
        log.info("Магазин поощрений: добавлено %d записей демо-каталога.", len(added))
    return bool(added)


def seed_shop_orders(session: Session, *, now: datetime, seed: int = 2026, shoppers: int = 60) -> int:
    """Demo orders of the last eight weeks, placed through the shop's own use cases.

    Residents with the status, a full name and an e-mail order one or two items each at random
    moments; about half of the souvenirs whose reservation has run out were handed out at the desk
    by the demo moderator, a few were cancelled, the rest are left for the expiry job. The demo logins
    are never among the shoppers: their points stay for trying the shop (README). Skipped when any
    order exists. Returns the number of orders placed.
    """
    if session.exec(select(ShopOrder.id)).first() is not None:
        return 0
    rng = random.Random(seed)
    residents = session.exec(
        select(User.id)
        .where(
            col(User.active_citizen_since).is_not(None),
            User.email != "",
            User.last_name != "",
            User.first_name != "",
            User.patronymic != "",
            col(User.phone).not_in([login.phone for login in DEMO_LOGINS]),
        )
        .order_by(col(User.id))
        .limit(2000)
    ).all()
    items = session.exec(select(ShopItem.id).where(col(ShopItem.stock) > 0).order_by(col(ShopItem.id))).all()
    points = session.exec(select(PickupPoint.id).where(col(PickupPoint.active).is_(True))).all()
    desk = session.exec(select(UserRole.user_id).where(UserRole.role == "moderator")).first()
    if not residents or not items or not points:
        return 0
    placed = 0
    for user_id in rng.sample(list(residents), min(shoppers, len(residents))):
        for _ in range(rng.randint(1, 2)):
            ordered_at = now - timedelta(days=rng.uniform(1, 56))
            try:
                with session.begin_nested():
                    order = shop.place_order(
                        session,
                        actor_id=user_id,
                        item_id=rng.choice(items),
                        pickup_point_id=rng.choice(points),
                        now=ordered_at,
                        code=lambda: new_certificate_code(rng.choice),
                    )
            except DomainError:
                continue  # not enough points left, or sold out
            placed += 1
            if order.reserved_until is None:
                continue
            fate = rng.random()
            if fate < 0.1:
                shop.cancel_order(
                    session, actor_id=user_id, order_id=order.id, now=ordered_at + timedelta(days=1)
                )
            elif desk is not None and fate < 0.6 and order.reserved_until < now:
                picked_up = ordered_at + timedelta(days=rng.uniform(1, 12))
                shop.desk_issue(session, actor_id=desk, order_id=order.id, now=picked_up)
    log.info("Магазин поощрений: %d демонстрационных заказов.", placed)
    return placed
