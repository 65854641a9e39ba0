"""General meetings of owners («ОСС», SPEC §7): the register of enabled houses, filing, online
votes, paper decisions, the live count, the protocol and the register of decisions.

An owner is the registry person (``PremiseHolder.person_ref``) within the house; their weight is
the sum over the premises they own in the house of area × share, the house's total the sum of all
its premises' areas — both exact (:func:`ag_app.domain.meetings.owner_weight`). One decision per
owner and question: the unique key (question, owner) decides between racing transactions, online
or on paper, whichever arrives first. A refused later decision is written to the audit log in the
same transaction that reports the refusal, so the log row is committed and no decision is.

One module per job — views (names, DTOs), counting (weights, the live count), register (enabled
houses), filing, reading, decisions (online and paper), protocol (the protocol and the register of
decisions); this package names what other contexts call.
"""

from ag_app.domain.meetings import AgendaItem, MeetingInput
from ag_app.services.meetings.counting import house_total, owner_weights
from ag_app.services.meetings.decisions import (
    enter_paper_decision,
    list_rejections,
    premise_owners,
    registry_name,
    vote,
)
from ag_app.services.meetings.filing import file_meeting, filing_houses
from ag_app.services.meetings.protocol import (
    decisions_register_csv,
    ensure_protocol,
    initiator_name,
    make_due_protocols,
    protocol_pdf,
    topic_name,
)
from ag_app.services.meetings.reading import get_meeting, list_all_meetings, list_my_meetings, meeting_meter
from ag_app.services.meetings.register import enable_house, list_enabled_houses, registry_houses
from ag_app.services.meetings.views import (
    CHANNELS,
    INSPECTION_LIMIT,
    STATE_NAMES,
    DecisionOutcome,
    EnabledHouse,
    FilingHouse,
    MeetingMeter,
    MeetingSummary,
    MeetingView,
    PremiseOwner,
    QuestionMeter,
    RefusedDecision,
    RegistryHouse,
    RejectionView,
)

__all__ = [
    "AgendaItem",
    "CHANNELS",
    "DecisionOutcome",
    "EnabledHouse",
    "FilingHouse",
    "INSPECTION_LIMIT",
    "MeetingInput",
    "MeetingMeter",
    "MeetingSummary",
    "MeetingView",
    "PremiseOwner",
    "QuestionMeter",
    "RefusedDecision",
    "RegistryHouse",
    "RejectionView",
    "STATE_NAMES",
    "decisions_register_csv",
    "enable_house",
    "ensure_protocol",
    "enter_paper_decision",
    "file_meeting",
    "filing_houses",
    "get_meeting",
    "house_total",
    "initiator_name",
    "list_all_meetings",
    "list_enabled_houses",
    "list_my_meetings",
    "list_rejections",
    "make_due_protocols",
    "meeting_meter",
    "owner_weights",
    "premise_owners",
    "protocol_pdf",
    "registry_houses",
    "registry_name",
    "topic_name",
    "vote",
]
