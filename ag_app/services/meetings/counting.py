"""Owners' weights and the live count of a meeting, in exact whole numbers."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Integer, bindparam, cast, func
from sqlmodel import Session, col, select

from ag_app.domain.meetings import (
    THRESHOLDS,
    MeetingTally,
    OwnerDecisions,
    meeting_state,
    owner_weight,
    round_m2,
    tally_meeting,
)
from ag_app.models import Meeting, MeetingDecision, MeetingQuestion, Premise, PremiseHolder
from ag_app.services.meetings.views import MeetingMeter, QuestionMeter


def house_total(session: Session, house_id: int) -> Fraction:
    """All votes of a house: the sum of its premises' areas in m² (exact)."""
    total = session.exec(select(func.sum(Premise.area_m2)).where(Premise.house_id == house_id)).one()
    return Fraction(Decimal(total or 0))


def owner_weights(session: Session, house_id: int, owner_refs: set[str] | None = None) -> dict[str, Fraction]:
    """Each owner's votes in a house: Σ area × share over the premises they own there (exact).

    With ``owner_refs``, only those owners (the tally needs only the owners who decided).
    """
    query = (
        select(
            PremiseHolder.person_ref,
            Premise.area_m2,
            PremiseHolder.share_numerator,
            PremiseHolder.share_denominator,
        )
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseHolder.house_id == house_id, PremiseHolder.role == "owner")
    )
    weights: dict[str, Fraction] = defaultdict(Fraction)
    for ref, area, numerator, denominator in session.exec(query).all():
        if owner_refs is None or ref in owner_refs:
            weights[ref] += owner_weight(Decimal(area), Fraction(numerator, denominator))
    return dict(weights)


# An owner's premises in the house as whole numbers: area in hundredths of m² × share numerator,
# and the share denominator (areas have two decimals in the registry), so sums stay exact ints.
_OWNER_CENTS = (
    select(
        PremiseHolder.person_ref,
        cast(func.round(Premise.area_m2 * 100), Integer) * PremiseHolder.share_numerator,
        PremiseHolder.share_denominator,
    )
    .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
    .where(PremiseHolder.house_id == bindparam("house_id"), PremiseHolder.role == "owner")
)


_DECISIONS = select(MeetingDecision.owner_ref, MeetingDecision.question_id, MeetingDecision.choice).where(
    MeetingDecision.meeting_id == bindparam("meeting_id")
)


def _tally(
    session: Session, meeting: Meeting, questions: list[MeetingQuestion]
) -> tuple[MeetingTally, int, int]:
    """The count of the stored decisions (domain ``tally_meeting``), owners who decided, decisions.

    The count is linear in the owners' weights, so owners who gave the same decisions are folded
    into one entry first: their weights are summed as integers (hundredths of m² × share
    numerator, per share denominator) and become one exact fraction per group — a handful of
    fractions instead of one per decision. The result equals a per-owner recount exactly.
    """
    connection = session.connection()
    by_owner: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = connection.execute(_DECISIONS, {"meeting_id": meeting.id}).all()
    for owner_ref, question_id, choice in rows:
        by_owner[owner_ref].append((question_id, choice))
    groups: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if by_owner:
        vectors = {ref: tuple(sorted(pairs)) for ref, pairs in by_owner.items()}
        for ref, cents, denominator in connection.execute(_OWNER_CENTS, {"house_id": meeting.house_id}).all():
            vector = vectors.get(ref)
            if vector is not None:
                groups[vector][denominator] += cents
        # An owner who decided but owns nothing in the house any more still took part (weight 0).
        for vector in vectors.values():
            groups.setdefault(vector, defaultdict(int))
    tally = tally_meeting(
        {q.id: q.threshold for q in questions},
        (
            OwnerDecisions(
                weight=sum((Fraction(c, 100 * d) for d, c in sums.items()), Fraction(0)),
                decisions=dict(vector),
            )
            for vector, sums in groups.items()
        ),
        house_total(session, meeting.house_id),
    )
    return tally, len(by_owner), len(rows)


def _meter(
    meeting: Meeting,
    questions: list[MeetingQuestion],
    tally: MeetingTally,
    owners: int,
    decisions: int,
    now: datetime,
) -> MeetingMeter:
    return MeetingMeter(
        meeting_id=meeting.id,
        state=meeting_state(meeting.starts_at, meeting.ends_at, now),
        total_m2=round_m2(tally.total),
        participating_m2=round_m2(tally.participating),
        quorum_line_m2=round_m2(tally.total / 2),
        quorum=tally.quorum,
        quorum_needed_m2=tally.quorum_needed,
        owners_voted=owners,
        decisions=decisions,
        questions=tuple(
            QuestionMeter(
                question_id=q.id,
                number=q.position,
                text=q.text,
                topic=q.topic,
                threshold=q.threshold,
                threshold_name=THRESHOLDS[q.threshold],
                for_m2=round_m2(counted.for_votes),
                against_m2=round_m2(counted.against_votes),
                abstain_m2=round_m2(counted.abstain_votes),
                needed_m2=counted.needed,
                adopted=counted.adopted,
                possible=counted.possible,
            )
            for q, counted in zip(questions, tally.questions, strict=True)
        ),
    )
