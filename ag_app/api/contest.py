"""The receipt contest «Любимый город» over the REST API (the mobile channel).

Thin: every route calls one use case of :mod:`ag_app.services.contest` with the actor taken from
the bearer token only. A receipt another account saved is refused with 409 while the fraud flag
the use case wrote is kept (the refusal is returned, not raised, so the transaction commits).
"""

from datetime import datetime

from fastapi import APIRouter, Depends, File, Query, UploadFile, status
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Count, Id, Limit
from ag_app.db import reads
from ag_app.domain.contest import (
    QR_MAX_LENGTH,
    parse_period,
    parse_receipt_fields,
    parse_receipt_qr,
    period_of,
)
from ag_app.domain.contest import period_label as label_of
from ag_app.domain.errors import NotAuthenticated, NotFound
from ag_app.models import ContestParticipant
from ag_app.services.access import active_user
from ag_app.services.contest import claims, finalise, ranking, receipts
from ag_app.services.contest.contests import contests_of_period, get_contest, prizes_of

router = APIRouter(tags=["Конкурс чеков"])

_FIELD = Field(default=None, max_length=64)


class ReceiptIn(BaseModel):
    """A receipt: the QR string, or its fields typed in."""

    qr: str | None = Field(default=None, max_length=QR_MAX_LENGTH)
    t: str | None = _FIELD
    s: str | None = _FIELD
    fn: str | None = _FIELD
    i: str | None = _FIELD
    fp: str | None = _FIELD
    n: str | None = _FIELD


def _saved(result: receipts.SubmitResult):
    if result.refused is not None:
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": str(result.refused)})
    return JSONResponse(status_code=status.HTTP_201_CREATED, content=result.receipt.as_dict())


@router.post("/contest/receipts", status_code=status.HTTP_201_CREATED)
def save_receipt(
    body: ReceiptIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
):
    """Save a receipt: 201 with it (id, status, points, seller), 409 already saved, 422 refused."""
    if actor is None:
        raise NotAuthenticated("auth.required")
    if body.qr is not None:
        qr = parse_receipt_qr(body.qr)
    else:
        qr = parse_receipt_fields(body.model_dump(exclude={"qr"}))
    return _saved(receipts.submit_receipt(session, actor_id=actor, qr=qr, channel="api", now=now))


@router.post("/contest/receipts/photo", status_code=status.HTTP_201_CREATED)
def save_receipt_photo(
    file: UploadFile = File(...),
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
):
    """Save a receipt from a photo of its QR code (JPEG or PNG up to 10 MB, not kept)."""
    from ag_app.services.contest.photo import MAX_PHOTO_BYTES, read_qr_photo

    if actor is None:
        raise NotAuthenticated("auth.required")
    data = file.file.read(MAX_PHOTO_BYTES + 1)
    qr = parse_receipt_qr(read_qr_photo(data))
    return _saved(receipts.submit_receipt(session, actor_id=actor, qr=qr, channel="photo", now=now))


@router.get("/contest/receipts")
def list_receipts(
    session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[dict]:
    """The actor's receipts with seller, sum, purchase time, points and status."""
    return [receipt.as_dict() for receipt in receipts.my_receipts(session, actor_id=actor)]


@router.get("/contests")
def list_contests(
    period: str = Query(default="", max_length=7),
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> list[dict]:
    """The contests of a month (``YYYY-MM``, the current Moscow month by default)."""
    label = label_of(*parse_period(period)) if period else label_of(*period_of(now))
    return [
        {
            "id": contest.id,
            "period": contest.period,
            "title": contest.title,
            "general": contest.general,
            "status": contest.status,
            "prizes": list(prizes_of(contest)),
            "participants": ranking.participants(session, contest.id),
        }
        for contest in contests_of_period(session, label)
    ]


@router.get("/contests/{contest_id}/rating")
def contest_rating(
    contest_id: Id,
    offset: Count = 0,
    limit: Limit = 100,
    session: Session = Depends(db, scope="function"),
) -> dict:
    """Public rows of the rating (place, short name, participant number, points) and the total."""
    contest = get_contest(session, contest_id)
    return {
        "contest_id": contest.id,
        "total": ranking.participants(session, contest.id),
        "rows": [row.as_dict() for row in ranking.top_rows(session, contest.id, offset=offset, limit=limit)],
    }


@reads
def _own(session: Session, *, actor_id: int | None, contest_id: int) -> dict:
    user = active_user(session, actor_id)
    get_contest(session, contest_id)
    participant = session.exec(
        select(ContestParticipant.id).where(ContestParticipant.user_id == user.id)
    ).first()
    position = ranking.own_position(session, contest_id, participant) if participant is not None else None
    if position is None:
        raise NotFound("contest.no_position")
    return {
        "place": position.place,
        "points": position.points,
        "number": position.number,
        "total": position.total,
        "to_next_place": position.to_next,
        "neighbours": [row.as_dict() for row in position.rows],
    }


@router.get("/contests/{contest_id}/rating/me")
def contest_rating_me(
    contest_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> dict:
    """The actor's place, points, points to the next place and the rows around theirs."""
    return _own(session, actor_id=actor, contest_id=contest_id)


@router.get("/contests/{contest_id}/final")
def contest_final(contest_id: Id, session: Session = Depends(db, scope="function")) -> dict:
    """The published final rating's seal and winners (short name, masked e-mail, number, prize)."""
    seal, winners = finalise.final_results(session, contest_id=contest_id)
    return {"seal": seal.as_dict(), "winners": [winner.as_dict() for winner in winners]}


@router.get("/contests/{contest_id}/final/seal")
def contest_final_seal(contest_id: Id, session: Session = Depends(db, scope="function")) -> dict:
    """The SHA-256 of the published final rating file (check it with ``ag-app verify-rating``)."""
    seal, _ = finalise.final_results(session, contest_id=contest_id)
    return seal.as_dict()


@router.get("/contests/{contest_id}/final.csv")
def contest_final_csv(contest_id: Id, session: Session = Depends(db, scope="function")):
    """The whole final rating as the sealed CSV (participant numbers only, no personal data)."""
    seal, _ = finalise.final_results(session, contest_id=contest_id)
    return StreamingResponse(
        finalise.final_csv(session.get_bind(), contest_id, seal.version),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="contest-{contest_id}-final.csv"'},
    )


class ClaimIn(BaseModel):
    """Payout details for an SBP transfer (staff only ever see them)."""

    last_name: str = Field(max_length=100)
    first_name: str = Field(max_length=100)
    phone: str = Field(max_length=32)
    bank: str = Field(max_length=100)


@router.get("/contest/prizes")
def list_my_prizes(
    session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list:
    """The prizes the actor holds and until when they can be claimed."""
    return [prize.__dict__ | {"claim": ""} for prize in claims.my_prizes(session, actor_id=actor)]


@router.post("/contest/prizes/{prize_id}/claim", status_code=status.HTTP_201_CREATED)
def claim(
    body: ClaimIn,
    prize_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict:
    """Claim a prize within one calendar month of publication."""
    claims.claim_prize(session, actor_id=actor, prize_id=prize_id, now=now, **body.model_dump())
    return {"status": "claimed"}
