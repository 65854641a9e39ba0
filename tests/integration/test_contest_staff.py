"""The staff side of the receipt contest: creating parallel contests, the audit trail, a
participant's receipts as evidence, the staff list of contests and prizes, the month statistics."""

from datetime import timedelta

import pytest
from sqlmodel import select

from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import DomainError, NotAllowed
from ag_app.models import Contest, ContestAudit, ContestEntry, ContestParticipant, Okrug
from ag_app.services.contest import moderation, staff, stats
from ag_app.services.contest.contests import ContestDraft, contests_of_period, create_contest, ensure_general
from ag_app.services.contest.scoring import REVIEW
from ag_app.state.staff_contest_stats import bucket_rows, participant_rows, receipt_rows
from tests.factories import make_user
from tests.integration.contest_helpers import FUEL_FN, add_sellers, qr, submit

PERIOD = "2026-11"


def _run(engine, fn, **kwargs):
    with transaction(engine) as session:
        return fn(session, **kwargs)


def _read(engine, fn, **kwargs):
    with read_transaction(engine) as session:
        result = fn(session, **kwargs)
        session.expunge_all()
        return result


def _strict_general(engine, now, daily_limit: int = 1) -> int:
    """The month's general contest with a low daily limit, so a second receipt of a day goes on review."""
    with transaction(engine) as session:
        contest = ensure_general(session, 2026, 11, now)
        contest.daily_limit = daily_limit
        session.add(contest)
        return contest.id


def _draft(**changes) -> ContestDraft:
    values = {"period": PERIOD, "title": "АЗС ноября", "categories": ("fuel",), "prizes": (3000, 2000, 1000)}
    return ContestDraft(**(values | changes))


def test_staff_use_cases_refuse_a_resident(engine, session, now):
    resident = make_user(session)
    session.commit()
    calls = [
        (create_contest, {"draft": _draft(), "now": now}),
        (moderation.audit_trail, {"period": PERIOD}),
        (moderation.participant_receipts, {"participant_id": 1, "period": PERIOD}),
        (stats.contest_stats, {"period": PERIOD, "now": now}),
        (staff.staff_contests, {"period": PERIOD, "now": now}),
        (staff.staff_prizes, {"contest_id": 1, "now": now}),
    ]
    for fn, kwargs in calls:
        with pytest.raises(NotAllowed) as refused:
            _run(engine, fn, actor_id=resident.id, **kwargs)
        assert str(refused.value) == "Недостаточно прав для этого действия."
    # A moderator (not staff) may not create contests either.
    moderator = make_user(session, roles=("moderator",))
    session.commit()
    with pytest.raises(NotAllowed):
        _run(engine, create_contest, actor_id=moderator.id, draft=_draft(), now=now)
    assert _read(engine, lambda s: s.exec(select(Contest)).all()) == []


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"categories": ()},
            "Параллельный конкурс ограничивается хотя бы одним условием: категория, регион, ИНН партнёров или округ.",
        ),
        ({"title": "  "}, "Укажите название конкурса (не длиннее 200 символов)."),
        ({"categories": ("casino",)}, "Неизвестная категория продавца."),
        ({"prizes": ()}, "Призы — от 1 до 100 сумм в рублях, каждая больше нуля."),
        ({"partner_inns": ("123",)}, "ИНН — 10 цифр для организации или 12 для предпринимателя."),
        ({"regions": ("Москва",)}, "Код региона — от 1 до 3 цифр, например 77."),
        ({"okrugs": (999,)}, "Неизвестный округ."),
        (
            {"period": "2026-10"},
            "Месяц уже закончился: параллельный конкурс создаётся на текущий или будущий месяц.",
        ),
        ({"period": "ноябрь"}, "Период указывается как ГГГГ-ММ, например 2026-12."),
        (
            {"split_count": 1},
            "Правила проверки: до 10 000 чеков в день, от 2 чеков одного продавца за 1–1440 минут.",
        ),
    ],
)
def test_create_contest_refuses_a_bad_draft_with_the_reason(engine, session, now, changes, error):
    manager = make_user(session, roles=("staff",))
    session.commit()
    with pytest.raises(DomainError) as refused:
        _run(engine, create_contest, actor_id=manager.id, draft=_draft(**changes), now=now)
    assert str(refused.value) == error
    assert _read(engine, lambda s: s.exec(select(Contest)).all()) == []


def test_a_parallel_contest_counts_the_months_receipts_at_once_and_is_audited(engine, session, now):
    add_sellers(session)
    session.add(Okrug(id=1, name="Центральный административный округ", abbrev="ЦАО"))
    manager = make_user(session, roles=("staff",))
    driver, shopper = make_user(session), make_user(session)
    session.commit()
    fuel = submit(engine, driver.id, qr(now - timedelta(hours=2), fn=FUEL_FN), now).receipt
    submit(engine, shopper.id, qr(now - timedelta(hours=1)), now)

    contest_id = _run(
        engine,
        create_contest,
        actor_id=manager.id,
        draft=_draft(partner_inns=("7708004767",), regions=("77",)),
        now=now,
    )
    contest = _read(engine, lambda s: s.get(Contest, contest_id))
    assert (contest.general, contest.period, contest.categories, contest.prizes) == (
        False,
        PERIOD,
        "fuel",
        "3000,2000,1000",
    )
    assert (contest.daily_limit, contest.split_count, contest.split_minutes) == (50, 5, 10)
    # Only the fuel station's receipt counts in it, with its 10 points.
    entries = _read(
        engine, lambda s: s.exec(select(ContestEntry).where(ContestEntry.contest_id == contest_id)).all()
    )
    assert [e.points for e in entries] == [10]
    assert fuel.points == 10
    audit = _read(engine, lambda s: s.exec(select(ContestAudit).where(ContestAudit.action == "create")).all())
    assert [(a.actor_id, a.contest_id, a.reason) for a in audit] == [(manager.id, contest_id, "АЗС ноября")]

    views = _run(engine, staff.staff_contests, actor_id=manager.id, period=PERIOD, now=now)
    assert [(v.title, v.general, v.participants, v.status_name, v.can_finalise) for v in views] == [
        ("Конкурс чеков — ноябрь 2026", True, 2, "Идёт", False),
        ("АЗС ноября", False, 1, "Идёт", False),
    ]
    assert views[1].conditions == "Категория АЗС; регион 77; партнёры: 1."
    # After the month: «Подвести итоги» is offered.
    after = _run(
        engine, staff.staff_contests, actor_id=manager.id, period=PERIOD, now=now + timedelta(days=11)
    )
    assert [v.can_finalise for v in after] == [True, True]

    # A future month is fine, a finished one is not.
    assert _run(engine, create_contest, actor_id=manager.id, draft=_draft(period="2027-01"), now=now)
    titles = _read(engine, lambda s: [c.title for c in contests_of_period(s, "2027-01")])
    assert titles == ["АЗС ноября"]


def test_audit_trail_and_participant_receipts_show_who_when_why(engine, session, now):
    add_sellers(session)
    moderator = make_user(session, roles=("moderator",))
    manager = make_user(session, roles=("staff",))
    anna = make_user(session)
    session.commit()
    first = submit(engine, anna.id, qr(now - timedelta(hours=3)), now).receipt
    second = submit(engine, anna.id, qr(now - timedelta(hours=2), fn=FUEL_FN), now).receipt
    _run(
        engine,
        moderation.reject_receipt,
        actor_id=moderator.id,
        receipt_id=first.id,
        reason="Чек из сети",
        now=now,
    )

    trail = _run(engine, moderation.audit_trail, actor_id=manager.id, period=PERIOD)
    assert [(line.actor, line.action, line.subject, line.reason) for line in trail] == [
        ("Иванов Иван", "Чек отклонён", f"чек {first.id}", "Чек из сети")
    ]
    assert _run(engine, moderation.audit_trail, actor_id=moderator.id, period="2026-10") == []

    participant = _read(
        engine,
        lambda s: s.exec(select(ContestParticipant.id).where(ContestParticipant.user_id == anna.id)).one(),
    )
    rows = _run(
        engine,
        moderation.participant_receipts,
        actor_id=moderator.id,
        participant_id=participant,
        period=PERIOD,
    )
    assert [(r.id, r.status, r.reason, r.seller, r.points) for r in rows] == [
        (second.id, "accepted", "", "АЗС «Лукойл» № 17", 10),
        (first.id, "rejected", "Чек из сети", "Магазин «Пятёрочка»", 1),
    ]
    assert rows[0].category == "АЗС"
    with pytest.raises(DomainError) as missing:
        _run(
            engine, moderation.participant_receipts, actor_id=moderator.id, participant_id=999, period=PERIOD
        )
    assert str(missing.value) == "Участник не найден."


def test_stats_count_what_was_submitted(engine, session, now):
    add_sellers(session)
    moderator = make_user(session, roles=("moderator",))
    anna, boris = make_user(session), make_user(session)
    session.commit()
    _strict_general(engine, now)
    yesterday = now - timedelta(days=1)
    submit(engine, anna.id, qr(yesterday - timedelta(hours=2)), yesterday)
    on_review = submit(engine, anna.id, qr(yesterday - timedelta(hours=1)), yesterday).receipt
    assert on_review.status == REVIEW
    _run(
        engine,
        moderation.reject_receipt,
        actor_id=moderator.id,
        receipt_id=on_review.id,
        reason="Дробление",
        now=now,
    )
    submit(engine, anna.id, qr(now - timedelta(hours=2)), now)
    assert submit(engine, anna.id, qr(now - timedelta(hours=1)), now).receipt.status == REVIEW
    submit(engine, boris.id, qr(now - timedelta(hours=1), fn=FUEL_FN), now)

    data = _run(engine, stats.contest_stats, actor_id=moderator.id, period=PERIOD, now=now)
    # Every day of the month up to today (20 November), the empty ones too.
    assert [d.day.day for d in data.days] == list(range(1, 21))
    shown = {d.day.day: (d.accepted, d.review, d.rejected, d.participants, d.cumulative) for d in data.days}
    assert shown[18] == (0, 0, 0, 0, 0)
    assert shown[19] == (1, 0, 1, 1, 1)
    assert shown[20] == (2, 1, 0, 2, 2)
    assert (data.receipts, data.accepted, data.review, data.rejected, data.participants) == (5, 3, 1, 1, 2)
    # Anna has 2 points, Boris 10 (a fuel station).
    assert [(b.label, b.participants) for b in data.buckets] == [
        ("1", 0), ("2", 1), ("3–5", 0), ("6–10", 1), ("11–20", 0), ("21–50", 0), ("51+", 0)
    ]  # fmt: skip
    assert (data.rated, data.points) == (2, 12)
    # The page's tables say the same.
    table = receipt_rows(data)
    assert table[18] == ["19.11", "1", "0", "1", "2"]
    assert table[19] == ["20.11", "2", "1", "0", "3"]
    assert table[-1] == ["Всего", "3", "1", "1", "5"]
    assert participant_rows(data)[19] == ["20.11", "2", "2"]
    assert bucket_rows(data)[1] == ["2", "1"]

    # A month without receipts: no numbers, nothing invented; staff may read it too.
    manager = make_user(session, roles=("staff",))
    session.commit()
    empty = _run(engine, stats.contest_stats, actor_id=manager.id, period="2026-10", now=now)
    assert len(empty.days) == 31 and empty.receipts == 0 and empty.participants == 0
    assert all(b.participants == 0 for b in empty.buckets)
    assert _run(engine, stats.contest_stats, actor_id=manager.id, period="2027-01", now=now).days == ()
