"""The renovation-type house vote through the services, on SQLite and PostgreSQL (SPEC §8)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain import renovation as rules
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.workdays import CalendarUnknown
from ag_app.models import OutboxMessage, RenovationBallot
from ag_app.services import property as property_service
from ag_app.services import renovation
from tests.factories import make_geo, make_user
from tests.integration.renovation_helpers import (
    DAY,
    add_holder,
    link,
    make_house,
    make_voter,
    open_vote,
    vote,
)

CODE = re.compile(r"Код проверки: (\d{4} \d{4} \d{4})")
# A moment after the end of a vote opened by :func:`open_vote` (it runs for two weeks).
ENDED = 15 * DAY


@pytest.fixture
def geo(session):
    return make_geo(session)


@pytest.fixture
def staff(session):
    return make_user(session, roles=("staff",))


@pytest.fixture
def moderator(session):
    return make_user(session, roles=("moderator",))


def _result(engine, campaign_id, house_id, now):
    with transaction(engine) as s:
        return renovation.house_result(s, campaign_id=campaign_id, house_id=house_id, now=now)


def _check(engine, code, now):
    with transaction(engine) as s:
        return renovation.check_vote(s, code=code, now=now)


def _all(engine, statement) -> list:
    """Rows read in a short transaction of their own (the test's session must not hold SQLite's lock)."""
    with Session(engine) as s:
        return list(s.exec(statement).all())


def _sms_codes(engine, phone: str) -> list[str]:
    bodies = _all(
        engine,
        select(OutboxMessage.body).where(OutboxMessage.channel == "sms", OutboxMessage.recipient == phone),
    )
    return [CODE.search(body).group(1) for body in bodies if CODE.search(body)]


def test_the_seed_example_through_votes_in_the_database(engine, session, geo, staff, now):
    """148 apartments, 86 voted 58 «за» / 28 «против», 62 silent → 42 silent «за», 100 of 148, included."""
    house = make_house(session, geo["Арбат"], 148)
    campaign = open_vote(engine, staff.id, [house.id], now)
    for n in range(1, 87):
        user, _ = make_voter(session, house.apartments[str(n)])
        vote(engine, user.id, campaign, house.apartments[str(n)], "for" if n <= 58 else "against", now)

    running = _result(engine, campaign, house.id, now)
    result = _result(engine, campaign, house.id, now + ENDED)

    assert (running.preliminary, running.included, running.decision_source) == (True, None, None)
    assert (running.total_for, running.counted) == (100, 148)  # the same figures, but preliminary
    assert not result.preliminary
    assert (result.total_apartments, result.voted, result.silent) == (148, 86, 62)
    assert (result.for_apartments, result.against_apartments, result.split) == (58, 28, 0)
    assert (result.silent_for, result.silent_against) == (42, 20)
    assert (result.total_for, result.counted) == (100, 148)
    assert result.turnout_percent == 58.1
    assert result.included and result.included_by_vote
    assert result.decision_source == "vote"
    assert result.decision_text == "Дом включён в программу по итогам голосования"
    assert "Арбат" in result.district


def test_a_running_vote_is_preliminary_and_decides_nothing(engine, session, geo, staff, now):
    """One «за» of 60 apartments while the vote runs: no «Дом включён… 100 %», only preliminary figures."""
    house = make_house(session, geo["Арбат"], 60)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, _ = make_voter(session, house.apartments["1"])
    outcome = vote(engine, user.id, campaign, house.apartments["1"], "for", now)

    running = _result(engine, campaign, house.id, now)
    assert running.preliminary and running.ends_at == now + 14 * DAY
    assert (running.included, running.included_by_vote, running.decision_source) == (None, None, None)
    assert running.decision_text == (
        "Итоги предварительные: голосование ещё идёт, решение по дому будет принято после его окончания."
    )
    assert "включён" not in running.decision_text
    assert (running.voted, running.total_for, running.for_percent) == (1, 60, 100.0)
    assert _check(engine, outcome.check_code, now).decision_text == running.decision_text

    # From the end of the vote the count is final (SPEC §8.2.3: the 59 silent follow the one «за»).
    ended = _result(engine, campaign, house.id, now + 14 * DAY)
    assert not ended.preliminary
    assert (ended.included, ended.included_by_vote, ended.decision_source) == (True, True, "vote")
    assert ended.decision_text == "Дом включён в программу по итогам голосования"

    later = open_vote(engine, staff.id, [house.id], now, starts_at=now + DAY, ends_at=now + 2 * DAY)
    scheduled = _result(engine, later, house.id, now)
    assert scheduled.preliminary and scheduled.included is None
    assert scheduled.decision_text == "Голосование ещё не началось: решения по дому нет."


def test_split_apartment_is_left_out_and_a_house_without_votes_is_not_included(
    engine, session, geo, staff, now
):
    house = make_house(session, geo["Арбат"], 4)
    quiet = make_house(session, geo["Раменки"], 3)
    campaign = open_vote(engine, staff.id, [house.id, quiet.id], now)
    for choice in ("for", "against"):
        user, _ = make_voter(session, house.apartments["1"])
        vote(engine, user.id, campaign, house.apartments["1"], choice, now)
    user, _ = make_voter(session, house.apartments["2"])
    vote(engine, user.id, campaign, house.apartments["2"], "for", now)

    result = _result(engine, campaign, house.id, now + ENDED)
    assert (result.voted, result.split, result.counted, result.silent_for, result.total_for) == (
        2,
        1,
        3,
        2,
        3,
    )
    assert result.included  # 3 of 3 counted apartments > 2/3
    nobody = _result(engine, campaign, quiet.id, now + ENDED)
    assert (nobody.voted, nobody.total_for, nobody.included) == (0, 0, False)
    assert nobody.decision_text == "Дом не включён в программу по итогам голосования"


def test_only_verified_owners_and_social_tenants_of_the_house_vote(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 3)
    other = make_house(session, geo["Раменки"], 2)
    campaign = open_vote(engine, staff.id, [house.id], now)
    apartment = house.apartments["1"]

    stranger = make_user(session)
    stranger.identity_verified_at = now
    session.add(stranger)
    session.commit()
    with pytest.raises(NotAllowed) as refused:
        vote(engine, stranger.id, campaign, apartment, "for", now)
    assert refused.value.key == "renovation.not_holder"

    resident, _ = make_voter(session, apartment, role="resident")
    with pytest.raises(NotAllowed) as refused:
        vote(engine, resident.id, campaign, apartment, "for", now)
    assert refused.value.key == "renovation.not_holder"

    owner, _ = make_voter(session, apartment)
    owner.identity_verified_at = None
    session.add(owner)
    session.commit()
    with pytest.raises(NotAllowed) as refused:
        vote(engine, owner.id, campaign, apartment, "for", now)
    assert refused.value.key == "renovation.level_required"

    outsider, _ = make_voter(session, other.apartments["1"])
    with pytest.raises(NotAllowed) as refused:
        vote(engine, outsider.id, campaign, other.apartments["1"], "for", now)
    assert refused.value.key == "renovation.house_not_in_vote"

    tenant, _ = make_voter(session, house.apartments["2"], role="social_tenant")
    with pytest.raises(InvalidInput) as refused:
        vote(engine, tenant.id, campaign, house.apartments["2"], "maybe", now)
    assert str(refused.value) == "Выберите «За» или «Против»."
    with pytest.raises(NotAllowed) as refused:
        vote(engine, tenant.id, campaign, house.apartments["2"], "for", now + 30 * DAY)
    assert refused.value.key == "renovation.not_open"
    with pytest.raises(NotFound):
        vote(engine, tenant.id, 424242, house.apartments["2"], "for", now)
    assert _all(engine, select(func.count()).select_from(RenovationBallot))[0] == 0

    assert vote(engine, tenant.id, campaign, house.apartments["2"], "for", now).status == "verified"


def test_voting_twice_for_the_same_apartment_from_one_account_is_refused(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, _ = make_voter(session, house.apartments["1"])
    vote(engine, user.id, campaign, house.apartments["1"], "for", now)

    with pytest.raises(Conflict) as refused:
        vote(engine, user.id, campaign, house.apartments["1"], "against", now + timedelta(hours=1))

    assert str(refused.value) == "Вы уже проголосовали за эту квартиру."
    ballots = _all(engine, select(RenovationBallot))
    assert [(b.choice, b.counted) for b in ballots] == [("for", True)]


def test_a_person_with_two_accounts_is_counted_once(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    apartment = house.apartments["1"]
    first, holder = make_voter(session, apartment)
    # A second account of the same registry person, linked to the same row.
    second = make_user(session)
    second.identity_verified_at = now
    session.add(second)
    session.commit()
    link(session, second.id, holder.id)

    vote(engine, first.id, campaign, apartment, "against", now)
    accepted = vote(engine, second.id, campaign, apartment, "for", now + timedelta(minutes=5))

    assert accepted.status == "verified"
    assert accepted.status_name.startswith("не учтён: учтён первый голос")
    result = _result(engine, campaign, house.id, now)
    assert (result.voted, result.for_apartments, result.against_apartments) == (1, 0, 1)
    check = _check(engine, accepted.check_code, now)
    assert not check.counted and "первый голос" in check.explanation


def test_in_person_vote_replaces_online_votes_and_a_later_in_person_vote_replaces_it(
    engine, session, geo, staff, now
):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    apartment = house.apartments["2"]
    user, holder = make_voter(session, apartment)
    online = vote(engine, user.id, campaign, apartment, "for", now)

    with transaction(engine) as s:
        options = renovation.apartment_holders(
            s, actor_id=staff.id, campaign_id=campaign, house_id=house.id, apartment="2"
        )
    assert [(o.holder_id, o.name) for o in options] == [(holder.id, "Иванов Иван Иванович")]

    def in_person(choice, at):
        with transaction(engine) as s:
            return renovation.enter_in_person_vote(
                s, actor_id=staff.id, campaign_id=campaign, holder_id=holder.id, choice=choice, now=at
            )

    first_paper = in_person("against", now + DAY)
    assert _result(engine, campaign, house.id, now).against_apartments == 1
    assert _check(engine, online.check_code, now).explanation == (
        "не учтён: заменён голосом, поданным лично в центре госуслуг"
    )
    second_paper = in_person("for", now + 2 * DAY)
    result = _result(engine, campaign, house.id, now)
    assert (result.for_apartments, result.against_apartments) == (1, 0)
    assert not _check(engine, first_paper.check_code, now).counted
    assert "более поздним" in _check(engine, first_paper.check_code, now).explanation
    latest = _check(engine, second_paper.check_code, now)
    assert latest.counted and latest.explanation == "учтён" and latest.choice == "За"
    assert latest.channel.startswith("лично")
    # The voter's account gets the in-person vote's code too (SMS to the linked account).
    assert len(_sms_codes(engine, user.phone)) == 3

    resident = make_user(session)
    with transaction(engine) as s, pytest.raises(NotAllowed):
        renovation.enter_in_person_vote(
            s, actor_id=resident.id, campaign_id=campaign, holder_id=holder.id, choice="for", now=now
        )


@pytest.mark.parametrize(
    ("account", "registry"),
    [
        # no patronymic: «-» in the registry, empty in the profile
        (("Иванов", "Иван", ""), ("Иванов", "Иван", "-")),
        # …and the other way round, with «ё», case and spacing the registry writes differently
        (("Семёнов-Тян-Шанский", "Пётр", "-"), ("СЕМЕНОВ - ТЯН - ШАНСКИЙ", "  петр ", "")),
    ],
)
def test_an_owner_who_could_link_the_flat_has_the_vote_verified_automatically(
    engine, session, geo, staff, now, account, registry
):
    """The rule that links the flat also verifies the vote: an owner without a patronymic («-») links
    their apartment by ФЛС and their vote counts at once, with a check code."""
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user = make_user(session)
    user.last_name, user.first_name, user.patronymic = account
    user.identity_verified_at = now
    session.add(user)
    holder = add_holder(session, house.apartments["2"])
    holder.last_name, holder.first_name, holder.patronymic = registry
    holder.account_number = "7700112233"
    session.add(holder)
    session.commit()
    with transaction(engine) as s:
        linked = property_service.link_premise(
            s, actor_id=user.id, method="account_number", number="77 0011 2233", now=now
        )
    assert [(h.holder_id, h.premise_number) for h in linked] == [(holder.id, "2")]

    outcome = vote(engine, user.id, campaign, house.apartments["2"], "against", now)

    assert (outcome.status, outcome.status_name) == ("verified", "учтён")
    assert len(outcome.check_code) == 12
    assert _sms_codes(engine, user.phone) == [rules.format_check_code(outcome.check_code)]
    result = _result(engine, campaign, house.id, now)
    assert (result.voted, result.against_apartments) == (1, 1)
    with transaction(engine) as s:
        assert renovation.verification_queue(s, actor_id=make_user(s, roles=("moderator",)).id, now=now) == []


def test_a_vote_whose_verification_deadline_is_past_the_known_calendar_is_refused(
    engine, session, geo, staff
):
    """Tuesday 28 December 2027: 4 working days reach 2028, whose calendar is not loaded — the vote
    is refused with a Russian message instead of getting a deadline that counts holidays as workdays."""
    late = datetime(2027, 12, 28, 9, 0, tzinfo=UTC)
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(engine, staff.id, [house.id], late)
    user, _ = make_voter(session, house.apartments["1"])

    with pytest.raises(CalendarUnknown) as refused:
        vote(engine, user.id, campaign, house.apartments["1"], "for", late)

    assert str(refused.value).startswith("Производственный календарь на 2028 год ещё не загружен")
    assert _all(engine, select(func.count()).select_from(RenovationBallot)) == [0]
    assert _sms_codes(engine, user.phone) == []


def test_pending_vote_counts_only_once_a_moderator_verifies_it(engine, session, geo, staff, moderator, now):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, holder = make_voter(session, house.apartments["1"], email="owner@example.ru")
    # The registry row names somebody else now (e.g. updated by a re-import): no automatic match.
    holder.last_name = "Петров"
    session.add(holder)
    session.commit()

    outcome = vote(engine, user.id, campaign, house.apartments["1"], "for", now)

    assert (outcome.status, outcome.status_name, outcome.check_code) == ("pending", "на проверке", "")
    assert outcome.verification_due == rules.verification_deadline(now)
    assert _result(engine, campaign, house.id, now).voted == 0
    assert _sms_codes(engine, user.phone) == []
    with transaction(engine) as s:
        queue = renovation.verification_queue(s, actor_id=moderator.id, now=now)
    assert [(q.ballot_id, q.voter_name, q.registry_name) for q in queue] == [
        (outcome.ballot_id, "Иванов Иван Иванович", "Петров Иван Иванович")
    ]

    with transaction(engine) as s:
        renovation.verify_vote(s, actor_id=moderator.id, ballot_id=outcome.ballot_id, now=now + DAY)

    assert _result(engine, campaign, house.id, now).for_apartments == 1
    codes = _sms_codes(engine, user.phone)
    assert len(codes) == 1
    email = _all(engine, select(OutboxMessage).where(OutboxMessage.recipient == "owner@example.ru"))[0]
    assert codes[0] in email.body
    check = _check(engine, codes[0].replace(" ", "-"), now)
    assert (check.counted, check.explanation, check.apartment, check.choice) == (True, "учтён", "1", "За")
    with transaction(engine) as s, pytest.raises(Conflict):
        renovation.verify_vote(s, actor_id=moderator.id, ballot_id=outcome.ballot_id, now=now + DAY)
    with transaction(engine) as s:
        assert renovation.verification_queue(s, actor_id=moderator.id, now=now) == []


def test_a_rejected_vote_never_counts(engine, session, geo, staff, moderator, now):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, holder = make_voter(session, house.apartments["3"])
    holder.birth_date = None
    session.add(holder)
    session.commit()
    outcome = vote(engine, user.id, campaign, house.apartments["3"], "against", now)
    assert outcome.status == "pending"

    with transaction(engine) as s, pytest.raises(InvalidInput):
        renovation.reject_vote(s, actor_id=moderator.id, ballot_id=outcome.ballot_id, reason="  ", now=now)
    with transaction(engine) as s:
        renovation.reject_vote(
            s,
            actor_id=moderator.id,
            ballot_id=outcome.ballot_id,
            reason="Права на квартиру не подтвердились",
            now=now,
        )

    assert _result(engine, campaign, house.id, now).voted == 0
    with transaction(engine) as s:
        mine = renovation.resident_campaigns(s, actor_id=user.id, now=now)
    apartment = mine[0].apartments[0]
    assert (apartment.status, apartment.status_text) == (
        "rejected",
        "не учтён: Права на квартиру не подтвердились",
    )
    with transaction(engine) as s, pytest.raises(Conflict):
        renovation.verify_vote(s, actor_id=moderator.id, ballot_id=outcome.ballot_id, now=now)
    assert _result(engine, campaign, house.id, now).voted == 0
    assert _all(engine, select(RenovationBallot.check_code_hash)) == [None]


def test_moderator_queue_is_for_moderators_only(engine, session, geo, staff, moderator, now):
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, holder = make_voter(session, house.apartments["1"])
    holder.last_name = "Сидоров"
    session.add(holder)
    session.commit()
    later, later_holder = make_voter(session, house.apartments["2"])
    later_holder.last_name = "Сидоров"
    session.add(later_holder)
    session.commit()
    second = vote(engine, later.id, campaign, house.apartments["2"], "for", now + 3 * DAY)
    first = vote(engine, user.id, campaign, house.apartments["1"], "for", now)

    for actor in (user.id, None):
        with transaction(engine) as s, pytest.raises((NotAllowed, NotAuthenticated)):
            renovation.verification_queue(s, actor_id=actor, now=now)
        with transaction(engine) as s, pytest.raises((NotAllowed, NotAuthenticated)):
            renovation.verify_vote(s, actor_id=actor, ballot_id=first.ballot_id, now=now)
        with transaction(engine) as s, pytest.raises((NotAllowed, NotAuthenticated)):
            renovation.reject_vote(s, actor_id=actor, ballot_id=first.ballot_id, reason="нет", now=now)
    with transaction(engine) as s:
        queue = renovation.verification_queue(s, actor_id=moderator.id, now=now + 10 * DAY)
    assert [q.ballot_id for q in queue] == [first.ballot_id, second.ballot_id]
    assert all(q.overdue for q in queue)
    assert (
        _all(engine, select(RenovationBallot.status).where(RenovationBallot.id == first.ballot_id))[0]
        == "pending"
    )


def test_check_code_by_sms_and_email_shows_the_counting_without_personal_data(
    engine, session, geo, staff, now
):
    house = make_house(session, geo["Арбат"], 2, street="Улица Ёлочная")
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, _ = make_voter(session, house.apartments["2"], email="voter@example.ru")

    outcome = vote(engine, user.id, campaign, house.apartments["2"], "against", now)

    assert re.fullmatch(r"\d{12}", outcome.check_code)
    pretty = rules.format_check_code(outcome.check_code)
    assert _sms_codes(engine, user.phone) == [pretty]
    email = _all(engine, select(OutboxMessage).where(OutboxMessage.channel == "email"))[0]
    assert (email.recipient, pretty in email.body) == ("voter@example.ru", True)
    (stored,) = _all(engine, select(RenovationBallot))
    assert outcome.check_code not in (stored.check_code_hash or "")
    assert stored.check_code_tail == outcome.check_code[-4:]

    check = _check(engine, pretty, now)
    assert (check.address, check.apartment, check.choice, check.counted) == (
        "Улица Ёлочная, д. 5",
        "2",
        "Против",
        True,
    )
    shown = repr(check)
    for personal in (user.phone, user.last_name, user.uid, "voter@example.ru"):
        assert personal not in shown
    with pytest.raises(InvalidInput):
        _check(engine, "12345", now)
    with pytest.raises(NotFound):
        _check(engine, "0" * 12 if outcome.check_code != "0" * 12 else "1" * 12, now)

    with transaction(engine) as s:
        mine = renovation.resident_campaigns(s, actor_id=user.id, now=now)
    assert mine[0].apartments[0].check_code_tail == outcome.check_code[-4:]
    assert mine[0].apartments[0].status_text == "учтён"


def test_a_meeting_decision_overrides_the_vote(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    for n in ("1", "2", "3"):
        user, _ = make_voter(session, house.apartments[n])
        vote(engine, user.id, campaign, house.apartments[n], "for", now)
    assert _result(engine, campaign, house.id, now + ENDED).included

    def enter(for_votes, total, protocol="№ 7 от 20.11.2026", actor=staff.id):
        with transaction(engine) as s:
            return renovation.enter_meeting_decision(
                s,
                actor_id=actor,
                campaign_id=campaign,
                house_id=house.id,
                protocol=protocol,
                for_votes=for_votes,
                total_votes=total,
                now=now,
            )

    for bad in (("700", "600"), ("-1", "600"), ("много", "600"), ("1", "0")):
        with pytest.raises(InvalidInput):
            enter(*bad)
    with pytest.raises(InvalidInput):
        enter("1", "2", protocol=" ")
    with pytest.raises(NotAllowed):
        enter("1", "2", actor=make_user(session).id)

    # Entered while the vote runs: the meeting's decision holds at once, the vote decides nothing yet.
    overridden = enter("399,99", "600")
    assert (overridden.preliminary, overridden.included_by_vote) == (True, None)
    assert (overridden.included, overridden.decision_source) == (False, "meeting")
    assert overridden.decision_text == "Дом не включён в программу по решению общего собрания собственников"
    assert overridden.meeting_protocol == "№ 7 от 20.11.2026"
    ended = _result(engine, campaign, house.id, now + ENDED)
    assert (ended.included_by_vote, ended.included, ended.decision_source) == (True, False, "meeting")
    assert enter("400", "600", protocol="№ 8 от 21.11.2026").included  # exactly 2/3 includes
    assert _result(engine, campaign, house.id, now).meeting_protocol == "№ 8 от 21.11.2026"


def test_staff_open_a_vote_with_clear_refusals(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 2)

    def attempt(actor=staff.id, **changes):
        return open_vote(engine, actor, changes.pop("house_ids", [house.id]), now, **changes)

    with pytest.raises(NotAllowed):
        attempt(actor=make_user(session).id)
    with pytest.raises(InvalidInput) as refused:
        attempt(title=" ")
    assert refused.value.key == "renovation.title_required"
    with pytest.raises(InvalidInput) as refused:
        attempt(ends_at=now - 2 * DAY)
    assert refused.value.key == "renovation.period_invalid"
    with pytest.raises(InvalidInput) as refused:
        attempt(house_ids=[])
    assert refused.value.key == "renovation.houses_required"
    with pytest.raises(InvalidInput) as refused:
        attempt(house_ids=[house.id, geo["house:Раменки"]])
    assert str(refused.value) == f"Дом № {geo['house:Раменки']} не найден в реестре или в нём нет квартир."
    campaign = attempt()
    with transaction(engine) as s:
        listed = renovation.list_campaigns(s, actor_id=staff.id, now=now)
    assert [(c.id, c.state, c.houses) for c in listed] == [(campaign, "open", 1)]


def test_anyone_finds_a_house_by_address(engine, session, geo, staff, now):
    house = make_house(session, geo["Басманный"], 2, street="Улица Ёлочная")
    make_house(session, geo["Арбат"], 2, street="Тверская улица")
    campaign = open_vote(engine, staff.id, [house.id], now)

    with transaction(engine) as s:
        hits = renovation.find_houses(s, address="елочная, д. 5", now=now)
        assert renovation.find_houses(s, address="тверская", now=now) == []
        with pytest.raises(InvalidInput):
            renovation.find_houses(s, address="ё", now=now)
    assert [(h.campaign_id, h.house_id, h.address, h.district) for h in hits] == [
        (campaign, house.id, "Улица Ёлочная, д. 5", "Басманный")
    ]
    with transaction(engine) as s:
        assert renovation.latest_house_result(s, house_id=house.id, now=now).campaign_id == campaign
        with pytest.raises(NotFound):
            renovation.latest_house_result(s, house_id=geo["house:Арбат"], now=now)


def test_racing_votes_from_one_account_for_one_apartment_give_one_vote(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(engine, staff.id, [house.id], now)
    user, _ = make_voter(session, house.apartments["1"])
    racers = 20
    barrier = threading.Barrier(racers)

    def run(choice):
        barrier.wait()
        try:
            return vote(engine, user.id, campaign, house.apartments["1"], choice, now)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=racers) as pool:
        outcomes = list(pool.map(run, ["for", "against"] * (racers // 2)))

    successes = [o for o in outcomes if not isinstance(o, Conflict)]
    assert len(successes) == 1
    assert _all(engine, select(func.count()).select_from(RenovationBallot))[0] == 1
    assert len(_sms_codes(engine, user.phone)) == 1
    result = _result(engine, campaign, house.id, now)
    assert result.voted == 1 and result.for_apartments + result.against_apartments == 1


def test_resident_sees_their_houses_votes(engine, session, geo, staff, now):
    house = make_house(session, geo["Арбат"], 3)
    campaign = open_vote(engine, staff.id, [house.id], now)
    open_vote(engine, staff.id, [house.id], now, starts_at=now + 5 * DAY, ends_at=now + 9 * DAY)
    user, _ = make_voter(session, house.apartments["1"])
    tenant_row = add_holder(session, house.apartments["3"], role="social_tenant")
    link(session, user.id, tenant_row.id)
    vote(engine, user.id, campaign, house.apartments["3"], "for", now)

    neighbour = make_user(session)
    with transaction(engine) as s:
        mine = renovation.resident_campaigns(s, actor_id=user.id, now=now)
        assert renovation.resident_campaigns(s, actor_id=neighbour.id, now=now) == []

    assert [m.campaign.id for m in mine] == [campaign]
    assert mine[0].address.startswith("Реновационная улица") and mine[0].address.endswith(", д. 5")
    apartments = {a.apartment: (a.voted, a.choice, a.status_text) for a in mine[0].apartments}
    assert apartments == {"1": (False, "", ""), "3": (True, "За", "учтён")}


def test_racing_votes_of_one_person_from_two_accounts_and_a_centre_count_once(
    engine, session, geo, staff, now
):
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(engine, staff.id, [house.id], now)
    apartment = house.apartments["1"]
    first, holder = make_voter(session, apartment)
    accounts = [first]
    for _ in range(3):
        extra = make_user(session)
        extra.identity_verified_at = now
        session.add(extra)
        session.commit()
        link(session, extra.id, holder.id)
        accounts.append(extra)
    jobs = [("online", a.id) for a in accounts] + [("in_person", staff.id)] * 2
    barrier = threading.Barrier(len(jobs))

    def run(job):
        channel, actor = job
        barrier.wait()
        with transaction(engine) as s:
            if channel == "online":
                return renovation.cast_vote(
                    s, actor_id=actor, campaign_id=campaign, premise_id=apartment, choice="for", now=now
                )
            return renovation.enter_in_person_vote(
                s, actor_id=actor, campaign_id=campaign, holder_id=holder.id, choice="against", now=now
            )

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = list(pool.map(run, jobs))

    assert all(o.status == "verified" for o in outcomes)
    ballots = _all(engine, select(RenovationBallot))
    assert len(ballots) == len(jobs)
    counted = [b for b in ballots if b.counted]
    assert [(b.channel, b.choice) for b in counted] == [("in_person", "against")]
    result = _result(engine, campaign, house.id, now)
    assert (result.voted, result.for_apartments, result.against_apartments) == (1, 0, 1)
