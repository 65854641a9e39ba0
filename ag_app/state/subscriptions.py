"""«Управление подписками» and the unsubscribe link's page (SPEC §4.2).

The subscriptions page is for the logged-in resident: every switch is saved at once through
:func:`services.subscriptions.set_subscription` with the actor resolved from the session cookie.
The unsubscribe page works without logging in: the signed token of the e-mail's link is the only
thing that says whose e-mails stop, and a forged one changes nothing.
"""

import dataclasses

import reflex as rx

from ag_app import i18n
from ag_app.domain.errors import DomainError
from ag_app.domain.subscriptions import CHANNELS, TOPICS
from ag_app.i18n import message
from ag_app.services import subscriptions
from ag_app.state.base import FeedbackMixin, UserPageMixin, actor_of, call, holds_user_data, now

# Longer than any genuine token («<user id>.<topic>.<64 hex digits>»); anything longer is refused unread.
TOKEN_LIMIT = 200


@dataclasses.dataclass
class ChannelCell:
    """One cell of the topics × channels table."""

    channel: str = ""
    channel_label: str = ""
    # Whether this topic is sent by this channel at all (SMS only for house events).
    available: bool = False
    enabled: bool = False


@dataclasses.dataclass
class TopicRow:
    """One topic with a cell for every channel (in the order of ``CHANNELS``)."""

    topic: str = ""
    label: str = ""
    cells: list[ChannelCell] = dataclasses.field(default_factory=list)


def _rows(views: list[subscriptions.SubscriptionView]) -> list[TopicRow]:
    return [
        TopicRow(
            topic=v.topic,
            label=v.label,
            cells=[
                ChannelCell(
                    channel=channel,
                    channel_label=label,
                    available=channel in v.channels,
                    enabled=v.channels.get(channel, False),
                )
                for channel, label in CHANNELS.items()
            ],
        )
        for v in views
    ]


@holds_user_data
class SubscriptionsState(UserPageMixin, rx.State):
    """``/subscriptions``: the resident's topics × channels; guests are sent to the login page."""

    loaded: bool = False
    rows: list[TopicRow] = []

    async def _fill(self, actor: int | None) -> None:
        self.rows = _rows(await call(subscriptions.my_subscriptions, actor_id=actor))
        self.loaded = True

    @rx.event
    async def load(self):
        """Open the page: guests go to the login page."""
        return await self._open()

    @rx.event
    async def toggle(self, topic: str, channel: str, enabled: bool):
        """Turn one topic on or off for one channel and save it at once (the service checks the actor)."""
        self._clear_feedback()
        if not (isinstance(topic, str) and isinstance(channel, str) and isinstance(enabled, bool)):
            return
        if topic not in TOPICS or channel not in CHANNELS:
            self.error = message(
                "subscription.topic_invalid" if topic not in TOPICS else "subscription.channel_invalid"
            )
            return
        actor = await actor_of(self)
        try:
            await call(
                subscriptions.set_subscription,
                actor_id=actor,
                topic=topic,
                channel=channel,
                enabled=enabled,
                now=now(),
            )
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
            return
        state = (
            i18n.label("ui.subscriptions.vkliuchena")
            if enabled
            else i18n.label("ui.subscriptions.otkliuchena")
        )
        self.notice = i18n.message(
            "ui.subscriptions.sokhraneno_rassylka",
            p1=TOPICS[topic],
            p2=CHANNELS[channel].lower(),
            state=state,
        )


class UnsubscribeState(FeedbackMixin, rx.State):
    """``/unsubscribe?token=…``: turns off the e-mails named by the link's signed token (no login)."""

    loaded: bool = False
    done: bool = False
    # The Russian name of the topic (or «все темы») the link turned off.
    label: str = ""

    @rx.event
    async def load(self):
        """Read the token from the address on the server and unsubscribe; a forged token changes nothing."""
        self._clear_feedback()
        self.done, self.label = False, ""
        token = str(self.router.url.query_parameters.get("token", "")).strip()
        try:
            if not token or len(token) > TOKEN_LIMIT:
                self.error = message("subscription.token_invalid")
                return
            result = await call(subscriptions.unsubscribe, token=token, now=now())
        except DomainError as error:
            self.error = str(error)
            return
        finally:
            self.loaded = True
        self.done, self.label = True, result.label
        self.notice = i18n.message("ui.subscriptions.vy_otpisalis_ot_rassylki", label=result.label)
