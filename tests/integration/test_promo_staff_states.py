"""«Акция: управление» re-checks rights on the server: staff (and administrators) configure the
campaign, see its draws, add public randomness to a closed window and import the voting system's
file; a resident, a moderator or a guest calling the same handlers by name gets the Russian refusal
and nothing changes."""

import asyncio
import io
import secrets

import pytest
import reflex as rx
from sqlmodel import Session, select

from ag_app.db import read_transaction, transaction
from ag_app.models import Poll, PromoCampaign, PromoCitizen, PromoDraw
from ag_app.services.promo import codes, draws
from ag_app.state import staff_promo
from ag_app.state.base import SessionState
from ag_app.state.staff_promo import StaffPromoState
from tests.factories import make_user
from tests.integration.poll_helpers import make_poll
from tests.integration.tabs import browser_tab
from tests.promo_helpers import make_campaign, make_citizen, msk

FORBIDDEN = ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")
HEADER = "person;voted_at;channel;first_online\n"
SENDING = msk((2026, 8, 31), 12)
VOTING = msk((2026, 9, 6), 12)


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _page(session: Session, user_id: int | None) -> StaffPromoState:
    return browser_tab(session, user_id).substates[StaffPromoState.get_name()]


def _upload(data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), size=len(data))


def _snapshot(session: Session) -> tuple:
    """Everything the page's handlers could change, read as plain columns."""
    session.expire_all()
    campaigns = session.exec(
        select(PromoCampaign.id, PromoCampaign.title, PromoCampaign.extra_prize).order_by(PromoCampaign.id)
    ).all()
    drawn = session.exec(
        select(PromoDraw.id, PromoDraw.prizes, PromoDraw.entropy, PromoDraw.window_ends_at).order_by(
            PromoDraw.id
        )
    ).all()
    citizens = session.exec(select(PromoCitizen.id, PromoCitizen.voted_at).order_by(PromoCitizen.id)).all()
    session.commit()
    return tuple(map(tuple, campaigns)), tuple(map(tuple, drawn)), tuple(map(tuple, citizens))


@pytest.fixture
def campaign(app_engine, session):
    return make_campaign(app_engine, session)


@pytest.fixture
def at(monkeypatch):
    """Move the page's clock: ``at(moment)``."""

    def move(moment):
        monkeypatch.setattr(staff_promo, "now", lambda: moment)

    move(VOTING)
    return move


def _main_draw(session: Session, campaign_id: int, window: int) -> int:
    draw_id = session.exec(
        select(PromoDraw.id).where(
            PromoDraw.campaign_id == campaign_id, PromoDraw.kind == "main", PromoDraw.window == window
        )
    ).one()
    session.commit()
    return draw_id


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_see_the_campaign_and_its_draws(app_engine, session, campaign, at, role):
    campaign_id, _, _ = campaign
    manager = make_user(session, roles=(role,))
    session.commit()
    page = _page(session, manager.id)
    _run(StaffPromoState.load, page)
    assert page.allowed and page.error == ""
    assert page.campaigns == [{"id": str(campaign_id), "title": "#ВыбираемВместе2026 (vmeste)"}]
    assert page.campaign_id == str(campaign_id) and not page.creating
    assert page.form["opt_out_ends_at"] == "05.09.2026 23:59"
    assert page.form["windows"].splitlines()[0] == "06.09.2026 20:00; 07.09.2026 10:00; 5000x2,3000x3,1000x5"
    # Three windows: a main draw and three category draws each.
    assert len(page.draws) == 12
    first = page.draws[0]
    assert (first["kind"], first["window"], first["ends"], first["due"], first["state"]) == (
        "Основной",
        "1",
        "06.09.2026 20:01",
        "07.09.2026 10:00",
        "идёт приём",
    )
    assert len(first["commitment"]) == 64 and first["participants_url"] == first["winners_url"] == ""
    assert [d["kind"] for d in page.draws[1:4]] == [
        "Категория «Спорт»",
        "Категория «Путешествия и культура»",
        "Категория «Техника для дома»",
    ]


def test_staff_create_and_update_campaigns_with_every_problem_listed(app_engine, session, campaign, at):
    campaign_id, staff_id, _ = campaign
    page = _page(session, staff_id)
    _run(StaffPromoState.load, page)
    good = dict(page.form)
    before = _snapshot(session)

    _run(StaffPromoState.new_campaign, page)
    assert page.creating and page.campaign_id == "" and page.draws == []
    assert page.form["extra_prize"] == "1000" and page.form["opt_out_ends_at"] == ""
    _run(StaffPromoState.save, page, good | {"slug": "vmeste"})
    assert page.error == "Акция с таким коротким именем уже есть."
    _run(StaffPromoState.save, page, good | {"slug": "", "opt_out_ends_at": "05.09.2026", "extra_prize": "x"})
    assert page.error.startswith("Акция не сохранена, ничего не изменено. Ошибок: 3.")
    assert "«Отказ от участия до»" in page.error and "«Дополнительный приз, баллов»" in page.error
    assert _snapshot(session) == before

    _run(StaffPromoState.save, page, good | {"slug": "vmeste-bis", "title": "Вторая акция"})
    assert page.error == "" and page.notice.startswith("Акция создана.")
    assert not page.creating and page.campaign_id != str(campaign_id)
    assert {c["title"] for c in page.campaigns} == {
        "#ВыбираемВместе2026 (vmeste)",
        "Вторая акция (vmeste-bis)",
    }
    assert len(page.draws) == 12 and page.form["title"] == "Вторая акция"

    # Update the first campaign: a new title and a fourth window.
    _run(StaffPromoState.choose_campaign, page, str(campaign_id))
    assert page.form["title"] == "#ВыбираемВместе2026"
    windows = page.form["windows"] + "\n09.09.2026 20:00; 10.09.2026 10:00; 1000x1"
    _run(StaffPromoState.save, page, page.form | {"title": "Акция 2026", "windows": windows})
    assert page.error == "" and page.notice == "Настройки акции сохранены."
    assert page.form["title"] == "Акция 2026" and len(page.draws) == 16

    # Once the first window closed its draw cannot change; nothing is saved.
    with transaction(app_engine) as s:
        assert draws.freeze(s, draw_id=_main_draw(session, campaign_id, 0), now=msk((2026, 9, 6), 21))
    frozen = _snapshot(session)
    changed = page.form["windows"].replace("5000x2,3000x3,1000x5", "5000x1", 1)
    _run(StaffPromoState.save, page, page.form | {"windows": changed, "title": "Другое"})
    assert page.error.startswith("Нельзя изменить то, что определяет уже закрытый розыгрыш")
    assert _snapshot(session) == frozen

    _run(StaffPromoState.choose_campaign, page, "¹")
    assert page.error == "Акция не найдена."


def test_entropy_only_for_a_closed_window_before_its_draw(app_engine, session, campaign, at):
    campaign_id, staff_id, _ = campaign
    draw_id = _main_draw(session, campaign_id, 0)
    page = _page(session, staff_id)
    _run(StaffPromoState.load, page)
    assert page.draws[0]["can_entropy"] == ""
    _run(StaffPromoState.set_entropy, page, {"draw_id": str(draw_id), "entropy": "12 31 4"})
    assert (
        page.error
        == "Публичную случайность добавляют после закрытия окна, чтобы её нельзя было знать заранее."
    )

    with transaction(app_engine) as s:
        draws.freeze(s, draw_id=draw_id, now=msk((2026, 9, 6), 21))
    at(msk((2026, 9, 6), 22))
    _run(StaffPromoState.load, page)
    row = page.draws[0]
    assert (row["state"], row["can_entropy"], row["count"], len(row["sha256"])) == (
        "список закрыт",
        "1",
        "0",
        64,
    )
    assert (
        row["participants_url"] == f"/api/v1/promo/campaigns/{campaign_id}/draws/{draw_id}/participants.txt"
    )
    _run(StaffPromoState.set_entropy, page, {"draw_id": str(draw_id), "entropy": " 12  31 4 7 45 1 "})
    assert page.error == "" and page.notice.startswith("Публичная случайность сохранена")
    assert page.draws[0]["entropy"] == "12 31 4 7 45 1"
    _run(StaffPromoState.set_entropy, page, {"draw_id": str(draw_id), "entropy": "1" * 201})
    assert page.error == "Публичная случайность слишком длинная (не больше 200 символов)."
    _run(StaffPromoState.set_entropy, page, {"draw_id": "abc", "entropy": "1"})
    assert page.error == "Розыгрыш не найден."

    with transaction(app_engine) as s:
        assert draws.run_draw(s, draw_id=draw_id, now=msk((2026, 9, 7), 9, 30))
    _run(StaffPromoState.load, page)
    row = page.draws[0]
    assert (row["state"], row["can_entropy"], row["winners"]) == ("проведён", "", "0")
    assert row["winners_url"].endswith(f"/draws/{draw_id}/winners.csv")
    _run(StaffPromoState.set_entropy, page, {"draw_id": str(draw_id), "entropy": "99"})
    assert page.error == "Розыгрыш уже проведён: его входные данные изменить нельзя."
    session.expire_all()
    assert session.get(PromoDraw, draw_id).entropy == "12 31 4 7 45 1"


def test_staff_import_the_vote_file(app_engine, session, campaign, at):
    campaign_id, staff_id, geo = campaign
    anna, boris = (make_citizen(session, geo["house:Арбат"]) for _ in range(2))
    codes.issue_due_codes(app_engine, now=SENDING)
    page = _page(session, staff_id)
    _run(StaffPromoState.load, page)
    good = (
        HEADER
        + f"{anna.phone};2026-09-06 10:15;online;yes\n"
        + f"{boris.phone};2026-09-06 11:00:30;terminal;no\n"
        + "+79990000000;2026-09-06 11:00;online;no\n"
    )
    _run(StaffPromoState.upload_votes, page, [_upload(good.encode())])
    assert page.error == ""
    assert page.notice == "Файл голосов загружен: строк 3, добавлено фактов голосования 2, без изменений 0."
    assert page.import_lines == ["Не найдена учётная запись на платформе (строки: 4)."]
    voted = dict(
        session.exec(
            select(PromoCitizen.user_id, PromoCitizen.main_window).where(PromoCitizen.voted_at.is_not(None))
        ).all()
    )
    session.commit()
    assert voted == {anna.id: 0, boris.id: 0}

    # The same file again changes nothing.
    _run(StaffPromoState.upload_votes, page, [_upload(good.encode())])
    assert page.notice == "Файл голосов загружен: строк 3, добавлено фактов голосования 0, без изменений 2."

    # A malformed file is refused whole, naming its lines.
    carl = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(app_engine, now=msk((2026, 9, 1), 12))
    before = _snapshot(session)
    bad = HEADER + f"{carl.phone};2026-09-06 12:00;online;no\n+79990000001;вчера;online;no\nмусор\n"
    _run(StaffPromoState.upload_votes, page, [_upload(bad.encode())])
    assert page.error.startswith("Файл голосов не загружен, ничего не изменено. Строк с ошибками: 2.")
    assert "Строка 3: Время голосования" in page.error and "Строка 4: Нужно 4 поля" in page.error
    assert page.notice == "" and page.import_lines == []
    assert _snapshot(session) == before

    _run(StaffPromoState.upload_votes, page, [_upload((HEADER + "Иванов;;;\n").encode("cp1251") + b"\xff")])
    assert page.error == "Файл голосов должен быть в кодировке UTF-8."
    _run(StaffPromoState.upload_votes, page, [])
    assert page.error == "Выберите файл голосов."
    assert _snapshot(session) == before


def test_a_file_over_the_limit_is_refused_unread(app_engine, session, campaign, at, monkeypatch):
    _, staff_id, _ = campaign
    monkeypatch.setattr(staff_promo, "MAX_VOTES_BYTES", 100)
    page = _page(session, staff_id)
    _run(StaffPromoState.load, page)
    _run(StaffPromoState.upload_votes, page, [_upload(HEADER.encode() * 10)])
    assert page.error == "Файл голосов больше 0 МБ."


@pytest.mark.parametrize("who", ["resident", "moderator", "guest", "forged token"])
def test_others_are_refused_and_nothing_changes(app_engine, session, campaign, at, who):
    campaign_id, staff_id, geo = campaign
    anna = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(app_engine, now=SENDING)
    draw_id = _main_draw(session, campaign_id, 0)
    with transaction(app_engine) as s:
        draws.freeze(s, draw_id=draw_id, now=msk((2026, 9, 6), 21))
    at(msk((2026, 9, 6), 22))
    # The staff form of the campaign, as a forged submission would send it.
    staff_page = _page(session, staff_id)
    _run(StaffPromoState.load, staff_page)
    form = dict(staff_page.form)
    before = _snapshot(session)

    actor = {"resident": anna.id, "moderator": make_user(session, roles=("moderator",)).id}.get(who)
    session.commit()
    tab = browser_tab(session, actor)
    if who == "forged token":
        tab.substates[SessionState.get_name()].auth_token = secrets.token_urlsafe(32)
    page = tab.substates[StaffPromoState.get_name()]
    _run(StaffPromoState.load, page)
    assert page.loaded and not page.allowed
    assert page.campaigns == page.draws == page.polls == [] and page.form == {}

    page.campaign_id = str(campaign_id)
    _run(StaffPromoState.save, page, form | {"title": "Взлом"})
    assert page.error in FORBIDDEN and not page.allowed
    page.campaign_id, page.creating = "", True
    _run(StaffPromoState.save, page, form | {"slug": "forged"})
    assert page.error in FORBIDDEN
    _run(StaffPromoState.set_entropy, page, {"draw_id": str(draw_id), "entropy": "1 2 3"})
    assert page.error in FORBIDDEN
    page.campaign_id = str(campaign_id)
    vote = HEADER + f"{anna.phone};2026-09-07 10:15;online;yes\n"
    _run(StaffPromoState.upload_votes, page, [_upload(vote.encode())])
    assert page.error in FORBIDDEN and page.import_lines == []
    _run(StaffPromoState.new_campaign, page)
    assert not page.allowed and page.form == {}
    assert _snapshot(session) == before


def test_a_campaign_taking_votes_from_a_platform_poll(app_engine, session, campaign, at, now):
    campaign_id, staff_id, geo = campaign
    poll_id = make_poll(app_engine, staff_id, now)
    anna = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(app_engine, now=SENDING)
    page = _page(session, staff_id)
    _run(StaffPromoState.load, page)
    assert {"id": str(poll_id), "title": f"№ {poll_id}. {poll_title(app_engine, poll_id)}"} in page.polls
    _run(StaffPromoState.save, page, page.form | {"vote_source": "poll", "vote_poll_id": ""})
    assert page.error.endswith(
        "Выберите существующее голосование платформы как источник фактов голосования. Исправьте их и сохраните снова."
    )
    _run(StaffPromoState.save, page, page.form | {"vote_source": "poll", "vote_poll_id": str(poll_id + 99)})
    assert page.error == "Выберите существующее голосование платформы как источник фактов голосования."
    _run(StaffPromoState.save, page, page.form | {"vote_source": "poll", "vote_poll_id": str(poll_id)})
    assert page.error == "" and (page.form["vote_source"], page.form["vote_poll_id"]) == (
        "poll",
        str(poll_id),
    )
    with read_transaction(app_engine) as s:
        assert s.get(PromoCampaign, campaign_id).vote_poll_id == poll_id

    vote = HEADER + f"{anna.phone};2026-09-06 10:15;online;yes\n"
    _run(StaffPromoState.upload_votes, page, [_upload(vote.encode())])
    assert page.error == "Эта акция получает факты голосования из голосования платформы, а не из файла."
    assert _snapshot(session)[2] == ((_citizen_id(session, anna.id), None),)


def poll_title(engine, poll_id: int) -> str:
    with read_transaction(engine) as s:
        return s.get(Poll, poll_id).title


def _citizen_id(session: Session, user_id: int) -> int:
    found = session.exec(select(PromoCitizen.id).where(PromoCitizen.user_id == user_id)).one()
    session.commit()
    return found
