"""A citizen's own part in a campaign: what the «Акция» page shows and the four actions on it.

Every action is one conditional UPDATE of the citizen's row, so twenty concurrent presses change
the state once: an opt-out only from «taking part», a cancellation only from «opted out», a category
only while none is chosen, an activation only of a prize not yet activated. The deadlines are the
campaign's (``domain.promo`` decides them at the minute, in Moscow time).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, update
from sqlmodel import Session, select

from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed
from ag_app.domain.promo import (
    CATEGORIES,
    activation_open,
    category_open,
    check_category,
    draw_window,
    exchange_open,
    opt_in_open,
    opt_out_open,
)
from ag_app.domain.promo_citizen import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    CitizenFacts,
    citizen_status,
    eligibility_problem,
)
from ag_app.domain.text import clean_text
from ag_app.i18n import message
from ag_app.models import PromoCampaign, PromoCitizen, PromoDraw, User, UserAddress
from ag_app.services.access import active_user
from ag_app.services.promo.campaigns import CATEGORY, MAIN, draws_of, get_campaign, schedule_of

REASON_LIMIT = 500


@dataclass(frozen=True)
class CitizenView:
    """The citizen's state in plain words and what they may do now."""

    status: str
    status_text: str
    code: str
    key: str
    # The Moscow date of the main draw the citizen takes part in (None: none).
    draw_on: date | None
    main_prize: int
    extra_prize: int
    category: str
    category_name: str
    category_prize: int
    prize_points: int
    discount_left: int
    activated: bool
    category_activated: bool
    can_opt_out: bool
    can_opt_in: bool
    can_choose_category: bool
    can_activate: bool
    can_exchange: bool
    can_choose_gift: bool
    # Why an action is not offered any more (deadlines, level), in plain words; "" when nothing to say.
    notes: tuple[str, ...]


def _row(session: Session, campaign_id: int, user_id: int) -> PromoCitizen | None:
    return session.exec(
        select(PromoCitizen).where(PromoCitizen.campaign_id == campaign_id, PromoCitizen.user_id == user_id)
    ).first()


def _not_eligible(session: Session, campaign: PromoCampaign, user: User) -> CitizenView:
    has_registration = (
        session.exec(
            select(UserAddress.id).where(UserAddress.user_id == user.id, UserAddress.kind == "registration")
        ).first()
        is not None
    )
    problem = eligibility_problem(
        account_by_moment=as_utc(user.created_at) <= as_utc(campaign.eligibility_at),
        birth_date=user.birth_date,
        eligibility_day=moscow_date(campaign.eligibility_at),
        has_registration=has_registration,
        has_document=bool(user.passport_number),
    )
    text = message(problem) if problem else message("promo.status_code_pending")
    return CitizenView(
        status=NOT_ELIGIBLE if problem else ELIGIBLE,
        status_text=text,
        code="",
        key="",
        draw_on=None,
        main_prize=0,
        extra_prize=0,
        category="",
        category_name="",
        category_prize=0,
        prize_points=0,
        discount_left=0,
        activated=False,
        category_activated=False,
        can_opt_out=False,
        can_opt_in=False,
        can_choose_category=False,
        can_activate=False,
        can_exchange=False,
        can_choose_gift=False,
        notes=(),
    )


def _status_text(status: str, row: PromoCitizen, draw_on: date | None) -> str:
    day = draw_on.strftime("%d.%m.%Y") if draw_on else ""
    return message(
        f"promo.status_{status}",
        day=day,
        prize=numfmt.num(row.main_prize),
        extra=numfmt.num(row.extra_prize),
    )


def my_state(session: Session, *, actor_id: int | None, campaign_id: int, now: datetime) -> CitizenView:
    """What the «Акция» page tells the logged-in citizen about themselves."""
    user = active_user(session, actor_id)
    campaign = get_campaign(session, campaign_id)
    row = _row(session, campaign_id, user.id)
    if row is None:
        return _not_eligible(session, campaign, user)
    draws = draws_of(session, campaign_id)
    schedule = schedule_of(campaign, draws)
    main = {d.window: d for d in draws if d.kind == MAIN}
    draw = main.get(row.main_window) if row.main_window is not None else None
    status = citizen_status(
        CitizenFacts(
            opted_out=row.opted_out_at is not None,
            voted=row.voted_at is not None,
            in_window=draw is not None,
            drawn=draw is not None and draw.announced_at is not None,
            main_prize=row.main_prize,
            extra_prize=row.extra_prize,
            category_prize=row.category_prize,
            annulled=row.annulled_at is not None,
        )
    )
    draw_on = moscow_date(draw.due_at) if draw is not None else None
    text = _status_text(status, row, draw_on)
    if status == ELIGIBLE and schedule.window_ends and now >= schedule.window_ends[-1]:
        text = message("promo.status_no_vote")
    taking_part = row.opted_out_at is None
    prize_waiting = (row.main_prize or row.extra_prize) and row.activated_at is None
    category_waiting = row.category_prize and row.category_activated_at is None
    can_activate = bool(
        (prize_waiting or category_waiting) and row.annulled_at is None and activation_open(schedule, now)
    )
    full_level = user.identity_verified_at is not None
    notes: list[str] = []
    if taking_part and not opt_out_open(schedule, now) and now >= schedule.opt_out_ends_at:
        notes.append(message("promo.note_opt_out_closed"))
    if not taking_part and not opt_in_open(schedule, now):
        notes.append(message("promo.note_opt_in_closed"))
    if (prize_waiting or category_waiting) and not can_activate and row.annulled_at is None:
        notes.append(message("promo.note_activation_closed"))
    if row.activated_at is not None and not full_level:
        notes.append(message("promo.exchange_level"))
    exchange_now = exchange_open(schedule, now) and row.annulled_at is None and full_level
    return CitizenView(
        status=status,
        status_text=text,
        code=row.code,
        key=row.key,
        draw_on=draw_on,
        main_prize=row.main_prize,
        extra_prize=row.extra_prize,
        category=row.category,
        category_name=CATEGORIES.get(row.category, ""),
        category_prize=row.category_prize,
        prize_points=row.prize_points,
        discount_left=row.discount_left,
        activated=row.activated_at is not None,
        category_activated=row.category_activated_at is not None,
        can_opt_out=taking_part and opt_out_open(schedule, now),
        can_opt_in=not taking_part and opt_in_open(schedule, now),
        can_choose_category=taking_part and not row.category and category_open(schedule, now),
        can_activate=can_activate,
        can_exchange=exchange_now and row.activated_at is not None and row.prize_points > 0,
        can_choose_gift=exchange_now and row.category_activated_at is not None and row.discount_left > 0,
        notes=tuple(notes),
    )


def _citizen_for_action(session: Session, actor_id: int | None, campaign_id: int):
    user = active_user(session, actor_id)
    campaign = get_campaign(session, campaign_id)
    row = _row(session, campaign_id, user.id)
    if row is None:
        raise NotAllowed("promo.not_eligible")
    return user, campaign, row


def _schedule(session: Session, campaign: PromoCampaign):
    return schedule_of(campaign, draws_of(session, campaign.id))


def _changed(session: Session, statement) -> bool:
    return session.connection().execute(statement).rowcount == 1


def opt_out(session: Session, *, actor_id: int | None, campaign_id: int, reason: str, now: datetime) -> None:
    """«Отказаться от участия» until 23:59 of the deadline; the reason is optional."""
    _, campaign, row = _citizen_for_action(session, actor_id, campaign_id)
    reason = clean_text(reason)
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("promo.reason_too_long", limit=REASON_LIMIT)
    if not opt_out_open(_schedule(session, campaign), now):
        raise Conflict("promo.opt_out_closed")
    done = _changed(
        session,
        update(PromoCitizen)
        .where(PromoCitizen.id == row.id, PromoCitizen.opted_out_at.is_(None))
        .values(opted_out_at=now, opt_out_reason=reason, rejoined_at=None),
    )
    if not done:
        raise Conflict("promo.already_opted_out")


def opt_in(
    session: Session, *, actor_id: int | None, campaign_id: int, accept_rules: bool, now: datetime
) -> None:
    """«Стать участником акции»: cancels an opt-out until 22:59 of the deadline, rules accepted."""
    _, campaign, row = _citizen_for_action(session, actor_id, campaign_id)
    if not accept_rules:
        raise InvalidInput("promo.rules_required")
    if not opt_in_open(_schedule(session, campaign), now):
        raise Conflict("promo.opt_in_closed")
    done = _changed(
        session,
        update(PromoCitizen)
        .where(PromoCitizen.id == row.id, PromoCitizen.opted_out_at.is_not(None))
        .values(opted_out_at=None, opt_out_reason="", rejoined_at=now),
    )
    if not done:
        raise Conflict("promo.already_taking_part")


def _locked_open_draw(session: Session, campaign_id: int, kind: str, category: str, window: int) -> PromoDraw:
    """The draw a new entry joins, locked against its freezing; refused once its window closed."""
    draw = session.exec(
        select(PromoDraw)
        .where(
            PromoDraw.campaign_id == campaign_id,
            PromoDraw.kind == kind,
            PromoDraw.category == category,
            PromoDraw.window == window,
        )
        .with_for_update()
    ).first()
    if draw is None or draw.frozen_at is not None:
        raise Conflict("promo.window_closed")
    return draw


def choose_category(
    session: Session, *, actor_id: int | None, campaign_id: int, category: str, now: datetime
) -> None:
    """Register once for one category draw; the category cannot be changed afterwards.

    An online voter joins the category draw of the window given by the later of the vote and the
    registration (appendix, p. 2.3).
    """
    _, campaign, row = _citizen_for_action(session, actor_id, campaign_id)
    category = check_category(category)
    schedule = _schedule(session, campaign)
    if not category_open(schedule, now):
        raise Conflict("promo.category_closed")
    if row.opted_out_at is not None:
        raise Conflict("promo.category_opted_out")
    window = None
    if row.vote_channel == "online" and row.voted_at is not None:
        window = draw_window(max(as_utc(row.voted_at), now), schedule.window_ends)
        if window is not None:
            _locked_open_draw(session, campaign_id, CATEGORY, category, window)
    done = _changed(
        session,
        update(PromoCitizen)
        .where(PromoCitizen.id == row.id, PromoCitizen.category == "", PromoCitizen.opted_out_at.is_(None))
        .values(category=category, category_at=now, category_window=window),
    )
    if not done:
        raise Conflict("promo.category_taken")


def activate(
    session: Session, *, actor_id: int | None, campaign_id: int, accept_rules: bool, now: datetime
) -> None:
    """«Активировать код»: credits the main and extra prize once and opens a category discount once.

    A category win after an earlier activation needs this press again (appendix, p. 2.3).
    """
    _, campaign, row = _citizen_for_action(session, actor_id, campaign_id)
    if not accept_rules:
        raise InvalidInput("promo.prize_rules_required")
    if row.annulled_at is not None:
        raise Conflict("promo.code_annulled")
    if not (row.main_prize or row.extra_prize or row.category_prize):
        raise NotAllowed("promo.not_a_winner")
    if not activation_open(_schedule(session, campaign), now):
        raise Conflict("promo.activation_closed")
    prize = update(PromoCitizen).where(
        PromoCitizen.id == row.id,
        PromoCitizen.activated_at.is_(None),
        PromoCitizen.annulled_at.is_(None),
        (PromoCitizen.main_prize + PromoCitizen.extra_prize) > 0,
    )
    credited = _changed(
        session,
        prize.values(
            activated_at=now,
            prize_points=PromoCitizen.prize_points + PromoCitizen.main_prize + PromoCitizen.extra_prize,
        ),
    )
    discount = _changed(
        session,
        update(PromoCitizen)
        .where(
            and_(
                PromoCitizen.id == row.id,
                PromoCitizen.category_activated_at.is_(None),
                PromoCitizen.annulled_at.is_(None),
                PromoCitizen.category_prize > 0,
            )
        )
        .values(category_activated_at=now, discount_left=PromoCitizen.category_prize),
    )
    if not (credited or discount):
        raise Conflict("promo.already_activated")
