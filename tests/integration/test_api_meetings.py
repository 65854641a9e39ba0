"""The owners' meeting REST API: public live totals without personal data, the protocol PDF (404
before the end) and the staff-only register of decisions."""

import hashlib

from sqlmodel import Session

from ag_app.db import transaction
from ag_app.services import meetings
from tests.factories import make_geo, make_user, open_session
from tests.meeting_helpers import DAY, active_meeting, enable, make_owner, make_registry

SCAN = "cd" * 32


def _arrange(session, now):
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(
        session, house_id, [("1", "50.00", [("A", 1, 1)]), ("2", "60.50", [("B", 1, 3), ("C", 2, 3)])]
    )
    staff = make_user(session, roles=("staff",))
    enable(session, house_id, staff.id)
    owner = make_owner(session, registry, "A")
    meeting = active_meeting(session, house_id=house_id, initiator_id=owner.id, now=now, questions=2)
    return staff, owner, meeting


def test_meeting_totals_are_public_and_name_nobody(client, engine, session, now, clock):
    staff, owner, meeting = _arrange(session, now)
    with Session(engine) as s:
        questions = [
            q.question_id for q in meetings.meeting_meter(s, meeting_id=meeting.id, now=now).questions
        ]
    with transaction(engine) as s:
        meetings.vote(s, actor_id=owner.id, meeting_id=meeting.id, choices={questions[0]: "for"}, now=now)
    response = client.get(f"/api/v1/meetings/{meeting.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "active"
    assert (body["total_m2"], body["participating_m2"], body["quorum"]) == ("110.50", "50.00", False)
    assert body["quorum_line_m2"] == "55.25" and body["quorum_needed_m2"] == "5.26"
    assert [q["for_m2"] for q in body["questions"]] == ["50.00", "0.00"]
    raw = response.text
    assert "Собственник-A" not in raw and owner.phone not in raw and '"A"' not in raw
    assert client.get("/api/v1/meetings/999999").status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.id}/protocol.pdf").status_code == 404

    clock["now"] = now + 6 * DAY
    pdf = client.get(f"/api/v1/meetings/{meeting.id}/protocol.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(f"/api/v1/meetings/{meeting.id}").json()["protocol_sha256"]
        == hashlib.sha256(pdf.content).hexdigest()
    )


def test_the_register_of_decisions_is_for_staff_only(client, engine, session, now):
    staff, owner, meeting = _arrange(session, now)
    with Session(engine) as s:
        first = meetings.meeting_meter(s, meeting_id=meeting.id, now=now).questions[0].question_id
    with transaction(engine) as s:
        meetings.enter_paper_decision(
            s, actor_id=staff.id, meeting_id=meeting.id, premise_number="2", person_ref="C",
            choices={first: "against"}, scan_sha256=SCAN, now=now,
        )  # fmt: skip
    path = f"/api/v1/staff/meetings/{meeting.id}/decisions.csv"
    assert client.get(path).status_code in (401, 403)
    resident = open_session(session, owner.id, now)
    assert client.get(path, headers={"Authorization": f"Bearer {resident}"}).status_code == 403
    token = open_session(session, staff.id, now)
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("Собственник-C Пётр Ильич,C,2,60.50,2/3,")
    assert "Против" in lines[1] and SCAN in lines[1]
