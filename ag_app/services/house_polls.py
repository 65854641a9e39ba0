"""«Электронный дом» house polls and informings (SPEC §6): filing, moderation, participation, results.

Every use case re-reads the actor and their rights from the database. Participation is anonymous
by construction (see :mod:`ag_app.models.house_polls`): the participant row says only that a user
took part; the response row holds the answers, the optional apartment number and comment, with a
random key, no user id and no time. No DTO of this module carries a user id, name or phone.
"""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.house_polls import (
    AUDIENCES,
    INITIATOR_ROLES,
    KINDS,
    RATINGS,
    REFUSAL_REASONS,
    STATUSES,
    HousePollInput,
    HouseQuestionInput,
    check_approvable,
    check_rating,
    clean_participation,
    in_audience,
    initiator_roles,
    moderation_deadline,
    status,
    validate_application,
    validate_refusal,
    why_cannot_apply,
)
from ag_app.domain.identity import identification_level
from ag_app.domain.polls import AnswerInput, OptionSpec, QuestionSpec, validate_answers
from ag_app.domain.stats import SUPPRESSED, published_counts
from ag_app.domain.workdays import calendar_known
from ag_app.i18n import message
from ag_app.models import (
    House,
    HouseOrganisation,
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
    NewsItem,
    Street,
    User,
    UserAddress,
)
from ag_app.services.access import active_user, require_role
from ag_app.services.holdings import organisation_roles, roles_in_house, verified_holdings
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email
from ag_app.services.registry import house_text

__all__ = [
    "AnswerInput",
    "HousePollInput",
    "HouseQuestionInput",
    "approve",
    "file_application",
    "get_house_poll",
    "houses_for_application",
    "list_house_polls",
    "moderation_queue",
    "my_applications",
    "participate",
    "publish_finished_results",
    "refuse",
]

# Who moderates applications (an administrator holds every role).
MODERATOR_ROLE = "moderator"
# Profile address kinds that tie a user to a house (SPEC §6.4; a work address does not).
HOME_ADDRESS_KINDS = ("property", "registration", "residence")
NEWS_TITLE_LIMIT = 300
# Finished polls whose results one job run publishes at most.
PUBLISH_BATCH = 100


# ----------------------------------------------------------------------------------------------
# DTOs


@dataclass(frozen=True)
class HouseChoice:
    """A house the user may file an application for, and as whom (names of their initiator roles)."""

    house_id: int
    address: str
    roles: list[str]
    role_names: list[str]


@dataclass(frozen=True)
class OptionView:
    """An answer option of a house poll question."""

    id: int
    text: str


@dataclass(frozen=True)
class QuestionView:
    """A question with its options in order; ``position`` counts from 1."""

    id: int
    position: int
    text: str
    kind: str
    options: list[OptionView]


@dataclass(frozen=True)
class OptionResult:
    """How many participants chose an option, and their share in percent."""

    id: int
    text: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionResult:
    """Results of one question of a poll."""

    id: int
    text: str
    options: list[OptionResult]


@dataclass(frozen=True)
class HousePollResults:
    """Results: per question for a poll, «Нравится» / «Не нравится» for an informing.

    ``final`` once the period is over.
    """

    participants: int
    questions: list[QuestionResult]
    likes: int
    dislikes: int
    final: bool


@dataclass(frozen=True)
class HousePollSummary:
    """A house poll or informing in a resident's list."""

    id: int
    house_id: int
    address: str
    kind: str
    kind_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_name: str
    participated: bool
    participants: int


@dataclass(frozen=True, kw_only=True)
class HousePollDetail(HousePollSummary):
    """A house poll's page: texts, questions, whether the user may take part, visible results."""

    message: str
    audience_names: list[str]
    questions: list[QuestionView]
    can_participate: bool
    cannot_participate_reason: str
    results: HousePollResults | None


@dataclass(frozen=True)
class ParticipantNote:
    """An apartment number and/or a comment a participant left for the initiator — never who."""

    apartment: str
    comment: str


@dataclass(frozen=True)
class ModerationItem:
    """An application waiting for the moderator, with its deadline (``overdue`` once it passed)."""

    id: int
    address: str
    kind: str
    kind_name: str
    title: str
    message: str
    audience_names: list[str]
    questions: list[QuestionView]
    starts_at: datetime
    ends_at: datetime
    initiator_role_name: str
    filed_at: datetime
    due_at: datetime
    overdue: bool
    # False when the production calendar of the deadline's year is not loaded (weekends only).
    calendar_known: bool


@dataclass(frozen=True)
class InitiatorApplication:
    """One of the initiator's applications: status, refusal reasons, and for approved ones the
    results, the number of participants and the apartments and comments (never who)."""

    id: int
    address: str
    kind: str
    kind_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_name: str
    filed_at: datetime
    due_at: datetime
    decided_at: datetime | None
    refusal_reasons: list[str]
    participants: int
    results: HousePollResults | None
    notes: list[ParticipantNote]


@dataclass(frozen=True)
class ParticipationOutcome:
    """Taking part succeeded; the intermediate results are shown at once (SPEC §6.4)."""

    results: HousePollResults


# ----------------------------------------------------------------------------------------------
# Helpers


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


# ----------------------------------------------------------------------------------------------
# Filing


def houses_for_application(session: Session, *, actor_id: int | None) -> list[HouseChoice]:
    """Houses the actor holds an initiator role in (SPEC §6.1), by address.

    The level is not checked here (filing refuses a level below 3 with the reason).
    """
    user = active_user(session, actor_id)
    house_ids = _home_house_ids(session, user.id)
    house_ids.update(
        session.exec(select(HouseOrganisation.house_id).where(HouseOrganisation.user_id == user.id)).all()
    )
    addresses = _addresses(session, house_ids)
    choices = []
    for house_id in house_ids:
        roles = _initiator_roles_in(session, user.id, house_id)
        if roles:
            ordered = [role for role in INITIATOR_ROLES if role in roles]
            choices.append(
                HouseChoice(
                    house_id, addresses.get(house_id, ""), ordered, [INITIATOR_ROLES[r] for r in ordered]
                )
            )
    return sorted(choices, key=lambda c: (c.address, c.house_id))


def file_application(
    session: Session,
    *,
    actor_id: int | None,
    house_id: int,
    data: HousePollInput,
    role: str = "",
    now: datetime,
) -> int:
    """File a house poll or informing for moderation (SPEC §6.1–6.3); returns its id.

    The actor must hold an initiator role in the house and identification level 3; ``role`` names
    the role they apply as (by default the first of theirs in the order of
    :data:`~ag_app.domain.house_polls.INITIATOR_ROLES`). The moderator's deadline is 5 working
    days on the production calendar.

    Raises:
        NotFound: no such house.
        NotAllowed: the actor may not apply for this house (the message says why).
        InvalidInput: a rule of :func:`ag_app.domain.house_polls.validate_application` is broken.
    """
    user = active_user(session, actor_id)
    if session.get(House, house_id) is None:
        raise NotFound("house_poll.house_not_found")
    roles = _initiator_roles_in(session, user.id, house_id)
    refusal = why_cannot_apply(level=_level(session, user), roles=roles)
    if refusal is not None:
        raise NotAllowed(refusal.key, **refusal.params)
    if role and role not in roles:
        raise NotAllowed("house_poll.not_authorised")
    chosen_role = role or next(r for r in INITIATOR_ROLES if r in roles)
    clean = validate_application(data, now=now)
    poll = HousePoll(
        house_id=house_id,
        kind=clean.kind,
        title=clean.title,
        message=clean.message,
        audience=",".join(key for key in AUDIENCES if key in clean.audience),
        starts_at=as_utc(clean.starts_at),
        ends_at=as_utc(clean.ends_at),
        initiator_id=user.id,
        initiator_role=chosen_role,
        filed_at=now,
        moderation_due_at=moderation_deadline(now),
    )
    session.add(poll)
    session.flush()
    for position, question_input in enumerate(clean.questions, start=1):
        question = HousePollQuestion(
            poll_id=poll.id, position=position, text=question_input.text, kind=question_input.kind
        )
        session.add(question)
        session.flush()
        for option_position, text in enumerate(question_input.options, start=1):
            session.add(HousePollOption(question_id=question.id, position=option_position, text=text))
    session.flush()
    return poll.id


# ----------------------------------------------------------------------------------------------
# Moderation


def moderation_queue(session: Session, *, actor_id: int | None, now: datetime) -> list[ModerationItem]:
    """Applications waiting for a decision, the nearest deadline first (moderators only)."""
    require_role(session, actor_id, MODERATOR_ROLE)
    polls = session.exec(
        select(HousePoll)
        .where(HousePoll.decision == "")
        .order_by(col(HousePoll.moderation_due_at), col(HousePoll.id))
    ).all()
    addresses = _addresses(session, (p.house_id for p in polls))
    return [
        ModerationItem(
            id=poll.id,
            address=addresses.get(poll.house_id, ""),
            kind=poll.kind,
            kind_name=KINDS[poll.kind],
            title=poll.title,
            message=poll.message,
            audience_names=_audience_names(poll),
            questions=_questions(session, poll.id),
            starts_at=as_utc(poll.starts_at),
            ends_at=as_utc(poll.ends_at),
            initiator_role_name=INITIATOR_ROLES.get(poll.initiator_role, poll.initiator_role),
            filed_at=as_utc(poll.filed_at),
            due_at=as_utc(poll.moderation_due_at),
            overdue=as_utc(now) >= as_utc(poll.moderation_due_at),
            calendar_known=calendar_known(moscow_date(poll.moderation_due_at).year),
        )
        for poll in polls
    ]


def _undecided(session: Session, poll_id: int) -> HousePoll:
    poll = _locked(session, poll_id)
    if poll.decision:
        raise Conflict("house_poll.already_decided")
    return poll


def approve(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Approve an application: it opens at its start (at once when that has passed); the initiator
    is notified in the app and by e-mail.

    Raises:
        NotAllowed: the actor is not a moderator.
        Conflict: the application was already decided.
        InvalidInput: its period is over (it can only be refused).
    """
    moderator = require_role(session, actor_id, MODERATOR_ROLE)
    poll = _undecided(session, poll_id)
    check_approvable(ends_at=poll.ends_at, now=now)
    poll.decision, poll.decided_at, poll.moderator_id = "approved", now, moderator.id
    session.add(poll)
    session.flush()
    _tell_initiator(
        session,
        poll,
        title=f"Заявка одобрена: «{poll.title}»"[:300],
        body=(
            f"Модератор одобрил ваше {_kind_word(poll)} «{poll.title}». Жители дома увидят его "
            "в разделе «Электронный дом» в назначенный период."
        ),
        now=now,
    )


def refuse(
    session: Session, *, actor_id: int | None, poll_id: int, reasons: Iterable[str], now: datetime
) -> None:
    """Refuse an application with one or more reasons of SPEC §6.3; the initiator is notified in
    the app and by e-mail with the reasons.

    Raises:
        NotAllowed: the actor is not a moderator.
        InvalidInput: no reason or an unknown one.
        Conflict: the application was already decided.
    """
    moderator = require_role(session, actor_id, MODERATOR_ROLE)
    chosen = validate_refusal(reasons)
    poll = _undecided(session, poll_id)
    poll.decision, poll.decided_at, poll.moderator_id = "refused", now, moderator.id
    poll.refusal_reasons = ",".join(chosen)
    session.add(poll)
    session.flush()
    listed = "\n".join(f"— {REFUSAL_REASONS[key]}" for key in chosen)
    _tell_initiator(
        session,
        poll,
        title=f"Заявка отклонена: «{poll.title}»"[:300],
        body=f"Модератор отклонил ваше {_kind_word(poll)} «{poll.title}». Причины:\n{listed}",
        now=now,
    )


# ----------------------------------------------------------------------------------------------
# Residents


def _summary_fields(poll: HousePoll, address: str, *, participated: bool, now: datetime) -> dict:
    state = _status_of(poll, now)
    return {
        "id": poll.id,
        "house_id": poll.house_id,
        "address": address,
        "kind": poll.kind,
        "kind_name": KINDS[poll.kind],
        "title": poll.title,
        "starts_at": as_utc(poll.starts_at),
        "ends_at": as_utc(poll.ends_at),
        "status": state,
        "status_name": STATUSES[state],
        "participated": participated,
        "participants": poll.participants_count,
    }


def list_house_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[HousePollSummary]:
    """Approved house polls and informings of the actor's houses whose audience the actor belongs
    to (SPEC §6.4): open ones first (by end), then scheduled, then finished (newest first)."""
    user = active_user(session, actor_id)
    house_ids = _home_house_ids(session, user.id)
    if not house_ids:
        return []
    polls = session.exec(
        select(HousePoll).where(col(HousePoll.house_id).in_(house_ids), HousePoll.decision == "approved")
    ).all()
    roles = {house_id: roles_in_house(session, user.id, house_id) for house_id in house_ids}
    visible = [p for p in polls if in_audience(_audience_keys(p), roles[p.house_id])]
    taken = set(
        session.exec(
            select(HousePollParticipant.poll_id).where(
                HousePollParticipant.user_id == user.id,
                col(HousePollParticipant.poll_id).in_([p.id for p in visible]),
            )
        ).all()
    )
    addresses = _addresses(session, (p.house_id for p in visible))
    summaries = [
        HousePollSummary(
            **_summary_fields(p, addresses.get(p.house_id, ""), participated=p.id in taken, now=now)
        )
        for p in visible
    ]
    order = {"active": 0, "scheduled": 1, "finished": 2}

    def key(s: HousePollSummary) -> tuple:
        ends = s.ends_at.timestamp()
        return (order[s.status], -ends if s.status == "finished" else ends, s.id)

    return sorted(summaries, key=key)


def _visible_poll(session: Session, user: User, poll_id: int) -> tuple[HousePoll, bool]:
    """An approved poll the user may see — in its audience, or its initiator — and whether the user
    is in the audience. Anything else is «не найдено»."""
    poll = session.get(HousePoll, poll_id)
    if poll is None or poll.decision != "approved":
        raise NotFound("house_poll.not_found")
    member = in_audience(_audience_keys(poll), roles_in_house(session, user.id, poll.house_id))
    if not member and poll.initiator_id != user.id:
        raise NotFound("house_poll.not_found")
    return poll, member


def get_house_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> HousePollDetail:
    """A house poll's page for a member of its audience (or its initiator).

    Intermediate results are shown after taking part; final results after the end; the initiator
    sees them always. Opening a finished poll publishes its final results if the job has not yet.

    Raises:
        NotFound: no such approved poll, or the actor is neither in its audience nor its initiator.
    """
    user = active_user(session, actor_id)
    poll, member = _visible_poll(session, user, poll_id)
    state = _status_of(poll, now)
    if state == "finished" and poll.results_published_at is None:
        _publish_results(session, poll.id, now)
        session.refresh(poll)
    participated = _has_participated(session, poll.id, user.id)
    questions = _questions(session, poll.id)
    reason = ""
    if participated:
        reason = "house_poll.already_participated"
    elif not member:
        reason = "house_poll.not_in_audience"
    elif state != "active":
        reason = "house_poll.not_started" if state == "scheduled" else "house_poll.finished"
    show_results = participated or state == "finished" or poll.initiator_id == user.id
    return HousePollDetail(
        **_summary_fields(
            poll,
            _addresses(session, [poll.house_id]).get(poll.house_id, ""),
            participated=participated,
            now=now,
        ),
        message=poll.message,
        audience_names=_audience_names(poll),
        questions=questions,
        can_participate=not reason,
        cannot_participate_reason=message(reason) if reason else "",
        results=_results(session, poll, questions, now) if show_results else None,
    )


def _insert_participant(session: Session, poll_id: int, user_id: int) -> bool:
    """Record that the user took part; False when they already had (the unique key decides, even
    between racing transactions)."""
    dialect = session.connection().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(HousePollParticipant)
        .values(poll_id=poll_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(HousePollParticipant.id)
    ).first()
    return inserted is not None


def participate(
    session: Session,
    *,
    actor_id: int | None,
    poll_id: int,
    answers: Sequence[AnswerInput] = (),
    rating: str = "",
    apartment: str = "",
    comment: str = "",
    now: datetime,
) -> ParticipationOutcome:
    """Take part once in an open house poll (every question answered by the rules of
    :func:`ag_app.domain.polls.validate_answers`) or informing (``rating`` «like» / «dislike»),
    optionally with the apartment number and a comment for the initiator (SPEC §6.4).

    The response is written without the user; only the fact of taking part is kept with them.

    Raises:
        NotFound: no such approved poll visible to the actor.
        NotAllowed: the actor is not in its audience, or it is not open now.
        Conflict: the actor already took part («house_poll.already_participated»), even when two
            requests race.
        InvalidInput: an answer, the rating, the apartment or the comment is invalid.
    """
    user = active_user(session, actor_id)
    poll, member = _visible_poll(session, user, poll_id)
    if not member:
        raise NotAllowed("house_poll.not_in_audience")
    state = _status_of(poll, now)
    if state == "scheduled":
        raise NotAllowed("house_poll.not_started")
    if state != "active":
        raise NotAllowed("house_poll.finished")
    if _has_participated(session, poll.id, user.id):
        raise Conflict("house_poll.already_participated")
    questions = _questions(session, poll.id)
    if poll.kind == "informing":
        if answers:
            raise InvalidInput("house_poll.rating_invalid")
        chosen_rating = check_rating(rating)
        chosen_options: list[int] = []
    else:
        if rating:
            raise InvalidInput("house_poll.rating_not_expected")
        chosen_rating = ""
        clean = validate_answers(_question_specs(questions), list(answers))
        chosen_options = [option_id for answer in clean for option_id in answer.option_ids]
    apartment_text, comment_text = clean_participation(apartment=apartment, comment=comment)
    if not _insert_participant(session, poll.id, user.id):
        raise Conflict("house_poll.already_participated")
    response = HousePollResponse(
        id=secrets.token_hex(16),
        poll_id=poll.id,
        rating=chosen_rating,
        apartment=apartment_text,
        comment=comment_text,
    )
    session.add(response)
    session.flush()
    session.add_all(
        HousePollChoice(response_id=response.id, option_id=option_id) for option_id in chosen_options
    )
    counters = {"participants_count": HousePoll.participants_count + 1}
    if chosen_rating == "like":
        counters["likes"] = HousePoll.likes + 1
    elif chosen_rating == "dislike":
        counters["dislikes"] = HousePoll.dislikes + 1
    # The poll row first (it also refuses a poll that ended meanwhile), then the options in id
    # order: concurrent participations take the row locks in one order.
    counted = session.execute(
        update(HousePoll)
        .where(col(HousePoll.id) == poll.id, col(HousePoll.ends_at) > now)
        .values(counters)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise NotAllowed("house_poll.finished")
    if chosen_options:
        session.execute(
            update(HousePollOption)
            .where(col(HousePollOption.id).in_(sorted(chosen_options)))
            .values(votes=HousePollOption.votes + 1)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    session.refresh(poll)
    return ParticipationOutcome(results=_results(session, poll, questions, now))


# ----------------------------------------------------------------------------------------------
# The initiator


def my_applications(session: Session, *, actor_id: int | None, now: datetime) -> list[InitiatorApplication]:
    """The actor's applications, newest first: status and refusal reasons; for approved ones the
    results, the number of participants and the apartments and comments — never who took part."""
    user = active_user(session, actor_id)
    polls = session.exec(
        select(HousePoll)
        .where(HousePoll.initiator_id == user.id)
        .order_by(col(HousePoll.filed_at).desc(), col(HousePoll.id).desc())
    ).all()
    addresses = _addresses(session, (p.house_id for p in polls))
    applications = []
    for poll in polls:
        state = _status_of(poll, now)
        approved = poll.decision == "approved"
        applications.append(
            InitiatorApplication(
                id=poll.id,
                address=addresses.get(poll.house_id, ""),
                kind=poll.kind,
                kind_name=KINDS[poll.kind],
                title=poll.title,
                starts_at=as_utc(poll.starts_at),
                ends_at=as_utc(poll.ends_at),
                status=state,
                status_name=STATUSES[state],
                filed_at=as_utc(poll.filed_at),
                due_at=as_utc(poll.moderation_due_at),
                decided_at=as_utc(poll.decided_at) if poll.decided_at else None,
                refusal_reasons=[REFUSAL_REASONS[k] for k in poll.refusal_reasons.split(",") if k],
                participants=poll.participants_count,
                results=_results(session, poll, _questions(session, poll.id), now) if approved else None,
                notes=_notes(session, poll.id) if approved else [],
            )
        )
    return applications


# ----------------------------------------------------------------------------------------------
# Final results in «Новости»


def _news_title(poll: HousePoll) -> str:
    prefix = "Итоги опроса" if poll.kind == "poll" else "Итоги информирования"
    text = f"{prefix} «{poll.title}»"
    if len(text) <= NEWS_TITLE_LIMIT:
        return text
    return f"{prefix} «{poll.title[: NEWS_TITLE_LIMIT - len(prefix) - 4]}…»"


def _lead_in(question: str) -> str:
    """A question as the lead-in of its answers: «Вопрос:», but «Нужен ли шлагбаум?» as it is (no «?:»)."""
    text = question.rstrip().rstrip(":")
    return text if text.endswith(("?", "!", "…")) else f"{text}:"


def _news_body(poll: HousePoll, address: str, results: HousePollResults) -> str:
    """The public «Новости» text: every count under 5 is «<5» (SPEC §5.4), with its percent hidden.

    The options of a question that add up to the participants form one group with them, as do
    «Нравится» / «Не нравится», so no hidden count can be recovered by subtraction.
    """
    values = [results.participants, results.likes, results.dislikes]
    groups: list[list[int]] = []
    if results.likes + results.dislikes == results.participants:
        groups.append([0, 1, 2])
    spans: list[range] = []
    for question in results.questions:
        start = len(values)
        values.extend(o.count for o in question.options)
        spans.append(range(start, len(values)))
        if sum(o.count for o in question.options) == results.participants:
            groups.append([0, *spans[-1]])
    shown = published_counts(values, groups)
    lines = [f"Дом: {address}.", f"Приняли участие: {shown[0]}."]
    if poll.kind == "informing":
        lines.append(f"{RATINGS['like']}: {shown[1]}; {RATINGS['dislike']}: {shown[2]}.")
    for number, (question, span) in enumerate(zip(results.questions, spans, strict=True), start=1):
        answers = "; ".join(
            f"«{o.text}» — {shown[i]}" + ("" if shown[i] == SUPPRESSED else f" ({numfmt.percent(o.percent)})")
            for o, i in zip(question.options, span, strict=True)
        )
        lines.append(f"{number}. {_lead_in(question.text)} {answers}.")
    return "\n".join(lines)


def _publish_results(session: Session, poll_id: int, now: datetime) -> bool:
    """Publish one finished poll's final results in «Новости» and tell its participants; once
    (the row lock and ``results_published_at`` make a second call do nothing)."""
    poll = _locked(session, poll_id)
    if (
        poll.results_published_at is not None
        or poll.decision != "approved"
        or _status_of(poll, now) != "finished"
    ):
        return False
    results = _results(session, poll, _questions(session, poll.id), now)
    address = _addresses(session, [poll.house_id]).get(poll.house_id, "")
    session.add(
        NewsItem(
            kind="results", title=_news_title(poll), body=_news_body(poll, address, results), published_at=now
        )
    )
    poll.results_published_at = now
    session.add(poll)
    participants = session.exec(
        select(HousePollParticipant.user_id).where(HousePollParticipant.poll_id == poll.id)
    ).all()
    for user_id in participants:
        notify(
            session,
            user_id=user_id,
            title=_news_title(poll),
            body="Итоги опубликованы в «Новостях».",
            link=f"/house/polls/{poll.id}",
            now=now,
            topic="results",
        )
    session.flush()
    return True


def publish_finished_results(session: Session, *, now: datetime, limit: int = PUBLISH_BATCH) -> int:
    """Publish the final results of approved house polls that have ended (a periodic job step;
    idempotent); returns how many were published."""
    due = session.exec(
        select(HousePoll.id)
        .where(
            HousePoll.decision == "approved",
            col(HousePoll.results_published_at).is_(None),
            col(HousePoll.ends_at) <= now,
        )
        .order_by(col(HousePoll.ends_at), col(HousePoll.id))
        .limit(limit)
    ).all()
    return sum(_publish_results(session, poll_id, now) for poll_id in due)
