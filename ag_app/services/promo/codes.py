"""Unique codes by SMS for every eligible citizen during the information phase (a job).

Eligible (SPEC §10.1): an active account created by the eligibility moment, adult on that day, a
registration address (the house registry is Moscow's) and an identity document on file — i.e.
identification level 2 or 3 with a passport. The job is idempotent and safe with several workers:
a citizen's row is unique per campaign, an insert that loses a race (or draws a code already
taken) is skipped until the next run, and only the rows this run inserted get their SMS — never two codes for one person.
"""

from datetime import date, datetime

from sqlalchemy import Engine, and_, exists, select
from sqlalchemy.orm import Session

from ag_app.db import driver_value, insert_rows, read_transaction, transaction
from ag_app.domain.clock import moscow_date
from ag_app.domain.promo import codes_open, new_codes, pseudonyms
from ag_app.domain.promo_citizen import adult_born_by
from ag_app.models import PromoCampaign, PromoCitizen, User, UserAddress
from ag_app.services import outbox
from ag_app.services.promo.campaigns import draws_of, schedule_of
from ag_app.services.promo.texts import code_sms

BATCH = 5_000
_CITIZEN_COLUMNS = (
    "campaign_id",
    "user_id",
    "code",
    "key",
    "code_sent_at",
    "opt_out_reason",
    "vote_channel",
    "first_online",
    "category",
    "main_prize",
    "extra_prize",
    "category_prize",
    "prize_points",
    "discount_left",
)


def eligible_ids(campaign: PromoCampaign, *, after: int, limit: int):
    """The statement of eligible users after id ``after`` who have no code yet, by id."""
    born_by: date = adult_born_by(moscow_date(campaign.eligibility_at))
    registered = exists().where(and_(UserAddress.user_id == User.id, UserAddress.kind == "registration"))
    has_code = exists().where(and_(PromoCitizen.campaign_id == campaign.id, PromoCitizen.user_id == User.id))
    return (
        select(User.id, User.phone)
        .where(
            User.id > after,
            User.deactivated_at.is_(None),
            User.created_at <= campaign.eligibility_at,
            User.birth_date.is_not(None),
            User.birth_date <= born_by,
            User.passport_number != "",
            registered,
            ~has_code,
        )
        .order_by(User.id)
        .limit(limit)
    )


def issue_batch(
    session: Session, *, campaign_id: int, now: datetime, after: int, batch: int = BATCH
) -> tuple[int, int | None]:
    """One batch of codes (the caller's transaction): (codes sent, the last user id looked at —
    None when no candidate was left)."""
    campaign = session.get(PromoCampaign, campaign_id)
    rows = session.execute(eligible_ids(campaign, after=after, limit=batch)).all()
    if not rows:
        return 0, None
    secret = bytes.fromhex(campaign.key_secret)
    conn = session.connection()
    table = PromoCitizen.__table__
    sent_at = driver_value(conn, table.c.code_sent_at, now)
    ids = [user_id for user_id, _ in rows]
    ours = dict(zip(ids, new_codes(len(ids)), strict=True))
    keys = pseudonyms(secret, ids)
    # The zeros and blanks of a fresh row are written explicitly: the driver gets plain tuples.
    values = [
        (campaign_id, user_id, ours[user_id], key, sent_at, "", "", False, "", 0, 0, 0, 0, 0)
        for user_id, key in zip(ids, keys, strict=True)
    ]
    insert_rows(conn, table, _CITIZEN_COLUMNS, values, skip_conflicts=True)
    # A row lost to a racing worker (or a code already taken) keeps another code: only ours get an SMS.
    stored = conn.execute(
        select(table.c.user_id, table.c.code).where(
            table.c.campaign_id == campaign_id, table.c.user_id.between(ids[0], ids[-1])
        )
    ).all()
    inserted = [(uid, code) for uid, code in stored if ours.get(uid) == code]
    phones = dict(rows)
    text_of = code_sms(campaign)
    outbox.send_sms_many(session, [(phones[uid], text_of(code), uid) for uid, code in inserted], now=now)
    return len(inserted), rows[-1][0]


def issue_codes(
    engine: Engine, *, campaign_id: int, now: datetime, batch: int = BATCH, stop=lambda: False
) -> int:
    """Codes for every eligible citizen still without one; 0 outside the codes period."""
    with read_transaction(engine) as session:
        campaign = session.get(PromoCampaign, campaign_id)
        if campaign is None or not codes_open(schedule_of(campaign, draws_of(session, campaign_id)), now):
            return 0
    sent, after = 0, 0
    while True:
        with transaction(engine) as session:
            count, last = issue_batch(session, campaign_id=campaign_id, now=now, after=after, batch=batch)
        sent += count
        if last is None or stop():
            return sent
        after = last


def issue_due_codes(engine: Engine, *, now: datetime, stop=lambda: False) -> int:
    """Codes for every campaign whose codes go out now (the job)."""
    with read_transaction(engine) as session:
        ids = (
            session.execute(
                select(PromoCampaign.id).where(
                    PromoCampaign.info_ends_at <= now, PromoCampaign.opt_out_ends_at > now
                )
            )
            .scalars()
            .all()
        )
    return sum(issue_codes(engine, campaign_id=campaign_id, now=now, stop=stop) for campaign_id in ids)
