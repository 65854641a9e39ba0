"""Subscriptions (SPEC §4.2): topics, channels, defaults and signed unsubscribe tokens.

A resident chooses per topic and channel which notifications they get. Nothing stored means the
default: in-app and e-mail on, SMS only for house events. An unsubscribe link names the user and
the topic and is signed with the platform's secret key, so it works without logging in and cannot
be made for somebody else.
"""

import hashlib
import hmac

from ag_app.domain.errors import InvalidInput
from ag_app.domain.numbers import id_or_none

TOPICS: dict[str, str] = {
    "polls": "Новые голосования",
    "results": "Итоги голосований",
    "decisions": "Принятые решения",
    "house": "«Электронный дом»: события дома",
    "shop": "Магазин поощрений",
}
CHANNELS: dict[str, str] = {"app": "В приложении", "email": "Электронная почта", "sms": "СМС"}
# Topics an SMS makes sense for (meeting announcements reach owners by SMS).
SMS_TOPICS = frozenset({"house"})
# The token topic that turns off every topic's e-mails (put in e-mails that have no topic of their own).
ALL_TOPICS = "all"


def channels_of(topic: str) -> list[str]:
    """The channels a topic can be sent by."""
    return [c for c in CHANNELS if c != "sms" or topic in SMS_TOPICS]


def default_enabled(topic: str, channel: str) -> bool:
    """Whether a topic is sent by a channel when the resident chose nothing."""
    return channel in channels_of(topic)


def check_choice(topic: str, channel: str) -> None:
    """Refuse an unknown topic or a channel the topic is not sent by."""
    if topic not in TOPICS:
        raise InvalidInput("subscription.topic_invalid")
    if channel not in channels_of(topic):
        raise InvalidInput("subscription.channel_invalid")


def _signature(secret_key: str, payload: str) -> str:
    return hmac.new(secret_key.encode(), f"unsubscribe:{payload}".encode(), hashlib.sha256).hexdigest()


def unsubscribe_token(secret_key: str, *, user_id: int, topic: str) -> str:
    """A URL-safe token «<user>.<topic>.<signature>» that unsubscribes this user from this topic's e-mails."""
    if topic not in TOPICS and topic != ALL_TOPICS:
        raise InvalidInput("subscription.topic_invalid")
    payload = f"{user_id}.{topic}"
    return f"{payload}.{_signature(secret_key, payload)}"


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, str]:
    """The user id and topic of a genuine token; a malformed or tampered one is refused."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3:
        raise InvalidInput("subscription.token_invalid")
    user_id, topic, signature = parts
    if not hmac.compare_digest(signature.encode(), _signature(secret_key, f"{user_id}.{topic}").encode()):
        raise InvalidInput("subscription.token_invalid")
    user = id_or_none(user_id)
    if user is None or (topic not in TOPICS and topic != ALL_TOPICS):
        raise InvalidInput("subscription.token_invalid")
    return user, topic
