"""Open data of closed polls over the REST API (SPEC §5): downloads, the seal, receipt checks.

Public (no login). Every route answers 404 before the poll closes. Downloads stream: the seal is
made (or read) in the request's transaction, which is committed before the first byte; the rows
are then read chunk by chunk in short read-only transactions.
"""

from collections.abc import Iterator
from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db, writes
from ag_app.api.params import Id
from ag_app.domain.errors import NotFound
from ag_app.services import opendata
from ag_app.services.opendata.rows import OpenDataRow

router = APIRouter(tags=["Открытые данные"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SealOut(BaseModel):
    """The seal: rows, the final hash of the chain and the totals recounted from the rows."""

    rows: int
    final_hash: str
    totals: dict


def _download(chunks: Iterator[bytes], media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        chunks, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


# Seals the closed poll on first use.
@writes
@router.get("/polls/{poll_id}/open-data.csv")
def open_data_csv(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> StreamingResponse:
    """The array of counted ballots as CSV (UTF-8 with BOM, for Excel), streamed."""
    opendata.get_seal(session, actor_id=actor, poll_id=poll_id, now=now)
    return _download(
        opendata.csv_chunks(session.get_bind(), poll_id),
        "text/csv; charset=utf-8",
        f"poll-{poll_id}-open-data.csv",
    )


# Seals the closed poll on first use.
@writes
@router.get("/polls/{poll_id}/open-data.xlsx")
def open_data_xlsx(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> StreamingResponse:
    """The array of counted ballots as XLSX (every row; further sheets past 1 048 576), streamed."""
    opendata.get_seal(session, actor_id=actor, poll_id=poll_id, now=now)
    return _download(
        opendata.xlsx_chunks(session.get_bind(), poll_id), XLSX_TYPE, f"poll-{poll_id}-open-data.xlsx"
    )


# Seals the closed poll on first use.
@writes
@router.get("/polls/{poll_id}/open-data/seal")
def open_data_seal(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> SealOut:
    """Rows, final hash and totals: what `ag-app verify-open-data --seal URL` checks a file against."""
    seal = opendata.get_seal(session, actor_id=actor, poll_id=poll_id, now=now)
    return SealOut(rows=seal.rows, final_hash=seal.final_hash, totals=seal.totals)


# Seals the closed poll on first use.
@writes
@router.get("/polls/{poll_id}/open-data/receipts/{code}")
def open_data_receipt(
    poll_id: Id, code: str, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> OpenDataRow:
    """The published row of the ballot with this receipt code (404 when the poll has none)."""
    row = opendata.find_receipt(session, poll_id=poll_id, code=code, now=now)
    if row is None:
        raise NotFound("open_data.receipt_not_found")
    return row
