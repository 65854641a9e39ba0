"""Owners' meetings over the REST API: the public meeting with its live totals, the protocol PDF and,
for staff, the register of decisions.

Status codes: no such meeting, or no protocol before the end, 404; the register for a resident 403.
The public routes carry aggregates only — no owner, account or premise is ever named.
"""

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db, writes
from ag_app.api.params import Id
from ag_app.services import meetings

router = APIRouter(tags=["Собрания собственников"])


class QuestionOut(BaseModel):
    """An agenda question and its live count in m² (rounded to 0.01)."""

    number: int
    text: str
    topic: str
    threshold: str
    for_m2: Decimal
    against_m2: Decimal
    abstain_m2: Decimal
    # m² of «За» still needed to adopt it (0 when adopted).
    needed_m2: Decimal
    adopted: bool


class MeetingOut(BaseModel):
    """A meeting: house, period, state, the quorum and the agenda with live totals."""

    id: int
    address: str
    district: str
    initiator_kind: str
    notified_at: datetime
    starts_at: datetime
    ends_at: datetime
    in_person_address: str
    state: str
    total_m2: Decimal
    participating_m2: Decimal
    quorum_line_m2: Decimal
    quorum: bool
    quorum_needed_m2: Decimal
    owners_voted: int
    protocol_sha256: str
    questions: list[QuestionOut]


@router.get("/meetings/{meeting_id}")
def get_meeting(
    meeting_id: Id, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> MeetingOut:
    """A meeting with its agenda, live totals and quorum (aggregates only; the protocol hash after the end)."""
    view = meetings.get_meeting(session, actor_id=None, meeting_id=meeting_id, now=now)
    meter = view.meter
    return MeetingOut(
        id=view.id,
        address=view.address,
        district=view.district,
        initiator_kind=view.initiator_kind,
        notified_at=view.notified_at,
        starts_at=view.starts_at,
        ends_at=view.ends_at,
        in_person_address=view.in_person_address,
        state=view.state,
        total_m2=meter.total_m2,
        participating_m2=meter.participating_m2,
        quorum_line_m2=meter.quorum_line_m2,
        quorum=meter.quorum,
        quorum_needed_m2=meter.quorum_needed_m2,
        owners_voted=meter.owners_voted,
        protocol_sha256=view.protocol_sha256,
        questions=[
            QuestionOut(
                number=q.number,
                text=q.text,
                topic=q.topic,
                threshold=q.threshold,
                for_m2=q.for_m2,
                against_m2=q.against_m2,
                abstain_m2=q.abstain_m2,
                needed_m2=q.needed_m2,
                adopted=q.adopted,
            )
            for q in meter.questions
        ],
    )


# The first request after the end of voting generates and records the protocol.
@writes
@router.get("/meetings/{meeting_id}/protocol.pdf", response_class=Response)
def protocol_pdf(
    meeting_id: Id, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> Response:
    """The protocol PDF (Cyrillic fonts embedded, no personal data); 404 before the end of voting."""
    pdf = meetings.protocol_pdf(session, meeting_id=meeting_id, now=now)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-protocol.pdf"'},
    )


@router.get("/staff/meetings/{meeting_id}/decisions.csv", response_class=Response)
def decisions_register(
    meeting_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> Response:
    """The register of owners' decisions for the housing inspection (staff only; names from the registry)."""
    text = meetings.decisions_register_csv(session, actor_id=actor, meeting_id=meeting_id)
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-decisions.csv"'},
    )
