"""The protocol of a finished meeting and the register of decisions (CSV)."""

import csv
import io
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ag_app.db import transaction
from ag_app.domain.errors import NotFound
from ag_app.domain.meetings import (
    DECISIONS,
    INITIATOR_ROLES,
    TOPICS,
    AgendaItem,
    MeetingTally,
    meeting_state,
    owner_votes,
)
from ag_app.domain.roles import Capability
from ag_app.models import Meeting, MeetingDecision, MeetingProtocol, MeetingQuestion, Premise, PremiseHolder
from ag_app.services.access import require
from ag_app.services.meetings._common import _house_facts, _meeting, _questions
from ag_app.services.meetings.counting import _tally
from ag_app.services.meetings.decisions import registry_name
from ag_app.services.meetings.views import CHANNELS
from ag_app.services.protocol_pdf import ProtocolData, protocol_questions, protocol_sha256, render_protocol


def _make_protocol(
    session: Session,
    meeting: Meeting,
    questions: list[MeetingQuestion],
    tally: MeetingTally,
    address: str,
    district: str,
    now: datetime,
) -> None:
    """Render the protocol from the count, store its PDF and SHA-256 (once, even when two race)."""
    locked = session.exec(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.protocol_sha256:
        return
    agenda = [AgendaItem(text=q.text, topic=q.topic, threshold=q.threshold) for q in questions]
    pdf = render_protocol(
        ProtocolData(
            meeting_id=meeting.id,
            house_address=address,
            district=district,
            initiator_kind=meeting.initiator_kind,
            notified_at=meeting.notified_at,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            in_person_address=meeting.in_person_address,
            total_votes=tally.total,
            participating_votes=tally.participating,
            questions=protocol_questions(agenda, tally),
        )
    )
    session.add(MeetingProtocol(meeting_id=meeting.id, pdf=pdf))
    locked.protocol_sha256 = protocol_sha256(pdf)
    locked.protocol_generated_at = now
    locked.status = "protocol"
    session.add(locked)
    session.flush()
    meeting.protocol_sha256, meeting.protocol_generated_at = locked.protocol_sha256, now


def ensure_protocol(session: Session, *, meeting_id: int, now: datetime) -> str:
    """Make the protocol of a finished meeting if it is not made yet; returns its SHA-256 ("" before the end)."""
    meeting = _meeting(session, meeting_id)
    if meeting.protocol_sha256:
        return meeting.protocol_sha256
    if meeting_state(meeting.starts_at, meeting.ends_at, now) != "finished":
        return ""
    address, district = _house_facts(session, meeting.house_id)
    questions = _questions(session, meeting_id)
    tally, _, _ = _tally(session, meeting, questions)
    _make_protocol(session, meeting, questions, tally, address, district, now)
    return meeting.protocol_sha256


def make_due_protocols(engine: Engine | None = None, *, now: datetime) -> int:
    """Make the protocol of every meeting whose voting has ended and that has none yet, one
    transaction per meeting (a step of the periodic jobs; repeated runs make nothing twice).
    Returns how many protocols were made."""
    with transaction(engine) as session:
        due = session.exec(
            select(Meeting.id)
            .where(Meeting.ends_at <= now, Meeting.protocol_sha256 == "")
            .order_by(Meeting.id)
        ).all()
    made = 0
    for meeting_id in due:
        with transaction(engine) as session:
            made += bool(ensure_protocol(session, meeting_id=meeting_id, now=now))
    return made


def protocol_pdf(session: Session, *, meeting_id: int, now: datetime) -> bytes:
    """The protocol PDF of a finished meeting (public: no personal data in it).

    Raises:
        NotFound: no such meeting, or voting has not ended yet.
    """
    if not ensure_protocol(session, meeting_id=meeting_id, now=now):
        raise NotFound("meeting.protocol_not_ready")
    return session.get(MeetingProtocol, meeting_id).pdf


def _votes_text(votes: Decimal) -> str:
    """Votes as written in the register: at least two decimals (60.50), more when exact needs them."""
    return str(votes.quantize(Decimal("0.01")) if -votes.as_tuple().exponent < 2 else votes)


def decisions_register_csv(session: Session, *, actor_id: int | None, meeting_id: int) -> str:
    """The register of owners' decisions for the housing inspection, as CSV (staff only).

    One row per owner and premise: the owner as named in the registry, premise, area, share, the
    premise's votes (area × share), the decision on each question, the channels and scan hashes.
    """
    require(session, actor_id, Capability.MEETINGS_MANAGE)
    meeting = _meeting(session, meeting_id)
    questions = _questions(session, meeting_id)
    decisions: dict[str, dict[int, MeetingDecision]] = defaultdict(dict)
    for row in session.exec(select(MeetingDecision).where(MeetingDecision.meeting_id == meeting_id)).all():
        decisions[row.owner_ref][row.question_id] = row
    holders = session.exec(
        select(PremiseHolder, Premise)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseHolder.house_id == meeting.house_id, PremiseHolder.role == "owner")
        .order_by(col(PremiseHolder.person_ref), col(Premise.number))
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Собственник", "Идентификатор в реестре", "Помещение", "Площадь, м²", "Доля", "Голосов, м²"]
        + [f"Вопрос {q.position}" for q in questions]
        + ["Способ", "SHA-256 скана"]
    )
    for holder, premise in holders:
        mine = decisions.get(holder.person_ref)
        if not mine:
            continue
        share = Fraction(holder.share_numerator, holder.share_denominator)
        channels = sorted({CHANNELS[d.channel] for d in mine.values()})
        scans = sorted({d.scan_sha256 for d in mine.values() if d.scan_sha256})
        writer.writerow(
            [
                registry_name(holder),
                holder.person_ref,
                premise.number,
                str(Decimal(premise.area_m2)),
                f"{share.numerator}/{share.denominator}",
                _votes_text(owner_votes(Decimal(premise.area_m2), share)),
            ]
            + [DECISIONS[mine[q.id].choice] if q.id in mine else "" for q in questions]
            + ["; ".join(channels), " ".join(scans)]
        )
    return "\ufeff" + out.getvalue()


def initiator_name(kind: str) -> str:
    """The Russian name of an initiator kind."""
    return INITIATOR_ROLES.get(kind, kind)


def topic_name(topic: str) -> str:
    """The Russian name of an agenda topic."""
    return TOPICS.get(topic, topic)
