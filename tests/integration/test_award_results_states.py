"""The award results pages' handlers, driven as a browser tab would, on SQLite and PostgreSQL."""

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from ag_app.models import AwardPayout, AwardSitting
from ag_app.state import award_results as award_state
from ag_app.state.award_results import ApprovalState, AwardResultsState, MyPrizeState, StaffAwardPayoutsState
from tests.award_results_fixtures import ACCOUNT, CARD, INN, SNILS, build_scene, payout_form
from tests.integration.tabs import browser_tab

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(award_state, "now", lambda: NOW)


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def _state(session: Session, user_id: int | None, cls):
    state = browser_tab(session, user_id).substates[cls.get_name()]
    _run(cls.load, state)
    return state


def _approved(session: Session, sitting_id: int) -> bool:
    sitting = session.exec(
        select(AwardSitting).where(AwardSitting.id == sitting_id).execution_options(populate_existing=True)
    ).one()
    session.commit()
    return sitting.approved_at is not None


def test_the_chair_approves_on_the_page_after_confirming(app_engine, session):
    scene = build_scene(session)
    member = _state(session, scene.juror_users["m1"], ApprovalState)
    assert member.loaded and member.sittings == []
    # A forged call from a member who holds no powers approves nothing.
    _run(ApprovalState.ask, member, str(scene.sitting_id))
    _run(ApprovalState.approve, member)
    assert member.error and not _approved(session, scene.sitting_id)

    chair = _state(session, scene.juror_users["chair"], ApprovalState)
    (sitting,) = chair.sittings
    assert sitting["ready"] == "1" and sitting["present"] == "3 из 5" and sitting["blocker"] == ""
    assert [(line["team"], line["place"]) for line in chair.lines] == [
        ("Alpha", "1"),
        ("Charlie", "2"),
        ("Bravo", "3"),
        ("Delta", "—"),
    ]
    _run(ApprovalState.approve, chair)  # no confirmation asked yet: nothing happens
    assert not _approved(session, scene.sitting_id)
    _run(ApprovalState.ask, chair, "²")
    assert chair.confirming == ""
    _run(ApprovalState.ask, chair, str(scene.sitting_id))
    assert chair.confirming == str(scene.sitting_id)
    _run(ApprovalState.approve, chair)
    assert chair.error == "" and "Результаты утверждены" in chair.notice
    assert _approved(session, scene.sitting_id) and chair.sittings == []


def test_a_sitting_without_quorum_is_listed_with_the_reason_and_cannot_be_confirmed(app_engine, session):
    scene = build_scene(session, present=("chair", "m1"))
    chair = _state(session, scene.juror_users["chair"], ApprovalState)
    (sitting,) = chair.sittings
    assert sitting["ready"] == "" and "неправомочно" in sitting["blocker"]
    _run(ApprovalState.ask, chair, str(scene.sitting_id))
    _run(ApprovalState.approve, chair)
    assert "неправомочно" in chair.error and not _approved(session, scene.sitting_id)


def _approve(session, scene) -> None:
    chair = _state(session, scene.juror_users["chair"], ApprovalState)
    _run(ApprovalState.ask, chair, str(scene.sitting_id))
    _run(ApprovalState.approve, chair)
    assert _approved(session, scene.sitting_id)


def test_results_page_is_public(app_engine, session):
    scene = build_scene(session)
    guest = _state(session, None, AwardResultsState)
    assert guest.has_contest and guest.places == [] and guest.sittings == []
    _approve(session, scene)
    guest = _state(session, None, AwardResultsState)
    assert [(p["place"], p["team"], p["prize"]) for p in guest.places] == [
        ("1 место (победитель)", "Alpha", "100\xa0000,01\xa0₽"),
        ("2 место (призёр)", "Charlie", "50\xa0000,00\xa0₽"),
        ("3 место (призёр)", "Bravo", "20\xa0000,00\xa0₽"),
    ]
    (sitting,) = guest.sittings
    assert len(sitting["sha256"]) == 64 and sitting["url"].endswith(
        f"protocol.pdf?sitting={scene.sitting_id}"
    )
    assert guest.no_appeal == "Результаты конкурса обжалованию не подлежат."


def test_my_prize_page_lists_every_problem_and_keeps_no_payout_data(app_engine, session, caplog):
    caplog.set_level(logging.DEBUG)
    scene = build_scene(session)
    _approve(session, scene)
    a3 = scene.members["Alpha"][2]
    page = _state(session, a3, MyPrizeState)
    assert page.has_prize and page.place == "1 место (победитель)" and page.share == "33\xa0333,33\xa0₽"
    assert page.status_name == "ожидаются данные для выплаты" and page.can_submit
    assert page.due == "20 декабря 2026 включительно"
    _run(MyPrizeState.submit_payout, page, payout_form(inn="1", snils="2", passport_series=""))
    assert "Ошибок: 3" in page.error and len(page.problems) == 3
    assert any("СНИЛС" in p for p in page.problems)
    _run(MyPrizeState.submit_payout, page, payout_form())
    assert page.error == "" and "сохранены" in page.notice
    assert page.status_name == "данные для выплаты получены"
    assert {"label": "ИНН", "value": f"•••• {INN[-4:]}"} in page.masked
    everything = repr(page.dict()) + caplog.text
    for secret in (INN, SNILS, CARD, ACCOUNT, "987654"):
        assert secret not in everything
    download = _run(MyPrizeState.download_diploma, page)
    assert page.error == "" and download is not None
    # Another member's page writes to their own payout only.
    session.expire_all()
    rows = {p.user_id: p.status for p in session.exec(select(AwardPayout)).all()}
    session.commit()
    assert rows[a3] == "submitted" and list(rows.values()).count("submitted") == 1

    outsider = _state(session, scene.outsider_id, MyPrizeState)
    assert outsider.loaded and not outsider.has_prize
    _run(MyPrizeState.submit_payout, outsider, payout_form())
    assert outsider.error


def test_staff_payouts_page_for_the_operator_only(app_engine, session):
    scene = build_scene(session)
    _approve(session, scene)
    resident = _state(session, scene.members["Alpha"][0], StaffAwardPayoutsState)
    assert resident.loaded and not resident.allowed and resident.rows == []
    staff = _state(session, scene.staff_id, StaffAwardPayoutsState)
    assert staff.allowed and len(staff.rows) == 7
    assert (
        staff.rows[0]["amount"] == "33\xa0333,34\xa0₽"
        and staff.rows[0]["status"] == "ожидаются данные для выплаты"
    )
    assert _run(StaffAwardPayoutsState.download_register, staff) is not None and staff.error == ""
    assert _run(StaffAwardPayoutsState.download_register, resident) is None
