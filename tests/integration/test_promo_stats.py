"""The promo campaign's staff dashboard counts a hand-built campaign exactly as staff would count it
by hand: the funnel, every draw's participants and winners, codes and opt-outs per Moscow day, prize
points credited, exchanged and left — and only staff (or an administrator) see any of it."""

import asyncio
from datetime import date

import pytest
from sqlmodel import Session

from ag_app.db import read_transaction
from ag_app.domain.errors import NotAllowed, NotAuthenticated, NotFound
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
from tests.promo_stats_helpers import build_campaigns


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
