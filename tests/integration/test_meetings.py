"""Owners' meetings (SPEC §7) through the services, on SQLite and PostgreSQL: the register of
enabled houses, filing and its refusals, online votes, paper decisions with the audit log, exact
weights, the tally against a recount, racing decisions, the protocol and the register export."""

import csv
import hashlib
import io
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, FormProblems, InvalidInput, NotAllowed, NotFound
from ag_app.domain.meetings import AgendaItem
from ag_app.models import (
    JobRun,
    Meeting,
    MeetingDecision,
    MeetingProtocol,
    MeetingQuestion,
    MeetingRejection,
    Notification,
    OutboxMessage,
)
from ag_app.services import meetings
from ag_app.services.jobs import run_jobs
from ag_app.services.meetings import counting as meeting_counting
from ag_app.services.meetings import protocol as meeting_protocol
from tests.factories import make_geo, make_user
from tests.meeting_helpers import (
    DAY,
    active_meeting,
    enable,
    make_management,
    make_owner,
    make_registry,
    meeting_input,
)

SCAN = "ab" * 32
# Total: 50 + 60.50 + 70.25 + 100 + 33.33 = 314.08 m².
PREMISES = [
    ("1", "50.00", [("A", 1, 1)]),
    ("2", "60.50", [("B", 1, 3), ("C", 2, 3)]),
    ("3", "70.25", [("A", 1, 2), ("D", 1, 2)]),
    ("4", "100.00", [("E", 1, 1)]),
    ("Н-1", "33.33", [("F", 1, 1)]),
]


@pytest.fixture
def house(session):
    """The Арбат house with its registry, in the register; owners A and B have verified accounts."""
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(session, house_id, PREMISES)
    staff = make_user(session, roles=("staff",))
    enable(session, house_id, staff.id)
    return {
        "id": house_id,
        "other_house": ids["house:Раменки"],
        "registry": registry,
        "staff": staff,
        "a": make_owner(session, registry, "A"),
        "b": make_owner(session, registry, "B"),
    }


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _run(engine, fn, **kwargs):
    with transaction(engine) as s:
        return fn(s, **kwargs)


# ----------------------------------------------------------------------------------------------
# The register and filing


def test_staff_enable_a_house_once_and_residents_cannot(engine, session, now, house):
    with pytest.raises(NotAllowed):
        _run(
            engine,
            meetings.enable_house,
            actor_id=house["a"].id,
            house_id=house["other_house"],
            inspection_protocol="МЖИ 1",
            now=now,
        )
    with pytest.raises(InvalidInput) as blank:
        _run(
            engine,
            meetings.enable_house,
            actor_id=house["staff"].id,
            house_id=house["other_house"],
            inspection_protocol="  ",
            now=now,
        )
    assert "протокола" in str(blank.value)
    added = _run(
        engine,
        meetings.enable_house,
        actor_id=house["staff"].id,
        house_id=house["other_house"],
        inspection_protocol="МЖИ № 7/26",
        now=now,
    )
    assert added.address == "г. Москва, улица Раменки, д. 1"
    with pytest.raises(Conflict):
        _run(
            engine,
            meetings.enable_house,
            actor_id=house["staff"].id,
            house_id=house["other_house"],
            inspection_protocol="МЖИ № 8",
            now=now,
        )
    listed = _run(engine, meetings.list_enabled_houses, actor_id=house["staff"].id)
    assert [(h.house_id, h.inspection_protocol) for h in listed] == [
        (house["other_house"], "МЖИ № 7/26"),
        (house["id"], "МЖИ № 1"),
    ]


def test_filing_refusals_change_nothing(engine, session, now, house):
    stranger = make_user(session)
    unregistered = make_registry(session, house["other_house"], [("1", "40", [("Z", 1, 1)])])
    owner_elsewhere = make_owner(session, unregistered, "Z")
    unverified = make_owner(session, house["registry"], "C", verified=False)
    cases = [
        (owner_elsewhere.id, house["other_house"], meeting_input(now), NotAllowed, "не включён в реестр"),
        (stranger.id, house["id"], meeting_input(now), NotAllowed, "собственник помещения"),
        (unverified.id, house["id"], meeting_input(now), NotAllowed, "собственник помещения"),
        (house["a"].id, house["id"], meeting_input(now, starts_at=now + 9 * DAY), InvalidInput, "10 дней"),
        (house["a"].id, house["id"], meeting_input(now, agenda=[]), InvalidInput, "хотя бы один вопрос"),
        (
            house["a"].id,
            house["id"],
            meeting_input(now, agenda=[AgendaItem(f"Вопрос {i}", "other") for i in range(21)]),
            InvalidInput,
            "не больше 20",
        ),
        (
            house["a"].id,
            house["id"],
            meeting_input(now, agenda=[AgendaItem("  ", "other")]),
            InvalidInput,
            "текст вопроса 1",
        ),
        (
            house["a"].id,
            house["id"],
            meeting_input(now, agenda=[AgendaItem("Ремонт", "capital_repair", "majority_of_participants")]),
            InvalidInput,
            "2/3",
        ),
    ]
    for actor, house_id, data, error, words in cases:
        with pytest.raises(error) as refused:
            _run(engine, meetings.file_meeting, actor_id=actor, house_id=house_id, data=data, now=now)
        assert words in str(refused.value), (words, str(refused.value))
    assert _count(engine, Meeting) == 0
    assert _count(engine, MeetingQuestion) == 0
    assert _count(engine, Notification) == 0


def test_an_owner_files_and_every_owner_with_an_account_is_notified(engine, session, now, house):
    data = meeting_input(
        now,
        agenda=[
            AgendaItem("Избрать совет дома.", "organisational", "majority_of_all"),
            AgendaItem("Ремонт крыши.", "capital_repair"),
        ],
    )
    meeting_id = _run(
        engine, meetings.file_meeting, actor_id=house["a"].id, house_id=house["id"], data=data, now=now
    )
    with Session(engine) as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting.initiator_kind == "owner"
        questions = s.exec(
            select(MeetingQuestion)
            .where(MeetingQuestion.meeting_id == meeting_id)
            .order_by(MeetingQuestion.position)
        ).all()
        assert [(q.topic, q.threshold) for q in questions] == [
            ("organisational", "majority_of_all"),
            ("capital_repair", "two_thirds_of_all"),
        ]
        notified = s.exec(
            select(Notification.user_id).where(Notification.link == f"/house/meetings/{meeting_id}")
        ).all()
        assert sorted(notified) == sorted([house["a"].id, house["b"].id])
        sms = s.exec(select(OutboxMessage.recipient).where(OutboxMessage.channel == "sms")).all()
        assert sorted(sms) == sorted([house["a"].phone, house["b"].phone])
    view = _run(engine, meetings.get_meeting, actor_id=house["a"].id, meeting_id=meeting_id, now=now)
    assert view.state == "scheduled" and not view.can_vote
    assert "ещё не началось" in view.cannot_vote_reason
    assert [m.id for m in _run(engine, meetings.list_my_meetings, actor_id=house["b"].id, now=now)] == [
        meeting_id
    ]


def test_the_management_company_files_for_its_house(engine, session, now, house):
    company = make_management(session, house["id"])
    choices = _run(engine, meetings.filing_houses, actor_id=company.id)
    assert [(h.house_id, h.initiator_kind) for h in choices] == [(house["id"], "management_company")]
    meeting_id = _run(
        engine,
        meetings.file_meeting,
        actor_id=company.id,
        house_id=house["id"],
        data=meeting_input(now),
        now=now,
    )
    with Session(engine) as s:
        assert s.get(Meeting, meeting_id).initiator_kind == "management_company"


# ----------------------------------------------------------------------------------------------
# Votes and paper decisions


@pytest.fixture
def meeting(session, now, house):
    return active_meeting(session, house_id=house["id"], initiator_id=house["a"].id, now=now)


def _question_ids(engine, meeting_id) -> list[int]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(MeetingQuestion.id)
                .where(MeetingQuestion.meeting_id == meeting_id)
                .order_by(MeetingQuestion.position)
            ).all()
        )


def test_voting_refusals(engine, session, now, house, meeting):
    q1, q2, _ = _question_ids(engine, meeting.id)
    stranger = make_user(session)
    unverified = make_owner(session, house["registry"], "C", verified=False)
    with pytest.raises(NotAllowed) as not_owner:
        _run(engine, meetings.vote, actor_id=stranger.id, meeting_id=meeting.id, choices={q1: "for"}, now=now)
    assert "Голосовать могут только собственники" in str(not_owner.value)
    with pytest.raises(NotAllowed) as level:
        _run(
            engine, meetings.vote, actor_id=unverified.id, meeting_id=meeting.id, choices={q1: "for"}, now=now
        )
    assert "уровень идентификации" in str(level.value)
    with pytest.raises(InvalidInput):
        _run(
            engine,
            meetings.vote,
            actor_id=house["a"].id,
            meeting_id=meeting.id,
            choices={q1: "maybe"},
            now=now,
        )
    with pytest.raises(InvalidInput):
        _run(engine, meetings.vote, actor_id=house["a"].id, meeting_id=meeting.id, choices={}, now=now)
    with pytest.raises(NotAllowed) as late:
        _run(
            engine,
            meetings.vote,
            actor_id=house["a"].id,
            meeting_id=meeting.id,
            choices={q1: "for"},
            now=now + 6 * DAY,
        )
    assert "Голосование завершено" in str(late.value)
    with pytest.raises(NotAllowed) as early:
        _run(
            engine,
            meetings.vote,
            actor_id=house["a"].id,
            meeting_id=meeting.id,
            choices={q1: "for"},
            now=now - 2 * DAY,
        )
    assert "ещё не началось" in str(early.value)
    assert _count(engine, MeetingDecision) == 0

    first = _run(
        engine, meetings.vote, actor_id=house["a"].id, meeting_id=meeting.id, choices={q1: "for"}, now=now
    )
    assert first.accepted == (q1,) and first.refused == ()
    again = _run(
        engine,
        meetings.vote,
        actor_id=house["a"].id,
        meeting_id=meeting.id,
        choices={q1: "against", q2: "abstain"},
        now=now,
    )
    assert again.accepted == (q2,)
    assert [r.number for r in again.refused] == [1]
    assert "повторное решение не принимается" in again.refused[0].reason
    with Session(engine) as s:
        decisions = s.exec(
            select(MeetingDecision.question_id, MeetingDecision.choice).where(
                MeetingDecision.owner_ref == "A"
            )
        ).all()
        assert sorted(decisions) == sorted([(q1, "for"), (q2, "abstain")])
        rejected = s.exec(select(MeetingRejection)).all()
        assert [(r.owner_ref, r.question_id, r.channel, r.choice) for r in rejected] == [
            ("A", q1, "online", "against")
        ]
    view = _run(engine, meetings.get_meeting, actor_id=house["a"].id, meeting_id=meeting.id, now=now)
    assert view.my_decisions == {q1: "for", q2: "abstain"} and view.can_vote


def test_paper_decisions_duplicates_are_logged_and_unknown_owners_refused(
    engine, session, now, house, meeting
):
    q1, q2, q3 = _question_ids(engine, meeting.id)
    staff = house["staff"]
    _run(engine, meetings.vote, actor_id=house["b"].id, meeting_id=meeting.id, choices={q1: "for"}, now=now)
    outcome = _run(
        engine,
        meetings.enter_paper_decision,
        actor_id=staff.id,
        meeting_id=meeting.id,
        premise_number="2",
        person_ref="B",
        choices={q1: "against", q2: "for"},
        scan_sha256=f"  {SCAN.upper()} ",
        now=now,
    )
    assert outcome.accepted == (q2,) and [r.number for r in outcome.refused] == [1]
    with Session(engine) as s:
        log = s.exec(select(MeetingRejection)).one()
        assert (log.owner_ref, log.question_id, log.channel, log.choice, log.scan_sha256, log.entered_by) == (
            "B", q1, "paper", "against", SCAN, staff.id,
        )  # fmt: skip
        assert s.exec(select(MeetingDecision.choice).where(MeetingDecision.question_id == q1)).all() == [
            "for"
        ]
    audit = _run(engine, meetings.list_rejections, actor_id=staff.id, meeting_id=meeting.id)
    assert [(a.owner_ref, a.question_number, a.channel) for a in audit] == [("B", 1, "на бумаге")]

    before = _count(engine, MeetingDecision)
    bad = [
        ({"premise_number": "2", "person_ref": "A"}, NotFound, "не найден среди собственников"),
        ({"premise_number": "99", "person_ref": "B"}, NotFound, "не найден среди собственников"),
        (
            {"premise_number": "4", "person_ref": "E", "scan_sha256": "123"},
            InvalidInput,
            "64 шестнадцатеричных",
        ),
        (
            {"premise_number": "4", "person_ref": "E", "choices": {q3 + 1000: "for"}},
            InvalidInput,
            "нет в повестке",
        ),
        (  # every problem of the paper form at once
            {"premise_number": "99", "person_ref": "B", "scan_sha256": "123", "choices": {}},
            FormProblems,
            "Ошибок: 3. Хеш скана решения",
        ),
    ]
    for changes, error, words in bad:
        kwargs = {"choices": {q3: "for"}, "scan_sha256": SCAN, **changes}
        with pytest.raises(error) as refused:
            _run(
                engine,
                meetings.enter_paper_decision,
                actor_id=staff.id,
                meeting_id=meeting.id,
                now=now,
                **kwargs,
            )
        assert words in str(refused.value)
        if error is FormProblems:
            assert set(refused.value.problems) == {"scan", "owner", "choices"}
    with pytest.raises(NotAllowed):
        _run(
            engine,
            meetings.enter_paper_decision,
            actor_id=house["a"].id,
            meeting_id=meeting.id,
            premise_number="4",
            person_ref="E",
            choices={q3: "for"},
            scan_sha256=SCAN,
            now=now,
        )
    assert _count(engine, MeetingDecision) == before
    owners = _run(
        engine, meetings.premise_owners, actor_id=staff.id, meeting_id=meeting.id, premise_number="2"
    )
    assert [(o.person_ref, o.share) for o in owners] == [("B", "1/3"), ("C", "2/3")]


def test_weights_are_exact_with_thirds_and_decimal_areas(engine, session, now, house, meeting):
    q1, q2, q3 = _question_ids(engine, meeting.id)
    with Session(engine) as s:
        weights = meetings.owner_weights(s, house["id"])
        assert meetings.house_total(s, house["id"]) == Fraction(31408, 100)
    assert weights["A"] == Fraction(50) + Fraction(7025, 100) / 2  # two premises: 85.125
    assert weights["B"] == Fraction(6050, 100) / 3  # 20.1666…
    assert weights["C"] == Fraction(6050, 100) * 2 / 3
    _run(
        engine,
        meetings.vote,
        actor_id=house["a"].id,
        meeting_id=meeting.id,
        choices={q1: "for", q2: "for"},
        now=now,
    )
    _run(
        engine, meetings.vote, actor_id=house["b"].id, meeting_id=meeting.id, choices={q1: "against"}, now=now
    )
    meter = _run(engine, meetings.meeting_meter, meeting_id=meeting.id, now=now)
    assert meter.total_m2 == Decimal("314.08")
    assert meter.participating_m2 == Decimal("105.29")  # 85.125 + 20.1666… = 105.291666…
    assert meter.quorum_line_m2 == Decimal("157.04") and not meter.quorum
    # The quorum needs more than 157.04 m²: 157.04 − 105.2916… = 51.748…, so 51.75 m² more.
    assert meter.quorum_needed_m2 == Decimal("51.75")
    first = meter.questions[0]
    assert (first.for_m2, first.against_m2, first.abstain_m2) == (
        Decimal("85.13"),
        Decimal("20.17"),
        Decimal("0.00"),
    )
    assert (meter.owners_voted, meter.decisions) == (2, 3)


def _recount(engine, meeting_id, house_id) -> dict:
    """The meeting's count recomputed row by row from the decisions and the registry."""
    with Session(engine) as s:
        weights = meetings.owner_weights(s, house_id)
        rows = s.exec(
            select(MeetingDecision.question_id, MeetingDecision.owner_ref, MeetingDecision.choice).where(
                MeetingDecision.meeting_id == meeting_id
            )
        ).all()
    sums: dict = {}
    for question_id, ref, choice in rows:
        sums[(question_id, choice)] = sums.get((question_id, choice), Fraction(0)) + weights[ref]
    participating = sum((weights[ref] for ref in {ref for _, ref, _ in rows}), Fraction(0))
    return {"participating": participating, "sums": sums}


def _tally_of(engine, meeting_id):
    with Session(engine) as s:
        meeting = s.get(Meeting, meeting_id)
        questions = s.exec(
            select(MeetingQuestion)
            .where(MeetingQuestion.meeting_id == meeting_id)
            .order_by(MeetingQuestion.position)
        ).all()
        tally, _, _ = meeting_counting._tally(s, meeting, list(questions))
    sums = {}
    for q in tally.questions:
        for choice, value in (
            ("for", q.for_votes),
            ("against", q.against_votes),
            ("abstain", q.abstain_votes),
        ):
            if value:
                sums[(q.question_id, choice)] = value
    return {"participating": tally.participating, "sums": sums}, tally


def test_the_tally_equals_a_recount_and_decides_with_the_quorum(engine, session, now, house, meeting):
    q1, q2, q3 = _question_ids(engine, meeting.id)
    for ref in ("C", "D", "E"):
        make_owner(session, house["registry"], ref)
    users = {ref: u for ref, u in (("A", house["a"]), ("B", house["b"]))}
    _run(
        engine,
        meetings.vote,
        actor_id=users["A"].id,
        meeting_id=meeting.id,
        choices={q1: "for", q2: "for", q3: "against"},
        now=now,
    )
    _run(
        engine,
        meetings.vote,
        actor_id=users["B"].id,
        meeting_id=meeting.id,
        choices={q1: "for", q2: "against"},
        now=now,
    )
    for premise, ref, choices in (("4", "E", {q1: "for", q2: "for", q3: "for"}), ("2", "C", {q1: "abstain"})):
        _run(
            engine,
            meetings.enter_paper_decision,
            actor_id=house["staff"].id,
            meeting_id=meeting.id,
            premise_number=premise,
            person_ref=ref,
            choices=choices,
            scan_sha256=SCAN,
            now=now,
        )
    counted, tally = _tally_of(engine, meeting.id)
    assert counted == _recount(engine, meeting.id, house["id"])
    # A 85.125 + B 20.1666… + E 100 + C 40.333… = 245.625 of 314.08: quorum.
    assert tally.participating == Fraction(245625, 1000) and tally.quorum
    # Q1 (majority of participants): «За» 205.29 > 122.81 → adopted; Q2 (2/3 of all = 209.39):
    # «За» 185.125 → not adopted, 24.27 m² still needed; Q3: «За» 100 of 245.625 participating → not adopted.
    assert [q.adopted for q in tally.questions] == [True, False, False]
    assert tally.questions[1].needed == Decimal("24.27")


def test_thirty_owners_and_an_administrator_race_for_the_same_decisions(engine, session, now):
    ids = make_geo(session)
    house_id = ids["house:Басманный"]
    registry = make_registry(
        session,
        house_id,
        [(str(n), f"{40 + n}.{n % 100:02d}", [(f"P{n}", 1, 1)]) for n in range(1, 31)]
        + [("31", "77.77", [("P1", 1, 3), ("X", 2, 3)])],
    )
    staff = make_user(session, roles=("admin",))
    enable(session, house_id, staff.id)
    owners = [make_owner(session, registry, f"P{n}") for n in range(1, 31)]
    meeting = active_meeting(session, house_id=house_id, initiator_id=owners[0].id, now=now, questions=2)
    q1, q2 = _question_ids(engine, meeting.id)
    jobs = [("online", owner.id, f"P{n}", str(n)) for n, owner in enumerate(owners, start=1)]
    jobs += [("paper", staff.id, f"P{n}", str(n)) for n in range(1, 31)]
    barrier = threading.Barrier(len(jobs))

    def run(job):
        channel, actor, ref, premise = job
        barrier.wait()
        with transaction(engine) as s:
            if channel == "online":
                return meetings.vote(
                    s, actor_id=actor, meeting_id=meeting.id, choices={q1: "for", q2: "against"}, now=now
                )
            return meetings.enter_paper_decision(
                s, actor_id=actor, meeting_id=meeting.id, premise_number=premise, person_ref=ref,
                choices={q1: "against", q2: "abstain"}, scan_sha256=SCAN, now=now,
            )  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = list(pool.map(run, jobs))

    accepted = sum(len(o.accepted) for o in outcomes)
    refused = sum(len(o.refused) for o in outcomes)
    assert accepted == 60 and refused == 60
    with Session(engine) as s:
        pairs = s.exec(select(MeetingDecision.question_id, MeetingDecision.owner_ref)).all()
        assert len(pairs) == len(set(pairs)) == 60
        assert s.exec(select(func.count()).select_from(MeetingRejection)).one() == 60
    counted, tally = _tally_of(engine, meeting.id)
    assert counted == _recount(engine, meeting.id, house_id)
    # Every one of the 30 owners took part, each with their whole weight (P1 owns a third of № 31 too).
    with Session(engine) as s:
        weights = meetings.owner_weights(s, house_id)
    assert tally.participating == sum(weights[f"P{n}"] for n in range(1, 31))
    assert weights["P1"] == Fraction(4101, 100) + Fraction(7777, 100) / 3


# ----------------------------------------------------------------------------------------------
# After the end: the protocol and the register of decisions


def test_the_protocol_is_made_once_after_the_end_without_personal_data(
    engine, session, now, house, meeting, tmp_path
):
    q1, q2, q3 = _question_ids(engine, meeting.id)
    _run(
        engine,
        meetings.vote,
        actor_id=house["a"].id,
        meeting_id=meeting.id,
        choices={q1: "for", q2: "for", q3: "for"},
        now=now,
    )
    with pytest.raises(NotFound):
        _run(engine, meetings.protocol_pdf, meeting_id=meeting.id, now=now)
    later = now + 6 * DAY
    view = _run(engine, meetings.get_meeting, actor_id=None, meeting_id=meeting.id, now=later)
    assert view.state == "finished" and re.fullmatch("[0-9a-f]{64}", view.protocol_sha256)
    pdf = _run(engine, meetings.protocol_pdf, meeting_id=meeting.id, now=later + DAY)
    assert hashlib.sha256(pdf).hexdigest() == view.protocol_sha256
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ПРОТОКОЛ" in text.upper() and "улица Арбат" in text
    assert "Собственник-A" not in text and "Пётр" not in text and house["a"].phone not in text
    assert "Собрание неправомочно" in text or "Не принято" in text  # 85.125 of 314.08: no quorum
    again = _run(engine, meetings.get_meeting, actor_id=None, meeting_id=meeting.id, now=later + 2 * DAY)
    assert again.protocol_sha256 == view.protocol_sha256


def test_the_job_loop_makes_the_protocol_once_when_voting_ends(engine, session, now, house, meeting):
    still_open = run_jobs(now, engine=engine)
    later = now + 6 * DAY
    first = run_jobs(later, engine=engine)
    second = run_jobs(later + DAY, engine=engine)

    assert (still_open.done("meeting_protocols"), first.done("meeting_protocols")) == (0, 1)
    assert second.done("meeting_protocols") == 0
    assert not (still_open.failed or first.failed or second.failed)
    with Session(engine) as s:
        stored = s.get(Meeting, meeting.id)
        assert stored.status == "protocol" and re.fullmatch("[0-9a-f]{64}", stored.protocol_sha256)
        pdf = s.get(MeetingProtocol, meeting.id).pdf
    assert hashlib.sha256(pdf).hexdigest() == stored.protocol_sha256


def test_a_failing_protocol_pdf_stops_neither_the_loop_nor_the_later_jobs(
    engine, session, now, house, meeting, monkeypatch
):
    """A ValueError from the PDF library once ended the job loop for good; now only the protocol job
    fails, shop expiry after it still runs, and the protocol is made at the next run."""

    def broken_pdf(*args, **kwargs):
        raise ValueError("Font missing a glyph")

    monkeypatch.setattr(meeting_protocol, "render_protocol", broken_pdf)
    later = now + 6 * DAY
    failed = run_jobs(later, engine=engine)
    assert [o.name for o in failed.failed] == ["meeting_protocols"]
    assert failed.failed[0].error == "ValueError: Font missing a glyph"
    with Session(engine) as s:
        assert s.get(Meeting, meeting.id).protocol_sha256 == ""
        expiry = s.get(JobRun, "shop_expiry")
        protocols = s.get(JobRun, "meeting_protocols")
    assert expiry.last_success_at is not None and expiry.failures == 0
    assert protocols.last_error == "ValueError: Font missing a glyph" and protocols.last_success_at is None

    monkeypatch.undo()
    retried = run_jobs(later + DAY / 1440, engine=engine)
    assert retried.failed == [] and retried.done("meeting_protocols") == 1
    assert _count(engine, MeetingProtocol) == 1


def test_staff_export_the_register_of_decisions(engine, session, now, house, meeting):
    q1, q2, _ = _question_ids(engine, meeting.id)
    _run(engine, meetings.vote, actor_id=house["a"].id, meeting_id=meeting.id, choices={q1: "for"}, now=now)
    _run(
        engine,
        meetings.enter_paper_decision,
        actor_id=house["staff"].id,
        meeting_id=meeting.id,
        premise_number="2",
        person_ref="B",
        choices={q1: "against", q2: "abstain"},
        scan_sha256=SCAN,
        now=now,
    )
    with pytest.raises(NotAllowed):
        _run(engine, meetings.decisions_register_csv, actor_id=house["a"].id, meeting_id=meeting.id)
    text = _run(engine, meetings.decisions_register_csv, actor_id=house["staff"].id, meeting_id=meeting.id)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == [
        "Собственник",
        "Идентификатор в реестре",
        "Помещение",
        "Площадь, м²",
        "Доля",
        "Голосов, м²",
    ]
    body = {(r[1], r[2]): r for r in rows[1:]}
    assert set(body) == {("A", "1"), ("A", "3"), ("B", "2")}
    assert body[("A", "3")][3:9] == ["70.25", "1/2", "35.125", "За", "", ""]
    assert body[("B", "2")][0] == "Собственник-B Пётр Ильич"
    assert body[("B", "2")][6:] == ["Против", "Воздержался", "", "на бумаге", SCAN]
