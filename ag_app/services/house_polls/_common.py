"""Helpers shared by the house poll use cases: audience, status, questions, results, a user's houses
and rights, the poll's lock and notices to the initiator."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.house_polls import AUDIENCES, initiator_roles, status
from ag_app.domain.identity import identification_level
from ag_app.domain.polls import OptionSpec, QuestionSpec
from ag_app.models import (
    House,
    HousePoll,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
    Street,
    User,
    UserAddress,
)
from ag_app.services.holdings import organisation_roles, verified_holdings
from ag_app.services.house_polls.views import (
    HOME_ADDRESS_KINDS,
    HousePollResults,
    OptionResult,
    OptionView,
    ParticipantNote,
    QuestionResult,
    QuestionView,
)
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email
from ag_app.services.registry import house_text


def _audience_keys(poll: HousePoll) -> list[str]:
    return [key for key in poll.audience.split(",") if key]


def _audience_names(poll: HousePoll) -> list[str]:
    return [AUDIENCES[key] for key in _audience_keys(poll)]


def _status_of(poll: HousePoll, now: datetime) -> str:
    return status(
        approved_at=poll.decided_at if poll.decision == "approved" else None,
        refused_at=poll.decided_at if poll.decision == "refused" else None,
        starts_at=poll.starts_at,
        ends_at=poll.ends_at,
        now=now,
    )


def _addresses(session: Session, house_ids: Iterable[int]) -> dict[int, str]:
    """«г. Москва, <street>, д. <number>» of each house."""
    ids = set(house_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(House.id, Street.name, House.number)
        .join(Street, col(Street.id) == House.street_id)
        .where(col(House.id).in_(ids))
    ).all()
    return {house_id: f"г. Москва, {house_text(street, number)}" for house_id, street, number in rows}


def _questions(session: Session, poll_id: int) -> list[QuestionView]:
    rows = session.exec(
        select(HousePollQuestion, HousePollOption)
        .join(HousePollOption, col(HousePollOption.question_id) == HousePollQuestion.id)
        .where(HousePollQuestion.poll_id == poll_id)
        .order_by(col(HousePollQuestion.position), col(HousePollOption.position))
    ).all()
    questions: dict[int, tuple[HousePollQuestion, list[OptionView]]] = {}
    for question, option in rows:
        questions.setdefault(question.id, (question, []))[1].append(OptionView(option.id, option.text))
    return [QuestionView(q.id, q.position, q.text, q.kind, options) for q, options in questions.values()]


def _question_specs(questions: Sequence[QuestionView]) -> list[QuestionSpec]:
    """The questions as :func:`ag_app.domain.polls.validate_answers` sees them (any number of
    options of a multiple-choice question may be picked)."""
    return [
        QuestionSpec(
            id=q.id,
            text=q.text,
            kind=q.kind,
            max_choices=len(q.options) if q.kind == "multiple" else 1,
            options=tuple(OptionSpec(o.id, o.text) for o in q.options),
        )
        for q in questions
    ]


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _results(
    session: Session, poll: HousePoll, questions: Sequence[QuestionView], now: datetime
) -> HousePollResults:
    """The results of a poll from its counters: participants, each option's votes or the
    informing's ratings (the counters move in the participation's transaction)."""
    total = poll.participants_count
    final = as_utc(now) >= as_utc(poll.ends_at)
    if poll.kind == "informing":
        return HousePollResults(total, [], poll.likes, poll.dislikes, final)
    votes = dict(
        session.exec(
            select(HousePollOption.id, HousePollOption.votes)
            .join(HousePollQuestion, col(HousePollQuestion.id) == HousePollOption.question_id)
            .where(HousePollQuestion.poll_id == poll.id)
        ).all()
    )
    results = [
        QuestionResult(
            q.id,
            q.text,
            [
                OptionResult(o.id, o.text, votes.get(o.id, 0), _percent(votes.get(o.id, 0), total))
                for o in q.options
            ],
        )
        for q in questions
    ]
    return HousePollResults(total, results, 0, 0, final)


def _notes(session: Session, poll_id: int) -> list[ParticipantNote]:
    """Apartments and comments of a poll, sorted by their text (never in the order people took part)."""
    rows = session.exec(
        select(HousePollResponse.apartment, HousePollResponse.comment)
        .where(
            HousePollResponse.poll_id == poll_id,
            (col(HousePollResponse.apartment) != "") | (col(HousePollResponse.comment) != ""),
        )
        .order_by(col(HousePollResponse.apartment), col(HousePollResponse.comment))
    ).all()
    return [ParticipantNote(apartment, comment) for apartment, comment in rows]


def _has_participated(session: Session, poll_id: int, user_id: int) -> bool:
    return (
        session.exec(
            select(HousePollParticipant.id).where(
                HousePollParticipant.poll_id == poll_id, HousePollParticipant.user_id == user_id
            )
        ).first()
        is not None
    )


def _home_house_ids(session: Session, user_id: int) -> set[int]:
    """Houses the user verifiably holds premises in or has a home address in."""
    houses = {holding.house_id for holding in verified_holdings(session, user_id)}
    houses.update(
        session.exec(
            select(UserAddress.house_id).where(
                UserAddress.user_id == user_id, col(UserAddress.kind).in_(HOME_ADDRESS_KINDS)
            )
        ).all()
    )
    return houses


def _initiator_roles_in(session: Session, user_id: int, house_id: int) -> frozenset[str]:
    """The user's :data:`~ag_app.domain.house_polls.INITIATOR_ROLES` in one house, from the registry,
    the profile addresses and the organisations staff recorded."""
    kinds = session.exec(
        select(UserAddress.kind).where(UserAddress.user_id == user_id, UserAddress.house_id == house_id)
    ).all()
    return initiator_roles(
        registry_roles={h.role for h in verified_holdings(session, user_id, house_id)},
        address_kinds=kinds,
        organisation_roles=organisation_roles(session, user_id, house_id),
    )


def _level(session: Session, user: User) -> int:
    has_address = (
        session.exec(select(UserAddress.id).where(UserAddress.user_id == user.id)).first() is not None
    )
    return identification_level(
        has_address=has_address, identity_verified=user.identity_verified_at is not None
    )


def _locked(session: Session, poll_id: int) -> HousePoll:
    """The application row locked for a decision (two moderators cannot both decide it)."""
    poll = session.exec(select(HousePoll).where(HousePoll.id == poll_id).with_for_update()).first()
    if poll is None:
        raise NotFound("house_poll.not_found")
    return poll


def _kind_word(poll: HousePoll) -> str:
    return "опрос" if poll.kind == "poll" else "информирование"


def _tell_initiator(session: Session, poll: HousePoll, *, title: str, body: str, now: datetime) -> None:
    """Notify the initiator in the app and, when they confirmed an e-mail, by e-mail (SPEC §6.3)."""
    link = "/house/polls/mine"
    notify(session, user_id=poll.initiator_id, title=title, body=body, link=link, now=now, topic="house")
    initiator = session.get(User, poll.initiator_id)
    if initiator is not None and initiator.email and initiator.email_confirmed_at is not None:
        send_email(
            session,
            to=initiator.email,
            subject=title[:300],
            body=f"Здравствуйте!\n\n{body}\n\nВаши заявки: раздел «Электронный дом» → «Мои заявки».",
            now=now,
            user_id=initiator.id,
            topic="house",
        )
