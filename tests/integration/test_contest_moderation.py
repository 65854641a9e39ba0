"""Moderation, races, finalisation, the seal and prize claims of the receipt contest (SPEC §11)."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import timedelta

import pytest
from sqlmodel import select

from ag_app.db import transaction
from ag_app.domain.contest_seal import verify_rating
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed
from ag_app.models import (
    Contest,
    ContestAudit,
    ContestEntry,
    ContestPrize,
    ContestResult,
    PrizeClaim,
    ReceiptFlag,
)
from ag_app.services.contest import claims, finalise, moderation, ranking, scoring, sellers
from ag_app.services.contest.contests import contests_of_period
from tests.factories import make_user
from tests.integration.contest_helpers import FUEL_FN, SHOP_FN, add_sellers, qr, submit


def _run(engine, fn, **kwargs):
    with transaction(engine) as session:
        return fn(session, **kwargs)


def _read(engine, fn):
    """A read in its own transaction (the fixture session would hold SQLite's write lock)."""
    from ag_app.db import read_transaction

    with read_transaction(engine) as session:
        result = fn(session)
        session.expunge_all()
        return result


def _general(engine):
    return _read(engine, lambda s: contests_of_period(s, "2026-11")[0])


def _top(engine, contest_id):
    return _read(engine, lambda s: ranking.top_rows(s, contest_id))


def _rows(engine, statement):
    return _read(engine, lambda s: list(s.exec(statement).all()))


def _entries(session, contest_id):
    rows = _rows(session.get_bind(), select(ContestEntry).where(ContestEntry.contest_id == contest_id))
    return sorted((e.participant_id, e.points, e.reached_at, e.last_receipt_at) for e in rows)


def _recounted(engine, session, contest_id):
    """The entries a full recount from the receipts gives (in a transaction rolled back after)."""
    from sqlmodel import Session

    with Session(engine) as scratch:
        contest = scratch.get(Contest, contest_id)
        scoring.recount_contest(scratch, contest)
        scratch.flush()
        rows = scratch.exec(select(ContestEntry).where(ContestEntry.contest_id == contest_id)).all()
        result = sorted((e.participant_id, e.points, e.reached_at, e.last_receipt_at) for e in rows)
        scratch.rollback()
    return result


def test_rejection_and_disqualification_re_rank_and_equal_a_recount(engine, session, now):
    add_sellers(session)
    moderator = make_user(session, roles=("moderator",))
    anna, boris, vera = (make_user(session) for _ in range(3))
    submit(engine, anna.id, qr(now - timedelta(hours=3), fn=FUEL_FN), now)
    fuel_of_boris = submit(engine, boris.id, qr(now - timedelta(hours=2), fn=FUEL_FN), now).receipt
    submit(engine, boris.id, qr(now - timedelta(hours=2)), now)
    submit(engine, vera.id, qr(now - timedelta(hours=1)), now)
    contest = _general(engine)
    assert [r.points for r in _top(engine, contest.id)] == [11, 10, 1]

    _run(
        engine,
        moderation.reject_receipt,
        actor_id=moderator.id,
        receipt_id=fuel_of_boris.id,
        reason="Чек с чужой карты",
        now=now + timedelta(minutes=5),
    )
    assert [r.points for r in _top(engine, contest.id)] == [10, 1, 1]
    leader = _top(engine, contest.id)[0].number
    _run(
        engine,
        moderation.disqualify,
        actor_id=moderator.id,
        participant_id=leader,
        period="2026-11",
        reason="Несколько аккаунтов",
        now=now + timedelta(minutes=6),
    )
    assert [r.points for r in _top(engine, contest.id)] == [1, 1]
    assert _entries(session, contest.id) == _recounted(engine, session, contest.id)
    actions = [a.action for a in _rows(engine, select(ContestAudit).order_by(ContestAudit.id))]
    assert actions == ["reject", "disqualify"]
    with pytest.raises(NotAllowed, match="исключены"):
        submit(engine, anna.id, qr(now - timedelta(minutes=1)), now + timedelta(minutes=7))


def test_only_moderators_decide(engine, session, now):
    add_sellers(session)
    resident = make_user(session)
    receipt = submit(engine, resident.id, qr(now - timedelta(hours=1)), now).receipt
    with pytest.raises(NotAllowed):
        _run(
            engine,
            moderation.reject_receipt,
            actor_id=resident.id,
            receipt_id=receipt.id,
            reason="x",
            now=now,
        )
    with pytest.raises(NotAllowed):
        _run(engine, moderation.fraud_queue, actor_id=resident.id)


def test_review_receipt_counts_once_accepted(engine, session, now):
    add_sellers(session)
    moderator, user = make_user(session, roles=("moderator",)), make_user(session)
    results = [submit(engine, user.id, qr(now - timedelta(minutes=20 - i)), now).receipt for i in range(5)]
    assert results[-1].status == "review"
    queue = _run(engine, moderation.fraud_queue, actor_id=moderator.id)
    assert [item.kind for item in queue] == ["split"] and "ФН" in queue[0].evidence
    contest = _general(engine)
    assert _top(engine, contest.id)[0].points == 4
    _run(engine, moderation.accept_receipt, actor_id=moderator.id, receipt_id=results[-1].id, now=now)
    assert _top(engine, contest.id)[0].points == 5
    assert _run(engine, moderation.fraud_queue, actor_id=moderator.id) == []


def test_classifying_a_fuel_station_re_scores_at_once(engine, session, now):
    moderator, user = make_user(session, roles=("moderator",)), make_user(session)
    unknown_fn = "9960440300000099"
    submit(engine, user.id, qr(now - timedelta(hours=1), fn=unknown_fn), now)
    contest = _general(engine)
    assert _top(engine, contest.id)[0].points == 1
    waiting = _run(engine, sellers.unclassified, actor_id=moderator.id)
    assert [s.fn for s in waiting] == [unknown_fn]
    _run(engine, sellers.classify, actor_id=moderator.id, seller_id=waiting[0].id, category="fuel", now=now)
    assert _top(engine, contest.id)[0].points == 10
    assert _entries(session, contest.id) == _recounted(engine, session, contest.id)


def test_registry_csv_import_refuses_a_bad_row_and_imports_nothing(engine, session, now):
    staff = make_user(session, roles=("staff",))
    good = "fn;name;inn;category;region\n9960440300000011;АЗС № 1;7708004767;fuel;77\n"
    assert _run(engine, sellers.import_registry, actor_id=staff.id, text=good, now=now) == 1
    bad = good + "123;Магазин;7708004767;grocery;77\n"
    with pytest.raises(InvalidInput, match="Строка 3"):
        _run(engine, sellers.import_registry, actor_id=staff.id, text=bad, now=now)


def test_the_same_receipt_posted_at_once_by_twenty_accounts_counts_once(engine, session, now):
    add_sellers(session)
    users = [make_user(session) for _ in range(20)]
    receipt = qr(now - timedelta(hours=1))

    def post(user_id):
        try:
            return submit(engine, user_id, receipt, now)
        except DomainError as error:
            return error

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(post, [u.id for u in users]))
    accepted = [r for r in results if not isinstance(r, DomainError) and r.receipt is not None]
    assert len(accepted) == 1
    flags = _rows(engine, select(ReceiptFlag).where(ReceiptFlag.kind == "duplicate"))
    assert len(flags) == 19
    with ThreadPoolExecutor(max_workers=10) as pool:
        again = list(pool.map(post, [users[0].id] * 20))
    assert all(isinstance(r, Conflict) or r.receipt is None for r in again)
    contest = _general(engine)
    assert _read(engine, lambda s: ranking.participants(s, contest.id)) == 1


def test_concurrent_corrections_and_new_receipts_equal_a_full_recount(engine, session, now):
    add_sellers(session)
    moderator = make_user(session, roles=("moderator",))
    users = [make_user(session) for _ in range(6)]
    first = [submit(engine, u.id, qr(now - timedelta(hours=5), fn=SHOP_FN), now).receipt for u in users]
    unknown = "9960440300000077"
    for u in users:
        submit(engine, u.id, qr(now - timedelta(hours=4), fn=unknown), now)
    seller_id = _run(engine, sellers.unclassified, actor_id=moderator.id)[0].id

    def new_receipts(i):
        for k in range(4):
            submit(
                engine, users[i].id, qr(now - timedelta(hours=3, minutes=10 * k)), now + timedelta(seconds=k)
            )

    jobs = [lambda i=i: new_receipts(i) for i in range(6)]
    jobs.append(
        lambda: _run(
            engine,
            sellers.classify,
            actor_id=moderator.id,
            seller_id=seller_id,
            category="fuel",
            now=now + timedelta(seconds=2),
        )
    )
    jobs.append(
        lambda: _run(
            engine,
            moderation.reject_receipt,
            actor_id=moderator.id,
            receipt_id=first[0].id,
            reason="Подделка",
            now=now + timedelta(seconds=3),
        )
    )
    jobs.append(
        lambda: _run(
            engine,
            moderation.disqualify,
            actor_id=moderator.id,
            participant_id=first[1].id and 2,
            period="2026-11",
            reason="Бот",
            now=now + timedelta(seconds=4),
        )
    )
    with ThreadPoolExecutor(max_workers=9) as pool:
        for future in [pool.submit(job) for job in jobs]:
            # The disqualified participant's later receipts are refused.
            with suppress(NotAllowed):
                future.result()
    contest = _general(engine)
    assert _entries(session, contest.id) == _recounted(engine, session, contest.id)


def test_finalise_seals_publishes_and_prizes_are_claimed_or_passed(engine, session, now):
    add_sellers(session)
    staff, moderator = make_user(session, roles=("staff",)), make_user(session, roles=("moderator",))
    users = [make_user(session) for _ in range(7)]
    for rank, user in enumerate(users):
        for k in range(7 - rank):
            submit(
                engine,
                user.id,
                qr(now - timedelta(hours=10 - k, minutes=rank)),
                now + timedelta(minutes=rank),
            )
    contest = _general(engine)
    with pytest.raises(InvalidInput, match="после окончания"):
        _run(engine, finalise.finalise_contest, actor_id=staff.id, contest_id=contest.id, now=now)
    after = now + timedelta(days=12)
    seal = _run(engine, finalise.finalise_contest, actor_id=staff.id, contest_id=contest.id, now=after)
    assert (
        _run(engine, finalise.finalise_contest, actor_id=staff.id, contest_id=contest.id, now=after) == seal
    )
    data = b"".join(finalise.final_csv(engine, contest.id, seal.version, batch=3))
    report = verify_rating(data.decode().splitlines(keepends=True), expect_hash=seal.sha256)
    assert report.ok and report.rows == 7
    edited = data.decode().replace("\n1,", "\n1,", 1).replace(",7,", ",8,", 1)
    assert not verify_rating(edited.splitlines(keepends=True), expect_hash=seal.sha256).ok

    _, winners = _run(engine, lambda s: finalise.final_results(s, contest_id=contest.id))
    assert [w.prize for w in winners] == [2000, 1500, 1000, 500, 300]
    assert winners[0].name == "Иван И." and "@" not in str(winners[0].number)

    first_prize = _rows(engine, select(ContestPrize).where(ContestPrize.place == 1))[0]
    winner_user = users[0]
    _run(
        engine,
        claims.claim_prize,
        actor_id=winner_user.id,
        prize_id=first_prize.id,
        last_name="Иванов",
        first_name="Иван",
        phone="+7 916 123-45-67",
        bank="Сбербанк",
        now=after,
    )
    assert _rows(engine, select(PrizeClaim))[0].phone == "+79161234567"

    fifth = _rows(engine, select(ContestPrize).where(ContestPrize.place == 5))[0]
    with pytest.raises(Conflict):
        _run(engine, finalise.pass_prize, actor_id=staff.id, prize_id=fifth.id, now=after)
    late = after + timedelta(days=32)
    with pytest.raises(Conflict, match="истёк"):
        _run(
            engine,
            claims.claim_prize,
            actor_id=users[4].id,
            prize_id=fifth.id,
            last_name="Иванов",
            first_name="Иван",
            phone="+79161234567",
            bank="ВТБ",
            now=late,
        )
    new_holder = _run(engine, finalise.pass_prize, actor_id=staff.id, prize_id=fifth.id, now=late)
    assert (
        new_holder
        == _rows(
            engine,
            select(ContestResult.participant_id).where(
                ContestResult.contest_id == contest.id, ContestResult.place == 6
            ),
        )[0]
    )

    # A disqualification after publication re-ranks, re-seals and moves the prizes.
    _run(
        engine,
        moderation.disqualify,
        actor_id=moderator.id,
        participant_id=winners[1].number,
        period="2026-11",
        reason="Поддельные чеки",
        now=late,
    )
    seal2, winners2 = _run(engine, lambda s: finalise.final_results(s, contest_id=contest.id))
    assert seal2.version == 2 and seal2.rows == 6 and seal2.sha256 != seal.sha256
    assert winners[1].number not in [w.number for w in winners2]
