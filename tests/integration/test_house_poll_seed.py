"""Demo house polls (``ag_app.seed.house_polls``): made for the demo resident's house when the
registry has linked holders, skipped otherwise; idempotent and deterministic."""

from sqlmodel import Session, SQLModel, func, select

from ag_app.db import make_engine, transaction
from ag_app.models import HousePoll, HousePollParticipant, HousePollResponse, NewsItem, User
from ag_app.seed.house_polls import DEMO_RESIDENT_PHONE, seed_house_polls
from ag_app.services import house_polls as hp
from tests.factories import make_geo, make_premise_holder, make_user, verify_identity


def _arrange(engine, *, linked: bool = True) -> dict[str, int]:
    with Session(engine) as session:
        geo = make_geo(session)
        house = geo["house:Арбат"]
        resident = verify_identity(session, make_user(session, phone=DEMO_RESIDENT_PHONE, house_id=house))
        make_user(session, phone="+79990000002", roles=("moderator",))
        if linked:
            make_premise_holder(session, house_id=house, user_id=resident.id, number="1")
            for n in range(2, 12):
                neighbour = make_user(session)
                make_premise_holder(session, house_id=house, user_id=neighbour.id, number=str(n))
        return {"house": house, "resident": resident.id}


def _snapshot(engine) -> dict:
    with Session(engine) as s:
        polls = s.exec(select(HousePoll).order_by(HousePoll.id)).all()
        return {
            "polls": [(p.title, p.kind, p.decision, p.participants_count, p.audience) for p in polls],
            "participants": s.exec(select(func.count()).select_from(HousePollParticipant)).one(),
            "responses": sorted(
                (r.rating, r.apartment, r.comment) for r in s.exec(select(HousePollResponse)).all()
            ),
            "news": [n.body for n in s.exec(select(NewsItem)).all()],
        }


def test_skips_silently_without_linked_holders(engine, now):
    _arrange(engine, linked=False)
    with transaction(engine) as s:
        assert seed_house_polls(s, now=now) == 0
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(HousePoll)).one() == 0


def test_demo_house_polls_for_the_demo_resident_idempotent(engine, now):
    people = _arrange(engine)

    with transaction(engine) as s:
        assert seed_house_polls(s, now=now) == 4
    first = _snapshot(engine)
    with transaction(engine) as s:
        assert seed_house_polls(s, now=now) == 0

    assert _snapshot(engine) == first
    with transaction(engine) as s:
        listed = hp.list_house_polls(s, actor_id=people["resident"], now=now)
        queue = hp.moderation_queue(s, actor_id=_moderator(s), now=now)
        mine = hp.my_applications(s, actor_id=people["resident"], now=now)
    assert [(p.kind, p.status, p.participated) for p in listed] == [
        ("informing", "active", False),
        ("poll", "active", False),
        ("poll", "finished", True),
    ]
    assert [q.title for q in queue] == ["Установка шлагбаума на въезде во двор"]
    assert len(mine) == 4
    finished = next(a for a in mine if a.status == "finished")
    assert finished.participants == finished.results.participants > 0
    assert any(n.comment for n in finished.notes)
    (news,) = first["news"]
    assert "Приняли участие" in news


def _moderator(session) -> int:
    return session.exec(select(User.id).where(User.phone == "+79990000002")).one()


def test_demo_house_polls_are_deterministic(tmp_path, now):
    snapshots = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        SQLModel.metadata.create_all(engine)
        _arrange(engine)
        with transaction(engine) as s:
            seed_house_polls(s, now=now)
        snapshots.append(_snapshot(engine))
        engine.dispose()
    assert snapshots[0] == snapshots[1]
