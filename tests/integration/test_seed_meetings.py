"""Demo owners' meetings: seeded only where the demo resident is a confirmed owner, deterministic
and idempotent, with an open meeting the resident has not voted in and a finished one with its
protocol."""

from sqlmodel import Session, SQLModel, func, select

from ag_app.db import make_engine, transaction
from ag_app.models import Meeting, MeetingDecision, MeetingHouse, MeetingProtocol
from ag_app.seed.meetings import DEMO_OWNER_PHONE, seed_meetings
from ag_app.services import meetings
from tests.factories import make_geo, make_user
from tests.meeting_helpers import make_owner, make_registry


def _snapshot(engine) -> dict:
    with Session(engine) as s:
        return {
            "houses": s.exec(select(func.count()).select_from(MeetingHouse)).one(),
            "meetings": s.exec(select(func.count()).select_from(Meeting)).one(),
            "decisions": sorted(
                s.exec(
                    select(MeetingDecision.owner_ref, MeetingDecision.choice, MeetingDecision.channel)
                ).all()
            ),
            "protocols": s.exec(select(Meeting.protocol_sha256).where(Meeting.protocol_sha256 != "")).all(),
        }


def test_nothing_is_seeded_without_the_demo_owner(engine, now):
    with transaction(engine) as s:
        assert seed_meetings(s, now=now) is False
    assert _snapshot(engine)["meetings"] == 0


def _arrange(session: Session):
    """A 40-flat house where the demo resident owns flat 1 and three more owners have accounts."""
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    premises = [(str(n), f"{30 + n}.{n:02d}", [(f"R{n:02d}", 1, 1)]) for n in range(1, 41)]
    registry = make_registry(session, house_id, premises)
    resident = make_owner(session, registry, "R01")
    resident.phone = DEMO_OWNER_PHONE
    session.add(resident)
    session.commit()
    for ref in ("R02", "R03", "R04"):
        make_owner(session, registry, ref)
    return resident, make_user(session, roles=("admin",))


def test_demo_meetings_are_deterministic_and_idempotent(engine, session, now, tmp_path):
    resident, admin = _arrange(session)
    with transaction(engine) as s:
        assert seed_meetings(s, now=now) is True
    first = _snapshot(engine)
    with transaction(engine) as s:
        assert seed_meetings(s, now=now) is False
    assert _snapshot(engine) == first
    assert first["houses"] == 1 and first["meetings"] == 2 and len(first["protocols"]) == 1
    with Session(engine) as s:
        active, finished = s.exec(select(Meeting).order_by(Meeting.starts_at.desc())).all()
        assert s.exec(select(func.count()).select_from(MeetingProtocol)).one() == 1
        mine = select(MeetingDecision).where(
            MeetingDecision.meeting_id == active.id, MeetingDecision.owner_ref == "R01"
        )
        assert s.exec(mine).all() == []
        paper = s.exec(select(MeetingDecision).where(MeetingDecision.channel == "paper")).all()
        assert paper and all(d.entered_by == admin.id and len(d.scan_sha256) == 64 for d in paper)
    with transaction(engine) as s:
        view = meetings.get_meeting(s, actor_id=resident.id, meeting_id=active.id, now=now)
    assert view.can_vote and view.state == "active" and view.meter.owners_voted > 0

    # The same registry in another database gets the same decisions and the same protocol.
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    SQLModel.metadata.create_all(other)
    with Session(other, expire_on_commit=False) as s:
        _arrange(s)
    with transaction(other) as s:
        seed_meetings(s, now=now)
    again = _snapshot(other)
    other.dispose()
    assert (again["decisions"], again["protocols"]) == (first["decisions"], first["protocols"])
