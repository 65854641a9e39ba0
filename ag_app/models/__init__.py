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
from ag_app.models.award import (
    AwardAssignment,
    AwardAttendance,
    AwardContest,
    AwardCriterion,
    AwardJuror,
    AwardMember,
    AwardPayout,
    AwardRecusal,
    AwardScore,
    AwardSheet,
    AwardSitting,
    AwardStanding,
    AwardTask,
    AwardTeam,
    AwardTieRound,
    AwardTieVote,
)
from ag_app.models.contest import (
    Contest,
    ContestAudit,
    ContestEntry,
    ContestHourTally,
    ContestParticipant,
    ContestPointsTally,
    ContestPrize,
    ContestResult,
    ContestSeal,
    Disqualification,
    PrizeClaim,
    Receipt,
    ReceiptFlag,
    Seller,
)
from ag_app.models.geo import District, House, Okrug, Street
from ag_app.models.house_polls import (
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
)
from ag_app.models.houses import HouseOrganisation, Premise, PremiseHolder, PremiseLink
from ag_app.models.meetings import (
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingProtocol,
    MeetingQuestion,
    MeetingRejection,
)
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
    PollSealCheckpoint,
    PollStat,
    PollTerritory,
    Question,
)
from ag_app.models.promo import PromoCampaign, PromoCitizen, PromoDraw
from ag_app.models.renovation import (
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    RenovationMeetingDecision,
)

__all__ = [
    "AwardAssignment",
    "AwardAttendance",
    "AwardContest",
    "AwardCriterion",
    "AwardJuror",
    "AwardMember",
    "AwardPayout",
    "AwardRecusal",
    "AwardScore",
    "AwardSheet",
    "AwardSitting",
    "AwardStanding",
    "AwardTask",
    "AwardTeam",
    "AwardTieRound",
    "AwardTieVote",
    "Contest",
    "PromoCampaign",
    "PromoCitizen",
    "PromoDraw",
    "ContestAudit",
    "ContestEntry",
    "ContestHourTally",
    "ContestParticipant",
    "ContestPointsTally",
    "ContestPrize",
    "ContestResult",
    "ContestSeal",
    "Disqualification",
    "PrizeClaim",
    "Receipt",
    "ReceiptFlag",
    "Seller",
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
    "HouseOrganisation",
    "Invitation",
    "LoginCode",
    "Meeting",
    "MeetingDecision",
    "MeetingHouse",
    "MeetingProtocol",
    "MeetingQuestion",
    "MeetingRejection",
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
    "PollSealCheckpoint",
    "PollStat",
    "PollTerritory",
    "Premise",
    "PremiseHolder",
    "PremiseLink",
    "PromoCode",
    "Question",
    "SocialShare",
    "Street",
    "User",
    "UserAddress",
    "UserRole",
    "RenovationBallot",
    "RenovationCampaign",
    "RenovationCampaignHouse",
    "RenovationMeetingDecision",
]

# «Электронный дом»: house polls and informings.
__all__ += [
    "HousePoll",
    "HousePollChoice",
    "HousePollOption",
    "HousePollParticipant",
    "HousePollQuestion",
    "HousePollResponse",
]

# Subscriptions and feedback tickets.
from ag_app.models.feedback import FeedbackTicket, SubscriptionChoice  # noqa: E402

__all__ += ["FeedbackTicket", "SubscriptionChoice"]
# Rewards shop («Магазин поощрений»).
from ag_app.models.shop import (  # noqa: E402
    ParkingAccount,
    PickupPoint,
    ShopCategory,
    ShopItem,
    ShopOrder,
    ShopOrderEvent,
)

__all__ += ["ParkingAccount", "PickupPoint", "ShopCategory", "ShopItem", "ShopOrder", "ShopOrderEvent"]
# The status of the background jobs.
from ag_app.models.jobs import JobRun  # noqa: E402

__all__ += ["JobRun"]
