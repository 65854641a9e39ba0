"""Demo-mode helpers: the SMS/e-mail outbox over the API (404 when demo mode is off)."""

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from ag_app.api.deps import actor_id, db
from ag_app.domain.errors import NotFound
from ag_app.services import notifications
from ag_app.services.notifications import OutboxView
from ag_app.settings import get_settings

router = APIRouter(tags=["Демо"])


@router.get("/dev/outbox")
def dev_outbox(
    phone: str = Query(default="", max_length=254),
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> list[OutboxView]:
    """Messages sent to a phone (or e-mail), newest first — only in demo mode."""
    if not get_settings().demo_mode:
        raise NotFound("api.not_found")
    return notifications.outbox(session, actor_id=actor, phone=phone)
