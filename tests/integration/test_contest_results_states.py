"""«Итоги конкурсов» and «Мои призы» driven as a browser tab would: a contest of a past month is
finalised through the services (receipts saved in its month, then ``finalise_contest`` by staff
after the month), then a guest reads the winners (shortened names, masked e-mails) and the seal equal
to the service's, a winner claims the prize once with the phone normalised, foreign and hostile prize
ids save nothing, and after the claim month the form is gone and a claim is refused.

The states read the real clock, so the contests are of months before the current Moscow month.
"""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from reflex.istate.data import RouterData
from sqlmodel import Session, func, select

from ag_app.db import read_transaction, transaction
from ag_app.domain.contest import period_bounds, period_label, period_of
from ag_app.models import Contest, ContestPrize, PrizeClaim, User
from ag_app.services.contest import finalise
from ag_app.services.contest.contests import ensure_general
from ag_app.services.contest.results import published_contests
from ag_app.state import fmt
from ag_app.state.contest_results import ContestPrizesState, ContestResultsState
from tests.factories import make_user
from tests.integration.contest_helpers import FUEL_FN, add_sellers, qr, submit
from tests.integration.tabs import browser_tab

HOSTILE = [None, 17.5, ["1"], {"id": "1"}, "", "abc", "-1", "²", "1" * 40, "0", "2147483648"]
GOOD_CLAIM = {"last_name": "Смирнова", "first_name": "Анна", "phone": "8 (916) 123-45-67", "bank": "Сбербанк"}
# Residents of the contests: first name, last name, e-mail; the first has a fuel receipt (10 points),
# the others 5, 4, 3, 2, 1 ordinary receipts: six places, five prizes.
PEOPLE = [
    ("Анна", "Смирнова", "anna.smirnova@mail.ru"),
    ("Борис", "Петров", "boris@yandex.ru"),
    ("Вера", "Козлова", "vera.k@gmail.com"),
    ("Глеб", "Орлов", "gleb@mail.ru"),
    ("Дина", "Лебедева", "dina@list.ru"),
    ("Егор", "Зайцев", "egor@bk.ru"),
]


def _run(handler, state, *args):
    return asyncio.run(handler.fn(state, *args))


def _month_back(months: int) -> tuple[int, int]:
    """The Moscow month ``months`` before the current one."""
    year, month = period_of(datetime.now(UTC))
    index = year * 12 + (month - 1) - months
    return index // 12, index % 12 + 1


@dataclass
class Finalised:
    contest_id: int
    period: str
    seal: finalise.SealView
    people: list[User]
    published_at: datetime


def _finalise(engine, session: Session, *, months_back: int, people: list[User] | None = None) -> Finalised:
    """The general contest of a past month with six participants, finalised by staff.

    One month back: published a minute ago (the claim month is open). Further back: published on the
    second day of the month after the contest (the claim month is over).
    """
    year, month = _month_back(months_back)
    start = period_bounds(year, month)[0]
    if people is None:
        people = []
        for first, last, email in PEOPLE:
            user = make_user(session)
            user.first_name, user.last_name, user.email = first, last, email
            session.add(user)
            people.append(user)
        session.commit()
    moment = start + timedelta(days=3)
    receipts = [(people[0], FUEL_FN)] + [
        (person, None)
        for count, person in zip(range(5, 0, -1), people[1:], strict=True)
        for _ in range(count)
    ]
    for person, fn in receipts:
        # Receipts half an hour apart: none trips the review rules, all accepted at once.
        moment += timedelta(minutes=30)
        receipt = qr(moment - timedelta(minutes=5), fn=fn) if fn else qr(moment - timedelta(minutes=5))
        result = submit(engine, person.id, receipt, moment)
        assert result.refused is None and result.receipt.status == "accepted"
    staff = make_user(session, roles=("staff",))
    if months_back == 1:
        published = datetime.now(UTC) - timedelta(minutes=1)
    else:
        published = period_bounds(*_month_back(months_back - 1))[0] + timedelta(days=1)
    period = period_label(year, month)
    with transaction(engine) as tx:
        contest_id = ensure_general(tx, year, month, published).id
        seal = finalise.finalise_contest(tx, actor_id=staff.id, contest_id=contest_id, now=published)
    return Finalised(contest_id, period, seal, people, published)


def _tab_state(session: Session, user_id: int | None, cls, query: str = ""):
    root = browser_tab(session, user_id)
    state = root.substates[cls.get_name()]
    if query:
        router = RouterData.from_router_data(
            {
                "pathname": "/contest/results",
                "asPath": f"/contest/results?{query}",
                "query": {},
                "headers": {},
                "ip": "",
            }
        )
        root.router = state.router = router
    return state


def _results(session: Session, query: str = "") -> ContestResultsState:
    state = _tab_state(session, None, ContestResultsState, query)
    _run(ContestResultsState.load, state)
    assert state.loaded
    return state


def _prizes(session: Session, user_id: int) -> ContestPrizesState:
    state = _tab_state(session, user_id, ContestPrizesState)
    _run(ContestPrizesState.load, state)
    assert state.loaded and state.error == "", state.error
    return state


def _claims(session: Session) -> list[PrizeClaim]:
    rows = list(session.exec(select(PrizeClaim)).all())
    session.commit()
    return rows


def _service_results(engine, contest_id: int):
    with read_transaction(engine) as tx:
        return finalise.final_results(tx, contest_id=contest_id)


def _month_text(period: str) -> str:
    from ag_app.domain.contest import MONTHS

    year, month = (int(part) for part in period.split("-"))
    return f"{MONTHS[month - 1]} {year}"


def test_a_guest_reads_the_winners_and_the_seal_of_the_newest_contest(app_engine, session):
    add_sellers(session)
    older = _finalise(app_engine, session, months_back=2)
    newer = _finalise(app_engine, session, months_back=1, people=older.people)
    # A contest of the current month is open: not listed.
    now = datetime.now(UTC)
    with transaction(app_engine) as tx:
        ensure_general(tx, *period_of(now), now)

    state = _results(session)
    assert state.error == ""
    assert [(c["id"], c["period"]) for c in state.contests] == [
        (str(newer.contest_id), _month_text(newer.period)),
        (str(older.contest_id), _month_text(older.period)),
    ]
    assert state.contests[0]["title"] == f"Конкурс чеков — {_month_text(newer.period)}"
    assert state.contests[0]["published"] == fmt_moscow(newer.published_at)
    assert state.contests[0]["winners"] == "5"

    # The newest is shown: winners with shortened names and masked e-mails only.
    assert state.cid == str(newer.contest_id)
    assert [(w["place"], w["name"], w["email"], w["points"], w["prize"]) for w in state.winners] == [
        ("1", "Анна С.", "a***@mail.ru", "10", "2\xa0000\xa0₽"),
        ("2", "Борис П.", "b***@yandex.ru", "5", "1\xa0500\xa0₽"),
        ("3", "Вера К.", "v***@gmail.com", "4", "1\xa0000\xa0₽"),
        ("4", "Глеб О.", "g***@mail.ru", "3", "500\xa0₽"),
        ("5", "Дина Л.", "d***@list.ru", "2", "300\xa0₽"),
    ]
    seal, winners = _service_results(app_engine, newer.contest_id)
    assert [w["number"] for w in state.winners] == [str(w.number) for w in winners]
    # The seal shown is the one the service published.
    assert state.sha256 == seal.sha256 == newer.seal.sha256 and len(state.sha256) == 64
    assert (state.rows, state.version, state.reason) == ("6", "1", "")
    assert state.csv_url == f"/api/v1/contests/{newer.contest_id}/final.csv"
    assert state.command == (
        f"ag-app verify-rating contest-{newer.contest_id}-final.csv --expect-hash {seal.sha256}"
    )
    assert state.claim_until == fmt.short_day(finalise.claim_deadline(newer.published_at))
    # Nobody's full last name, raw e-mail or phone is on the page.
    shown = repr(state.dict())
    for person in newer.people:
        assert person.last_name not in shown and person.email not in shown and person.phone not in shown

    # Another published contest, by the list's button and by ?contest=ID.
    _run(ContestResultsState.select_contest, state, str(older.contest_id))
    assert state.error == "" and state.cid == str(older.contest_id)
    assert state.sha256 == older.seal.sha256 != newer.seal.sha256
    linked = _results(session, f"contest={older.contest_id}")
    assert linked.error == "" and linked.cid == str(older.contest_id)


def fmt_moscow(moment: datetime) -> str:
    from ag_app.state.staff_common import moscow_text

    return moscow_text(moment)


def test_only_published_contests_open_and_hostile_ids_change_nothing(app_engine, session):
    add_sellers(session)
    done = _finalise(app_engine, session, months_back=1)
    now = datetime.now(UTC)
    with transaction(app_engine) as tx:
        running = ensure_general(tx, *period_of(now), now).id
    state = _results(session)
    before = (state.cid, state.sha256, list(state.winners))
    for hostile in [*HOSTILE, str(running), running, str(done.contest_id + 1000)]:
        _run(ContestResultsState.select_contest, state, hostile)
        assert state.error == "Итоги конкурса ещё не опубликованы.", hostile
        assert (state.cid, state.sha256, state.winners) == before
    for query in [f"contest={running}", "contest=%C2%B2", "contest=-1", "contest=99999999999"]:
        page = _results(session, query)
        assert page.error == "Итоги конкурса ещё не опубликованы." and page.cid == "" and page.winners == []
        assert [c["id"] for c in page.contests] == [str(done.contest_id)]


def test_an_empty_list_before_any_publication(app_engine, session):
    state = _results(session)
    assert state.error == "" and state.contests == [] and state.cid == ""


def test_published_contests_newest_first_with_winners_counted(app_engine, session):
    add_sellers(session)
    older = _finalise(app_engine, session, months_back=3)
    newer = _finalise(app_engine, session, months_back=1, people=older.people)
    with read_transaction(app_engine) as tx:
        listed = published_contests(tx)
        one = published_contests(tx, limit=1)
        hostile_limit = published_contests(tx, limit=-5)
    assert [(c.id, c.period, c.winners) for c in listed] == [
        (newer.contest_id, newer.period, 5),
        (older.contest_id, older.period, 5),
    ]
    assert listed[0].claim_until == finalise.claim_deadline(newer.published_at)
    assert [c.id for c in one] == [newer.contest_id] == [c.id for c in hostile_limit]


def test_a_winner_claims_the_prize_once_and_sees_no_payout_data_back(app_engine, session):
    add_sellers(session)
    done = _finalise(app_engine, session, months_back=1)
    anna, boris, egor = done.people[0], done.people[1], done.people[5]

    page = _prizes(session, anna.id)
    [row] = page.prizes
    until = fmt.short_day(finalise.claim_deadline(done.published_at))
    assert row["contest"] == f"Конкурс чеков — {_month_text(done.period)}"
    assert (row["place"], row["amount"], row["status_name"], row["until"], row["open"]) == (
        "1",
        "2\xa0000\xa0₽",
        "ожидает заявки",
        until,
        "1",
    )

    # A bad phone, a missing field: refused in Russian, nothing saved.
    _run(ContestPrizesState.claim, page, {"prize_id": row["id"], **GOOD_CLAIM, "phone": "12345"})
    assert (
        page.error == "Введите российский мобильный номер в формате +7 9XX XXX-XX-XX." and page.notice == ""
    )
    _run(
        ContestPrizesState.claim,
        page,
        {"prize_id": row["id"], "last_name": "Смирнова", "phone": "+79161234567"},
    )
    assert page.error == "Заполните фамилию, имя, телефон для перевода по СБП и банк."
    _run(ContestPrizesState.claim, page, {"prize_id": row["id"], **GOOD_CLAIM, "bank": " "})
    assert page.error == "Укажите банк для перевода по СБП (до 100 символов)."
    assert _claims(session) == [] and page.form_key == 0

    _run(ContestPrizesState.claim, page, {"prize_id": row["id"], **GOOD_CLAIM})
    assert page.error == ""
    assert page.notice.startswith("Заявка принята: приз переведут по СБП")
    assert page.form_key == 1
    [claimed] = page.prizes
    assert (claimed["status_name"], claimed["open"], claimed["note"]) == ("заявлен", "", "")
    [saved] = _claims(session)
    assert (saved.last_name, saved.first_name, saved.phone, saved.bank) == (
        "Смирнова",
        "Анна",
        "+79161234567",
        "Сбербанк",
    )
    # The payout details are not sent back to the browser.
    shown = repr(page.dict())
    assert "+79161234567" not in shown and "123-45-67" not in shown and "Сбербанк" not in shown

    # A second claim of the same prize is refused.
    _run(ContestPrizesState.claim, page, {"prize_id": row["id"], **GOOD_CLAIM, "bank": "Т-Банк"})
    assert page.error == "Приз уже заявлен." and page.notice == ""
    assert len(_claims(session)) == 1

    # Another winner sends Anna's prize id: not theirs, nothing saved.
    other = _prizes(session, boris.id)
    assert [(p["place"], p["status_name"]) for p in other.prizes] == [("2", "ожидает заявки")]
    _run(ContestPrizesState.claim, other, {"prize_id": row["id"], **GOOD_CLAIM})
    assert other.error == "Приз не найден."
    for hostile in HOSTILE:
        _run(ContestPrizesState.claim, other, {"prize_id": hostile, **GOOD_CLAIM})
        assert other.error == "Приз не найден.", hostile
        _run(ContestPrizesState.claim, other, hostile)
        assert other.error == "Приз не найден.", hostile
    assert len(_claims(session)) == 1
    assert other.prizes[0]["status_name"] == "ожидает заявки"
    statuses = dict(session.exec(select(ContestPrize.place, ContestPrize.status)).all())
    session.commit()
    assert statuses == {1: "claimed", 2: "awarded", 3: "awarded", 4: "awarded", 5: "awarded"}

    # Sixth place: no prize; a resident who never took part: none either.
    assert _prizes(session, egor.id).prizes == []
    assert _prizes(session, make_user(session).id).prizes == []


@pytest.mark.parametrize("who", ["guest", "forged token"])
def test_guests_are_sent_to_login_and_cannot_claim(app_engine, session, who):
    add_sellers(session)
    done = _finalise(app_engine, session, months_back=1)
    prize_id = session.exec(select(ContestPrize.id).where(ContestPrize.place == 1)).one()
    session.commit()
    state = _tab_state(session, None, ContestPrizesState)
    if who == "forged token":
        from ag_app.state.base import SessionState

        state.parent_state.substates[SessionState.get_name()].auth_token = "x" * 43
    redirect = _run(ContestPrizesState.load, state)
    assert redirect is not None and "/login" in str(redirect)
    assert state.prizes == []
    _run(ContestPrizesState.claim, state, {"prize_id": str(prize_id), **GOOD_CLAIM})
    assert state.error == "Войдите в систему, чтобы продолжить."
    assert _claims(session) == [] and done.contest_id


def test_after_the_claim_month_the_form_is_gone_and_a_claim_is_refused(app_engine, session):
    add_sellers(session)
    done = _finalise(app_engine, session, months_back=3)
    anna = done.people[0]
    deadline = finalise.claim_deadline(done.published_at)
    assert deadline < datetime.now(UTC)

    page = _prizes(session, anna.id)
    [row] = page.prizes
    until = fmt.short_day(deadline)
    assert (row["status_name"], row["open"]) == ("срок заявки истёк", "")
    assert row["note"] == f"Приз не был заявлен вовремя: срок заявки истёк {until}."
    # A forged submit of the vanished form: refused by the service, nothing saved.
    _run(ContestPrizesState.claim, page, {"prize_id": row["id"], **GOOD_CLAIM})
    assert page.error == f"Срок заявки на приз истёк {until}." and page.notice == ""
    assert _claims(session) == []
    contest = session.get(Contest, done.contest_id)
    prizes = session.exec(select(func.count()).select_from(ContestPrize)).one()
    session.commit()
    assert contest.status == "final" and prizes == 5
