"""The contest pages' handlers, driven as a browser tab would: the public board, «Мои чеки» (paste,
typed fields, photo), refusals in Russian with nothing saved, the fraud flag of a duplicate, tabs
that take no foreign id, and the live rating's values and announcement after a commit.

The states read the real clock, so the receipts are bought a few minutes before now (never before
the start of the current Moscow month).
"""

import asyncio
import io
from datetime import UTC, datetime, timedelta

import pytest
import reflex as rx
from sqlmodel import Session, func, select

from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import period_bounds, period_of
from ag_app.models import Contest, Receipt, ReceiptFlag
from ag_app.seed.contest_photos import make_receipt_photo
from ag_app.services.contest import board
from ag_app.services.contest.contests import contests_of_period, ensure_general
from ag_app.state import contest as contest_state
from ag_app.state import live
from ag_app.state.base import SessionState
from ag_app.state.contest import ContestRatingState, ContestReceiptsState, ContestState, load_rating
from tests.factories import make_geo, make_user
from tests.integration.contest_helpers import FUEL_FN, SHOP_FN, add_sellers
from tests.integration.tabs import browser_tab

HOSTILE = [None, 17.5, ["1"], {"id": "1"}, "", "abc", "-1", "²", "1" * 40, "0", "2147483648"]


def _run(handler, state, *args):
    return asyncio.run(handler.fn(state, *args))


def _bought(minutes: int = 5) -> datetime:
    """A purchase ``minutes`` before now, but inside the current Moscow month."""
    moment = datetime.now(UTC)
    start = period_bounds(*period_of(moment))[0]
    return max(moment - timedelta(minutes=minutes), start).replace(microsecond=0)


_fd = iter(range(5000, 10_000))


def _qr(*, fn: str = SHOP_FN, fd: int | None = None, minutes: int = 5, n: int = 1) -> str:
    number = fd if fd is not None else next(_fd)
    local = _bought(minutes).astimezone(MOSCOW)
    return f"fn={fn}&t={local:%Y%m%dT%H%M%S}&i={number}&s=345.60&fp={90000 + number}&n={n}"


def _receipts(session: Session) -> int:
    count = session.exec(select(func.count()).select_from(Receipt)).one()
    session.commit()
    return count


def _tab_state(session: Session, user_id: int | None, cls):
    return browser_tab(session, user_id).substates[cls.get_name()]


def _receipts_page(session: Session, user_id: int) -> ContestReceiptsState:
    state = _tab_state(session, user_id, ContestReceiptsState)
    _run(ContestReceiptsState.load, state)
    assert state.loaded and state.error == ""
    return state


def _board(session: Session, user_id: int | None) -> ContestState:
    state = _tab_state(session, user_id, ContestState)
    _run(ContestState.load, state)
    assert state.loaded and state.error == "", state.error
    return state


def _live_rows(contest_id: int) -> dict:
    loaded = asyncio.run(load_rating(contest_id))
    assert loaded is not None
    return loaded[1]


@pytest.fixture
def announced(monkeypatch) -> list[int]:
    """The contest ids the rating listener announced to the live channel."""
    calls: list[int] = []
    monkeypatch.setattr(live, "publish_threadsafe", lambda ch, key: calls.append((ch.name, key)))
    return calls


def test_guest_sees_the_general_rating_without_anything_created(app_engine, session):
    # Before any receipt of the month: the general title and prizes, an empty rating, nothing made.
    state = _board(session, None)
    year, month = period_of(datetime.now(UTC))
    assert state.cid == 0 and state.title.startswith("Конкурс чеков — ")
    assert str(year) in state.title
    assert [p["amount"] for p in state.prizes] == [
        "2\xa0000\xa0₽",
        "1\xa0500\xa0₽",
        "1\xa0000\xa0₽",
        "500\xa0₽",
        "300\xa0₽",
    ]
    assert state.time_left.startswith("До конца месяца")
    assert state.reason.startswith("Войдите") and state.reason_link == "/login"
    assert session.exec(select(func.count()).select_from(Contest)).one() == 0
    session.commit()

    add_sellers(session)
    anna = make_user(session)
    page = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.save_qr, page, {"qr": _qr(fn=FUEL_FN)})
    assert page.error == ""

    state = _board(session, None)
    assert state.cid != 0 and len(state.tabs) == 1
    assert state.conditions == "Все принятые чеки месяца, без ограничений."
    assert state.my_number == "" and state.own_rows == []
    values = _live_rows(state.cid)
    assert values["cid"] == state.cid and values["total"] == "1"
    assert values["rows"] == [
        {"place": "1", "name": "Иван И.", "number": values["rows"][0]["number"], "points": "10"}
    ]
    # The public rows name nobody: no phone, no full last name, no account id field.
    assert "Иванов" not in repr(values) and anna.phone not in repr(values)


def test_a_resident_pastes_a_qr_and_sees_it_in_the_history_and_the_rating(app_engine, session, announced):
    add_sellers(session)
    boris, anna = make_user(session), make_user(session)
    other = _receipts_page(session, boris.id)
    for _ in range(2):
        _run(ContestReceiptsState.save_qr, other, {"qr": _qr()})
    assert other.notice == "Чек принят: +1 балл."

    page = _receipts_page(session, anna.id)
    assert page.rows == []
    _run(ContestReceiptsState.save_qr, page, {"qr": _qr(fn=FUEL_FN, minutes=3)})
    assert page.error == "" and page.notice == "Чек принят: +10 баллов."
    assert page.form_key == 1
    [row] = page.rows
    assert row["seller"] == "АЗС «Лукойл» № 17" and row["category"] == "АЗС"
    assert row["amount"] == "345,60\xa0₽" and row["points"] == "10" and row["status_name"] == "принят"
    assert row["purchased"] == _bought(3).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")

    contest_id = contests_of_period(session, "{:04d}-{:02d}".format(*period_of(datetime.now(UTC))))[0].id
    session.commit()
    # Every accepted receipt announced the general rating to the live channel (after its commit).
    assert announced == [("contest", contest_id)] * 3

    state = _board(session, anna.id)
    assert state.cid == contest_id and state.reason == ""
    assert state.own_place == "1" and state.own_points == "10 баллов"
    assert state.to_next == "Вы на первом месте."
    assert [(r["place"], r["mine"]) for r in state.own_rows] == [("1", "1"), ("2", "")]
    top = _live_rows(contest_id)["rows"]
    assert [r["points"] for r in top] == ["10", "2"]
    # The viewer's row in the live top is the one with their number (highlighted in the browser).
    assert top[0]["number"] == state.my_number

    second = _board(session, boris.id)
    assert second.own_place == "2" and second.to_next == "До следующего места: 9 баллов."
    assert public_rows_match(session, contest_id, top)


def public_rows_match(session: Session, contest_id: int, live_rows: list[dict]) -> bool:
    """The API's public top (through the one-second copy) lists the same participants."""
    with Session(session.get_bind()) as fresh:
        rows = board.public_top(fresh, contest_id)
    return [(str(r["place"]), str(r["number"])) for r in rows] == [
        (r["place"], r["number"]) for r in live_rows
    ]


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"qr": ""}, "Вставьте строку из QR-кода чека."),
        ("garbage", "Вставьте строку из QR-кода чека."),
        ({"qr": ["t=1"]}, "В данных чека нет поля «t». Нужны поля t, s, fn, i, fp и n."),
        (
            {"qr": "t=20261207T1830&s=12.00&fn=123&i=1&fp=2&n=1"},
            "Номер фискального накопителя (fn) — 16 цифр.",
        ),
        (
            {"qr": "t=20261207T1830&s=0&fn=9960440300000020&i=1&fp=2&n=1"},
            "Чек с нулевой суммой не участвует в конкурсе.",
        ),
        ({"qr": "x" * 10_000}, "Строка QR-кода слишком длинная (не больше 512 символов)."),
    ],
    ids=["empty", "not-a-form", "list", "short-fn", "zero-sum", "huge"],
)
def test_a_bad_qr_is_refused_in_russian_and_nothing_is_saved(app_engine, session, form, error):
    anna = make_user(session)
    page = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.save_qr, page, form)
    assert page.error == error and page.notice == ""
    assert page.rows == [] and page.form_key == 0
    assert _receipts(session) == 0


def test_refund_and_future_receipts_are_refused_with_the_reason(app_engine, session):
    anna = make_user(session)
    page = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.save_qr, page, {"qr": _qr(n=2)})
    assert (
        page.error == "В конкурсе участвуют только чеки продажи (n=1), а это чек операции «возврат прихода»."
    )
    future = (datetime.now(UTC) + timedelta(hours=2)).astimezone(MOSCOW)
    _run(ContestReceiptsState.save_qr, page, {"qr": f"t={future:%Y%m%dT%H%M}&s=1&fn={SHOP_FN}&i=1&fp=1&n=1"})
    assert page.error == "Время покупки в чеке ещё не наступило. Проверьте дату и время."
    assert _receipts(session) == 0


def test_a_duplicate_from_another_account_is_refused_and_flagged(app_engine, session):
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    receipt = _qr()
    first = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.save_qr, first, {"qr": receipt})
    assert first.error == ""
    # The same person again: refused, no flag.
    _run(ContestReceiptsState.save_qr, first, {"qr": receipt})
    assert first.error == "Этот чек уже сохранён." and first.notice == ""

    second = _receipts_page(session, boris.id)
    _run(ContestReceiptsState.save_qr, second, {"qr": receipt})
    assert "другим участником" in second.error and second.notice == ""
    assert second.rows == [] and second.form_key == 0
    flags = session.exec(select(ReceiptFlag)).all()
    session.commit()
    assert [flag.kind for flag in flags] == ["duplicate"]
    assert _receipts(session) == 1


def test_typed_fields_save_a_sale(app_engine, session):
    add_sellers(session)
    anna = make_user(session)
    page = _receipts_page(session, anna.id)
    local = _bought(7).astimezone(MOSCOW)
    form = {"t": f"{local:%Y-%m-%dT%H:%M:%S}", "s": "99,90", "fn": SHOP_FN, "fd": "4242", "fp": "77"}
    _run(ContestReceiptsState.save_fields, page, {**form, "s": ""})
    assert page.error.startswith("Сумма чека (s) должна быть в рублях") and page.invalid_fields == ["s"]
    _run(ContestReceiptsState.save_fields, page, {**form, "fd": ["1"]})
    assert page.error == "Номер фискального документа (i) — число от 1 до 4294967295."
    assert page.invalid_fields == ["fd"]
    _run(
        ContestReceiptsState.save_fields,
        page,
        {k: v for k, v in form.items() if k != "fp"} | {"fp": "9" * 80},
    )
    assert page.error == "Фискальный признак (fp) — число от 1 до 4294967295." and page.invalid_fields == [
        "fp"
    ]
    _run(ContestReceiptsState.save_fields, page, form)
    assert page.error == "" and page.notice == "Чек принят: +1 балл." and page.invalid_fields == []
    assert [(r["amount"], r["purchased"]) for r in page.rows] == [("99,90\xa0₽", f"{local:%d.%m.%Y %H:%M}")]
    saved = session.exec(select(Receipt)).one()
    session.commit()
    assert (saved.fd, saved.fp, saved.channel) == ("4242", "77", "fields")


def test_typed_fields_refused_together_save_nothing_and_mark_every_field(app_engine, session):
    add_sellers(session)
    page = _receipts_page(session, make_user(session).id)
    _run(ContestReceiptsState.save_fields, page, {"t": "", "s": "0", "fn": "123", "fd": "", "fp": "77"})
    assert page.error.startswith("Чек не сохранён. Ошибок: 4.") and page.notice == ""
    for sentence in ("Время покупки (t)", "нулевой суммой", "(fn) — 16 цифр", "(i) — число"):
        assert sentence in page.error
    assert page.invalid_fields == ["t", "s", "fn", "fd"]
    assert _receipts(session) == 0 and page.form_key == 0


def _upload(data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), size=len(data))


def test_a_photo_of_the_qr_code_saves_the_receipt(app_engine, session):
    add_sellers(session)
    anna = make_user(session)
    page = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.upload_photo, page, [_upload(b"not an image at all")])
    assert page.error.startswith("Не удалось прочитать фото") and _receipts(session) == 0
    _run(ContestReceiptsState.upload_photo, page, [])
    assert page.error == "Выберите фото QR-кода чека (снимок до 10 МБ)."

    photo = make_receipt_photo(_qr(fn=FUEL_FN), fmt="PNG", size=(800, 600), blur=0.6)
    _run(ContestReceiptsState.upload_photo, page, [_upload(photo)])
    assert page.error == "" and page.notice == "Чек принят: +10 баллов."
    saved = session.exec(select(Receipt)).one()
    session.commit()
    assert saved.channel == "photo" and saved.fn == FUEL_FN


@pytest.mark.parametrize("who", ["guest", "forged token"])
def test_guests_cannot_save_receipts(app_engine, session, who):
    tab = browser_tab(session, None)
    if who == "forged token":
        tab.substates[SessionState.get_name()].auth_token = "x" * 43
    page = tab.substates[ContestReceiptsState.get_name()]
    redirect = _run(ContestReceiptsState.load, page)
    assert redirect is not None and "/login" in str(redirect)
    for handler, argument in [
        (ContestReceiptsState.save_qr, {"qr": _qr()}),
        (
            ContestReceiptsState.save_fields,
            {"t": "2026-12-07T10:00", "s": "1", "fn": SHOP_FN, "fd": "1", "fp": "1"},
        ),
        (ContestReceiptsState.upload_photo, [_upload(b"\x89PNG")]),
    ]:
        _run(handler, page, argument)
        assert page.error == "Войдите в систему, чтобы продолжить."
    assert _receipts(session) == 0


def test_who_has_no_place_is_told_why(app_engine, session):
    staff = make_user(session, roles=("moderator",))
    state = _board(session, staff.id)
    assert state.reason.startswith("Сотрудники") and state.reason_link == ""
    undated = make_user(session, birth_date=None)
    state = _board(session, undated.id)
    assert "дату рождения" in state.reason and state.reason_link == "/profile"
    newcomer = make_user(session)
    state = _board(session, newcomer.id)
    assert (
        state.reason == "Добавьте первый чек, чтобы попасть в рейтинг."
        and state.reason_link == "/contest/receipts"
    )
    page = _receipts_page(session, staff.id)
    _run(ContestReceiptsState.save_qr, page, {"qr": _qr()})
    assert page.error.startswith("Сотрудники") and _receipts(session) == 0


def test_tabs_show_the_parallel_contests_one_takes_part_in_and_refuse_others(app_engine, session):
    add_sellers(session)
    geo = make_geo(session)
    now = datetime.now(UTC)
    period = "{:04d}-{:02d}".format(*period_of(now))
    general = ensure_general(session, *period_of(now), now)
    fuel = Contest(period=period, title="АЗС месяца", categories="fuel", prizes="1000,500", created_at=now)
    okrug = Contest(
        period=period, title="Только ЗАО", okrugs="2", regions="77,50", prizes="700", created_at=now
    )
    session.add_all([fuel, okrug])
    session.commit()
    anna = make_user(session, house_id=geo["house:Арбат"])
    page = _receipts_page(session, anna.id)
    _run(ContestReceiptsState.save_qr, page, {"qr": _qr(fn=FUEL_FN)})
    assert page.error == ""

    state = _board(session, anna.id)
    assert [t["title"] for t in state.tabs] == [general.title, "АЗС месяца"]
    assert state.cid == general.id

    before = (state.cid, state.title, list(state.prizes), list(state.own_rows))
    for hostile in [*HOSTILE, str(okrug.id), okrug.id]:
        _run(ContestState.select_contest, state, hostile)
        assert state.error == (
            "Этот конкурс недоступен: на странице показываются общий конкурс месяца "
            "и параллельные конкурсы, в которых вы участвуете."
        ), hostile
        assert (state.cid, state.title, state.prizes, state.own_rows) == before

    _run(ContestState.select_contest, state, str(fuel.id))
    assert state.error == "" and state.cid == fuel.id and state.title == "АЗС месяца"
    assert state.conditions == "Категория АЗС."
    assert [p["amount"] for p in state.prizes] == ["1\xa0000\xa0₽", "500\xa0₽"]
    assert state.own_place == "1"

    # A guest has the general tab only; the fuel contest is not theirs to open.
    guest = _board(session, None)
    assert [t["id"] for t in guest.tabs] == [str(general.id)]
    guest.tabs = [*guest.tabs, {"id": str(fuel.id), "title": "", "conditions": ""}]  # a forged tab list
    _run(ContestState.select_contest, guest, str(fuel.id))
    assert guest.error.startswith("Этот конкурс недоступен") and guest.cid == general.id


def test_conditions_are_told_in_plain_words():
    okrugs = {1: "ЦАО", 2: "ЗАО"}
    parallel = Contest(
        period="2026-12",
        title="x",
        categories="grocery,fuel",
        regions="77",
        partner_inns="7708004767,7825706086,500100732259",
        okrugs="2,1",
        prizes="1",
    )
    assert board.conditions_text(parallel, okrugs) == (
        "Категории: АЗС, Продукты; регион 77; партнёры: 3; округа: ЗАО, ЦАО."
    )
    assert board.conditions_text(Contest(period="2026-12", title="x", okrugs="1", prizes="1"), okrugs) == (
        "Округ ЦАО."
    )


def test_the_live_loader_refuses_an_unknown_contest_and_versions_by_read_time(app_engine, session):
    assert asyncio.run(load_rating(999_999)) is None
    now = datetime.now(UTC)
    general = ensure_general(session, *period_of(now), now)
    session.commit()
    first = asyncio.run(load_rating(general.id))
    second = asyncio.run(load_rating(general.id))
    assert first[0] <= second[0]
    assert first[1] == {**first[1], "cid": general.id, "version": first[0], "rows": [], "total": "0"}
    assert contest_state.RATING.delay == contest_state.RATING_COALESCE_SECONDS


def test_an_accepted_receipt_reaches_the_viewers_of_its_contest_within_two_seconds(
    app_engine, session, monkeypatch
):
    """The whole live path without a browser: the page's handler saves a receipt on a worker thread,
    the commit announces the rating, the hub's loop reads the top once and sends it to the room."""
    from tests.integration.test_live_channels import NAMESPACE, Server

    add_sellers(session)
    anna = make_user(session)
    now = datetime.now(UTC)
    general = ensure_general(session, *period_of(now), now)
    fuel = Contest(
        period=general.period, title="АЗС месяца", categories="fuel", prizes="1000", created_at=now
    )
    session.add(fuel)
    session.commit()
    monkeypatch.setattr(live, "_HUBS", {})
    key = ContestRatingState.get_full_name()

    def rating(delta: dict) -> dict:
        return {k.removesuffix("_rx_state_"): v for k, v in delta[key].items()}

    async def scenario() -> float:
        server = Server()
        hub = live.Hub(server.sio, NAMESPACE)
        live._HUBS[1] = hub
        viewers = [await server.connect() for _ in range(3)]
        for sid in viewers:
            assert await hub.join(sid, contest_state.RATING, general.id)
        elsewhere = await server.connect()
        assert await hub.join(elsewhere, contest_state.RATING, fuel.id)
        page = _tab_state(session, anna.id, ContestReceiptsState)
        clock = asyncio.get_running_loop().time
        started = clock()
        await ContestReceiptsState.save_qr.fn(page, {"qr": _qr()})
        assert page.notice == "Чек принят: +1 балл."
        while clock() - started < 2.0 and not all(len(server.received(sid)) == 2 for sid in viewers):
            await asyncio.sleep(0.02)
        took = clock() - started
        for sid in viewers:
            first, second = (rating(delta) for delta in server.received(sid))
            assert first["rows"] == [] and first["total"] == "0"
            assert second["cid"] == general.id and second["total"] == "1"
            assert [(r["place"], r["name"], r["points"]) for r in second["rows"]] == [("1", "Иван И.", "1")]
        # A grocery receipt does not count in the fuel contest: its viewers heard nothing.
        assert len(server.received(elsewhere)) == 1
        await hub.close()
        return took

    assert asyncio.run(scenario()) < 2.0
