"""The subscriptions and feedback handlers re-check rights on the server: a resident calling the
staff handlers by name (as any websocket client can) changes nothing and gets the Russian refusal;
arguments of the wrong type or length are ignored; the unsubscribe page works without login."""

import asyncio
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.models import FeedbackTicket, SubscriptionChoice
from ag_app.services import feedback, subscriptions
from ag_app.state.feedback import FeedbackState, StaffFeedbackState
from ag_app.state.subscriptions import SubscriptionsState, UnsubscribeState
from tests.factories import make_user
from tests.integration.tabs import browser_tab

REFUSALS = ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")


def _ticket(engine, ticket_id: int) -> FeedbackTicket:
    with Session(engine) as s:
        return s.get(FeedbackTicket, ticket_id)


def _file(engine, user_id: int) -> int:
    with transaction(engine) as s:
        return feedback.file_ticket(
            s, actor_id=user_id, topic="tech", text="Не приходит код по СМС", now=datetime.now(UTC)
        ).id


@pytest.mark.parametrize("who", ["resident", "guest"])
def test_staff_feedback_handlers_refuse_non_staff(app_engine, session, who):
    author = make_user(session)
    ticket_id = _file(app_engine, author.id)
    tab = browser_tab(session, author.id if who == "resident" else None)
    desk = tab.substates[StaffFeedbackState.get_name()]

    asyncio.run(StaffFeedbackState.load.fn(desk))
    assert desk.loaded and not desk.allowed and desk.queue == []

    asyncio.run(
        StaffFeedbackState.answer.fn(desk, {"ticket_id": str(ticket_id), "answer": "Ответ самому себе"})
    )
    assert desk.error in REFUSALS
    asyncio.run(StaffFeedbackState.close.fn(desk, str(ticket_id)))
    assert desk.error in REFUSALS
    ticket = _ticket(app_engine, ticket_id)
    assert (ticket.status, ticket.answer) == ("new", "")


def test_staff_answers_and_the_author_sees_it(app_engine, session):
    author, staff = make_user(session), make_user(session, roles=("staff",))
    ticket_id = _file(app_engine, author.id)
    desk = browser_tab(session, staff.id).substates[StaffFeedbackState.get_name()]
    asyncio.run(StaffFeedbackState.load.fn(desk))
    assert desk.allowed and [row.id for row in desk.queue] == [str(ticket_id)]

    asyncio.run(
        StaffFeedbackState.answer.fn(desk, {"ticket_id": str(ticket_id), "answer": "Проверьте номер."})
    )
    assert desk.error == "" and "отправлен" in desk.notice
    asyncio.run(StaffFeedbackState.set_status.fn(desk, "new"))
    assert desk.queue == []
    asyncio.run(StaffFeedbackState.set_status.fn(desk, "спам"))
    assert desk.status == "new"

    mine = browser_tab(session, author.id).substates[FeedbackState.get_name()]
    asyncio.run(FeedbackState.load.fn(mine))
    assert [(row.status_label, row.answer) for row in mine.tickets] == [("Есть ответ", "Проверьте номер.")]


def test_resident_handlers_validate_and_stay_within_own_tickets(app_engine, session):
    author, other = make_user(session), make_user(session)
    ticket_id = _file(app_engine, author.id)
    stranger = browser_tab(session, other.id).substates[FeedbackState.get_name()]

    # Somebody else's ticket cannot be closed; odd arguments are ignored.
    asyncio.run(FeedbackState.close.fn(stranger, str(ticket_id)))
    assert stranger.error == "Обращение не найдено."
    for odd in ({"x": 1}, "1; DROP", "9" * 40):
        asyncio.run(FeedbackState.close.fn(stranger, odd))
    assert _ticket(app_engine, ticket_id).status == "new"

    for form in (
        {"topic": "spam", "text": "Достаточно длинный текст"},
        {"topic": ["tech"], "text": "x" * 20},
    ):
        asyncio.run(FeedbackState.submit.fn(stranger, form))
        assert stranger.error == "Выберите тему обращения из списка."
    asyncio.run(FeedbackState.submit.fn(stranger, {"topic": "tech", "text": "x" * 100_000}))
    assert stranger.error.startswith("Текст слишком длинный")
    asyncio.run(FeedbackState.submit.fn(stranger, {"topic": "tech", "text": "Карта не грузится"}))
    assert stranger.error == "" and stranger.filed_number.startswith("ОБ-")
    assert [row.number for row in stranger.tickets] == [stranger.filed_number]
    with Session(app_engine) as s:
        assert len(s.exec(select(FeedbackTicket).where(FeedbackTicket.user_id == other.id)).all()) == 1

    mine = browser_tab(session, author.id).substates[FeedbackState.get_name()]
    asyncio.run(FeedbackState.close.fn(mine, str(ticket_id)))
    assert mine.error == "" and _ticket(app_engine, ticket_id).status == "closed"


def test_a_filed_ticket_is_confirmed_once(app_engine, session):
    """/feedback confirms a filing in one place: the «Обращение № … зарегистрировано» box with the
    number (``filed_number``), not also in the page's alert region (``notice``)."""
    resident = browser_tab(session, make_user(session).id).substates[FeedbackState.get_name()]
    asyncio.run(FeedbackState.submit.fn(resident, {"topic": "tech", "text": "Карта не грузится"}))
    assert resident.filed_number.startswith("ОБ-") and resident.error == ""
    assert resident.notice == ""


def test_guest_is_sent_to_login_and_cannot_change_subscriptions(app_engine, session):
    tab = browser_tab(session, None)
    page = tab.substates[SubscriptionsState.get_name()]
    assert asyncio.run(SubscriptionsState.load.fn(page)) is not None
    asyncio.run(SubscriptionsState.toggle.fn(page, "polls", "email", False))
    assert page.error in REFUSALS
    with Session(app_engine) as s:
        assert s.exec(select(SubscriptionChoice)).all() == []


def test_toggle_saves_at_once_and_refuses_odd_arguments(app_engine, session):
    user = make_user(session)
    page = browser_tab(session, user.id).substates[SubscriptionsState.get_name()]
    asyncio.run(SubscriptionsState.load.fn(page))
    assert [row.topic for row in page.rows] == ["polls", "results", "decisions", "house", "shop"]

    asyncio.run(SubscriptionsState.toggle.fn(page, "results", "email", False))
    assert page.notice == "Сохранено: рассылка «Итоги голосований» (электронная почта) отключена."
    cell = next(c for c in next(r for r in page.rows if r.topic == "results").cells if c.channel == "email")
    assert not cell.enabled
    asyncio.run(SubscriptionsState.toggle.fn(page, "polls", "sms", False))
    assert page.error == "Эта тема не рассылается по выбранному каналу."
    asyncio.run(SubscriptionsState.toggle.fn(page, {"a": 1}, "email", False))
    asyncio.run(SubscriptionsState.toggle.fn(page, "polls", "email", "нет"))
    with Session(app_engine) as s:
        rows = s.exec(select(SubscriptionChoice).where(SubscriptionChoice.user_id == user.id)).all()
        assert [(r.topic, r.channel, r.enabled) for r in rows] == [("results", "email", False)]


def _unsubscribe_tab(token: str) -> UnsubscribeState:
    root = State(_reflex_internal_init=True)
    page = root.substates[UnsubscribeState.get_name()]
    page.router = RouterData.from_router_data(
        {"pathname": "/unsubscribe", "asPath": f"/unsubscribe?token={quote(token)}", "headers": {}, "ip": ""}
    )
    return page


def test_unsubscribe_page_without_login(app_engine, session):
    user = make_user(session)
    link = subscriptions.unsubscribe_link(user_id=user.id, topic="house")
    token = link.rsplit("token=", 1)[1]

    for bad in (
        "",
        token.replace(f"{user.id}.", f"{user.id + 1}.", 1),
        token[:-1] + ("1" if token.endswith("0") else "0"),
        "x" * 5000,
    ):
        page = _unsubscribe_tab(bad)
        asyncio.run(UnsubscribeState.load.fn(page))
        assert page.error.startswith("Ссылка отписки недействительна") and not page.done
    with Session(app_engine) as s:
        assert s.exec(select(SubscriptionChoice)).all() == []

    page = _unsubscribe_tab(token)
    asyncio.run(UnsubscribeState.load.fn(page))
    assert page.done and page.notice == "Вы отписались от рассылки: «Электронный дом»: события дома."
    with transaction(app_engine) as s:
        assert not subscriptions.wants(s, user_id=user.id, topic="house", channel="email")
        assert subscriptions.wants(s, user_id=user.id, topic="house", channel="app")
