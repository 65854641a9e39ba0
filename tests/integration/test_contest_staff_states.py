"""The contest's staff pages re-check rights on the server: a moderator rejects a receipt from the
queue and the rating falls; staff create a contest, upload the seller registry and finalise; a
resident (or a guest) calling the same handlers by name gets the Russian refusal and nothing changes."""

import asyncio
import io
from datetime import UTC, datetime, timedelta

import pytest
import reflex as rx
from sqlmodel import Session, select

from ag_app.db import read_transaction
from ag_app.domain.clock import MOSCOW, moscow_month, previous_month
from ag_app.models import Contest, ContestAudit, Disqualification, Receipt, ReceiptFlag, Seller
from ag_app.services.contest import ranking
from ag_app.services.contest.contests import contests_of_period
from ag_app.state.staff_contest import StaffContestState
from ag_app.state.staff_contest_manage import StaffContestManageState
from ag_app.state.staff_contest_stats import StaffContestStatsState
from tests.factories import make_user
from tests.integration.contest_helpers import FUEL_FN, SHOP_FN, add_sellers, qr, submit
from tests.integration.tabs import browser_tab

FORBIDDEN = ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")
NEW_FN = "9960440300000030"


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _state(session: Session, user_id: int | None, cls):
    return browser_tab(session, user_id).substates[cls.get_name()]


def _top(engine, period: str) -> list[tuple[int, int]]:
    with read_transaction(engine) as s:
        general = contests_of_period(s, period)[0]
        return [(row.number, row.points) for row in ranking.top_rows(s, general.id)]


def _snapshot(session: Session) -> tuple:
    """Everything the staff handlers could change, read as plain columns."""
    session.expire_all()
    receipts = session.exec(select(Receipt.id, Receipt.status, Receipt.points).order_by(Receipt.id)).all()
    flags = session.exec(select(ReceiptFlag.id, ReceiptFlag.resolved_at).order_by(ReceiptFlag.id)).all()
    contests = session.exec(select(Contest.id, Contest.status).order_by(Contest.id)).all()
    sellers = session.exec(select(Seller.fn, Seller.category).order_by(Seller.fn)).all()
    others = (
        len(session.exec(select(Disqualification)).all()),
        len(session.exec(select(ContestAudit)).all()),
    )
    session.commit()
    return (
        tuple(map(tuple, receipts)),
        tuple(map(tuple, flags)),
        tuple(map(tuple, contests)),
        tuple(sellers),
        others,
    )


def _duplicate_in_queue(app_engine, session):
    """Anna's receipt, uploaded again by Boris from another account: a flag in the queue."""
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    session.commit()
    moment = datetime.now(UTC)
    receipt = qr(moment - timedelta(hours=1))
    saved = submit(app_engine, anna.id, receipt, moment).receipt
    assert submit(app_engine, boris.id, receipt, moment).refused is not None
    return anna, boris, saved, moscow_month(moment)


def test_a_moderator_rejects_from_the_queue_and_the_rating_falls(app_engine, session):
    anna, boris, saved, period = _duplicate_in_queue(app_engine, session)
    before = _top(app_engine, period)
    assert [points for _, points in before] == [1]
    moderator = make_user(session, roles=("moderator",))
    session.commit()
    page = _state(session, moderator.id, StaffContestState)
    _run(StaffContestState.load, page)
    assert page.allowed and page.can_moderate and page.period == period
    (row,) = page.queue
    assert (row["kind"], row["receipt_id"], row["status"]) == (
        "Повторная загрузка с другого аккаунта",
        str(saved.id),
        "принят",
    )
    assert row["owner"] != row["flagged"] and row["seller"] == "Магазин «Пятёрочка»"

    # The evidence: the owner's receipts of the month.
    _run(StaffContestState.show_receipts, page, row["owner"], row["period"])
    assert page.error == "" and [r[0] for r in page.evidence] == [str(saved.id)]

    _run(StaffContestState.reject, page, {"receipt_id": row["receipt_id"], "reason": ""})
    assert page.error == "Укажите причину решения."
    _run(StaffContestState.reject, page, {"receipt_id": row["receipt_id"], "reason": "Чек чужой"})
    assert page.error == "" and page.notice == "Чек отклонён."
    assert _top(app_engine, period) == []
    assert page.queue == []
    assert page.audit[0][2:] == ["Чек отклонён", f"чек {saved.id}", "Чек чужой"]


def test_a_moderator_rejects_an_accepted_receipt_nobody_flagged(app_engine, session):
    add_sellers(session)
    anna = make_user(session)
    moderator = make_user(session, roles=("moderator",))
    session.commit()
    moment = datetime.now(UTC)
    kept = submit(app_engine, anna.id, qr(moment - timedelta(hours=2)), moment).receipt
    forged = submit(app_engine, anna.id, qr(moment - timedelta(hours=1), fn=FUEL_FN), moment).receipt
    period = moscow_month(moment)
    ((number, points),) = _top(app_engine, period)
    assert points == 11

    page = _state(session, moderator.id, StaffContestState)
    _run(StaffContestState.load, page)
    assert page.queue == []
    _run(StaffContestState.open_participant, page, {"participant": "¹²", "period": period})
    assert page.error == "Участник не найден." and page.evidence == []
    _run(StaffContestState.open_participant, page, {"participant": str(number), "period": period})
    assert page.error == "" and sorted(r[0] for r in page.evidence) == sorted([str(kept.id), str(forged.id)])

    _run(StaffContestState.reject, page, {"receipt_id": str(forged.id), "reason": "Чек с чужой АЗС"})
    assert page.notice == "Чек отклонён."
    assert _top(app_engine, period) == [(number, 1)]
    # The open list shows the decision at once.
    statuses = {row[0]: row[7] for row in page.evidence}
    assert statuses[str(forged.id)] == "отклонён (Чек с чужой АЗС)" and statuses[str(kept.id)] == "принят"


def test_a_moderator_classifies_a_seller_and_disqualifies_from_the_queue(app_engine, session):
    anna, boris, saved, period = _duplicate_in_queue(app_engine, session)
    moment = datetime.now(UTC)
    submit(app_engine, anna.id, qr(moment - timedelta(minutes=30), fn=NEW_FN), moment)
    moderator = make_user(session, roles=("moderator",))
    session.commit()
    page = _state(session, moderator.id, StaffContestState)
    _run(StaffContestState.load, page)
    (seller,) = page.unclassified
    assert seller["fn"] == NEW_FN and seller["receipts"] == "1"
    _run(StaffContestState.classify, page, {"seller_id": seller["id"], "category": ""})
    assert page.error == "Выберите категорию продавца."
    _run(StaffContestState.classify, page, {"seller_id": seller["id"], "category": "fuel"})
    assert page.notice == "Категория продавца сохранена." and page.unclassified == []
    assert [points for _, points in _top(app_engine, period)] == [11]

    # Boris re-uploaded Anna's receipt: he is the one the flag is about.
    flag = page.queue[0]
    _run(StaffContestState.disqualify, page, {"flag_id": flag["flag_id"], "reason": "Чужой чек"})
    assert page.error == ""
    assert page.notice == f"Участник № {flag['flagged']} исключён из конкурсов месяца {period}."
    session.expire_all()
    (removed,) = session.exec(select(Disqualification)).all()
    session.commit()
    assert (str(removed.participant_id), removed.period, removed.reason) == (
        flag["flagged"],
        period,
        "Чужой чек",
    )


def _upload(data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), size=len(data))


def test_staff_create_a_contest_upload_the_registry_and_see_the_stats(app_engine, session):
    add_sellers(session)
    anna = make_user(session)
    manager = make_user(session, roles=("staff",))
    session.commit()
    moment = datetime.now(UTC)
    submit(app_engine, anna.id, qr(moment - timedelta(hours=1), fn=FUEL_FN), moment)
    page = _state(session, manager.id, StaffContestManageState)
    _run(StaffContestManageState.load, page)
    assert page.allowed and [c["title"] for c in page.contests] == [f"Конкурс чеков — {_month_name(moment)}"]

    form = {
        "title": "Заправки",
        "category_fuel": "on",
        "regions": "",
        "partner_inns": "",
        "prizes": "3000, 2 000",
    }
    _run(StaffContestManageState.create, page, form | {"prizes": "много"})
    assert page.error == "Призы — суммы в рублях через запятую, например «3000, 2000, 1000»."
    _run(StaffContestManageState.create, page, form | {"category_fuel": ""})
    assert page.error.startswith("Параллельный конкурс ограничивается хотя бы одним условием")
    _run(StaffContestManageState.create, page, form)
    assert page.error == "" and page.notice == "Параллельный конкурс создан."
    created = page.contests[1]
    assert (created["title"], created["participants"], created["prizes"]) == (
        "Заправки",
        "1",
        "3\u00a0000\u00a0₽, 2\u00a0000\u00a0₽",
    )

    _run(StaffContestManageState.upload_registry, page, [_upload(b"fn;name\n")])
    assert page.error == "Первая строка файла реестра: fn;name;inn;category;region."
    bad = "fn;name;inn;category;region\n9960440300000040;Аптека;7707083893;pharmacy;77\n123;Кафе;7707083893;cafe;77\n"
    _run(StaffContestManageState.upload_registry, page, [_upload(bad.encode())])
    assert page.error == "Строка 3 реестра: «Номер фискального накопителя (fn) — 16 цифр.»."
    _run(
        StaffContestManageState.upload_registry,
        page,
        [_upload("fn;name\n".encode("cp1251") + "Аптека".encode("cp1251"))],
    )
    assert page.error == "Файл реестра должен быть в кодировке UTF-8."
    good = bad.splitlines()[:2]
    _run(StaffContestManageState.upload_registry, page, [_upload(("\n".join(good) + "\n").encode())])
    assert page.error == "" and page.notice == "Реестр загружен: продавцов — 1."

    stats = _state(session, manager.id, StaffContestStatsState)
    assert stats.receipts_fig is None
    _run(StaffContestStatsState.load, stats)
    assert stats.allowed and stats.receipts_fig is not None and stats.points_fig is not None
    assert stats.receipts_rows[-1] == ["Всего", "1", "0", "0", "1"]
    assert ["6–10", "1"] in stats.points_rows
    _run(StaffContestStatsState.set_period, stats, {"period": "2026-13"})
    assert stats.error == "Период указывается как ГГГГ-ММ, например 2026-12."


def _month_name(moment: datetime) -> str:
    from ag_app.domain.contest import MONTHS

    local = moment.astimezone(MOSCOW)
    return f"{MONTHS[local.month - 1]} {local.year}"


def test_staff_finalise_a_past_month_and_see_its_prizes(app_engine, session):
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    manager = make_user(session, roles=("staff",))
    session.commit()
    last_month = previous_month(moscow_month(datetime.now(UTC)))
    year, month = (int(part) for part in last_month.split("-"))
    middle = datetime(year, month, 15, 12, tzinfo=MOSCOW)
    submit(app_engine, anna.id, qr(middle - timedelta(hours=1), fn=FUEL_FN), middle)
    submit(app_engine, boris.id, qr(middle - timedelta(hours=1), fn=SHOP_FN), middle)

    page = _state(session, manager.id, StaffContestManageState)
    _run(StaffContestManageState.load, page)
    _run(StaffContestManageState.set_period, page, {"period": last_month})
    (general,) = page.contests
    assert general["can_finalise"] == "1" and general["participants"] == "2"
    _run(StaffContestManageState.finalise, page, general["id"])
    assert page.error == "" and len(page.last_seal) == 64
    assert page.notice == f"Итоги подведены. SHA-256 итогового рейтинга: {page.last_seal}."
    assert page.contests[0]["sha256"] == page.last_seal and page.contests[0]["can_finalise"] == ""
    assert [(p["place"], p["amount"], p["status"], p["claim"], p["can_pass"]) for p in page.prizes] == [
        ("1", "2\u00a0000\u00a0₽", "Ожидает заявки", "—", ""),
        ("2", "1\u00a0500\u00a0₽", "Ожидает заявки", "—", ""),
    ]
    # The claim month is still open: the prize cannot be passed on yet.
    _run(StaffContestManageState.pass_prize, page, page.prizes[0]["id"])
    assert page.error.startswith("Победитель может заявить приз до ")


@pytest.mark.parametrize("who", ["resident", "guest", "moderator"])
def test_non_staff_calling_contest_staff_handlers_changes_nothing(app_engine, session, who):
    anna, boris, saved, period = _duplicate_in_queue(app_engine, session)
    moment = datetime.now(UTC)
    submit(app_engine, anna.id, qr(moment - timedelta(minutes=30), fn=NEW_FN), moment)
    with read_transaction(app_engine) as s:
        flag_id = s.exec(select(ReceiptFlag.id)).one()
        seller_id = s.exec(select(Seller.id).where(Seller.fn == NEW_FN)).one()
        general_id = contests_of_period(s, period)[0].id
    user = make_user(session, roles=("moderator",) if who == "moderator" else ())
    session.commit()
    before = _snapshot(session)
    actor = None if who == "guest" else user.id

    manage = _state(session, actor, StaffContestManageState)
    _run(StaffContestManageState.load, manage)
    assert manage.loaded and not manage.allowed and manage.contests == []
    form = {"title": "Заправки", "category_fuel": "on", "regions": "", "partner_inns": "", "prizes": "3000"}
    for handler, args in (
        (StaffContestManageState.create, (form,)),
        (StaffContestManageState.finalise, (str(general_id),)),
        (StaffContestManageState.pass_prize, ("1",)),
        (StaffContestManageState.upload_registry, ([_upload(b"fn;name;inn;category;region\n")],)),
    ):
        _run(handler, manage, *args)
        assert manage.error in FORBIDDEN, handler.fn.__name__
    if who == "moderator":
        assert _snapshot(session) == before
        return

    page = _state(session, actor, StaffContestState)
    _run(StaffContestState.load, page)
    assert page.loaded and not page.allowed and page.queue == [] and page.audit == []
    for handler, args in (
        (StaffContestState.accept, (str(saved.id),)),
        (StaffContestState.reject, ({"receipt_id": str(saved.id), "reason": "Чужой"},)),
        (StaffContestState.dismiss, (str(flag_id),)),
        (StaffContestState.disqualify, ({"flag_id": str(flag_id), "reason": "Чужой"},)),
        (StaffContestState.classify, ({"seller_id": str(seller_id), "category": "fuel"},)),
        (StaffContestState.show_receipts, (str(saved.id), period)),
        (StaffContestState.set_period, ({"period": period},)),
    ):
        _run(handler, page, *args)
        assert page.error in FORBIDDEN, handler.fn.__name__
    assert page.evidence == [] and page.audit == []

    stats = _state(session, actor, StaffContestStatsState)
    _run(StaffContestStatsState.load, stats)
    assert stats.loaded and not stats.allowed and stats.receipts_fig is None and stats.totals == []
    assert _snapshot(session) == before
