"""Rules of the renovation-type house vote with apartment aggregation (SPEC §8).

Counting per house: each apartment's opinion is the majority of its people who voted; split
apartments are left out; silent apartments («молчуны») are shared between «за» and «против» in the
proportion of the voted, non-split apartments, the «за» part rounded half up; the house is included
when «за» apartments are more than 2/3 of the counted ones. All arithmetic is on integers and
fractions — no floats.

Pure: times and randomness come in as parameters, nothing touches the database.
"""

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import floor

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.meetings import question_adopted
from ag_app.domain.text import clean_text
from ag_app.domain.workdays import deadline
from ag_app.i18n import statuses

CHOICES: dict[str, str] = {"for": "За", "against": "Против"}
# Where a vote was given: online on the platform or in person at a service centre.
CHANNELS: dict[str, str] = {
    "online": "онлайн, в «Активном гражданине»",
    "in_person": "лично, в центре госуслуг «Мои документы»",
}
# The life of a vote (SPEC §8.1): it counts only once verified.
VOTE_STATUSES: dict[str, str] = statuses("renovation_vote")
# Where a house's final decision comes from (SPEC §8.2.5).
DECISION_SOURCES: dict[str, str] = {
    "vote": "по итогам голосования",
    "meeting": "по решению общего собрания собственников",
}
INCLUDE_SHARE = Fraction(2, 3)
# SPEC §8.1: the data of a vote is verified within 4 working days.
VERIFICATION_WORKING_DAYS = 4
CHECK_CODE_LENGTH = 12
PROTOCOL_LIMIT = 300


@dataclass(frozen=True)
class HouseTally:
    """The count of one house (SPEC §8.2 steps 1, 3, 4; §8.3)."""

    total_apartments: int
    # Apartments where at least one counted vote was given.
    voted: int
    for_apartments: int
    against_apartments: int
    # Voted apartments with as many «за» as «против»: left out of the count.
    split: int
    silent: int
    silent_for: int
    silent_against: int
    # All apartments minus the split ones.
    counted: int
    total_for: int
    total_against: int
    # total_for / counted, 0 when nothing is counted.
    for_share: Fraction
    included: bool


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def tally_house(apartment_votes: Mapping[str, Sequence[str]], total_apartments: int) -> HouseTally:
    """Count a house (SPEC §8.2).

    ``apartment_votes`` maps an apartment number to the choices («for» / «against») of its people
    whose votes count (see :func:`counted_votes`); apartments absent from it, or with no choices,
    are silent. An apartment's opinion is the simple majority of its choices — ownership shares do
    not matter — and a tie makes it split. Silent apartments are shared in the proportion
    for : against of the voted, non-split apartments; the «за» part is rounded half up to whole
    apartments and the rest is «против» (when every voted apartment is split, or nobody voted,
    there is no proportion and all silent apartments are «против»). The house is included when
    total «за» is more than 2/3 of the counted apartments (all but split); a house where nobody
    voted is never included. Example (the seed's): 148 apartments, 86 voted 58 : 28, 62 silent →
    42 silent «за», 100 of 148, included.

    Raises:
        ValueError: for a choice other than for/against, a negative ``total_apartments``, or more
            voted apartments than the house has.
    """
    if total_apartments < 0:
        raise ValueError("total_apartments must not be negative")
    for_apartments = against_apartments = split = 0
    for choices in apartment_votes.values():
        if not choices:
            continue
        pro = sum(1 for choice in choices if choice == "for")
        contra = sum(1 for choice in choices if choice == "against")
        if pro + contra != len(choices):
            raise ValueError("a choice must be 'for' or 'against'")
        if pro > contra:
            for_apartments += 1
        elif contra > pro:
            against_apartments += 1
        else:
            split += 1
    voted = for_apartments + against_apartments + split
    if voted > total_apartments:
        raise ValueError("more voted apartments than the house has")
    silent = total_apartments - voted
    decided = for_apartments + against_apartments
    silent_for = _round_half_up(Fraction(silent * for_apartments, decided)) if decided else 0
    silent_against = silent - silent_for
    counted = total_apartments - split
    total_for = for_apartments + silent_for
    for_share = Fraction(total_for, counted) if counted else Fraction(0)
    return HouseTally(
        total_apartments=total_apartments,
        voted=voted,
        for_apartments=for_apartments,
        against_apartments=against_apartments,
        split=split,
        silent=silent,
        silent_for=silent_for,
        silent_against=silent_against,
        counted=counted,
        total_for=total_for,
        total_against=against_apartments + silent_against,
        for_share=for_share,
        included=voted > 0 and for_share > INCLUDE_SHARE,
    )


# ----------------------------------------------------------------------------------------------
# Which votes count


@dataclass(frozen=True)
class RenovationVote:
    """A verified vote as the counting rules see it.

    ``person`` identifies the human being across accounts (e.g. the registry person's id), so two
    accounts of one person share it; ``id`` breaks ties between votes cast at the same instant
    (the order of arrival).
    """

    id: int
    person: str
    apartment: str
    choice: str
    channel: str
    cast_at: datetime


def counted_votes(votes: Iterable[RenovationVote]) -> list[RenovationVote]:
    """The votes that count: one per person and apartment (SPEC §8.2.2), ordered by time.

    Pass verified votes only — a vote «на проверке» or rejected counts for nothing and so never
    blocks another. Per person and apartment: when the person voted in person at a service centre,
    their last in-person vote counts (a later in-person vote replaces an earlier one); otherwise
    their first online vote counts and later ones — e.g. from a second account — are ignored. An
    in-person vote also replaces an online vote of the same person, before or after it: the seed
    counts the last vote given at a centre, where the voter's documents are checked on the spot,
    and a vote from another account never replaces a vote already given. A person with two
    apartments votes once for each.

    Raises:
        ValueError: for an unknown choice or channel.
    """
    best: dict[tuple[str, str], RenovationVote] = {}
    for vote in votes:
        if vote.choice not in CHOICES:
            raise ValueError(f"unknown choice {vote.choice!r}")
        if vote.channel not in CHANNELS:
            raise ValueError(f"unknown channel {vote.channel!r}")
        key = (vote.person, vote.apartment)
        held = best.get(key)
        if held is None or _replaces(vote, held):
            best[key] = vote
    return sorted(best.values(), key=_order)


def _order(vote: RenovationVote) -> tuple[datetime, int]:
    return (as_utc(vote.cast_at), vote.id)


def _replaces(vote: RenovationVote, held: RenovationVote) -> bool:
    if vote.channel != held.channel:
        return vote.channel == "in_person"
    if vote.channel == "in_person":
        return _order(vote) > _order(held)
    return _order(vote) < _order(held)


def apartment_votes(votes: Iterable[RenovationVote]) -> dict[str, list[str]]:
    """The choices by apartment of counted votes, ready for :func:`tally_house`."""
    result: dict[str, list[str]] = {}
    for vote in counted_votes(votes):
        result.setdefault(vote.apartment, []).append(vote.choice)
    return result


# ----------------------------------------------------------------------------------------------
# A general meeting's decision overrides the vote


@dataclass(frozen=True)
class MeetingDecision:
    """A general meeting's decision on the same question, entered by staff from its protocol.

    ``for_votes`` and ``total_votes`` are m² (votes) as written in the protocol: «за» and all votes
    of the house.
    """

    for_votes: Decimal
    total_votes: Decimal
    protocol: str


@dataclass(frozen=True)
class HouseDecision:
    """The final result of a house: included or not, and whether the vote or a meeting decided."""

    included: bool
    source: str


def validate_meeting_decision(decision: MeetingDecision) -> MeetingDecision:
    """Check a meeting decision typed by staff and return it cleaned.

    Rules: the protocol reference (number and date) is non-blank and at most
    :data:`PROTOCOL_LIMIT` characters; the house's total votes are positive; «за» votes are between
    0 and the total.

    Raises:
        InvalidInput: with the key of the broken rule.
    """
    protocol = clean_text(decision.protocol)
    if not protocol:
        raise InvalidInput("renovation.protocol_required")
    if len(protocol) > PROTOCOL_LIMIT:
        raise InvalidInput("renovation.protocol_too_long", limit=PROTOCOL_LIMIT)
    if not decision.total_votes.is_finite() or not decision.for_votes.is_finite():
        raise InvalidInput("renovation.meeting_votes_invalid")
    if decision.total_votes <= 0 or not 0 <= decision.for_votes <= decision.total_votes:
        raise InvalidInput("renovation.meeting_votes_invalid")
    return MeetingDecision(for_votes=decision.for_votes, total_votes=decision.total_votes, protocol=protocol)


def final_decision(
    tally: HouseTally, meeting_decision: MeetingDecision | None, *, vote_ended: bool
) -> HouseDecision | None:
    """SPEC §8.2.5: a general meeting's decision overrides the vote; the vote decides once it has ended.

    A meeting decision with at least 2/3 of all votes of the house «за» includes the house, any
    other meeting decision excludes it — whether or not the vote is still running, since nothing
    the vote gives can change it. Without one the vote decides (``tally.included``), but only when
    it has ended: while it runs its count is preliminary and there is no decision (None) — one «за»
    of 60 apartments, the rest silent, is «100 %» of a count that has not finished.
    """
    if meeting_decision is not None:
        total = meeting_decision.total_votes
        included = question_adopted(meeting_decision.for_votes, total, total, "two_thirds_of_all")
        return HouseDecision(included=included, source="meeting")
    if not vote_ended:
        return None
    return HouseDecision(included=tally.included, source="vote")


# ----------------------------------------------------------------------------------------------
# Check codes and verification


def check_code(rng: random.Random) -> str:
    """A new 12-digit check code for a verified vote (SPEC §8.1), leading zeros allowed.

    Pass ``secrets.SystemRandom()`` in production; uniqueness is the database's job.
    """
    return f"{rng.randrange(10**CHECK_CODE_LENGTH):0{CHECK_CODE_LENGTH}d}"


def normalize_check_code(text: str) -> str:
    """A typed check code as 12 digits; spaces and dashes are ignored («1234 5678-9012»).

    Raises:
        InvalidInput: when what remains is not exactly 12 digits.
    """
    compact = "".join(text.split()).replace("-", "")
    if len(compact) != CHECK_CODE_LENGTH or not (compact.isascii() and compact.isdigit()):
        raise InvalidInput("renovation.check_code_invalid")
    return compact


def format_check_code(code: str) -> str:
    """A check code in groups of four for SMS and e-mail: «1234 5678 9012»."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def verification_deadline(cast_at: datetime) -> datetime:
    """When the verification of a vote cast at ``cast_at`` is due: 4 working days (SPEC §8.1), see
    :func:`ag_app.domain.workdays.deadline` for the end-of-day rule."""
    return deadline(cast_at, VERIFICATION_WORKING_DAYS)


@dataclass(frozen=True)
class CampaignInput:
    """A new house vote as staff typed it; a date the form could not read is None."""

    title: str
    question: str
    starts_at: datetime | None
    ends_at: datetime | None
    house_ids: Sequence[int]


def check_campaign(
    data: CampaignInput,
    *,
    now: datetime,
    title_limit: int,
    question_limit: int,
    houses_limit: int,
    without_apartments: Sequence[int] = (),
) -> CampaignInput:
    """A new house vote cleaned (texts stripped, houses sorted without repeats).

    Rules: a title of at most ``title_limit`` characters and a question of at most
    ``question_limit``; both dates given (with a time zone), the end after the start and in the
    future; 1 to ``houses_limit`` houses, none of ``without_apartments`` (houses the registry lacks
    or that have no apartments, found by the caller). Every rule is checked.

    Raises:
        FormProblems: every broken rule, naming «title», «question», «starts», «ends», «period»
            and «houses» (one problem keeps its own key).
    """
    found = FormCheck("renovation.form_problems")
    title, question = clean_text(data.title), clean_text(data.question)
    if not title:
        found.add("title", "renovation.title_required")
    elif len(title) > title_limit:
        found.add("title", "renovation.title_too_long", limit=title_limit)
    if not question:
        found.add("question", "renovation.question_required")
    elif len(question) > question_limit:
        found.add("question", "renovation.question_too_long", limit=question_limit)
    starts, ends = data.starts_at, data.ends_at
    if starts is None or ends is None or starts.tzinfo is None or ends.tzinfo is None:
        unread_start = starts is None or starts.tzinfo is None
        unread_end = ends is None or ends.tzinfo is None
        which = "period" if unread_start and unread_end else "starts" if unread_start else "ends"
        found.add(which, "renovation.period_invalid")
    elif as_utc(ends) <= as_utc(starts):
        found.add("ends", "renovation.period_invalid")
    elif as_utc(ends) <= as_utc(now):
        found.add("ends", "renovation.ends_in_past")
    houses = sorted(set(data.house_ids))
    if not houses:
        found.add("houses", "renovation.houses_required")
    elif len(houses) > houses_limit:
        found.add("houses", "renovation.too_many_houses", limit=houses_limit)
    elif without_apartments:
        found.add("houses", "renovation.house_without_apartments", house=sorted(without_apartments)[0])
    found.done()
    return CampaignInput(title=title, question=question, starts_at=starts, ends_at=ends, house_ids=houses)
