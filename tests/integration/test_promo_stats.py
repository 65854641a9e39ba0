"""The promo campaign's staff dashboard counts a hand-built campaign exactly as staff would count it
by hand: the funnel, every draw's participants and winners, codes and opt-outs per Moscow day, prize
points credited, exchanged and left — and only staff (or an administrator) see any of it."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from ag_app.db import read_transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.errors import NotAllowed, NotAuthenticated, NotFound
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, ShopCategory, ShopItem, ShopOrder
from ag_app.services.promo import stats
from ag_app.state.staff_promo_stats import (
    StaffPromoStatsState,
    category_draw_rows,
    day_rows,
    funnel_rows,
    main_draw_rows,
    points_rows,
)
from tests.factories import make_user
from tests.integration.tabs import browser_tab

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


def add_citizen(session: Session, campaign_id: int, n: int, code_sent_at: datetime, **part) -> PromoCitizen:
    """An eligible citizen (a new account) with a code sent at ``code_sent_at`` and ``part`` of the campaign."""
    user = make_user(session)
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


def build_campaigns(session: Session) -> tuple[int, int]:
    """An older campaign with one citizen and the newest one with nine (see the expected figures)."""
    older = add_campaign(session, "2025", created_at=datetime(2025, 11, 1, tzinfo=UTC))
    old_citizen = add_citizen(
        session, older.id, 1, _moscow(2, 12), voted_at=_moscow(3, 12), main_window=0, main_prize=5000
    )
    old_item = add_catalogue_item(session, older.id, "partners-2025")
    add_order(session, old_item, old_citizen.user_id, 400, wallet="promo", status="certificate")

    campaign = add_campaign(session, "2026", created_at=datetime(2026, 11, 1, tzinfo=UTC))
    c = campaign.id
    add_draw(session, c, 0)
    add_draw(session, c, 1)
    add_draw(session, c, 0, "sport")
    add_draw(session, c, 0, "travel")
    add_draw(session, c, 1, "home")
    first_day, fourth_day = _moscow(1, 10), _moscow(4, 9)
    vote_0, vote_1, vote_2 = _moscow(9, 18), _moscow(15, 12), _moscow(20, 12)
    # No vote.
    add_citizen(session, c, 1, first_day)
    # Sent 22:30 UTC on 1 December: already 2 December in Moscow.
    add_citizen(session, c, 2, datetime(2026, 12, 1, 22, 30, tzinfo=UTC))
    # Opted out on 3 December (and still out), voted anyway, registered in «Спорт»: in no draw.
    add_citizen(
        session,
        c,
        3,
        first_day,
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
        voted_at=vote_0,
        first_online=True,
        main_window=0,
        extra_prize=1000,
        activated_at=_moscow(11, 13),
        prize_points=1000,
    )
    # Main prize 1 000 never activated: annulled, nothing credited.
    add_citizen(
        session, c, 6, fourth_day, voted_at=vote_1, main_window=1, main_prize=1000, annulled_at=_moscow(25, 0)
    )
    # Won the «Техника для дома» draw of the second window.
    add_citizen(
        session,
        c,
        7,
        fourth_day,
        voted_at=vote_1,
        main_window=1,
        category="home",
        category_window=1,
        category_prize=15000,
        discount_left=15000,
    )
    # Voted after the configured windows: counted in a window without a draw; «Спорт» of the first window.
    add_citizen(
        session, c, 8, fourth_day, voted_at=vote_2, main_window=2, category="sport", category_window=0
    )
    # Opted out and rejoined (the opt-out was cleared): a participant of the first window.
    add_citizen(session, c, 9, fourth_day, rejoined_at=_moscow(5, 20), voted_at=vote_0, main_window=0)
    item = add_catalogue_item(session, c, "partners-2026")
    civic_item = add_catalogue_item(session, None, "civic")
    add_order(session, item, winner.user_id, 3000, wallet="promo", status="certificate")
    add_order(session, item, winner.user_id, 200, wallet="promo", status="expired")
    add_order(session, item, winner.user_id, 500, wallet="promo", status="cancelled")
    # Civic points spent in the campaign's catalogue or anywhere else are not prize points.
    add_order(session, item, winner.user_id, 700, wallet="points", status="certificate")
    add_order(session, civic_item, winner.user_id, 900, wallet="points", status="certificate")
    session.commit()
    return older.id, c


def _read(engine, **kwargs):
    with read_transaction(engine) as session:
        return stats.campaign_stats(session, **kwargs)


def test_the_dashboard_counts_the_newest_campaign_by_hand(engine, session):
    older, newest = build_campaigns(session)
    staff = make_user(session, roles=("staff",))
    session.commit()
    data = _read(engine, actor_id=staff.id, campaign_id=None)

    assert [c.id for c in data.campaigns] == [newest, older]
    assert data.campaign.id == newest and data.campaign.title == "#ВыбираемВместе 2026"
    assert funnel_rows(data) == [
        ["Имеют право на участие", "9"],
        ["Коды отправлены", "9"],
        ["Отказались от участия", "1"],
        ["Проголосовали", "7"],
        ["Участники розыгрышей", "6"],
        ["Победители основных розыгрышей", "2"],
        ["Дополнительные призы", "1"],
        ["Победители в категориях", "1"],
        ["Активировали код", "2"],
        ["Коды аннулированы", "1"],
    ]
    assert [(d.window, d.due_on, d.participants, d.winners) for d in data.main_draws] == [
        (0, date(2026, 12, 11), 3, 1),
        (1, date(2026, 12, 18), 2, 1),
        (2, None, 1, 0),
    ]
    assert main_draw_rows(data) == [
        ["Розыгрыш 11.12", "3", "1"],
        ["Розыгрыш 18.12", "2", "1"],
        ["Окно 3", "1", "0"],
        ["Всего", "6", "2"],
    ]
    # Drawn categories with nobody in them are listed too; the opted-out «Спорт» voter is not counted.
    assert category_draw_rows(data) == [
        ["Техника для дома, розыгрыш 18.12", "1", "1"],
        ["Спорт, розыгрыш 11.12", "1", "0"],
        ["Путешествия и культура, розыгрыш 11.12", "0", "0"],
        ["Всего", "2", "1"],
    ]
    # Every Moscow day from the first code to the last opt-out, the empty one too.
    assert day_rows(data) == [
        ["01.12", "3", "0"],
        ["02.12", "1", "0"],
        ["03.12", "0", "1"],
        ["04.12", "5", "0"],
        ["Всего", "9", "1"],
    ]
    # Credited: 5 000 + 1 000 activated (the annulled 1 000 never was); exchanged: 3 000 + 200 (not the
    # cancelled order, civic points or the other campaign's); left: the balances.
    assert points_rows(data) == [
        ["Начислено", "6\u00a0000"],
        ["Обменяно", "3\u00a0200"],
        ["Осталось", "2\u00a0800"],
    ]

    # The older campaign, chosen explicitly, has its own figures only.
    old = _read(engine, actor_id=staff.id, campaign_id=older)
    assert old.campaign.id == older
    assert (old.funnel.eligible, old.funnel.participants, old.funnel.winners) == (1, 1, 1)
    assert [(d.window, d.due_on, d.participants) for d in old.main_draws] == [(0, None, 1)]
    assert (old.points.credited, old.points.exchanged, old.points.left) == (0, 400, 0)
    assert old.category_draws == () and [d.day for d in old.days] == [date(2026, 12, 2)]


def test_no_campaign_gives_an_empty_dashboard_and_an_unknown_one_is_not_found(engine, session):
    admin = make_user(session, roles=("admin",))
    session.commit()
    empty = _read(engine, actor_id=admin.id, campaign_id=None)
    assert empty.campaigns == () and empty.campaign is None
    assert empty.funnel == stats.Funnel() and empty.main_draws == () and empty.days == ()
    with pytest.raises(NotFound) as missing:
        _read(engine, actor_id=admin.id, campaign_id=999)
    assert str(missing.value) == "Акция не найдена."


@pytest.mark.parametrize("roles", [(), ("moderator",)])
def test_only_staff_see_the_dashboard(engine, session, roles):
    build_campaigns(session)
    other = make_user(session, roles=roles)
    session.commit()
    with pytest.raises(NotAllowed) as refused:
        _read(engine, actor_id=other.id, campaign_id=None)
    assert str(refused.value) == "Недостаточно прав для этого действия."
    with pytest.raises(NotAuthenticated):
        _read(engine, actor_id=None, campaign_id=None)


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _page(session: Session, user_id: int | None) -> StaffPromoStatsState:
    return browser_tab(session, user_id).substates[StaffPromoStatsState.get_name()]


def test_staff_open_the_page_and_switch_campaigns(app_engine, session):
    older, newest = build_campaigns(session)
    staff = make_user(session, roles=("staff",))
    session.commit()
    page = _page(session, staff.id)
    assert page.funnel_fig is None and page.funnel_rows == []
    _run(StaffPromoStatsState.load, page)
    assert page.loaded and page.allowed and page.error == "" and page.empty == ""
    assert page.campaigns == [
        {"id": str(newest), "title": "#ВыбираемВместе 2026"},
        {"id": str(older), "title": "#ВыбираемВместе 2025"},
    ]
    assert page.campaign_id == str(newest)
    assert page.funnel_rows[0] == ["Имеют право на участие", "9"]
    assert page.main_rows[-1] == ["Всего", "6", "2"]
    figures = (
        page.funnel_fig,
        page.main_fig,
        page.category_fig,
        page.codes_fig,
        page.opt_outs_fig,
        page.points_fig,
    )
    assert all(figure is not None for figure in figures)
    assert list(page.points_fig.data[0].y) == [6000, 3200, 2800]

    _run(StaffPromoStatsState.choose_campaign, page, {"campaign_id": str(older)})
    assert page.error == "" and page.campaign_id == str(older)
    assert page.funnel_rows[0] == ["Имеют право на участие", "1"]
    assert page.category_rows == [] and page.points_rows[1] == ["Обменяно", "400"]

    # An unknown or malformed campaign keeps the one shown and says so.
    for value in ("999", "x' OR 1=1", None):
        _run(StaffPromoStatsState.choose_campaign, page, {"campaign_id": value})
        assert page.error == "Акция не найдена." and page.campaign_id == str(older)
        assert page.funnel_rows[0] == ["Имеют право на участие", "1"]


def test_with_no_campaign_the_page_says_so(app_engine, session):
    staff = make_user(session, roles=("staff",))
    session.commit()
    page = _page(session, staff.id)
    _run(StaffPromoStatsState.load, page)
    assert page.allowed and page.campaigns == [] and page.funnel_fig is None
    assert page.empty == "Акций пока нет: статистика появится, когда будет настроена первая акция."


@pytest.mark.parametrize("who", ["resident", "guest", "moderator"])
def test_others_get_no_numbers_from_the_page(app_engine, session, who):
    build_campaigns(session)
    roles = {"resident": (), "moderator": ("moderator",)}.get(who)
    actor = None if roles is None else make_user(session, roles=roles).id
    session.commit()
    page = _page(session, actor)
    _run(StaffPromoStatsState.load, page)
    assert page.loaded and not page.allowed
    assert (
        page.campaigns == [] and page.funnel_fig is None and page.funnel_rows == [] and page.points_rows == []
    )
    _run(StaffPromoStatsState.choose_campaign, page, {"campaign_id": "1"})
    assert not page.allowed and page.funnel_rows == [] and page.campaigns == []
    assert page.error in ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")
