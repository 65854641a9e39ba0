"""The renovation-type house vote over the REST API (SPEC §8.3): house results and check codes.

Public (no login) and free of personal data: a house's result counts apartments, a check code
shows how one vote was counted but never who gave it. The code travels in a POST body, not in
the URL, so it stays out of access logs.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import clock, db
from ag_app.api.params import Id
from ag_app.services import renovation
from ag_app.services.renovation.views import CheckView, HouseHit, HouseResult

router = APIRouter(tags=["Голосование по дому"])


class CheckIn(BaseModel):
    """A 12-digit check code; spaces and dashes are ignored."""

    code: str = Field(max_length=40)


@router.get("/houses/{house_id}/renovation")
def house_renovation(
    house_id: Id, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> HouseResult:
    """The result of the house in its current or last vote: apartments, turnout, «за» / «против» /
    split / silent, the silent share and the decision (a meeting's decision overrides the vote).

    While the vote runs the answer has ``preliminary: true`` and no decision of the vote
    (``included``, ``included_by_vote`` and ``decision_source`` are null) unless a meeting decided."""
    return renovation.latest_house_result(session, house_id=house_id, now=now)


@router.get("/renovation/{campaign_id}/houses/{house_id}")
def campaign_house_result(
    campaign_id: Id,
    house_id: Id,
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> HouseResult:
    """The result of the house in one vote (``preliminary`` and without a decision while it runs)."""
    return renovation.house_result(session, campaign_id=campaign_id, house_id=house_id, now=now)


@router.get("/renovation/houses")
def find_houses(
    address: str = Query(max_length=200),
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> list[HouseHit]:
    """Houses in a vote whose address contains every word typed (at most 20)."""
    return renovation.find_houses(session, address=address, now=now)


@router.post("/renovation/check")
def check_vote(
    body: CheckIn, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> CheckView:
    """How the vote with this check code was counted: house, apartment, choice, counted or not and why."""
    return renovation.check_vote(session, code=body.code, now=now)
