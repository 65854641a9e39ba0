"""«Мои баллы» and the notification centre over the REST API."""

from datetime import datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Id, NotificationLimit
from ag_app.domain.errors import InvalidInput
from ag_app.services import notifications, points
from ag_app.services.notifications import NotificationView
from ag_app.services.points import PointsOverview

router = APIRouter(tags=["Баллы и уведомления"])


class PointsResult(BaseModel):
    """How many points an action credited (0 when a limit was already reached)."""

    points: int


class InvitationIn(BaseModel):
    """The friend's mobile phone number."""

    phone: str = Field(max_length=40)


class ShareIn(BaseModel):
    """The social network: «vk», «ok», «telegram» or «max»."""

    network: str = Field(max_length=20)


class PromoIn(BaseModel):
    """A promo code (case does not matter)."""

    code: str = Field(max_length=100)


class ReadIn(BaseModel):
    """What to mark as read: one notification (``id``), several (``ids``) or explicitly all of them
    (``"all": true``). Exactly one of them; any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    id: Id | None = None
    ids: list[Id] = Field(default_factory=list, max_length=100)
    all: bool = False

    def targets(self) -> list[int] | None:
        """The ids to mark, or None for all; refuses an empty or ambiguous request (nothing changes)."""
        chosen = [self.id] if self.id is not None else []
        chosen += self.ids
        if self.all == bool(chosen):
            raise InvalidInput("notification.read_target_required")
        return None if self.all else chosen


class NotificationsOut(BaseModel):
    """The notification centre: unread count and the newest items."""

    unread: int
    items: list[NotificationView]


class UnreadOut(BaseModel):
    """Unread notifications left."""

    unread: int


@router.get("/me/points")
def my_points(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PointsOverview:
    """Balance (available and blocked), status, ledger, badges, referral link and invitations."""
    return points.points_overview(session, actor_id=actor, now=now)


@router.post("/me/visits")
def record_visit(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PointsResult:
    """Record today's visit: 3 points once per Moscow day."""
    return PointsResult(points=points.record_visit(session, actor_id=actor, now=now))


@router.post("/me/invitations", status_code=status.HTTP_201_CREATED)
def invite(
    body: InvitationIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> dict[str, str]:
    """Invite a friend by phone; the friend receives an SMS with the referral link."""
    points.invite(session, actor_id=actor, phone=body.phone, now=now)
    return {"detail": "Приглашение отправлено."}


@router.post("/polls/{poll_id}/shares", status_code=status.HTTP_201_CREATED)
def share_poll(
    poll_id: Id,
    body: ShareIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PointsResult:
    """Record a share of a poll; 5 points within the monthly caps."""
    return PointsResult(
        points=points.record_share(session, actor_id=actor, poll_id=poll_id, network=body.network, now=now)
    )


@router.post("/me/promo-codes")
def redeem_promo(
    body: PromoIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PointsResult:
    """Redeem a promo code for its points."""
    return PointsResult(points=points.redeem_promo(session, actor_id=actor, code=body.code, now=now))


@router.get("/me/notifications")
def my_notifications(
    limit: NotificationLimit = 50,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> NotificationsOut:
    """The notification centre, newest first."""
    items = notifications.list_notifications(session, actor_id=actor, limit=limit)
    return NotificationsOut(unread=notifications.unread_count(session, actor_id=actor), items=items)


@router.post("/me/notifications/read")
def mark_read(
    body: ReadIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> UnreadOut:
    """Mark notifications as read: ``{"id": 5}``, ``{"ids": [5, 6]}`` or ``{"all": true}``.

    Anything else (nothing named, both ids and all, an unknown field) is a 422 and changes nothing;
    someone else's id is a 404 and nothing is marked.
    """
    targets = body.targets()
    if targets is None:
        notifications.mark_read(session, actor_id=actor, notification_id=None, now=now)
    for notification_id in dict.fromkeys(targets or []):
        notifications.mark_read(session, actor_id=actor, notification_id=notification_id, now=now)
    return UnreadOut(unread=notifications.unread_count(session, actor_id=actor))
