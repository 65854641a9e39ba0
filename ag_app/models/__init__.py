"""SQLModel tables; importing this package registers every table on ``SQLModel.metadata``."""

from ag_app.models.accounts import (
    AuthSession,
    Child,
    CitizenRecord,
    LoginCode,
    NumberingRange,
    User,
    UserAddress,
    UserRole,
)
from ag_app.models.geo import District, House, Okrug, Street
from ag_app.models.messaging import NewsItem, Notification, OutboxMessage
from ag_app.models.points import Badge, BadgeRun, Invitation, PointEntry, PromoCode, SocialShare
from ag_app.models.polls import (
    Ballot,
    BallotAnswer,
    BallotDraft,
    ExpertOpinion,
    Option,
    Poll,
    PollDecision,
    PollSeal,
    PollStat,
    PollTerritory,
    Question,
)

__all__ = [
    "AuthSession",
    "Badge",
    "BadgeRun",
    "Ballot",
    "BallotAnswer",
    "BallotDraft",
    "CitizenRecord",
    "Child",
    "District",
    "ExpertOpinion",
    "House",
    "Invitation",
    "LoginCode",
    "NewsItem",
    "Notification",
    "NumberingRange",
    "Okrug",
    "Option",
    "OutboxMessage",
    "PointEntry",
    "Poll",
    "PollDecision",
    "PollSeal",
    "PollStat",
    "PollTerritory",
    "PromoCode",
    "Question",
    "SocialShare",
    "Street",
    "User",
    "UserAddress",
    "UserRole",
]
