"""The whole promo campaign on SQLite and PostgreSQL: codes → opt-out → votes → draws →
activation → annulment, the published files re-verified by the shipped verifier."""

from datetime import date

import pytest
from sqlmodel import select

from ag_app.db import read_transaction, transaction
from ag_app.domain.errors import Conflict, DomainError, NotAllowed
from ag_app.domain.promo import parse_votes
from ag_app.domain.promo_verify import verify_draw
from ag_app.models import OutboxMessage, PromoCitizen, PromoDraw
from ag_app.services.promo import citizen, codes, draws, votes
from tests.promo_helpers import make_campaign, make_citizen, msk


def _rows(session, model, *where):
    rows = session.exec(select(model).where(*where).execution_options(populate_existing=True)).all()
    session.commit()
    return rows


def _state(engine, user_id, campaign_id, now):
    with read_transaction(engine) as s:
        return citizen.my_state(s, actor_id=user_id, campaign_id=campaign_id, now=now)


def _act(engine, fn, **kwargs):
    with transaction(engine) as s:
        return fn(s, **kwargs)


def _vote_file(*lines: str) -> str:
    return "person;voted_at;channel;first_online\n" + "\n".join(lines) + "\n"


@pytest.fixture
def campaign(engine, session):
    return make_campaign(engine, session, window_prizes=("5000x2,3000x3,1000x5", "1000x1", "1000x1"))


def test_codes_go_to_eligible_citizens_once_with_an_sms(engine, session, campaign):
    campaign_id, _, geo = campaign
    house = geo["house:Арбат"]
    adult = make_citizen(session, house)
    level_two = make_citizen(session, house, full=False)
    minor = make_citizen(session, house, birth_date=date(2009, 1, 1))
    no_registration = make_citizen(session, None)
    no_document = make_citizen(session, house, passport=False)
    before = msk((2026, 8, 29), 12)
    assert codes.issue_due_codes(engine, now=before) == 0
    sending = msk((2026, 8, 31), 12)
    assert codes.issue_due_codes(engine, now=sending) == 2
    assert codes.issue_due_codes(engine, now=sending) == 0
    rows = _rows(session, PromoCitizen, PromoCitizen.campaign_id == campaign_id)
    assert sorted(r.user_id for r in rows) == sorted([adult.id, level_two.id])
    assert len({r.code for r in rows}) == 2 and len({r.key for r in rows}) == 2
    sms = _rows(session, OutboxMessage, OutboxMessage.recipient == adult.phone)
    mine = next(r for r in rows if r.user_id == adult.id)
    assert len(sms) == 1 and mine.code in sms[0].body and "23:59 05.09.2026" in sms[0].body
    why = {
        minor.id: "только совершеннолетние",
        no_registration.id: "адреса регистрации",
        no_document.id: "документ",
    }
    for user_id, words in why.items():
        view = _state(engine, user_id, campaign_id, sending)
        assert view.status == "not_eligible" and words in view.status_text and not view.can_opt_out


def test_opt_out_and_back_at_the_minute(engine, session, campaign):
    campaign_id, _, geo = campaign
    person = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    deadline_day = (2026, 9, 5)
    _act(
        engine,
        citizen.opt_out,
        actor_id=person.id,
        campaign_id=campaign_id,
        reason="Не хочу",
        now=msk(deadline_day, 22),
    )
    assert _state(engine, person.id, campaign_id, msk(deadline_day, 22)).status == "opted_out"
    with pytest.raises(DomainError, match="согласитесь"):
        _act(
            engine,
            citizen.opt_in,
            actor_id=person.id,
            campaign_id=campaign_id,
            accept_rules=False,
            now=msk(deadline_day, 22, 59, 59),
        )
    _act(
        engine,
        citizen.opt_in,
        actor_id=person.id,
        campaign_id=campaign_id,
        accept_rules=True,
        now=msk(deadline_day, 22, 59, 59),
    )
    view = _state(engine, person.id, campaign_id, msk(deadline_day, 23))
    assert view.status == "eligible" and view.can_opt_out and not view.can_opt_in
    _act(
        engine,
        citizen.opt_out,
        actor_id=person.id,
        campaign_id=campaign_id,
        reason="",
        now=msk(deadline_day, 23, 59, 59),
    )
    with pytest.raises(Conflict, match="истёк"):
        _act(
            engine,
            citizen.opt_in,
            actor_id=person.id,
            campaign_id=campaign_id,
            accept_rules=True,
            now=msk(deadline_day, 23, 0, 0),
        )
    view = _state(engine, person.id, campaign_id, msk(deadline_day, 23, 30))
    assert (
        view.status == "opted_out"
        and not view.can_opt_in
        and "отказ от участия остаётся" in " ".join(view.notes)
    )
    other = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(engine, now=msk((2026, 9, 1), 12))
    with pytest.raises(Conflict, match="истёк"):
        _act(
            engine,
            citizen.opt_out,
            actor_id=other.id,
            campaign_id=campaign_id,
            reason="",
            now=msk((2026, 9, 6), 0),
        )
    row = _rows(session, PromoCitizen, PromoCitizen.user_id == other.id)[0]
    assert row.opted_out_at is None


def test_the_whole_campaign(engine, session, campaign, tmp_path):
    campaign_id, staff_id, geo = campaign
    house = geo["house:Арбат"]
    winner = make_citizen(session, house, full=True)
    late_voter = make_citizen(session, house, full=True)
    rival = make_citizen(session, house, birth_date=date(1980, 1, 1))
    outsider = make_citizen(session, house, birth_date=date(2010, 1, 1))
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    _act(
        engine,
        citizen.choose_category,
        actor_id=winner.id,
        campaign_id=campaign_id,
        category="sport",
        now=msk((2026, 9, 1), 12),
    )
    with pytest.raises(Conflict):
        _act(
            engine,
            citizen.choose_category,
            actor_id=winner.id,
            campaign_id=campaign_id,
            category="home",
            now=msk((2026, 9, 1), 12, 5),
        )
    text = _vote_file(
        f"{winner.snils};2026-09-06 20:00:59;online;yes",
        f"{late_voter.snils};2026-09-06 20:01:00;online;no",
        f"{rival.phone};2026-09-07 11:00;terminal;no",
        f"{outsider.phone};2026-09-06 12:00;online;yes",
        "+79990000000;2026-09-06 12:00;online;no",
    )
    report = _act(
        engine,
        votes.import_votes,
        actor_id=staff_id,
        campaign_id=campaign_id,
        rows=parse_votes(text),
        now=msk((2026, 9, 6), 21),
    )
    assert (report.added, report.unmatched, report.not_eligible) == (3, (6,), (5,))
    again = _act(
        engine,
        votes.import_votes,
        actor_id=staff_id,
        campaign_id=campaign_id,
        rows=parse_votes(text),
        now=msk((2026, 9, 6), 21),
    )
    assert (again.added, again.unchanged) == (0, 3)
    assert _state(engine, winner.id, campaign_id, msk((2026, 9, 6), 21)).status == "participant"
    assert _state(engine, winner.id, campaign_id, msk((2026, 9, 6), 21)).draw_on == date(2026, 9, 7)

    # Window 0 closes at 20:01; its draws run in the hour before 10:00 next morning.
    assert draws.due_draws(engine, now=msk((2026, 9, 7), 8, 30)) == 0
    frozen = _rows(session, PromoDraw, PromoDraw.window == 0)
    assert all(d.frozen_at is not None and d.drawn_at is None for d in frozen)
    late = _act(
        engine,
        votes.import_votes,
        actor_id=staff_id,
        campaign_id=campaign_id,
        rows=parse_votes(_vote_file(f"{outsider.snils};2026-09-06 19:00;online;no")),
        now=msk((2026, 9, 7), 8),
    )
    assert late.not_eligible == (2,)
    assert draws.due_draws(engine, now=msk((2026, 9, 7), 9, 0)) == 4  # main + three categories
    assert draws.due_draws(engine, now=msk((2026, 9, 7), 9, 5)) == 0
    main0 = next(d for d in _rows(session, PromoDraw, PromoDraw.window == 0) if d.kind == "main")
    assert (main0.list_count, main0.winners_count) == (1, 1)

    # The published files verify with the shipped verifier.
    with read_transaction(engine) as s:
        draw = s.get(PromoDraw, main0.id)
        listing = b"".join(draws.participants_file(s, draw))
        result = b"".join(draws.winners_file(s, draw))
    (tmp_path / "p.txt").write_bytes(listing)
    (tmp_path / "w.csv").write_bytes(result)
    ok = verify_draw(
        tmp_path / "p.txt",
        main0.seed,
        main0.commitment,
        main0.prizes,
        tmp_path / "w.csv",
        entropy=main0.entropy,
        list_sha256=main0.list_sha256,
    )
    assert ok.ok, ok.problem
    assert str(winner.phone) not in listing.decode() and "Иванов" not in result.decode()
    (tmp_path / "p.txt").write_bytes(listing.replace(listing[:3], b"fff"))
    assert not verify_draw(
        tmp_path / "p.txt",
        main0.seed,
        main0.commitment,
        main0.prizes,
        tmp_path / "w.csv",
        list_sha256=main0.list_sha256,
    ).ok

    view = _state(engine, winner.id, campaign_id, msk((2026, 9, 7), 10))
    assert view.status == "winner" and view.main_prize in (5000, 3000, 1000) and view.category_prize == 15000
    assert view.can_activate and not view.can_exchange
    with pytest.raises(DomainError, match="согласитесь"):
        _act(
            engine,
            citizen.activate,
            actor_id=winner.id,
            campaign_id=campaign_id,
            accept_rules=False,
            now=msk((2026, 9, 7), 10),
        )
    _act(
        engine,
        citizen.activate,
        actor_id=winner.id,
        campaign_id=campaign_id,
        accept_rules=True,
        now=msk((2026, 9, 7), 10, 1),
    )
    with pytest.raises(Conflict):
        _act(
            engine,
            citizen.activate,
            actor_id=winner.id,
            campaign_id=campaign_id,
            accept_rules=True,
            now=msk((2026, 9, 7), 10, 2),
        )
    view = _state(engine, winner.id, campaign_id, msk((2026, 9, 7), 10, 5))
    assert view.prize_points == view.main_prize and view.discount_left == 15000
    assert view.can_exchange and view.can_choose_gift
    sms = _rows(session, OutboxMessage, OutboxMessage.recipient == winner.phone)
    assert any("победитель" in m.body for m in sms)

    # Windows 1 and 2: one prize for two participants in window 1; the loser is told so.
    assert draws.due_draws(engine, now=msk((2026, 9, 9), 9, 30)) == 8
    states = {u.id: _state(engine, u.id, campaign_id, msk((2026, 9, 9), 10)) for u in (late_voter, rival)}
    assert sorted(v.status for v in states.values()) == ["not_found", "winner"]
    loser = next(v for v in states.values() if v.status == "not_found")
    assert "не найдены в списке победителей" in loser.status_text
    with pytest.raises(NotAllowed):
        _act(
            engine,
            citizen.activate,
            actor_id=next(u for u, v in states.items() if v is loser),
            campaign_id=campaign_id,
            accept_rules=True,
            now=msk((2026, 9, 9), 10),
        )
    assert draws.annul_unactivated(engine, now=msk((2026, 9, 30), 23, 59)) == 0
    assert draws.annul_unactivated(engine, now=msk((2026, 10, 1), 0)) == 1
    assert draws.annul_unactivated(engine, now=msk((2026, 10, 1), 0, 1)) == 0
    other_winner = next(u for u, v in states.items() if v.status == "winner")
    assert _state(engine, other_winner, campaign_id, msk((2026, 10, 1), 1)).status == "annulled"
    with pytest.raises(Conflict, match="аннулирован"):
        _act(
            engine,
            citizen.activate,
            actor_id=other_winner,
            campaign_id=campaign_id,
            accept_rules=True,
            now=msk((2026, 9, 30), 12),
        )
    assert _state(engine, winner.id, campaign_id, msk((2026, 10, 1), 1)).status == "winner"


def test_extra_prize_for_first_online_voters_and_the_elderly_once(engine, session):
    campaign_id, staff_id, geo = make_campaign(engine, session, window_prizes=("1000x1",) * 3)
    house = geo["house:Арбат"]
    first, elderly, both, terminal_elderly = (
        make_citizen(session, house),
        make_citizen(session, house, birth_date=date(1960, 1, 1)),
        make_citizen(session, house, birth_date=date(1950, 1, 1)),
        make_citizen(session, house, birth_date=date(1950, 1, 1)),
    )
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    text = _vote_file(
        f"{first.snils};2026-09-06 12:00;online;yes",
        f"{elderly.snils};2026-09-06 12:00;online;no",
        f"{both.snils};2026-09-06 12:00;online;yes",
        f"{terminal_elderly.snils};2026-09-06 12:00;terminal;no",
    )
    _act(
        engine,
        votes.import_votes,
        actor_id=staff_id,
        campaign_id=campaign_id,
        rows=parse_votes(text),
        now=msk((2026, 9, 6), 13),
    )
    draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30))
    rows = {r.user_id: r for r in _rows(session, PromoCitizen, PromoCitizen.campaign_id == campaign_id)}
    winners = [r for r in rows.values() if r.main_prize]
    assert len(winners) == 1
    for user in (first, elderly, both):
        row = rows[user.id]
        assert row.extra_prize == (0 if row.main_prize else 1000)
    assert rows[terminal_elderly.id].extra_prize == 0


def test_a_list_with_a_repeated_key_is_never_published(engine, session, campaign):
    campaign_id, staff_id, geo = campaign
    first, second = (make_citizen(session, geo["house:Арбат"]) for _ in range(2))
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    text = _vote_file(
        f"{first.snils};2026-09-06 12:00;online;no", f"{second.snils};2026-09-06 13:00;online;no"
    )
    _act(
        engine,
        votes.import_votes,
        actor_id=staff_id,
        campaign_id=campaign_id,
        rows=parse_votes(text),
        now=msk((2026, 9, 6), 14),
    )
    rows = _rows(session, PromoCitizen, PromoCitizen.campaign_id == campaign_id)
    with transaction(engine) as s:  # a keyed-hash collision, forced
        s.get(PromoCitizen, rows[1].id).key = rows[0].key
    with pytest.raises(Conflict, match="два одинаковых ключа"):
        draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30))
    main0 = next(d for d in _rows(session, PromoDraw, PromoDraw.window == 0) if d.kind == "main")
    assert main0.frozen_at is None and main0.list_sha256 == ""
