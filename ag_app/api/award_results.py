"""The award contest's results over the REST API: the published results and protocols (public), the
approval (the member holding the chair's powers), the member's own prize, diploma and payout data,
and the operator's payout register.

Thin: the actor comes from the server-side session only; the services check the rights. Public
answers carry no member of any team and no payout data; a member's own answer shows their payout
data masked (the last 4 characters); the register is the only export of the data.
"""

from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Id
from ag_app.domain.errors import NotAuthenticated
from ag_app.services.award import approval, diploma, payouts, published
from ag_app.services.award.payouts import FIELD_LIMIT, OwnPayout
from ag_app.services.award.published import ContestResults, MyPrize

router = APIRouter(tags=["Премия «Лидеры цифровой трансформации»: итоги"])


class PayoutIn(BaseModel):
    """The payout data of «Положение» 4.2.1 (every field text; the rules check them all at once)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(default="", max_length=FIELD_LIMIT)
    birth_date: str = Field(default="", max_length=FIELD_LIMIT)
    phone: str = Field(default="", max_length=FIELD_LIMIT)
    passport_series: str = Field(default="", max_length=FIELD_LIMIT)
    passport_number: str = Field(default="", max_length=FIELD_LIMIT)
    passport_issued_by: str = Field(default="", max_length=FIELD_LIMIT)
    passport_issued_on: str = Field(default="", max_length=FIELD_LIMIT)
    registration_address: str = Field(default="", max_length=FIELD_LIMIT)
    inn: str = Field(default="", max_length=FIELD_LIMIT)
    snils: str = Field(default="", max_length=FIELD_LIMIT)
    card_number: str = Field(default="", max_length=FIELD_LIMIT)
    account: str = Field(default="", max_length=FIELD_LIMIT)
    bank_name: str = Field(default="", max_length=FIELD_LIMIT)
    bank_bik: str = Field(default="", max_length=FIELD_LIMIT)
    bank_inn: str = Field(default="", max_length=FIELD_LIMIT)
    bank_kpp: str = Field(default="", max_length=FIELD_LIMIT)
    bank_corr_account: str = Field(default="", max_length=FIELD_LIMIT)


class ApprovalOut(BaseModel):
    """What the approval did."""

    sitting_id: int
    protocol_sha256: str
    payouts: int


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        content=data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _require(actor: int | None) -> int:
    if actor is None:
        raise NotAuthenticated("auth.required")
    return actor


@router.get("/awards/{contest_id}/results")
def results(contest_id: Id, session: Session = Depends(db, scope="function")) -> ContestResults:
    """The published results: per task decided at an approved sitting its winner and prize-winners
    (place, team, project, prize in kopecks), the approved sittings with the protocol's SHA-256, and
    «Результаты конкурса обжалованию не подлежат»."""
    return published.contest_results(session, contest_id=contest_id)


@router.get(
    "/awards/{contest_id}/protocol.pdf",
    responses={200: {"content": {"application/pdf": {}}, "description": "Протокол заседания комиссии"}},
)
def protocol(contest_id: Id, sitting: Id | None = None, session: Session = Depends(db, scope="function")):
    """The protocol of the latest approved sitting (``?sitting=ID`` for another); its SHA-256 is the
    one the results show. 404 until a sitting is approved."""
    sitting_id, data = published.protocol_pdf(session, contest_id=contest_id, sitting_id=sitting)
    return _pdf(data, f"award-{contest_id}-protocol-{sitting_id}.pdf")


@router.post("/awards/sittings/{sitting_id}/approve")
def approve(
    sitting_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ApprovalOut:
    """«Утвердить результаты»: the member holding the chair's powers at the sitting approves; the
    protocol is rendered and the payouts created. Refused without a quorum, when nothing was decided,
    a tie is still open, or the results were approved already."""
    done = approval.approve_sitting(session, actor_id=actor, sitting_id=sitting_id, now=now)
    return ApprovalOut(sitting_id=done.sitting_id, protocol_sha256=done.protocol_sha256, payouts=done.payouts)


@router.get("/awards/{contest_id}/my-prize")
def my_prize(
    contest_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MyPrize | None:
    """The member's own results: place, share, payout status and deadline, the diploma link, their
    payout data masked. ``null`` when their team took no place. 401 for guests."""
    return published.my_prize(session, actor_id=_require(actor), now=now, contest_id=contest_id)


@router.get(
    "/awards/{contest_id}/diploma.pdf",
    responses={200: {"content": {"application/pdf": {}}, "description": "Диплом участника"}},
)
def diploma_pdf(
    contest_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
):
    """The member's own diploma in their name (winners and prize-winners only). 401 for guests."""
    data = diploma.my_diploma(session, actor_id=_require(actor), contest_id=contest_id)
    return _pdf(data, f"award-{contest_id}-diploma.pdf")


@router.post("/awards/payouts/{payout_id}")
def submit_payout(
    payout_id: Id,
    body: PayoutIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> OwnPayout:
    """The member submits (or corrects) their payout data until the deadline; every problem is
    listed at once. Returns the payout with the data masked."""
    payout = payouts.submit_payout(
        session, actor_id=_require(actor), payout_id=payout_id, form=body.model_dump(), now=now
    )
    session.flush()
    return next(p for p in payouts.own_payouts(session, user_id=payout.user_id, now=now) if p.id == payout.id)


@router.get(
    "/awards/{contest_id}/payouts.csv",
    responses={200: {"content": {"text/csv": {}}, "description": "Реестр выплат премии"}},
)
def register(
    contest_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
):
    """The payout register for the accounting system (operator only): UTF-8 with BOM, «;»."""
    data = payouts.payout_register(session, actor_id=actor, contest_id=contest_id)
    return Response(
        content=data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="award-{contest_id}-payouts.csv"',
            "Cache-Control": "no-store",
        },
    )
