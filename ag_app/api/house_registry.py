"""«Электронный дом» over the REST API: house lookup by address (no personal data).

Status codes: 200 with up to 20 houses (an empty list when nothing matches); 422 for a query shorter
than 3 characters.
"""

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from ag_app.api.deps import db
from ag_app.services.house_registry import MAX_RESULTS, HouseSummary, search_houses

router = APIRouter(tags=["Электронный дом"])


@router.get("/houses")
def find_houses(
    address: str = Query(
        ..., max_length=200, description="Часть адреса: улица и (или) номер дома, от 3 символов."
    ),
    session: Session = Depends(db, scope="function"),
) -> list[HouseSummary]:
    """Registry houses whose address matches (case-insensitive): address, district, okrug, numbers of
    apartments and non-residential premises, total area in m² (a decimal string)."""
    return search_houses(session, address=address, limit=MAX_RESULTS)
