"""What a territorial poll's share link shows to someone outside its territory.

A territorial poll's page (questions, experts, results) is seen only by its residents
(:func:`ag_app.services.polls.get_poll` answers «Голосование не найдено» to others). A link to it
is shared freely, though, so an outsider is told what the poll is and who may vote in it —
its title, state, dates and territory, nothing else, and no way to vote.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.poll_voters import who_may_vote
from ag_app.domain.polls import STATE_NAMES
from ag_app.models import District, Okrug, Poll, PollTerritory
from ag_app.services.polls.eligibility import state_of


@dataclass(frozen=True)
class PollInvitation:
    """The public face of a territorial poll: what it is called and who votes in it."""

    poll_id: int
    title: str
    who_may_vote: str
    state: str
    state_name: str
    starts_at: datetime
    ends_at: datetime


@reads
def poll_invitation(session: Session, *, poll_id: int, now: datetime) -> PollInvitation:
    """The title, state, dates and voters of a published territorial poll, for anyone.

    Raises:
        NotFound: no such poll, it is not published yet, or it is city-wide (its page is public).
    """
    poll = session.get(Poll, poll_id)
    if poll is None or poll.published_at is None or poll.scope != "territorial":
        raise NotFound("poll.not_found")
    okrugs = session.exec(
        select(Okrug.abbrev)
        .join(PollTerritory, PollTerritory.okrug_id == Okrug.id)
        .where(PollTerritory.poll_id == poll_id)
        .order_by(PollTerritory.id)
    ).all()
    districts = session.exec(
        select(District.name)
        .join(PollTerritory, PollTerritory.district_id == District.id)
        .where(PollTerritory.poll_id == poll_id)
        .order_by(PollTerritory.id)
    ).all()
    state = state_of(poll, now)
    return PollInvitation(
        poll_id=poll.id,
        title=poll.title,
        who_may_vote=who_may_vote(list(okrugs), list(districts)),
        state=state,
        state_name=STATE_NAMES[state],
        starts_at=as_utc(poll.starts_at),
        ends_at=as_utc(poll.ends_at),
    )
