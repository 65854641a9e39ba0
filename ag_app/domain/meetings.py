"""Rules of general meetings of owners («ОСС», SPEC §7): weights, quorum, adoption, agenda, period.

Votes are m² (1 m² = 1 vote). Every comparison is exact: values are turned into
:class:`fractions.Fraction` (exact for ``Decimal``, ``Fraction`` and ``int``) before comparing, and
nothing is rounded before the final comparison. Only what is shown to people is rounded
(:func:`round_m2`, :func:`votes_still_needed`).

Pure: times come in as parameters, nothing touches the database.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from math import ceil, floor

from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.errors import InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.polls import Refusal
from ag_app.domain.text import clean_text

Votes = Decimal | Fraction | int

# SPEC §7.2: the allowed topics of an agenda question (key → Russian label).
TOPICS: dict[str, str] = {
    "capital_repair": "Реконструкция и капитальный ремонт дома, фонд капитального ремонта",
    "land_plot": "Использование земельного участка и строительство на нём",
    "common_property": "Пользование общим имуществом дома",
    "management_method": "Выбор способа управления домом",
    "current_repair": "Текущий ремонт дома",
    "organisational": "Организационные вопросы, полномочия совета дома и его председателя",
    "other": "Другие вопросы, отнесённые Жилищным кодексом РФ к компетенции собрания",
}
# SPEC §7.5, from the weakest to the strictest: each one implies the ones before it.
THRESHOLDS: dict[str, str] = {
    "majority_of_participants": "более 50 % голосов собственников, принявших участие в собрании",
    "majority_of_all": "более 50 % голосов всех собственников дома",
    "two_thirds_of_all": "не менее 2/3 голосов всех собственников дома",
}
_DEFAULT_THRESHOLDS: dict[str, str] = {
    "capital_repair": "two_thirds_of_all",
    "land_plot": "two_thirds_of_all",
    "common_property": "two_thirds_of_all",
    "management_method": "majority_of_participants",
    "current_repair": "majority_of_participants",
    "organisational": "majority_of_participants",
    "other": "majority_of_participants",
}
# SPEC §7.3: an owner's decision on a question.
DECISIONS: dict[str, str] = {"for": "За", "against": "Против", "abstain": "Воздержался"}
# SPEC §7.2: who may file a meeting in a house enabled for online meetings.
INITIATOR_ROLES: dict[str, str] = {
    "owner": "собственник помещения (гражданин или организация)",
    "management_company": "управляющая организация дома",
}
STATES = ("scheduled", "active", "finished")

# SPEC §7.2: owners are notified at least 10 days before voting starts.
NOTICE_DAYS = 10
MAX_AGENDA = 20
QUESTION_TEXT_LIMIT = 1000
ADDRESS_LIMIT = 500
# A non-terminating weight (a share such as 1/3) is written with this many significant digits.
VOTES_DIGITS = 40


def _exact(value: Votes) -> Fraction:
    return Fraction(value)


def _hundredths(cents: int) -> Decimal:
    return Decimal(f"{cents}E-2")


# ----------------------------------------------------------------------------------------------
# Weights, quorum, adoption


def owner_weight(area_m2: Decimal, share: Fraction) -> Fraction:
    """An owner's votes exactly: the premise's area in m² times the ownership share (SPEC §7.3)."""
    return Fraction(area_m2) * Fraction(share)


def owner_votes(area_m2: Decimal, share: Fraction) -> Decimal:
    """An owner's votes as a Decimal: area × share, 1 m² = 1 vote (a 50 m² flat owned 1/2 → 25).

    Exact whenever the product has a finite decimal expansion (every share whose denominator has
    no prime factors but 2 and 5: 1/2, 1/4, 3/5, 17/100…). A share such as 1/3 has none, so the
    value carries :data:`VOTES_DIGITS` significant digits; sums that must be compared exactly use
    :func:`owner_weight` or :func:`tally_meeting`, which keep fractions.
    """
    weight = owner_weight(area_m2, share)
    denominator = weight.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator == 1:
        places = max(twos, fives)
        return Decimal(f"{weight.numerator * 10**places // weight.denominator}E-{places}")
    with localcontext(prec=VOTES_DIGITS):
        return Decimal(weight.numerator) / Decimal(weight.denominator)


def round_m2(value: Votes) -> Decimal:
    """Votes for display (meter, protocol): rounded half up to 0.01 m². Never compare these."""
    cents = floor(_exact(value) * 100 + Fraction(1, 2))
    return _hundredths(cents)


def quorum_reached(participating: Votes, total: Votes) -> bool:
    """SPEC §7.4: the meeting is valid when the owners who took part hold more than 50 % of all votes.

    A house with no votes at all (``total`` ≤ 0) never has a quorum.
    """
    total_ = _exact(total)
    return total_ > 0 and 2 * _exact(participating) > total_


def question_adopted(for_votes: Votes, participating: Votes, total: Votes, threshold: str) -> bool:
    """SPEC §7.5: whether «За» votes adopt a question under ``threshold``; never without a quorum.

    ``majority_of_participants``: «За» more than half of the participants' votes;
    ``majority_of_all``: more than half of all votes of the house; ``two_thirds_of_all``: at least
    two thirds of all votes (exactly 2/3 adopts, exactly 1/2 does not).

    Raises:
        ValueError: for an unknown threshold.
    """
    if threshold not in THRESHOLDS:
        raise ValueError(f"unknown threshold {threshold!r}")
    if not quorum_reached(participating, total):
        return False
    for_, total_ = _exact(for_votes), _exact(total)
    if threshold == "majority_of_participants":
        return 2 * for_ > _exact(participating)
    if threshold == "majority_of_all":
        return 2 * for_ > total_
    return 3 * for_ >= 2 * total_


def _check_votes(for_: Fraction, participating: Fraction, total: Fraction) -> None:
    if total <= 0:
        raise ValueError("total votes of the house must be positive")
    if not 0 <= for_ <= participating <= total:
        raise ValueError("need 0 <= for_votes <= participating <= total")


def quorum_still_needed(participating: Votes, total: Votes) -> Decimal:
    """m² of owners who must still take part for a quorum, 0 when it is reached.

    The smallest whole number of hundredths of m² that, added to ``participating``, exceeds half of
    ``total``.

    Raises:
        ValueError: when ``total`` is not positive or ``participating`` is outside 0..total.
    """
    participating_, total_ = _exact(participating), _exact(total)
    _check_votes(Fraction(0), participating_, total_)
    if quorum_reached(participating, total):
        return _hundredths(0)
    return _hundredths(floor((total_ / 2 - participating_) * 100) + 1)


def votes_still_needed(for_votes: Votes, participating: Votes, total: Votes, threshold: str) -> Decimal:
    """m² of «За» still needed to adopt a question (the live meter, SPEC §7.6); 0 when adopted.

    The smallest whole number of hundredths of m² of new «За» votes that adopts the question, the
    new votes coming from owners who have not taken part yet (so they raise the participating
    votes too — the usual case online, where an owner answers the whole agenda at once). For
    ``majority_of_participants`` that means «За» must exceed both what the others who took part
    hold (x > participating − 2·for) and what the quorum still lacks (x > total/2 − participating):
    each newcomer voting «За» helps adoption by half of their weight only. Owners who took part but
    skipped this question count fully, so the real need can be lower. For the thresholds of all
    votes the quorum follows from adoption. Whether the question can still be adopted at all is
    :func:`can_still_be_adopted`.

    Raises:
        ValueError: for an unknown threshold, a non-positive total, or not 0 ≤ for ≤ participating ≤
            total.
    """
    for_, participating_, total_ = _exact(for_votes), _exact(participating), _exact(total)
    _check_votes(for_, participating_, total_)
    if question_adopted(for_votes, participating, total, threshold):
        return _hundredths(0)
    if threshold == "majority_of_participants":
        gap = max(participating_ - 2 * for_, total_ / 2 - participating_)
        return _hundredths(floor(gap * 100) + 1)
    if threshold == "majority_of_all":
        return _hundredths(floor((total_ / 2 - for_) * 100) + 1)
    return _hundredths(ceil((total_ * 2 / 3 - for_) * 100))


def can_still_be_adopted(for_votes: Votes, answered: Votes, total: Votes, threshold: str) -> bool:
    """Whether a question is adopted if every owner who has not answered it yet votes «За».

    ``answered`` is the weight of owners who already decided on this question (any decision).
    """
    best = _exact(for_votes) + _exact(total) - _exact(answered)
    return question_adopted(best, total, total, threshold)


def default_threshold(topic: str) -> str:
    """SPEC §7.5: the threshold of a topic — 2/3 of all votes for capital repair and its fund, the
    land plot and common property; a majority of the participants for the rest.

    Raises:
        ValueError: for an unknown topic.
    """
    if topic not in _DEFAULT_THRESHOLDS:
        raise ValueError(f"unknown topic {topic!r}")
    return _DEFAULT_THRESHOLDS[topic]


# ----------------------------------------------------------------------------------------------
# The tally


@dataclass(frozen=True)
class OwnerDecisions:
    """One owner's weight (area × share, see :func:`owner_weight`) and decisions by question id."""

    weight: Votes
    decisions: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionTally:
    """The count of one agenda question; votes are exact m²."""

    question_id: int
    threshold: str
    for_votes: Fraction
    against_votes: Fraction
    abstain_votes: Fraction
    # Votes of the owners who decided on this question (for + against + abstain).
    answered: Fraction
    adopted: bool
    # m² of «За» still needed (see votes_still_needed), 0.00 when adopted.
    needed: Decimal
    # False when even «За» from every owner who has not answered would not adopt it.
    possible: bool


@dataclass(frozen=True)
class MeetingTally:
    """The state of a meeting's count: quorum and every question, in agenda order."""

    total: Fraction
    participating: Fraction
    quorum: bool
    # m² of owners still needed for a quorum (see quorum_still_needed), 0.00 when reached.
    quorum_needed: Decimal
    questions: tuple[QuestionTally, ...]


def tally_meeting(
    thresholds: Mapping[int, str], owners: Iterable[OwnerDecisions], total: Votes
) -> MeetingTally:
    """Fold owners' decisions into the meeting's count (SPEC §7.3–7.6).

    ``thresholds`` maps each agenda question id to its threshold, in agenda order; ``total`` is
    the votes of the whole house. An owner takes part when they returned at least one decision;
    their full weight then counts as participating. The result does not depend on the order of
    ``owners``; each owner must appear once (the database keeps one decision per owner and
    question).

    Raises:
        ValueError: for a non-positive total, a negative weight, a decision other than
            for/against/abstain, a question not in ``thresholds``, an unknown threshold, or
            participating votes above the total.
    """
    total_ = _exact(total)
    if total_ <= 0:
        raise ValueError("total votes of the house must be positive")
    sums = {qid: {choice: Fraction(0) for choice in DECISIONS} for qid in thresholds}
    participating = Fraction(0)
    for owner in owners:
        weight = _exact(owner.weight)
        if weight < 0:
            raise ValueError("an owner's weight must not be negative")
        if not owner.decisions:
            continue
        participating += weight
        for qid, choice in owner.decisions.items():
            if qid not in sums:
                raise ValueError(f"decision on question {qid} that is not on the agenda")
            if choice not in DECISIONS:
                raise ValueError(f"unknown decision {choice!r}")
            sums[qid][choice] += weight
    if participating > total_:
        raise ValueError("participating votes exceed the total votes of the house")
    questions = []
    for qid, threshold in thresholds.items():
        votes = sums[qid]
        answered = votes["for"] + votes["against"] + votes["abstain"]
        questions.append(
            QuestionTally(
                question_id=qid,
                threshold=threshold,
                for_votes=votes["for"],
                against_votes=votes["against"],
                abstain_votes=votes["abstain"],
                answered=answered,
                adopted=question_adopted(votes["for"], participating, total_, threshold),
                needed=votes_still_needed(votes["for"], participating, total_, threshold),
                possible=can_still_be_adopted(votes["for"], answered, total_, threshold),
            )
        )
    return MeetingTally(
        total=total_,
        participating=participating,
        quorum=quorum_reached(participating, total_),
        quorum_needed=quorum_still_needed(participating, total_),
        questions=tuple(questions),
    )


# ----------------------------------------------------------------------------------------------
# Filing a meeting


@dataclass(frozen=True)
class AgendaItem:
    """An agenda question: its text, topic (a key of :data:`TOPICS`) and threshold ("" = default)."""

    text: str
    topic: str
    threshold: str = ""


@dataclass(frozen=True)
class MeetingInput:
    """What an initiator files (SPEC §7.2): agenda, voting period and the address for paper decisions."""

    agenda: list[AgendaItem]
    starts_at: datetime
    ends_at: datetime
    in_person_address: str


def _check_agenda(items: Sequence[AgendaItem], found: FormCheck) -> list[AgendaItem]:
    """The agenda cleaned; a broken rule is recorded in ``found`` under «agenda» or «question-N»."""
    if not items:
        found.add("agenda", "meeting.agenda_required")
    if len(items) > MAX_AGENDA:
        found.add("agenda", "meeting.too_many_questions", limit=MAX_AGENDA)
    order = list(THRESHOLDS)
    result = []
    for number, item in enumerate(items[:MAX_AGENDA], start=1):
        field_ = f"question-{number}"
        text = clean_text(item.text)
        if not text:
            found.add(field_, "meeting.question_text_required", number=number)
        elif len(text) > QUESTION_TEXT_LIMIT:
            found.add(field_, "meeting.question_too_long", number=number, limit=QUESTION_TEXT_LIMIT)
        if item.topic not in TOPICS:
            found.add(field_, "meeting.topic_unknown", number=number)
            continue
        default = default_threshold(item.topic)
        threshold = item.threshold or default
        if threshold not in THRESHOLDS:
            found.add(field_, "meeting.threshold_unknown", number=number)
        elif order.index(threshold) < order.index(default):
            found.add(field_, "meeting.threshold_too_low", number=number, threshold=THRESHOLDS[default])
        result.append(AgendaItem(text=text, topic=item.topic, threshold=threshold))
    return result


def validate_agenda(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    """Check an agenda and return it cleaned, each question with its threshold filled in.

    Rules: 1 to :data:`MAX_AGENDA` questions; each has a non-blank text of at most
    :data:`QUESTION_TEXT_LIMIT` characters, a known topic and a known threshold; an empty threshold
    means the topic's default, and a threshold weaker than the default (e.g. a simple majority for
    capital repair) is refused. Every question is checked.

    Raises:
        FormProblems: every broken rule, naming «agenda» or «question-N» (one keeps its own key).
    """
    found = FormCheck("meeting.form_problems")
    agenda = _check_agenda(items, found)
    found.done()
    return agenda


def earliest_voting_start(notified_at: datetime) -> datetime:
    """The earliest instant voting may start when owners were notified at ``notified_at`` (SPEC §7.2).

    Counted in Moscow calendar dates, as the Housing Code's «не позднее чем за десять дней»: the
    notice's Moscow date plus :data:`NOTICE_DAYS`, from 00:00 МСК — notified on 1 March at any hour,
    voting may start on 11 March at 00:00 МСК. Returned in UTC.
    """
    first_day = moscow_date(notified_at) + timedelta(days=NOTICE_DAYS)
    return datetime.combine(first_day, time(0), tzinfo=MOSCOW).astimezone(UTC)


def validate_meeting(
    data: MeetingInput, *, notified_at: datetime, prior: Sequence[tuple[str, InvalidInput]] = ()
) -> MeetingInput:
    """Check a meeting application and return it cleaned.

    Rules: the agenda as :func:`validate_agenda`; voting starts no earlier than
    :func:`earliest_voting_start` of ``notified_at`` (the moment owners are notified, usually the
    filing); it ends after it starts; the in-person address is non-blank and at most
    :data:`ADDRESS_LIMIT` characters. Every rule is checked; ``prior`` are problems the form found
    while reading its inputs (a date named there — «starts», «ends», «period» — is not checked again).

    Raises:
        FormProblems: every broken rule, naming «agenda», «question-N», «starts», «ends» and
            «address» (one problem keeps its own key).
    """
    found = FormCheck("meeting.form_problems", prior)
    dates_unread = found.has("starts", "ends", "period")
    agenda = _check_agenda(data.agenda, found)
    earliest = earliest_voting_start(notified_at)
    if not dates_unread and as_utc(data.starts_at) < earliest:
        local = earliest.astimezone(MOSCOW)
        found.add("starts", "meeting.too_soon", days=NOTICE_DAYS, date=f"{local:%d.%m.%Y %H:%M}")
    if not dates_unread and as_utc(data.ends_at) <= as_utc(data.starts_at):
        found.add("ends", "meeting.dates_order")
    address = clean_text(data.in_person_address)
    if not address:
        found.add("address", "meeting.address_required")
    elif len(address) > ADDRESS_LIMIT:
        found.add("address", "meeting.address_too_long", limit=ADDRESS_LIMIT)
    found.done()
    return replace(data, agenda=agenda, in_person_address=address)


def clean_inspection_reference(
    reference: str, *, limit: int, prior: Sequence[tuple[str, InvalidInput]] = ()
) -> str:
    """The housing inspection's protocol reference for enabling a house, cleaned: non-blank, at
    most ``limit`` characters. ``prior``: problems the staff form found itself (no house chosen).

    Raises:
        FormProblems: every problem, naming «house» and «reference» (one keeps its own key).
    """
    found = FormCheck("meeting.enable_problems", prior)
    text = clean_text(reference)
    if not text:
        found.add("reference", "meeting.inspection_required")
    elif len(text) > limit:
        found.add("reference", "meeting.inspection_too_long", limit=limit)
    found.done()
    return text


def why_cannot_file(*, house_enabled: bool, roles: Iterable[str]) -> Refusal | None:
    """Why a user may not file a meeting in a house, or None (SPEC §7.1–7.2).

    The house must be in the register of houses enabled for online meetings, and the user must be
    an owner of premises in it (a person or a company) or its management company (``roles``: keys
    of :data:`INITIATOR_ROLES` the server established for this house).
    """
    if not house_enabled:
        return Refusal("meeting.house_not_enabled")
    if not set(roles) & INITIATOR_ROLES.keys():
        return Refusal("meeting.not_authorised")
    return None


def meeting_state(starts_at: datetime, ends_at: datetime, now: datetime) -> str:
    """«scheduled» before the start, «active» from the start (inclusive) to the end (exclusive),
    then «finished»."""
    if as_utc(now) < as_utc(starts_at):
        return "scheduled"
    if as_utc(now) < as_utc(ends_at):
        return "active"
    return "finished"


def check_decision(choice: str) -> str:
    """An owner's decision as given: «for», «against» or «abstain».

    Raises:
        InvalidInput: for anything else.
    """
    if choice not in DECISIONS:
        raise InvalidInput("meeting.decision_invalid")
    return choice


def normalize_scan_hash(text: str) -> str:
    """The SHA-256 of a paper decision's scan as 64 lowercase hex digits (blanks around ignored).

    Raises:
        InvalidInput: when ``text`` is not 64 hex digits.
    """
    value = text.strip().lower()
    if len(value) != 64 or any(ch not in "0123456789abcdef" for ch in value):
        raise InvalidInput("meeting.scan_hash_invalid")
    return value
