"""Who manages polls, a poll's state and territory, and what eligibility needs to know about a voter."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row
from sqlmodel import Session, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.identity import identification_level
from ag_app.domain.polls import (
    HOME_KINDS,
    STATE_NAMES,
    Audience,
    Place,
    Voter,
    poll_state,
    territory_matches,
    voter_places,
)
from ag_app.domain.roles import Capability
from ag_app.models import Ballot, Child, District, House, Okrug, Poll, PollTerritory, User, UserAddress
from ag_app.services.access import active_user, has
from ag_app.services.polls.views import CITY_TERRITORY, Territory


def is_poll_staff(session: Session, user: User | Row | None) -> bool:
    """Whether the user manages polls (:attr:`Capability.POLLS_MANAGE`)."""
    return user is not None and has(session, user.id, Capability.POLLS_MANAGE)


def state_of(poll: Poll, now: datetime) -> str:
    """The lifecycle state of a poll row at ``now``."""
    return poll_state(
        published_at=poll.published_at,
        closed_at=poll.closed_at,
        results_published_at=poll.results_published_at,
        starts_at=poll.starts_at,
        ends_at=poll.ends_at,
        now=now,
    )


def load_territories(session: Session, polls: Iterable[Poll | Row]) -> dict[int, Territory]:
    """Territories of the given polls in one query (city-wide polls map to «Весь город»)."""
    territorial = [p.id for p in polls if p.scope == "territorial"]
    result = {p.id: CITY_TERRITORY for p in polls if p.scope != "territorial"}
    if not territorial:
        return result
    rows = session.exec(
        select(
            PollTerritory.poll_id,
            PollTerritory.okrug_id,
            PollTerritory.district_id,
            Okrug.abbrev,
            District.name,
        )
        .outerjoin(Okrug, Okrug.id == PollTerritory.okrug_id)
        .outerjoin(District, District.id == PollTerritory.district_id)
        .where(PollTerritory.poll_id.in_(territorial))
        .order_by(PollTerritory.poll_id, PollTerritory.id)
    ).all()
    grouped: dict[int, tuple[set[int], set[int], list[str]]] = {
        pid: (set(), set(), []) for pid in territorial
    }
    for poll_id, okrug_id, district_id, abbrev, district_name in rows:
        okrugs, districts, names = grouped[poll_id]
        if okrug_id is not None:
            okrugs.add(okrug_id)
            names.append(abbrev or "")
        if district_id is not None:
            districts.add(district_id)
            names.append(district_name or "")
    for poll_id, (okrugs, districts, names) in grouped.items():
        result[poll_id] = Territory(frozenset(okrugs), frozenset(districts), ", ".join(n for n in names if n))
    return result


def audience_of(poll: Poll | Row, territory: Territory) -> Audience:
    """The poll's side of the eligibility rules (from a Poll or a row with the same column names)."""
    return Audience(
        starts_at=poll.starts_at,
        ends_at=poll.ends_at,
        published_at=poll.published_at,
        closed_at=poll.closed_at,
        results_published_at=poll.results_published_at,
        scope=poll.scope,
        okrug_ids=territory.okrug_ids,
        district_ids=territory.district_ids,
        territory=territory.text,
        include_work_address=poll.include_work_address,
        min_level=poll.min_level,
        children_age_min=poll.children_age_min,
        children_age_max=poll.children_age_max,
    )


def user_places(session: Session, user_id: int) -> tuple[tuple[Place, ...], Place | None, bool]:
    """The user's home places (registration, residence), work place and whether any address exists."""
    rows = session.exec(
        select(UserAddress.kind, House.district_id, District.okrug_id)
        .join(House, House.id == UserAddress.house_id)
        .join(District, District.id == House.district_id)
        .where(UserAddress.user_id == user_id)
    ).all()
    home = tuple(Place(district_id, okrug_id) for kind, district_id, okrug_id in rows if kind in HOME_KINDS)
    work = next((Place(d, o) for kind, d, o in rows if kind == "work"), None)
    return home, work, bool(rows)


def has_voted(session: Session, *, poll_id: int, user_id: int) -> bool:
    """Whether the user completed a ballot in the poll."""
    found = session.exec(
        select(Ballot.id).where(Ballot.poll_id == poll_id, Ballot.user_id == user_id)
    ).first()
    return found is not None


def load_voter(session: Session, user: User | Row, poll: Poll | Row, *, voted: bool | None = None) -> Voter:
    """What eligibility needs about ``user`` for ``poll``, with as few queries as the poll needs.

    Addresses are read only when the poll is territorial or needs level 2+, children only when the
    poll filters by children's ages (a city poll for everybody costs just the "already voted" check).
    """
    if voted is None:
        voted = has_voted(session, poll_id=poll.id, user_id=user.id)
    verified = user.identity_verified_at is not None
    home: tuple[Place, ...] = ()
    work: Place | None = None
    has_address = False
    if poll.scope == "territorial" or (poll.min_level > 1 and not verified):
        home, work, has_address = user_places(session, user.id)
    children: tuple[int, ...] = ()
    if poll.children_age_min is not None or poll.children_age_max is not None:
        children = tuple(session.exec(select(Child.birth_year).where(Child.user_id == user.id)).all())
    return Voter(
        level=identification_level(has_address=has_address, identity_verified=verified),
        home=home,
        work=work,
        child_birth_years=children,
        has_voted=voted,
    )


def _actor(session: Session, actor_id: int | None) -> User | None:
    return None if actor_id is None else active_user(session, actor_id)


@dataclass
class _Seen:
    """A poll as the actor may see it, with what was loaded on the way."""

    poll: Poll
    user: User | None
    staff: bool
    territory: Territory
    voter: Voter | None


def _seen_poll(session: Session, actor_id: int | None, poll_id: int) -> _Seen:
    """Load a poll the actor may see, else NotFound.

    Staff see every poll. Others see published polls only; a territorial poll whose results are not
    published yet only when one of their addresses lies in its territory or they voted in it.
    Published results are public.
    """
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound("poll.not_found")
    user = _actor(session, actor_id)
    staff = is_poll_staff(session, user)
    territory = load_territories(session, [poll])[poll.id]
    if not staff and poll.published_at is None:
        raise NotFound("poll.not_found")
    voter = load_voter(session, user, poll) if user is not None else None
    if staff or poll.scope != "territorial" or poll.results_published_at is not None:
        return _Seen(poll, user, staff, territory, voter)
    audience = audience_of(poll, territory)
    if voter is None or not (voter.has_voted or territory_matches(audience, voter_places(audience, voter))):
        raise NotFound("poll.not_found")
    return _Seen(poll, user, staff, territory, voter)


def _summary_fields(poll: Poll, territory: Territory, *, voted: bool, now: datetime) -> dict:
    state = state_of(poll, now)
    return {
        "id": poll.id,
        "title": poll.title,
        "summary": poll.summary,
        "image_url": poll.image_url,
        "scope": poll.scope,
        "territory": territory.text,
        "points": poll.points,
        "starts_at": as_utc(poll.starts_at),
        "ends_at": as_utc(poll.ends_at),
        "state": state,
        "state_name": STATE_NAMES[state],
        "ballots_count": poll.ballots_count,
        "voted": voted,
    }
