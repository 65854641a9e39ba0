"""The empty route: what the stack alone costs (the floor of ``ag-app bench http``) and a liveness probe."""

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["Служебное"])


class HealthOut(BaseModel):
    """Always «ok» while the worker answers."""

    status: str


@router.get("/health")
def health() -> HealthOut:
    """Answers «ok» without touching the database (a sync route, served like every other one)."""
    return HealthOut(status="ok")
