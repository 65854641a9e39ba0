"""Moderators approve or refuse filed applications."""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict
from ag_app.domain.house_polls import (
    INITIATOR_ROLES,
    KINDS,
    REFUSAL_REASONS,
    check_approvable,
    validate_refusal,
)
from ag_app.domain.roles import Capability
from ag_app.domain.workdays import calendar_known
from ag_app.models import HousePoll
from ag_app.services.access import require
from ag_app.services.house_polls._common import (
    _addresses,
    _audience_names,
    _kind_word,
    _locked,
    _questions,
    _tell_initiator,
)
from ag_app.services.house_polls.views import ModerationItem


def moderation_queue(session: Session, *, actor_id: int | None, now: datetime) -> list[ModerationItem]:
    """Applications waiting for a decision, the nearest deadline first (moderators only)."""
    require(session, actor_id, Capability.HOUSE_POLLS_MODERATE)
    polls = session.exec(
        select(HousePoll)
        .where(HousePoll.decision == "")
        .order_by(col(HousePoll.moderation_due_at), col(HousePoll.id))
    ).all()
    addresses = _addresses(session, (p.house_id for p in polls))
    return [
        ModerationItem(
            id=poll.id,
            address=addresses.get(poll.house_id, ""),
            kind=poll.kind,
            kind_name=KINDS[poll.kind],
            title=poll.title,
            message=poll.message,
            audience_names=_audience_names(poll),
            questions=_questions(session, poll.id),
            starts_at=as_utc(poll.starts_at),
            ends_at=as_utc(poll.ends_at),
            initiator_role_name=INITIATOR_ROLES.get(poll.initiator_role, poll.initiator_role),
            filed_at=as_utc(poll.filed_at),
            due_at=as_utc(poll.moderation_due_at),
            overdue=as_utc(now) >= as_utc(poll.moderation_due_at),
            calendar_known=calendar_known(moscow_date(poll.moderation_due_at).year),
        )
        for poll in polls
    ]


def _undecided(session: Session, poll_id: int) -> HousePoll:
    poll = _locked(session, poll_id)
    if poll.decision:
        raise Conflict("house_poll.already_decided")
    return poll


def approve(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Approve an application: it opens at its start (at once when that has passed); the initiator
    is notified in the app and by e-mail.

    Raises:
        NotAllowed: the actor is not a moderator.
        Conflict: the application was already decided.
        InvalidInput: its period is over (it can only be refused).
    """
    moderator = require(session, actor_id, Capability.HOUSE_POLLS_MODERATE)
    poll = _undecided(session, poll_id)
    check_approvable(ends_at=poll.ends_at, now=now)
    poll.decision, poll.decided_at, poll.moderator_id = "approved", now, moderator.id
    session.add(poll)
    session.flush()
    _tell_initiator(
        session,
        poll,
        title=f"Заявка одобрена: «{poll.title}»"[:300],
        body=(
            f"Модератор одобрил ваше {_kind_word(poll)} «{poll.title}». Жители дома увидят его "
            "в разделе «Электронный дом» в назначенный период."
        ),
        now=now,
    )


def refuse(
    session: Session, *, actor_id: int | None, poll_id: int, reasons: Iterable[str], now: datetime
) -> None:
    """Refuse an application with one or more reasons of SPEC §6.3; the initiator is notified in
    the app and by e-mail with the reasons.

    Raises:
        NotAllowed: the actor is not a moderator.
        InvalidInput: no reason or an unknown one.
        Conflict: the application was already decided.
    """
    moderator = require(session, actor_id, Capability.HOUSE_POLLS_MODERATE)
    chosen = validate_refusal(reasons)
    poll = _undecided(session, poll_id)
    poll.decision, poll.decided_at, poll.moderator_id = "refused", now, moderator.id
    poll.refusal_reasons = ",".join(chosen)
    session.add(poll)
    session.flush()
    listed = "\n".join(f"— {REFUSAL_REASONS[key]}" for key in chosen)
    _tell_initiator(
        session,
        poll,
        title=f"Заявка отклонена: «{poll.title}»"[:300],
        body=f"Модератор отклонил ваше {_kind_word(poll)} «{poll.title}». Причины:\n{listed}",
        now=now,
    )
