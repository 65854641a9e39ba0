"""«Управление подписками» (SPEC §4.2): a resident's choices, the checks senders make, and unsubscribe links."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ag_app.db import reads
from ag_app.domain.errors import InvalidInput
from ag_app.domain.subscriptions import (
    ALL_TOPICS,
    TOPICS,
    channels_of,
    check_choice,
    default_enabled,
    read_unsubscribe_token,
    unsubscribe_token,
)
from ag_app.models import SubscriptionChoice, User
from ag_app.services.access import active_user
from ag_app.settings import get_settings


@dataclass(frozen=True)
class SubscriptionView:
    """One topic and, per channel it is sent by, whether the resident gets it."""

    topic: str
    label: str
    channels: dict[str, bool]


@dataclass(frozen=True)
class UnsubscribeResult:
    """What an unsubscribe link turned off (the topic's Russian name, or every topic)."""

    topic: str
    label: str


def _stored(session: Session, user_id: int) -> dict[tuple[str, str], bool]:
    rows = session.exec(select(SubscriptionChoice).where(SubscriptionChoice.user_id == user_id)).all()
    return {(row.topic, row.channel): row.enabled for row in rows}


_CHOICE = select(SubscriptionChoice.enabled).where(
    SubscriptionChoice.user_id == bindparam("p_user"),
    SubscriptionChoice.topic == bindparam("p_topic"),
    SubscriptionChoice.channel == bindparam("p_channel"),
)


def wants(session: Session, *, user_id: int, topic: str | None, channel: str) -> bool:
    """Whether a user gets a message of this topic by this channel (no topic: always)."""
    if topic is None:
        return True
    session.flush()
    enabled = (
        session.connection()
        .execute(_CHOICE, {"p_user": user_id, "p_topic": topic, "p_channel": channel})
        .scalar_one_or_none()
    )
    return default_enabled(topic, channel) if enabled is None else enabled


@reads
def my_subscriptions(session: Session, *, actor_id: int | None) -> list[SubscriptionView]:
    """The actor's choices for every topic, the defaults where nothing is stored."""
    user = active_user(session, actor_id)
    stored = _stored(session, user.id)
    return [
        SubscriptionView(
            topic=topic,
            label=label,
            channels={c: stored.get((topic, c), default_enabled(topic, c)) for c in channels_of(topic)},
        )
        for topic, label in TOPICS.items()
    ]


def _store(session: Session, *, user_id: int, topic: str, channel: str, enabled: bool, now: datetime) -> None:
    """Insert or update one choice; a concurrent insert of the same choice is updated instead."""
    query = select(SubscriptionChoice).where(
        SubscriptionChoice.user_id == user_id,
        SubscriptionChoice.topic == topic,
        SubscriptionChoice.channel == channel,
    )
    row = session.exec(query.with_for_update()).first()
    if row is None:
        try:
            with session.begin_nested():
                session.add(
                    SubscriptionChoice(
                        user_id=user_id, topic=topic, channel=channel, enabled=enabled, changed_at=now
                    )
                )
                session.flush()
            return
        except IntegrityError:
            row = session.exec(query.with_for_update()).one()
    row.enabled, row.changed_at = enabled, now
    session.add(row)
    session.flush()


def set_subscription(
    session: Session, *, actor_id: int | None, topic: str, channel: str, enabled: bool, now: datetime
) -> None:
    """Turn one topic on or off for one channel for the actor."""
    user = active_user(session, actor_id)
    check_choice(topic, channel)
    _store(session, user_id=user.id, topic=topic, channel=channel, enabled=bool(enabled), now=now)


def unsubscribe_link(*, user_id: int, topic: str | None) -> str:
    """The absolute link that turns off this topic's e-mails (every topic's when ``topic`` is None)."""
    settings = get_settings()
    token = unsubscribe_token(settings.require_secret(), user_id=user_id, topic=topic or ALL_TOPICS)
    return f"{settings.public_url.rstrip('/')}/unsubscribe?token={token}"


def unsubscribe(session: Session, *, token: str, now: datetime) -> UnsubscribeResult:
    """Turn off the e-mails named by a genuine unsubscribe token; no login needed.

    The token is signed with the secret key, so nobody can make one for another person; a bad or
    tampered token (or one of a deleted account) is refused and nothing changes.
    """
    user_id, topic = read_unsubscribe_token(get_settings().require_secret(), token)
    if session.get(User, user_id) is None:
        raise InvalidInput("subscription.token_invalid")
    topics = list(TOPICS) if topic == ALL_TOPICS else [topic]
    for name in topics:
        _store(session, user_id=user_id, topic=name, channel="email", enabled=False, now=now)
    label = "все темы" if topic == ALL_TOPICS else TOPICS[topic]
    return UnsubscribeResult(topic=topic, label=label)
