"""The draws: freezing a window's list, running the draw once, publishing the files (SPEC §10.4–10.5).

When a window closes its list is frozen: the SHA-256 and count of the published file (one
pseudonymous key per line, sorted) are recorded. The draw runs in the hour before it is due, on
the committed seed (plus public randomness staff added after the window closed) by the ranking of
``domain.promo.draw_winners`` (the list streamed into it, never held in memory). Freezing,
drawing and announcing (the extra prizes and the SMS) each lock the draw's row and happen in one
transaction with their own marker (``frozen_at``, ``drawn_at``, ``announced_at``), so several workers do each once and
a crash halfway leaves nothing behind: re-running gives the same winners from the same inputs, and
nothing is paid or sent twice.
"""

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import chain

from sqlalchemy import Engine, and_, bindparam, select, update
from sqlalchemy.orm import Session

from ag_app.db import HotStatement, read_transaction, transaction
from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.promo import (
    EXTRA_PRIZE_AGE,
    effective_seed,
    parse_prizes,
    rank_keys,
    winners_lines,
)
from ag_app.i18n import message
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, User
from ag_app.services import outbox
from ag_app.services.access import Capability, require
from ag_app.services.promo.campaigns import MAIN

# The draw runs in the last hour before it is due («не позднее 10:00»): staff have from the
# window's close until then to add public randomness.
DRAW_LEAD = timedelta(hours=1)
ENTROPY_LIMIT = 200
_SMS_BATCH = 5_000
_LIST_CHUNK = 20_000


def _members(draw: PromoDraw):
    """The conditions of the draw's list: the window's citizens who did not opt out.

    A window is only ever given with a vote (a category window with an online vote), so these are
    all columns of the list's index: the list is read from the index alone, in key order.
    """
    c = PromoCitizen
    common = (c.campaign_id == draw.campaign_id, c.opted_out_at.is_(None))
    if draw.kind == MAIN:
        return and_(*common, c.main_window == draw.window)
    return and_(*common, c.category == draw.category, c.category_window == draw.window)


def _key_chunks(session: Session, draw: PromoDraw) -> Iterator[list[str]]:
    """The list's keys in byte order, streamed in chunks (a list has millions of keys)."""
    key = PromoCitizen.key
    if session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")
    listing = HotStatement(select(PromoCitizen.key).where(_members(draw)).order_by(key))
    # Straight from the driver: SQLAlchemy's row objects would cost more than the query itself.
    for rows in listing.stream(session.connection(), {}, _LIST_CHUNK):
        yield [value for (value,) in rows]


class _ListDigest:
    """SHA-256 and count of the published file (one key per line) of the keys passed through
    :meth:`feed`; a key that is not above the one before (two citizens with one key — a keyed-hash
    collision) stops the reading instead of publishing the list."""

    def __init__(self) -> None:
        self.sha256, self.count, self._last = hashlib.sha256(), 0, ""

    def feed(self, chunks: Iterator[list[str]]) -> Iterator[list[str]]:
        for chunk in chunks:
            if not (self._last < chunk[0] and all(a < b for a, b in zip(chunk, chunk[1:], strict=False))):
                raise Conflict("promo.list_key_repeated")
            self.sha256.update(("\n".join(chunk) + "\n").encode())
            self.count += len(chunk)
            self._last = chunk[-1]
            yield chunk

    def value(self) -> tuple[str, int]:
        return self.sha256.hexdigest(), self.count


def _locked(session: Session, draw_id: int) -> PromoDraw:
    draw = session.execute(
        select(PromoDraw).where(PromoDraw.id == draw_id).with_for_update()
    ).scalar_one_or_none()
    if draw is None:
        raise NotFound("promo.draw_not_found")
    return draw


def freeze(session: Session, *, draw_id: int, now: datetime) -> bool:
    """Freeze a closed window's list once: record its SHA-256 and count (True when frozen now)."""
    draw = _locked(session, draw_id)
    if draw.frozen_at is not None or now < as_utc(draw.window_ends_at):
        return False
    digest = _ListDigest()
    for _ in digest.feed(_key_chunks(session, draw)):
        pass
    draw.list_sha256, draw.list_count = digest.value()
    draw.frozen_at = now
    return True


def _winner_update(draw: PromoDraw):
    """One statement for every winner of the draw (executed with many parameter sets); it finds
    the key through the list's own index."""
    table = PromoCitizen.__table__
    if draw.kind == MAIN:
        column, within = "main_prize", (table.c.main_window == draw.window,)
    else:
        column = "category_prize"
        within = (table.c.category == draw.category, table.c.category_window == draw.window)
    return (
        update(table)
        .where(table.c.campaign_id == draw.campaign_id, *within, table.c.key == bindparam("p_key"))
        .values({column: bindparam("p_prize")})
    )


def _extra_prizes(session: Session, draw: PromoDraw, amount: int) -> int:
    """The appendix's extra prize for the window's online voters who won nothing in the main draw
    and voted online for the first time or were 60 or older (``domain.promo.extra_prize``)."""
    c = PromoCitizen
    return session.execute(
        update(c)
        .where(
            _members(draw),
            c.vote_channel == "online",
            c.main_prize == 0,
            (c.first_online.is_(True)) | (c.age_on_vote >= EXTRA_PRIZE_AGE),
        )
        .values(extra_prize=amount)
        .execution_options(synchronize_session=False)
    ).rowcount


def announce(session: Session, *, draw_id: int, now: datetime) -> bool:
    """Announce a drawn draw's results once (True when announced now): for a main draw the
    appendix's extra prizes, then an SMS to everyone with a prize; ``announced_at`` is set in the same
    transaction. Citizens without a main prize learn their result from this moment on."""
    draw = _locked(session, draw_id)
    if draw.drawn_at is None or draw.announced_at is not None:
        return False
    if draw.kind == MAIN:
        campaign = session.get(PromoCampaign, draw.campaign_id)
        if campaign.extra_prize:
            _extra_prizes(session, draw, campaign.extra_prize)
    c = PromoCitizen
    won = c.main_prize > 0 if draw.kind == MAIN else c.category_prize > 0
    if draw.kind == MAIN:
        won = won | (c.extra_prize > 0)
    rows = session.execute(
        select(User.phone, c.user_id, c.main_prize, c.extra_prize, c.category_prize)
        .join(User, User.id == c.user_id)
        .where(_members(draw), won),
        # Streamed: a main draw's extra prizes can reach a million citizens.
        execution_options={"yield_per": _SMS_BATCH},
    )
    batch = []
    texts: dict[tuple[str, int], str] = {}  # a draw has a handful of prize values: one text each
    for phone, user_id, main, extra, category in rows:
        if draw.kind != MAIN:
            key, prize = "promo.sms_category_won", category
        else:
            key, prize = ("promo.sms_won", main) if main else ("promo.sms_extra", extra)
        text = texts.get((key, prize))
        if text is None:
            text = texts[key, prize] = message(key, prize=numfmt.num(prize))
        batch.append((phone, text, user_id))
        if len(batch) == _SMS_BATCH:
            outbox.send_sms_many(session, batch, now=now)
            batch = []
    outbox.send_sms_many(session, batch, now=now)
    draw.announced_at = now
    return True


def run_draw(session: Session, *, draw_id: int, now: datetime) -> bool:
    """Run a frozen draw once (True when run now); the list must still match its frozen digest."""
    draw = _locked(session, draw_id)
    if draw.drawn_at is not None or draw.frozen_at is None or now < as_utc(draw.due_at) - DRAW_LEAD:
        return False
    prizes = sorted(parse_prizes(draw.prizes) if draw.prizes else [], reverse=True)
    # The keys stream from the database (sorted and unique per campaign) through the digest into the
    # ranking, which keeps only the best ``len(prizes)``: no copy of the list is held in memory.
    # Nothing is written before the digest and count are checked against the frozen ones.
    digest = _ListDigest()
    chunks = digest.feed(_key_chunks(session, draw))
    seed = effective_seed(bytes.fromhex(draw.seed), draw.entropy)
    ranked = rank_keys(seed, chain.from_iterable(chunks), min(len(prizes), draw.list_count))
    for _ in chunks:  # a draw without prizes still reads (and checks) the whole list
        pass
    if digest.value() != (draw.list_sha256, draw.list_count):
        raise Conflict("promo.list_changed")
    # As ``domain.promo.draw_winners``: rank 0 gets the largest prize, and so on.
    winners = dict(zip(ranked, prizes, strict=False))
    if winners:
        session.connection().execute(
            _winner_update(draw), [{"p_key": key, "p_prize": prize} for key, prize in winners.items()]
        )
    draw.winners_count = len(winners)
    draw.drawn_at = now
    return True


def set_entropy(session: Session, *, actor_id: int | None, draw_id: int, entropy: str, now: datetime) -> None:
    """Staff add public randomness published after the window closed, before the draw runs."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    entropy = " ".join((entropy or "").split())
    if len(entropy) > ENTROPY_LIMIT:
        raise InvalidInput("promo.entropy_too_long", limit=ENTROPY_LIMIT)
    draw = _locked(session, draw_id)
    if draw.drawn_at is not None:
        raise Conflict("promo.entropy_after_draw")
    if draw.frozen_at is None:
        raise Conflict("promo.entropy_before_close")
    draw.entropy = entropy


def due_draws(engine: Engine, *, now: datetime, stop=lambda: False) -> int:
    """Freeze every closed window, run every due draw and tell its winners (the job); returns draws run."""
    with read_transaction(engine) as session:
        pending = session.execute(
            select(PromoDraw.id, PromoDraw.frozen_at)
            .where(PromoDraw.announced_at.is_(None), PromoDraw.window_ends_at <= now)
            .order_by(PromoDraw.due_at, PromoDraw.id)
        ).all()
    ran = 0
    for draw_id, frozen_at in pending:
        if frozen_at is None:
            with transaction(engine) as session:
                freeze(session, draw_id=draw_id, now=now)
        with transaction(engine) as session:
            ran += run_draw(session, draw_id=draw_id, now=now)
        with transaction(engine) as session:
            announce(session, draw_id=draw_id, now=now)
        if stop():
            break
    return ran


def participants_file(session: Session, draw: PromoDraw) -> Iterator[bytes]:
    """The published list of a frozen draw: one key per line, sorted, UTF-8."""
    if draw.frozen_at is None:
        raise NotFound("promo.list_not_frozen")
    for chunk in _key_chunks(session, draw):
        yield ("\n".join(chunk) + "\n").encode()


def winners_file(session: Session, draw: PromoDraw) -> Iterator[bytes]:
    """The published result of a drawn draw: «key;prize» by key."""
    if draw.drawn_at is None:
        raise NotFound("promo.draw_not_run")
    column = PromoCitizen.main_prize if draw.kind == MAIN else PromoCitizen.category_prize
    rows = session.execute(select(PromoCitizen.key, column).where(_members(draw), column > 0)).all()
    yield from winners_lines(dict(rows))


def annul_unactivated(engine: Engine, *, now: datetime) -> int:
    """After the activation deadline, every winning code with nothing activated is annulled (a job,
    once per campaign). A category win left unactivated after an activated main prize simply
    never opens its discount."""
    c = PromoCitizen
    annulled = 0
    with read_transaction(engine) as session:
        ids = (
            session.execute(
                select(PromoCampaign.id).where(
                    PromoCampaign.activation_ends_at <= now, PromoCampaign.codes_annulled_at.is_(None)
                )
            )
            .scalars()
            .all()
        )
    for campaign_id in ids:
        with transaction(engine) as session:
            campaign = session.execute(
                select(PromoCampaign).where(PromoCampaign.id == campaign_id).with_for_update()
            ).scalar_one()
            if campaign.codes_annulled_at is not None:
                continue
            won = (c.main_prize + c.extra_prize + c.category_prize) > 0
            annulled += session.execute(
                update(c)
                .where(
                    c.campaign_id == campaign_id,
                    won,
                    c.activated_at.is_(None),
                    c.category_activated_at.is_(None),
                )
                .values(annulled_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            campaign.codes_annulled_at = now
    return annulled
