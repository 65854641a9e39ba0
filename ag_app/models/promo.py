"""The promo campaign «#ВыбираемВместе» (SPEC §10): campaigns, their draws and each citizen's part.

A draw's participant list is never copied: it is the set of :class:`PromoCitizen` rows of its window
(not opted out, with a vote), which cannot change once the window has closed — opt-outs end before
the first window does and a vote of a closed window is refused at import. Freezing a draw records the
list's SHA-256 and count; the published file is streamed from the same rows in key order.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class PromoCampaign(SQLModel, table=True):
    """A campaign from configuration: its phases and deadlines (UTC instants), prizes and vote source."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=40)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # The prize rules a winner accepts before «Активировать код».
    prize_rules: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    info_starts_at: datetime = instant()
    # Exclusive ends: the first instant that is no longer inside the phase.
    info_ends_at: datetime = instant()
    # Adult, registered in Moscow and with an identity document on this instant.
    eligibility_at: datetime = instant()
    opt_out_ends_at: datetime = instant()
    opt_in_ends_at: datetime = instant()
    category_opens_at: datetime = instant()
    category_ends_at: datetime = instant()
    # The one-time discount of a category draw's win, in prize points.
    category_discount: int = 15_000
    category_winners: int = 1
    extra_prize: int = 1_000
    activation_ends_at: datetime = instant()
    exchange_starts_at: datetime = instant()
    exchange_ends_at: datetime = instant()
    use_ends_at: datetime = instant()
    # «import» (the voting system's file) or «poll» (the completed ballots of ``vote_poll_id``).
    vote_source: str = Field(default="import", max_length=10)
    vote_poll_id: int | None = Field(default=None, foreign_key="poll.id")
    # The HMAC key of the pseudonymous list keys; never leaves the server.
    key_secret: str = Field(max_length=64)
    created_at: datetime = instant()
    # When the job annulled the winning codes not activated by the deadline (once per campaign).
    codes_annulled_at: datetime | None = instant(nullable=True, default=None)


class PromoDraw(SQLModel, table=True):
    """One draw: the main draw of a window or a category draw of a window.

    The seed is made with the draw and only its SHA-256 (``commitment``) is public until the draw.
    """

    __table_args__ = (UniqueConstraint("campaign_id", "kind", "category", "window"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="promocampaign.id", index=True)
    # «main» or «category».
    kind: str = Field(max_length=10)
    # A key of ``domain.promo.CATEGORIES`` for category draws, "" for main ones.
    category: str = Field(default="", max_length=20)
    # The window's index (0-based) in the campaign's windows.
    window: int
    window_ends_at: datetime = instant()
    due_at: datetime = instant()
    # Canonical prize spec, e.g. «5000x10,3000x20,1000x70» (``domain.promo.prizes_spec``).
    prizes: str = Field(max_length=500)
    seed: str = Field(max_length=64)
    commitment: str = Field(max_length=64)
    # Public randomness published after the window closed (RFC 3797 style); part of the inputs.
    entropy: str = Field(default="", max_length=200)
    list_sha256: str = Field(default="", max_length=64)
    list_count: int = 0
    frozen_at: datetime | None = instant(nullable=True, default=None)
    drawn_at: datetime | None = instant(nullable=True, default=None)
    # When the draw's results were announced: the extra prizes given and everyone with a prize told
    # by SMS (a step of its own right after the draw).
    announced_at: datetime | None = instant(nullable=True, default=None)
    winners_count: int = 0


class PromoCitizen(SQLModel, table=True):
    """An eligible citizen's part in a campaign: code, opt-out, vote, draws, prizes and prize points.

    Prize points are a balance of their own (1 point = 1 ₽), never mixed with civic points; CHECK
    constraints keep it from going below zero under any concurrency.
    """

    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id"),
        UniqueConstraint("campaign_id", "code"),
        # The published lists in key order, with the one more column they are filtered by (the list
        # is read from the index alone); partial, so issuing codes (no window yet) never touches them.
        Index(
            "ix_promocitizen_main_list",
            "campaign_id",
            "main_window",
            "key",
            "opted_out_at",
            sqlite_where=text("main_window IS NOT NULL"),
            postgresql_where=text("main_window IS NOT NULL"),
        ),
        Index(
            "ix_promocitizen_category_list",
            "campaign_id",
            "category",
            "category_window",
            "key",
            "opted_out_at",
            sqlite_where=text("category_window IS NOT NULL"),
            postgresql_where=text("category_window IS NOT NULL"),
        ),
        CheckConstraint("prize_points >= 0", name="ck_promocitizen_prize_points"),
        CheckConstraint("discount_left >= 0", name="ck_promocitizen_discount_left"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="promocampaign.id")
    # Looked up with the campaign (the unique key above); no index of its own.
    user_id: int = Field(foreign_key="user.id")
    # The unique code sent by SMS; personal: never in a list, page of others or log.
    code: str = Field(max_length=16)
    # The pseudonymous key of the published lists (``domain.promo.pseudonym``, 80 bits of a keyed
    # hash): found through the lists' indexes; freezing refuses a list where two citizens share one.
    key: str = Field(max_length=20)
    code_sent_at: datetime = instant()
    opted_out_at: datetime | None = instant(nullable=True, default=None)
    opt_out_reason: str = Field(default="", max_length=500)
    # When an opt-out was cancelled («Стать участником акции», rules accepted).
    rejoined_at: datetime | None = instant(nullable=True, default=None)
    # The vote fact: instant, «online» / «terminal», first online vote, age on the vote day.
    voted_at: datetime | None = instant(nullable=True, default=None)
    vote_channel: str = Field(default="", max_length=10)
    first_online: bool = False
    age_on_vote: int | None = None
    # Set only together with a vote (``category_window`` only with an online one): the lists rely on it.
    main_window: int | None = None
    category: str = Field(default="", max_length=20)
    category_at: datetime | None = instant(nullable=True, default=None)
    category_window: int | None = None
    # Won in the main draw / extra prize / category discount (0: none).
    main_prize: int = 0
    extra_prize: int = 0
    category_prize: int = 0
    activated_at: datetime | None = instant(nullable=True, default=None)
    # A category win after an activation needs a second «Активировать код».
    category_activated_at: datetime | None = instant(nullable=True, default=None)
    annulled_at: datetime | None = instant(nullable=True, default=None)
    prize_points: int = 0
    # What is left of the one-time category discount (the whole of it or 0).
    discount_left: int = 0
