"""Home page headline figures (SPEC §2.7), computed from the data with COUNT queries."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from ag_app.domain.clock import as_utc
from ag_app.models import Ballot, Poll, PollDecision, User


@dataclass(frozen=True)
class Headline:
    """Registered citizens, polls held, decisions implemented, opinions expressed."""

    citizens: int
    polls_held: int
    decisions_implemented: int
    opinions: int


def headline(session: Session, *, now: datetime) -> Headline:
    """The four headline figures.

    Citizens are active (not deactivated) accounts; polls held are published polls whose start has
    passed; decisions implemented have the status «Реализовано»; opinions are completed ballots.
    """
    moment = as_utc(now)
    citizens = session.exec(select(func.count()).select_from(User).where(User.deactivated_at.is_(None))).one()
    polls_held = session.exec(
        select(func.count()).select_from(Poll).where(Poll.published_at.is_not(None), Poll.starts_at <= moment)
    ).one()
    implemented = session.exec(
        select(func.count()).select_from(PollDecision).where(PollDecision.status == "implemented")
    ).one()
    opinions = session.exec(select(func.count()).select_from(Ballot)).one()
    return Headline(
        citizens=citizens, polls_held=polls_held, decisions_implemented=implemented, opinions=opinions
    )
