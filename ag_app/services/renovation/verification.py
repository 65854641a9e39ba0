"""How a renovation vote comes to count: the registry check, the apartment's recount, the check code
sent to the voter, and the moderators' queue (verify or reject)."""

import hashlib
import hmac
import random
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.roles import Capability
from ag_app.domain.text import clean_text
from ag_app.models import Premise, PremiseHolder, PremiseLink, RenovationBallot, RenovationCampaign, User
from ag_app.services.access import require
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email, send_sms
from ag_app.services.renovation._common import _address, _holder_name, _lock_premise, _status_text
from ag_app.services.renovation.views import CHECK_PATH, REASON_LIMIT, VOTER_ROLES, CastOutcome, QueueItem
from ag_app.settings import get_settings


def check_code_hash(code: str) -> str:
    """The stored form of a check code: HMAC-SHA256 under the secret key (the code is never stored).

    A plain hash of 10¹² possible codes could be reversed by trying them all; the key prevents it.
    """
    return hmac.new(get_settings().require_secret().encode(), code.encode(), hashlib.sha256).hexdigest()


def _recount(session: Session, *, campaign_id: int, premise_id: int, person_ref: str) -> None:
    """Set ``counted`` on the person's verified votes for the apartment by SPEC §8.2.2."""
    ballots = session.exec(
        select(RenovationBallot).where(
            RenovationBallot.campaign_id == campaign_id,
            RenovationBallot.premise_id == premise_id,
            RenovationBallot.person_ref == person_ref,
        )
    ).all()
    verified = [b for b in ballots if b.status == "verified"]
    winners = {
        vote.id
        for vote in rules.counted_votes(
            rules.RenovationVote(
                id=b.id,
                person=b.person_ref,
                apartment=str(b.premise_id),
                choice=b.choice,
                channel=b.channel,
                cast_at=b.cast_at,
            )
            for b in verified
        )
    }
    for ballot in ballots:
        counted = ballot.id in winners
        if ballot.counted != counted:
            ballot.counted = counted
            session.add(ballot)
    session.flush()


def _issue_code(session: Session, ballot: RenovationBallot, rng: random.Random) -> str:
    """Give a verified vote a new unique check code; returns the code (stored only as its hash)."""
    while True:
        code = rules.check_code(rng)
        ballot.check_code_hash = check_code_hash(code)
        ballot.check_code_tail = code[-4:]
        try:
            with session.begin_nested():
                session.add(ballot)
                session.flush()
        except IntegrityError:
            continue
        return code


def _send_code(session: Session, ballot: RenovationBallot, code: str, address: str, now: datetime) -> None:
    """SMS and e-mail the check code to the accounts behind the vote (the voter's, or for an
    in-person vote the accounts linked to the registry row)."""
    if ballot.user_id is not None:
        user_ids = [ballot.user_id]
    else:
        user_ids = list(
            session.exec(select(PremiseLink.user_id).where(PremiseLink.holder_id == ballot.holder_id))
        )
    premise = session.get(Premise, ballot.premise_id)
    link = f"{get_settings().public_url.rstrip('/')}{CHECK_PATH}"
    pretty = rules.format_check_code(code)
    for user_id in user_ids:
        user = session.get(User, user_id)
        if user is None or user.deactivated_at is not None:
            continue
        send_sms(
            session,
            phone=user.phone,
            text=f"Ваш голос по дому {address}, кв. {premise.number} учтён. Код проверки: {pretty}. {link}",
            now=now,
        )
        if user.email and user.email_confirmed_at is not None:
            send_email(
                session,
                to=user.email,
                user_id=user.id,
                subject="Код проверки вашего голоса по дому",
                body=(
                    f"Здравствуйте!\n\nВаш голос по дому {address}, кв. {premise.number} проверен и учтён.\n"
                    f"Код проверки: {pretty}\n\nПо этому коду на странице {link} можно увидеть, "
                    "как учтён ваш голос. Никому не сообщайте код, если не хотите показать свой выбор."
                ),
                now=now,
            )


def _names_match(user: User, holder: PremiseHolder) -> bool:
    """A person's registry row names the account's owner (:func:`~ag_app.domain.house_registry.same_person`)."""
    return holder.person_kind == "person" and same_person(
        PersonData(holder.last_name, holder.first_name, holder.patronymic, holder.birth_date),
        PersonData(user.last_name, user.first_name, user.patronymic, user.birth_date),
    )


def registry_matches(session: Session, ballot: RenovationBallot) -> bool:
    """Whether an online vote's registry row still names the voter (automatic verification).

    It does when the account's link to the row exists, the row is still in the registry as an
    owner or social tenant of the same apartment and the same person, and the row names the
    account's owner by the same rule as linking the apartment (full name and birth date, see
    :func:`ag_app.domain.house_registry.same_person`; a company owner is always checked by a
    moderator).
    """
    if ballot.user_id is None:
        return False
    holder = session.get(PremiseHolder, ballot.holder_id)
    user = session.get(User, ballot.user_id)
    linked = session.exec(
        select(PremiseLink.id).where(
            PremiseLink.holder_id == ballot.holder_id, PremiseLink.user_id == ballot.user_id
        )
    ).first()
    return (
        holder is not None
        and user is not None
        and linked is not None
        and holder.premise_id == ballot.premise_id
        and holder.role in VOTER_ROLES
        and holder.person_ref == ballot.person_ref
        and user.identity_verified_at is not None
        and _names_match(user, holder)
    )


def _verify(
    session: Session, ballot: RenovationBallot, *, by: int | None, now: datetime, rng: random.Random
) -> str:
    """Mark the vote verified, recount its apartment, issue and send the check code."""
    ballot.status = "verified"
    ballot.verified_at = now
    ballot.verified_by = by
    session.add(ballot)
    session.flush()
    _recount(
        session, campaign_id=ballot.campaign_id, premise_id=ballot.premise_id, person_ref=ballot.person_ref
    )
    code = _issue_code(session, ballot, rng)
    address, _ = _address(session, ballot.house_id)
    _send_code(session, ballot, code, address, now)
    return code


def _outcome(session: Session, ballot: RenovationBallot, code: str) -> CastOutcome:
    return CastOutcome(
        ballot_id=ballot.id,
        status=ballot.status,
        status_name=_status_text(session, ballot),
        verification_due=as_utc(ballot.verification_due),
        check_code=code,
    )


def verification_queue(session: Session, *, actor_id: int | None, now: datetime) -> list[QueueItem]:
    """The votes «на проверке», the nearest deadline first (moderators and administrators)."""
    require(session, actor_id, Capability.RENOVATION_MODERATE)
    rows = session.exec(
        select(RenovationBallot, RenovationCampaign.title, Premise.number)
        .join(RenovationCampaign, col(RenovationCampaign.id) == RenovationBallot.campaign_id)
        .join(Premise, col(Premise.id) == RenovationBallot.premise_id)
        .where(RenovationBallot.status == "pending")
        .order_by(RenovationBallot.verification_due, RenovationBallot.id)
    ).all()
    items = []
    for ballot, title, number in rows:
        user = session.get(User, ballot.user_id) if ballot.user_id is not None else None
        holder = session.get(PremiseHolder, ballot.holder_id)
        address, _ = _address(session, ballot.house_id)
        items.append(
            QueueItem(
                ballot_id=ballot.id,
                campaign_title=title,
                address=address,
                apartment=number,
                channel=rules.CHANNELS[ballot.channel],
                cast_at=as_utc(ballot.cast_at),
                verification_due=as_utc(ballot.verification_due),
                overdue=as_utc(now) >= as_utc(ballot.verification_due),
                voter_name=" ".join(p for p in (user.last_name, user.first_name, user.patronymic) if p)
                if user
                else "",
                registry_name=_holder_name(holder)
                if holder and holder.premise_id == ballot.premise_id
                else "",
                registry_role=holder.role if holder and holder.premise_id == ballot.premise_id else "",
            )
        )
    return items


def _pending_for_update(session: Session, ballot_id: int) -> RenovationBallot:
    ballot = session.get(RenovationBallot, ballot_id)
    if ballot is None:
        raise NotFound("renovation.vote_not_found")
    _lock_premise(session, ballot.premise_id)
    session.refresh(ballot)
    if ballot.status != "pending":
        raise Conflict("renovation.already_checked")
    return ballot


def verify_vote(
    session: Session, *, actor_id: int | None, ballot_id: int, now: datetime, rng: random.Random | None = None
) -> None:
    """A moderator confirms a vote «на проверке»: it counts and the voter gets the check code.

    Raises:
        NotAllowed: the actor is not a moderator.
        NotFound: no such vote.
        Conflict: the vote was already verified or rejected.
    """
    moderator = require(session, actor_id, Capability.RENOVATION_MODERATE)
    ballot = _pending_for_update(session, ballot_id)
    _verify(session, ballot, by=moderator.id, now=now, rng=rng or secrets.SystemRandom())


def reject_vote(
    session: Session, *, actor_id: int | None, ballot_id: int, reason: str, now: datetime
) -> None:
    """A moderator rejects a vote «на проверке» with a reason; it never counts and the voter is told.

    Raises:
        NotAllowed: the actor is not a moderator.
        NotFound: no such vote.
        InvalidInput: no reason, or one over 500 characters.
        Conflict: the vote was already verified or rejected.
    """
    moderator = require(session, actor_id, Capability.RENOVATION_MODERATE)
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput("renovation.reason_required")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("renovation.reason_too_long", limit=REASON_LIMIT)
    ballot = _pending_for_update(session, ballot_id)
    ballot.status = "rejected"
    ballot.reject_reason = reason
    ballot.verified_at = now
    ballot.verified_by = moderator.id
    session.add(ballot)
    session.flush()
    if ballot.user_id is not None:
        address, _ = _address(session, ballot.house_id)
        notify(
            session,
            user_id=ballot.user_id,
            title=f"Голос по дому {address} не учтён",
            body=f"Причина: {reason}",
            link="/house/renovation",
            now=now,
        )
