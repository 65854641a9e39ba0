"""Rules of «Электронный дом» house polls and informings (SPEC §6).

An initiator (owner, registered resident, management company or HOA of the house; identification
level 3) files an application: a poll («опрос», 1–10 questions, single or multiple choice) or an
informing («информирование», a message rated «Нравится» / «Не нравится»), for an audience (owners,
social tenants, residents — any non-empty combination) and a period. A moderator approves or
refuses it, with reasons from :data:`REFUSAL_REASONS`, within 5 working days.

Pure: times come in as parameters, nothing touches the database.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.identity import LEVEL_FULL
from ag_app.domain.polls import KINDS as QUESTION_KINDS
from ag_app.domain.polls import Refusal
from ag_app.domain.text import clean_text
from ag_app.domain.workdays import deadline
from ag_app.i18n import statuses

KINDS: dict[str, str] = {"poll": "Опрос", "informing": "Информирование"}
AUDIENCES: dict[str, str] = {
    "owners": "Собственники",
    "social_tenants": "Наниматели по договору социального найма",
    "residents": "Жители",
}
# A person's role in a house (the registry's roles) → the audience it belongs to.
ROLE_AUDIENCE: dict[str, str] = {
    "owner": "owners",
    "social_tenant": "social_tenants",
    "resident": "residents",
}
# SPEC §6.4: profile addresses of these kinds place a user among the house's people.
ADDRESS_ROLES: dict[str, str] = {"property": "owner", "registration": "resident", "residence": "resident"}
# SPEC §6.1: who may file an application for a house.
INITIATOR_ROLES: dict[str, str] = {
    "owner": "собственник помещения в доме",
    "registered_resident": "житель, зарегистрированный в доме по месту жительства",
    "management_company": "управляющая организация дома",
    "hoa": "ТСЖ, жилищный или жилищно-строительный кооператив дома",
}
RATINGS: dict[str, str] = {"like": "Нравится", "dislike": "Не нравится"}
# SPEC §6.3, in the wording of the seed (постановление Правительства Москвы от 27.02.2018 № 115-ПП).
REFUSAL_REASONS: dict[str, str] = {
    "not_authorised": "Заявка подана не уполномоченным на это лицом.",
    "rules": (
        "Заявка не соответствует положениям постановления о реализации проекта «Электронный дом» "
        "и (или) Правилам использования информационной системы проекта «Активный гражданин» при "
        "реализации проекта «Электронный дом»."
    ),
    "off_topic": (
        "Содержание опроса или информирования не относится к вопросам жизнедеятельности "
        "многоквартирного дома или благоустройства его придомовой территории и (или) не "
        "соответствует формату представления информации, установленному Правилами."
    ),
    "duplicate": "Содержание (суть) опроса или информирования аналогично ранее направленному запросу.",
    "insults": "Заявка содержит обвинения или оскорбления в адрес третьих лиц.",
    "hate": (
        "Заявка содержит информацию, направленную на пропаганду ненависти и дискриминации по "
        "расовому, этническому, половому, религиозному, социальному признакам, ограничение прав "
        "меньшинств, несовершеннолетних, а также информацию, причиняющую вред или призывающую к "
        "причинению вреда в любой форме."
    ),
    "personal_data": "Заявка содержит персональные данные, распространяемые без согласия субъекта персональных данных.",
    "errors": "Заявка содержит ошибки и (или) опечатки, препятствующие пониманию её смысла.",
    "obscene": "Заявка содержит нецензурную лексику или её производные.",
    "audience_mismatch": (
        "Содержание опроса или информирования не соответствует составу его участников, указанному в заявке."
    ),
}
STATUSES: dict[str, str] = statuses("house_poll")

# SPEC §6.3: the moderator decides within 5 working days.
MODERATION_WORKING_DAYS = 5
MIN_QUESTIONS = 1
MAX_QUESTIONS = 10
MIN_OPTIONS = 2
MAX_OPTIONS = 20
TITLE_LIMIT = 300
MESSAGE_LIMIT = 5000
QUESTION_TEXT_LIMIT = 1000
OPTION_TEXT_LIMIT = 500
COMMENT_LIMIT = 1000
APARTMENT_LIMIT = 10


@dataclass(frozen=True)
class HouseQuestionInput:
    """A question of a house poll: text, «single» or «multiple» choice, and option texts."""

    text: str
    kind: str = "single"
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HousePollInput:
    """An application (SPEC §6.2): ``message`` is the informing's text (for a poll, an optional
    introduction); ``questions`` are for polls only."""

    kind: str
    title: str
    audience: frozenset[str]
    starts_at: datetime
    ends_at: datetime
    message: str = ""
    questions: list[HouseQuestionInput] = field(default_factory=list)


def _limited(value: str, key: str, limit: int, **params: object) -> str:
    text = clean_text(value)
    if len(text) > limit:
        raise InvalidInput(key, limit=limit, **params)
    return text


def _clean_question(number: int, question: HouseQuestionInput) -> HouseQuestionInput:
    text = _limited(question.text, "house_poll.question_too_long", QUESTION_TEXT_LIMIT, number=number)
    if not text:
        raise InvalidInput("house_poll.question_text_required", number=number)
    if question.kind not in QUESTION_KINDS:
        raise InvalidInput("house_poll.question_kind_invalid", number=number)
    if len(question.options) < MIN_OPTIONS:
        raise InvalidInput("house_poll.options_required", number=number)
    if len(question.options) > MAX_OPTIONS:
        raise InvalidInput("house_poll.too_many_options", number=number, limit=MAX_OPTIONS)
    options = [
        _limited(o, "house_poll.option_too_long", OPTION_TEXT_LIMIT, number=number) for o in question.options
    ]
    if not all(options):
        raise InvalidInput("house_poll.option_text_required", number=number)
    if len({o.casefold() for o in options}) != len(options):
        raise InvalidInput("house_poll.option_duplicate", number=number)
    return HouseQuestionInput(text=text, kind=question.kind, options=options)


def validate_application(
    data: HousePollInput, *, now: datetime, prior: Sequence[tuple[str, InvalidInput]] = ()
) -> HousePollInput:
    """Check an application and return it cleaned.

    Rules: a known kind; a non-blank title of at most :data:`TITLE_LIMIT` characters; a non-empty
    audience of known groups; a period that ends after it starts and does not start in the past
    (before ``now``); an informing has a non-blank message and no questions; a poll has 1 to
    :data:`MAX_QUESTIONS` questions, each with a non-blank text, a kind «single» or «multiple» and
    2 to :data:`MAX_OPTIONS` non-blank, distinct options (case ignored); texts are limited in length.
    Every rule is checked, so the form lists all its problems at once; ``prior`` are problems the
    form found while reading its inputs (a field named there, e.g. «starts», is not checked again).

    Raises:
        FormProblems: naming the form fields «kind», «title», «audience», «starts», «ends»,
            «message», «questions» and «question-N» (one problem keeps its own key).
    """
    found = FormCheck("house_poll.form_problems", prior)
    if data.kind not in KINDS:
        found.add("kind", "house_poll.kind_invalid")
    title = clean_text(data.title)
    if not title:
        found.add("title", "house_poll.title_required")
    elif len(title) > TITLE_LIMIT:
        found.add("title", "house_poll.title_too_long", limit=TITLE_LIMIT)
    audience = frozenset(data.audience)
    if not audience:
        found.add("audience", "house_poll.audience_required")
    elif not audience <= AUDIENCES.keys():
        found.add("audience", "house_poll.audience_invalid")
    dates_unread = found.has("starts", "ends", "period")  # the form could not read a date
    if not dates_unread and as_utc(data.starts_at) < as_utc(now):
        found.add("starts", "house_poll.starts_in_past")
    if not dates_unread and as_utc(data.ends_at) <= as_utc(data.starts_at):
        found.add("ends", "house_poll.dates_order")
    message = clean_text(data.message)
    if len(message) > MESSAGE_LIMIT:
        found.add("message", "house_poll.message_too_long", limit=MESSAGE_LIMIT)
    questions: list[HouseQuestionInput] = []
    if data.kind == "informing":
        if not message:
            found.add("message", "house_poll.message_required")
        if data.questions:
            found.add("questions", "house_poll.informing_has_questions")
    elif data.kind in KINDS:
        if len(data.questions) < MIN_QUESTIONS:
            found.add("questions", "house_poll.questions_required")
        if len(data.questions) > MAX_QUESTIONS:
            found.add("questions", "house_poll.too_many_questions", limit=MAX_QUESTIONS)
        for number, question in enumerate(data.questions[:MAX_QUESTIONS], start=1):
            try:
                questions.append(_clean_question(number, question))
            except InvalidInput as error:
                found.add(f"question-{number}", error.key, **error.params)
    found.done()
    return HousePollInput(
        kind=data.kind,
        title=title,
        audience=audience,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        message=message,
        questions=questions,
    )


def initiator_roles(
    *,
    registry_roles: Iterable[str] = (),
    address_kinds: Iterable[str] = (),
    organisation_roles: Iterable[str] = (),
) -> frozenset[str]:
    """A user's :data:`INITIATOR_ROLES` in one house.

    ``registry_roles``: the user's verified roles in the house registry («owner», «social_tenant»,
    «resident»); ``address_kinds``: kinds of the user's profile addresses in this house;
    ``organisation_roles``: «management_company» / «hoa» when staff recorded that the user acts for
    the house's management company or HOA. An owner must be verified in the registry (a profile
    property address is not enough to file); a registered resident is a registry «resident» or
    has a registration address in the house.
    """
    registry, addresses = set(registry_roles), set(address_kinds)
    roles = {role for role in organisation_roles if role in ("management_company", "hoa")}
    if "owner" in registry:
        roles.add("owner")
    if "resident" in registry or "registration" in addresses:
        roles.add("registered_resident")
    return frozenset(roles)


def why_cannot_apply(*, level: int, roles: Iterable[str]) -> Refusal | None:
    """Why a user may not file an application for a house, or None (SPEC §6.1).

    The user must hold one of :data:`INITIATOR_ROLES` in the house (see :func:`initiator_roles`)
    and identification level 3; the role is checked first, so someone unrelated to the house is
    not sent to raise their level for nothing.
    """
    if not set(roles) & INITIATOR_ROLES.keys():
        return Refusal("house_poll.not_authorised")
    if level < LEVEL_FULL:
        return Refusal("house_poll.level_required")
    return None


def house_roles(*, registry_roles: Iterable[str] = (), address_kinds: Iterable[str] = ()) -> frozenset[str]:
    """A user's roles in one house for audiences: «owner», «social_tenant», «resident».

    From the registry (verified premises) and from profile addresses (SPEC §6.4): a property
    address makes an owner, a registration or residence address a resident.
    """
    roles = {role for role in registry_roles if role in ROLE_AUDIENCE}
    roles.update(ADDRESS_ROLES[kind] for kind in address_kinds if kind in ADDRESS_ROLES)
    return frozenset(roles)


def in_audience(audience: Iterable[str], roles: Iterable[str]) -> bool:
    """Whether a user with ``roles`` in the house (see :func:`house_roles`) belongs to ``audience``."""
    groups = set(audience)
    return any(ROLE_AUDIENCE.get(role) in groups for role in roles)


def moderation_deadline(filed_at: datetime) -> datetime:
    """When the moderator's decision is due: 5 working days after filing (SPEC §6.3), see
    :func:`ag_app.domain.workdays.deadline` for the end-of-day rule."""
    return deadline(filed_at, MODERATION_WORKING_DAYS)


def validate_refusal(reasons: Iterable[str]) -> tuple[str, ...]:
    """The moderator's refusal reasons: at least one, each a key of :data:`REFUSAL_REASONS`.

    Returned once each, in the order of the list.

    Raises:
        InvalidInput: when none is given or one is unknown.
    """
    chosen = set(reasons)
    if not chosen:
        raise InvalidInput("house_poll.refusal_reason_required")
    if not chosen <= REFUSAL_REASONS.keys():
        raise InvalidInput("house_poll.refusal_reason_unknown")
    return tuple(key for key in REFUSAL_REASONS if key in chosen)


def status(
    *,
    approved_at: datetime | None,
    refused_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> str:
    """The state of an application at ``now`` (a key of :data:`STATUSES`).

    Undecided: «moderation»; refused: «refused»; approved: «scheduled» before its start, «active»
    from the start (inclusive) to the end (exclusive), then «finished».
    """
    if refused_at is not None:
        return "refused"
    if approved_at is None:
        return "moderation"
    if as_utc(now) < as_utc(starts_at):
        return "scheduled"
    if as_utc(now) < as_utc(ends_at):
        return "active"
    return "finished"


def check_approvable(*, ends_at: datetime, now: datetime) -> None:
    """An application can be approved only while its period has not ended; approved after its
    start, it opens at once.

    Raises:
        InvalidInput: when the period is over (the moderator refuses it instead).
    """
    if as_utc(now) >= as_utc(ends_at):
        raise InvalidInput("house_poll.period_over")


def clean_participation(*, apartment: str, comment: str) -> tuple[str, str]:
    """A participant's optional apartment number and comment (seen only by the initiator, SPEC §6.4).

    The apartment is at most :data:`APARTMENT_LIMIT` letters and digits (a «/» or «-» allowed
    inside, e.g. «12», «7а», «12/1»); the comment at most :data:`COMMENT_LIMIT` characters. Blank
    means not given.

    Raises:
        InvalidInput: for a malformed apartment or a too long comment.
    """
    number = clean_text(apartment)
    if number and (
        len(number) > APARTMENT_LIMIT
        or not number[0].isalnum()
        or not all(ch.isalnum() or ch in "/-" for ch in number)
    ):
        raise InvalidInput("house_poll.apartment_invalid", limit=APARTMENT_LIMIT)
    text = _limited(comment, "house_poll.comment_too_long", COMMENT_LIMIT)
    return number, text


def check_rating(rating: str) -> str:
    """An informing's rating: «like» or «dislike».

    Raises:
        InvalidInput: for anything else.
    """
    if rating not in RATINGS:
        raise InvalidInput("house_poll.rating_invalid")
    return rating
