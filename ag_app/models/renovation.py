"""The renovation-type house vote (SPEC §8): campaigns, their houses, votes and meeting decisions.

Staff open a campaign («голосование по дому») for a set of houses; owners and social tenants vote
«За» / «Против» per apartment online, staff enter votes given in person at a service centre. A vote
counts only once verified; the ``counted`` flag is kept by the use cases under a lock of the
apartment, so a house is tallied by one aggregate query. A general meeting's decision entered by
staff overrides the vote of its house.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class RenovationCampaign(SQLModel, table=True):
    """A house vote opened by staff: the question and the voting period."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    # The question put to the residents, e.g. «Включить дом в программу реновации?».
    question: str = Field(max_length=1000)
    starts_at: datetime = instant()
    ends_at: datetime = instant()
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant()


class RenovationCampaignHouse(SQLModel, table=True):
    """A house taking part in a campaign."""

    __table_args__ = (UniqueConstraint("campaign_id", "house_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # Indexed by the unique key (campaign first).
    campaign_id: int = Field(foreign_key="renovationcampaign.id")
    house_id: int = Field(foreign_key="house.id", index=True)


class RenovationBallot(SQLModel, table=True):
    """One vote for one apartment: online by an account, or in person entered by staff.

    ``person_ref`` is the registry's identifier of the voter, the same across their accounts, so
    double votes are recognised (SPEC §8.2.2). ``holder_id`` is the registry row the vote was given
    under; it has no foreign key because a re-import may replace the row, which the verification
    then notices.
    """

    __table_args__ = (
        # One online vote per account and apartment (in-person votes have no account).
        UniqueConstraint("campaign_id", "premise_id", "user_id"),
        CheckConstraint("choice IN ('for', 'against')", name="ck_renovationballot_choice"),
        CheckConstraint("channel IN ('online', 'in_person')", name="ck_renovationballot_channel"),
        CheckConstraint("status IN ('pending', 'verified', 'rejected')", name="ck_renovationballot_status"),
        CheckConstraint("NOT counted OR status = 'verified'", name="ck_renovationballot_counted_verified"),
        # The tally reads the counted votes of a campaign by house and apartment from this index alone.
        Index(
            "ix_renovationballot_tally",
            "campaign_id",
            "house_id",
            "premise_id",
            "choice",
            sqlite_where=text("counted"),
            postgresql_where=text("counted"),
        ),
        # The moderators' queue: pending votes by deadline.
        Index("ix_renovationballot_queue", "status", "verification_due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="renovationcampaign.id")
    # Denormalised from the premise: a house is tallied without a join.
    house_id: int = Field(foreign_key="house.id")
    # Votes of an apartment are read by the unique key (campaign, premise, …).
    premise_id: int = Field(foreign_key="premise.id")
    # The voter's account (online votes); None for a vote given in person.
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    # The staff member who entered an in-person vote.
    entered_by: int | None = Field(default=None, foreign_key="user.id")
    person_ref: str = Field(max_length=64)
    holder_id: int
    # «for» or «against».
    choice: str = Field(max_length=10)
    # «online» or «in_person».
    channel: str = Field(max_length=10)
    cast_at: datetime = instant()
    # «pending» («на проверке»), «verified» or «rejected».
    status: str = Field(default="pending", max_length=10)
    # Why a moderator rejected the vote (shown to the voter and with the check code).
    reject_reason: str = Field(default="", max_length=500)
    verified_at: datetime | None = instant(nullable=True, default=None)
    # The moderator who verified or rejected the vote; None when the registry matched automatically.
    verified_by: int | None = Field(default=None, foreign_key="user.id")
    verification_due: datetime = instant()
    # Whether the vote counts now (verified and not replaced, SPEC §8.2.2).
    counted: bool = False
    # HMAC-SHA256 of the 12-digit check code under the secret key: the code itself is never stored.
    check_code_hash: str | None = Field(default=None, max_length=64, unique=True)
    # The code's last four digits, so the voter recognises it on their page.
    check_code_tail: str = Field(default="", max_length=4)


class RenovationMeetingDecision(SQLModel, table=True):
    """A general meeting's decision on the campaign's question for one house, entered by staff."""

    __table_args__ = (
        UniqueConstraint("campaign_id", "house_id"),
        CheckConstraint(
            "total_votes > 0 AND for_votes >= 0 AND for_votes <= total_votes",
            name="ck_renovationmeetingdecision_votes",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="renovationcampaign.id")
    house_id: int = Field(foreign_key="house.id")
    # Number and date of the protocol, e.g. «№ 3 от 20.06.2026».
    protocol: str = Field(max_length=300)
    # Votes (m²) «за» and all votes of the house, as written in the protocol.
    for_votes: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    total_votes: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    entered_by: int = Field(foreign_key="user.id")
    entered_at: datetime = instant()
