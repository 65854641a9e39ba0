"""The «Акция» page's handlers, driven as a browser tab would, on SQLite and PostgreSQL.

The pages' clock (``now`` of ``ag_app.state.promo`` and ``…promo_exchange``) is set to Moscow instants of the 2026 replica, so
each test walks the campaign's deadlines at the minute; the login sessions run on the real clock.
Refusals are asserted together with the database: a handler whose button is not shown, called
anyway, gets the Russian refusal and changes nothing.
"""

import asyncio
import shlex
from datetime import date

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from ag_app.cli import app as cli_app
from ag_app.db import transaction
from ag_app.domain.promo import parse_votes
from ag_app.models import PromoCitizen, ShopOrder
from ag_app.services import shop
from ag_app.services.promo import codes, draws, exchange, votes
from ag_app.services.shop import ItemInput
from ag_app.state import promo as promo_state
from ag_app.state import promo_exchange as promo_exchange_state
from ag_app.state.promo import PromoState
from ag_app.state.promo_exchange import PromoExchangeState
from tests.integration.tabs import browser_tab
from tests.promo_helpers import make_campaign, make_citizen, msk

CODES_SENT = msk((2026, 8, 31), 12)
OPT_OUT_DAY = (2026, 9, 5)
TICKED = {"accept": "on"}


@pytest.fixture
def clock(monkeypatch) -> dict:
    """The page's current instant; tests move it (``clock["now"] = msk(...)``)."""
    moment = {"now": CODES_SENT}
    for module in (promo_state, promo_exchange_state):
        monkeypatch.setattr(module, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def campaign(app_engine, session):
    """The replica with one 5 000 prize per window, codes sent to nobody yet; (campaign id, staff id, house)."""
    campaign_id, staff_id, geo = make_campaign(app_engine, session, window_prizes=("5000x1",) * 3)
    return campaign_id, staff_id, geo["house:Арбат"]


def _run(handler, state, *args):
    return asyncio.run(handler.fn(state, *args))


def _page(session: Session, user_id: int | None) -> PromoState:
    state = browser_tab(session, user_id).substates[PromoState.get_name()]
    _run(PromoState.load, state)
    assert state.loaded and state.error == "", state.error
    return state


def _row(session: Session, user_id: int) -> PromoCitizen:
    row = session.exec(
        select(PromoCitizen).where(PromoCitizen.user_id == user_id).execution_options(populate_existing=True)
    ).one()
    session.commit()
    return row


def _vote(engine, staff_id: int, campaign_id: int, lines: list[str], now) -> None:
    text = "person;voted_at;channel;first_online\n" + "\n".join(lines) + "\n"
    with transaction(engine) as s:
        votes.import_votes(s, actor_id=staff_id, campaign_id=campaign_id, rows=parse_votes(text), now=now)


def _actions(state: PromoState) -> set[str]:
    flags = (
        "can_opt_out",
        "can_opt_in",
        "can_choose_category",
        "can_activate",
        "can_exchange",
        "can_choose_gift",
    )
    return {flag for flag in flags if getattr(state, flag)}


def test_no_campaign_yet(app_engine, session, clock):
    state = _page(session, None)
    assert not state.has_campaign and state.draws == [] and not state.has_me


def test_a_guest_sees_the_campaign_and_its_commitments_but_no_own_state(app_engine, session, clock, campaign):
    state = _page(session, None)
    assert state.has_campaign and state.title == "#ВыбираемВместе2026"
    assert "1 000, 3 000 и 5 000 призовых баллов" in state.summary
    assert state.phase_name == "дополнительное информирование и отказ от участия"
    deadlines = {d["label"]: d["text"] for d in state.deadlines}
    assert deadlines["Отказ от участия"] == "до 23:59 05.09.2026"
    assert deadlines["Отмена отказа от участия"] == "до 22:59 05.09.2026"
    main = [d for d in state.draws if d["title"] == "Основной розыгрыш"]
    assert [d["window"] for d in main] == [
        "до 20:00 06.09.2026",
        "до 20:00 07.09.2026",
        "до 20:00 08.09.2026",
    ]
    assert len(state.draws) == 12  # each window: the main draw and three categories
    for draw in state.draws:
        assert len(draw["commitment"]) == 64 and draw["state_name"] == "идёт приём"
        # Nothing but the commitment is out before a window closes: no seed, no list, no files.
        assert draw["seed"] == draw["list_sha256"] == draw["participants_url"] == draw["winners_url"] == ""
    assert state.checks == []
    assert not state.has_me and state.status_text == "" and _actions(state) == set()


def test_not_eligible_citizens_are_told_why_and_offered_nothing(app_engine, session, clock, campaign):
    _, _, house = campaign
    minor = make_citizen(session, house, birth_date=date(2010, 1, 1))
    no_address = make_citizen(session, None)
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    for user, why in ((minor, "только совершеннолетние"), (no_address, "нет адреса регистрации")):
        state = _page(session, user.id)
        assert state.has_me and state.status == "not_eligible" and why in state.status_text
        assert state.code == state.key == "" and _actions(state) == set()
        # A forged opt-out of someone with no code is refused.
        _run(PromoState.opt_out, state, {"reason": ""})
        assert state.error == "Вы не участвуете в этой акции: уникальный код вам не направлялся."


def test_an_eligible_citizen_sees_the_code_and_key_and_opts_out_and_back(
    app_engine, session, clock, campaign
):
    _, _, house = campaign
    anna = make_citizen(session, house)
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    row = _row(session, anna.id)
    state = _page(session, anna.id)
    assert state.status == "eligible" and state.status_text.startswith("Вы можете участвовать в акции.")
    assert state.code == row.code and state.key == row.key and len(state.key) == 20
    assert _actions(state) == {"can_opt_out", "can_choose_category"}

    # A reason over 500 characters is refused and nothing changes.
    _run(PromoState.opt_out, state, {"reason": "ы" * 501})
    assert state.error == "Причина отказа слишком длинная (не больше 500 символов)."
    assert _row(session, anna.id).opted_out_at is None

    clock["now"] = msk(OPT_OUT_DAY, 22, 30)
    _run(PromoState.opt_out, state, {"reason": "Не хочу участвовать"})
    assert state.error == "" and state.notice.startswith("Отказ от участия принят.")
    assert state.status == "opted_out" and state.status_text == "Вы отказались от участия в акции."
    assert _actions(state) == {"can_opt_in"}
    assert _row(session, anna.id).opt_out_reason == "Не хочу участвовать"

    # Back in: refused without the tick, accepted with it.
    _run(PromoState.opt_in, state, {})
    assert "согласитесь" in state.error and state.status == "opted_out"
    assert _row(session, anna.id).opted_out_at is not None
    clock["now"] = msk(OPT_OUT_DAY, 22, 59, 59)
    _run(PromoState.opt_in, state, TICKED)
    assert state.error == "" and state.notice == "Вы снова участник акции."
    assert state.status == "eligible" and "can_opt_out" in _actions(state)
    assert _row(session, anna.id).opted_out_at is None


def test_after_the_deadlines_the_buttons_are_gone_and_forged_calls_change_nothing(
    app_engine, session, clock, campaign
):
    _, _, house = campaign
    stays, leaves = make_citizen(session, house), make_citizen(session, house)
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    clock["now"] = msk(OPT_OUT_DAY, 23, 59, 59)
    _run(PromoState.opt_out, _page(session, leaves.id), {"reason": ""})

    # 23:00: the opt-out is final; the one who stayed may still opt out until 23:59.
    clock["now"] = msk(OPT_OUT_DAY, 23, 0)
    left = _page(session, leaves.id)
    assert "can_opt_in" not in _actions(left)
    assert "Срок отмены отказа истёк: отказ от участия остаётся в силе." in left.notes
    _run(PromoState.opt_in, left, TICKED)
    assert left.error == "Срок отмены отказа от участия истёк." and left.status == "opted_out"
    assert _row(session, leaves.id).opted_out_at is not None

    clock["now"] = msk((2026, 9, 6), 0, 0)
    stayed = _page(session, stays.id)
    assert "can_opt_out" not in _actions(stayed)
    assert "Срок отказа от участия истёк: вы участник акции." in stayed.notes
    _run(PromoState.opt_out, stayed, {"reason": "поздно"})
    assert stayed.error == "Срок отказа от участия истёк."
    assert _row(session, stays.id).opted_out_at is None

    # After the registration window the category choice is gone and refused.
    clock["now"] = msk((2026, 9, 8), 20, 0)
    stayed = _page(session, stays.id)
    assert "can_choose_category" not in _actions(stayed)
    _run(PromoState.choose_category, stayed, {"category": "sport"})
    assert stayed.error == "Регистрация на розыгрыш в отдельных категориях закрыта."
    assert _row(session, stays.id).category == ""


def test_the_category_is_chosen_once(app_engine, session, clock, campaign):
    _, _, house = campaign
    anna = make_citizen(session, house)
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    state = _page(session, anna.id)
    _run(PromoState.choose_category, state, {"category": ""})
    assert state.error == "Выберите категорию розыгрыша."
    _run(PromoState.choose_category, state, {"category": "casino"})
    assert state.error.startswith("Категория не найдена")
    _run(PromoState.choose_category, state, {"category": "travel"})
    assert state.notice == (
        "Вы зарегистрированы на розыгрыш в категории «Путешествия и культура». Изменить категорию нельзя."
    )
    assert state.category_name == "Путешествия и культура" and "can_choose_category" not in _actions(state)
    _run(PromoState.choose_category, state, {"category": "sport"})
    assert state.error == "Категория уже выбрана; изменить её нельзя."
    assert _row(session, anna.id).category == "travel"


def _download(client, url: str, folder) -> str:
    """Download a published file as the page's link does; returns the name it is saved under."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    name = response.headers["content-disposition"].split('filename="')[1].rstrip('"')
    (folder / name).write_bytes(response.content)
    return name


def test_a_winner_activates_and_sees_the_balance_and_the_draw_verifies(
    app_engine, session, clock, campaign, client, tmp_path, monkeypatch
):
    campaign_id, staff_id, house = campaign
    winner, level_two = make_citizen(session, house, full=True), make_citizen(session, house)
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    clock["now"] = msk((2026, 9, 1), 12)
    _run(PromoState.choose_category, _page(session, winner.id), {"category": "sport"})
    _vote(
        app_engine,
        staff_id,
        campaign_id,
        [f"{winner.snils};2026-09-06 20:00:59;online;no", f"{level_two.snils};2026-09-07 12:00;online;no"],
        msk((2026, 9, 7), 13),
    )
    clock["now"] = msk((2026, 9, 7), 13)
    state = _page(session, winner.id)
    assert state.status == "participant" and state.draw_on == "07.09.2026"
    assert state.status_text == "Вы участник розыгрыша 07.09.2026."

    assert draws.due_draws(app_engine, now=msk((2026, 9, 8), 9, 30)) == 8  # windows 0 and 1
    clock["now"] = msk((2026, 9, 8), 10)
    state = _page(session, winner.id)
    assert state.status == "winner" and state.status_text == "Вы победитель!"
    assert state.prizes == [
        "Приз основного розыгрыша: 5\xa0000 призовых баллов.",
        "Розыгрыш в категории «Спорт»: скидка 15\xa0000 призовых баллов на промокод партнёра.",
    ]
    assert _actions(state) == {"can_activate"} and not state.show_balance
    assert "Денежный эквивалент не выдаётся" in state.prize_rules

    # The published draw and the command the page prints for it.
    drawn = [d for d in state.draws if d["state"] == "drawn"]
    main0 = next(d for d in drawn if d["title"] == "Основной розыгрыш" and d["window"].endswith("06.09.2026"))
    assert main0["list_count"] == "1" and len(main0["seed"]) == 64 and main0["winners_count"] == "1"
    assert main0["participants_url"].endswith("/participants.txt") and main0["winners_url"].endswith(
        "/winners.csv"
    )
    check = next(c for c in state.checks if c["id"] == main0["id"])
    listing = _download(client, main0["participants_url"], tmp_path)
    result_file = _download(client, main0["winners_url"], tmp_path)
    assert (listing, result_file) == (main0["participants_file"], main0["winners_file"])
    assert listing.endswith("participants.txt") and result_file.endswith("winners.csv")
    assert check["command"] == (
        f"ag-app promo verify-draw --participants {listing} "
        f"--seed {main0['seed']} --commitment {main0['commitment']} --prizes 5000x1 "
        f"--winners {result_file} --list-sha256 {main0['list_sha256']}"
    )
    # The printed command, run as printed in the folder of the downloads, confirms the draw.
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, shlex.split(check["command"])[1:])
    assert result.exit_code == 0, result.output
    assert "Розыгрыш подтверждён" in result.output
    # The same command fails on an edited result file.
    (tmp_path / result_file).write_text("key;prize\n" + "0" * 20 + ";5000\n")
    assert CliRunner().invoke(cli_app, shlex.split(check["command"])[1:]).exit_code == 1

    # Activation: refused without the tick, then credited once.
    _run(PromoState.activate, state, {})
    assert "согласитесь" in state.error and _row(session, winner.id).activated_at is None
    _run(PromoState.activate, state, TICKED)
    assert state.error == ""
    assert state.notice == (
        "Код активирован. Призовых баллов на счёте: 5\xa0000 призовых баллов. "
        "Скидка в категории: 15\xa0000 призовых баллов."
    )
    assert state.show_balance and state.balance == "5\xa0000 призовых баллов"
    assert state.discount == "15\xa0000 призовых баллов"
    assert _actions(state) == {"can_exchange", "can_choose_gift"}
    _run(PromoState.activate, state, TICKED)
    assert state.error == "Код уже активирован." and _row(session, winner.id).prize_points == 5000

    # A level-2 winner is told how to reach level 3 instead of the exchange button.
    other = _page(session, level_two.id)
    assert other.status == "winner"
    _run(PromoState.activate, other, TICKED)
    assert other.error == "" and other.balance == "5\xa0000 призовых баллов"
    assert "can_exchange" not in _actions(other)
    assert any("полной учётной записью" in note for note in other.notes)


def test_a_non_winner_is_told_so_and_cannot_activate(app_engine, session, clock, campaign):
    campaign_id, staff_id, house = campaign
    people = [make_citizen(session, house) for _ in range(2)]
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    _vote(
        app_engine,
        staff_id,
        campaign_id,
        [f"{p.snils};2026-09-06 1{i}:00;terminal;no" for i, p in enumerate(people)],
        msk((2026, 9, 6), 13),
    )
    draws.due_draws(app_engine, now=msk((2026, 9, 7), 9, 30))
    clock["now"] = msk((2026, 9, 7), 10)
    pages = {p.id: _page(session, p.id) for p in people}
    assert sorted(s.status for s in pages.values()) == ["not_found", "winner"]
    loser_id, loser = next((u, s) for u, s in pages.items() if s.status == "not_found")
    assert loser.status_text == "Вы не найдены в списке победителей состоявшихся розыгрышей."
    assert "can_activate" not in _actions(loser) and loser.prizes == []
    _run(PromoState.activate, loser, TICKED)
    assert loser.error == "Вы не найдены в списке победителей состоявшихся розыгрышей."
    row = _row(session, loser_id)
    assert row.activated_at is None and row.prize_points == 0

    # After the activation deadline the winner's button is gone and a forged call is refused.
    winner_id = next(u for u, s in pages.items() if s.status == "winner")
    clock["now"] = msk((2026, 10, 1), 0, 0)
    late = _page(session, winner_id)
    assert "can_activate" not in _actions(late)
    assert "Активировать код можно только до окончания срока активации." in late.notes
    _run(PromoState.activate, late, TICKED)
    assert late.error == "Срок активации выигрышных кодов истёк."
    row = _row(session, winner_id)
    assert row.activated_at is None and row.prize_points == 0


# ------------------------------------------------------------------------------------ /promo/exchange


def _exchange_page(session: Session, user_id: int | None) -> PromoExchangeState:
    state = browser_tab(session, user_id).substates[PromoExchangeState.get_name()]
    _run(PromoExchangeState.load, state)
    assert state.loaded and state.error == "", state.error
    return state


def _partner_items(session: Session, staff_id: int, campaign_id: int) -> dict[str, int]:
    """A museum pass (no discount) and a sport certificate (the «Спорт» discount), as staff add them."""

    def item(name: str, promo_category: str, title: str, price: int) -> int:
        category = exchange.save_partner_category(
            session,
            actor_id=staff_id,
            campaign_id=campaign_id,
            category_id=None,
            name=name,
            fulfilment="certificate",
            promo_category=promo_category,
        )
        data = ItemInput(category_id=category.id, title=title, price=price, stock=10)
        return shop.save_item(session, actor_id=staff_id, item_id=None, data=data, now=CODES_SENT).id

    ids = {
        "museum": item("Музеи-партнёры", "", "Абонемент в музей", 1000),
        "sport": item("Спорт", "sport", "Промокод на экипировку", 15_000),
    }
    session.commit()
    return ids


def _orders(session: Session) -> int:
    count = session.exec(select(func.count()).select_from(ShopOrder)).one()
    session.commit()
    return count


def test_a_winner_exchanges_prize_points_and_a_level_two_winner_cannot(app_engine, session, clock, campaign):
    campaign_id, staff_id, house = campaign
    items = _partner_items(session, staff_id, campaign_id)
    winner, level_two = make_citizen(session, house, full=True), make_citizen(session, house)
    for user in (winner, level_two):
        user.email = f"u{user.id}@example.ru"
        session.add(user)
    session.commit()
    codes.issue_due_codes(app_engine, now=CODES_SENT)
    clock["now"] = msk((2026, 9, 1), 12)
    _run(PromoState.choose_category, _page(session, winner.id), {"category": "sport"})
    _vote(
        app_engine,
        staff_id,
        campaign_id,
        [f"{winner.snils};2026-09-06 12:00;online;no", f"{level_two.snils};2026-09-07 12:00;online;no"],
        msk((2026, 9, 7), 13),
    )
    draws.due_draws(app_engine, now=msk((2026, 9, 8), 9, 30))
    clock["now"] = msk((2026, 9, 8), 10)
    for user in (winner, level_two):
        _run(PromoState.activate, _page(session, user.id), TICKED)

    # A guest sees the catalogue and is asked to log in.
    guest = _exchange_page(session, None)
    assert guest.has_campaign and not guest.logged_in and len(guest.items) == 2
    assert all(not i["can_order"] for i in guest.items)

    page = _exchange_page(session, winner.id)
    assert page.balance == "5\xa0000 призовых баллов" and page.discount == "15\xa0000 призовых баллов"
    assert page.problem == "" and page.discount_categories == "Спорт"
    assert page.period.endswith("до 23:59 14.12.2026") and page.orders == []
    sport = next(i for i in page.items if i["id"] == str(items["sport"]))
    assert (sport["discount"], sport["pay"]) == ("15\xa0000 призовых баллов", "0 призовых баллов")

    # «Выбрать подарок»: only the rewards of the discount's category.
    _run(PromoExchangeState.show_gifts, page, True)
    assert [i["id"] for i in page.items] == [str(items["sport"])]
    _run(PromoExchangeState.show_gifts, page, False)
    assert len(page.items) == 2

    # A confirmation without a choice, or a choice of a reward not on the page, exchanges nothing.
    _run(PromoExchangeState.confirm, page)
    assert page.error == "Этого поощрения нет в каталоге партнёров акции." and _orders(session) == 0
    _run(PromoExchangeState.choose, page, "999999")
    assert page.error == "Этого поощрения нет в каталоге партнёров акции." and page.chosen == ""

    _run(PromoExchangeState.choose, page, str(items["museum"]))
    assert page.chosen_title == "Абонемент в музей" and page.chosen_pay == "1\xa0000 призовых баллов"
    _run(PromoExchangeState.confirm, page)
    assert page.error == "", page.error
    assert (
        page.notice.startswith("Заказ № ")
        and "«Абонемент в музей», списано 1\xa0000 призовых баллов." in page.notice
    )
    assert page.balance == "4\xa0000 призовых баллов" and page.chosen == ""
    assert [o["title"] for o in page.orders] == ["Абонемент в музей"] and page.orders[0]["code"] != ""
    assert page.orders[0]["code"] in page.notice
    assert _row(session, winner.id).prize_points == 4000

    # The same confirmation sent again (a double click) does not order twice.
    _run(PromoExchangeState.confirm, page)
    assert page.error and _orders(session) == 1

    # The level-2 winner is told how to reach level 3; a forged choice is refused, nothing ordered.
    other = _exchange_page(session, level_two.id)
    assert "полной учётной записью" in other.problem and all(not i["can_order"] for i in other.items)
    _run(PromoExchangeState.choose, other, str(items["museum"]))
    assert "полной учётной записью" in other.error and other.chosen == ""
    assert _orders(session) == 1 and _row(session, level_two.id).prize_points == 5000
