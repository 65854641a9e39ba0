"""A poll page and its results for one viewer: the public part from a short-lived copy, the viewer's own
facts read on every request."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Row, and_, bindparam, exists, literal_column, null, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from ag_app.db import HotStatement, reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.domain.polls import (
    DECISION_STATUSES,
    QuestionSpec,
    territory_matches,
    voter_places,
    why_cannot_vote,
)
from ag_app.domain.roles import Capability, roles_holding
from ag_app.i18n import message
from ag_app.models import Ballot, ExpertOpinion, Poll, PollDecision, User, UserRole
from ag_app.services.access import refuse_inactive
from ag_app.services.polls.eligibility import (
    _seen_poll,
    _summary_fields,
    audience_of,
    load_territories,
    load_voter,
)
from ag_app.services.polls.results import load_questions, shown_results
from ag_app.services.polls.views import (
    DecisionView,
    ExpertView,
    OptionView,
    PollDetail,
    PollResults,
    QuestionView,
    Territory,
)
from ag_app.services.results_cache import OwnBallot, own_ballot
from ag_app.services.snapshots import ColdCache, Snapshot

# How long the public part of a poll page (the poll, its territory, questions, experts and
# decisions — the same for every viewer) is served from this process's copy (seconds).
POLL_PAGE_SECONDS = 1.0


@dataclass(frozen=True)
class _PollPage:
    """The public part of a poll page, read once per :data:`POLL_PAGE_SECONDS` per poll."""

    poll: Row
    territory: Territory
    questions: list[QuestionSpec]
    question_views: list[QuestionView]
    experts: list[ExpertView]
    decisions: list[DecisionView]


_POLL_ROW = core_select(Poll.__table__).where(Poll.id == bindparam("poll_id"))


_poll_pages: Snapshot["_PollPage | None"] = Snapshot(POLL_PAGE_SECONDS)

# The roles that manage polls, in a fixed order (the statement is built once).
POLL_MANAGERS = tuple(sorted(roles_holding(Capability.POLLS_MANAGE)))


def _read_page(session: Session, poll_id: int) -> "_PollPage | None":
    """Read the public part of a poll page (None: no such poll)."""
    connection = session.connection()
    poll = connection.execute(_POLL_ROW, {"poll_id": poll_id}).first()
    if poll is None:
        return None
    questions = load_questions(session, poll_id)
    experts = connection.execute(
        core_select(ExpertOpinion.name, ExpertOpinion.title, ExpertOpinion.text)
        .where(ExpertOpinion.poll_id == poll_id)
        .order_by(ExpertOpinion.position)
    ).all()
    return _PollPage(
        poll=poll,
        territory=load_territories(session, [poll])[poll_id],
        questions=questions,
        question_views=[_question_view(n, q) for n, q in enumerate(questions, start=1)],
        experts=[ExpertView(e.name, e.title, e.text) for e in experts],
        decisions=_decisions(session, poll_id),
    )


def _viewer_statement(postgresql: bool) -> HotStatement:
    """The viewer's own facts for a poll page in one indexed read: the account (active, verified),
    whether they manage polls, and their ballot in the poll (with what tells whether a results
    snapshot counted it: the id, the row's ``xmin`` on PostgreSQL, whether it is folded)."""
    xmin = literal_column("CAST(CAST(ballot.xmin AS TEXT) AS BIGINT)", BigInteger) if postgresql else null()
    return HotStatement(
        core_select(
            User.id,
            User.deactivated_at,
            User.identity_verified_at,
            exists()
            .where(UserRole.user_id == User.id, or_(*(UserRole.role == r for r in POLL_MANAGERS)))
            .label("staff"),
            Ballot.id.label("ballot_id"),
            Ballot.number_region,
            Ballot.tallied,
            xmin.label("xmin"),
        )
        .select_from(User)
        .outerjoin(Ballot, and_(Ballot.user_id == User.id, Ballot.poll_id == bindparam("p_poll")))
        .where(User.id == bindparam("p_user"))
    )


_VIEWER = {False: _viewer_statement(False), True: _viewer_statement(True)}


@reads
def get_poll(
    session: Session, *, actor_id: int | None, poll_id: int, now: datetime, cached_only: bool = False
) -> PollDetail:
    """A poll page: texts, experts, questions, whether the actor may vote and why not, results, decisions.

    Staff may preview drafts (they cannot vote in them: «Голосование ещё не опубликовано»).
    Results are shown once published (to everybody), right after voting unless the poll hides
    intermediate results, and always to staff. Visibility is the same as :func:`_seen_poll`.

    The public part comes from a copy at most :data:`POLL_PAGE_SECONDS` old (staff, who edit
    polls, always read it afresh); the viewer's own facts (account, role, ballot, addresses when
    the poll needs them) are read on every request.

    ``cached_only``: raise :class:`ColdCache` instead of reading a copy that is missing or stale
    (or the whole page for staff) — the caller then asks again where long reads are fine.
    """
    viewer = None
    if actor_id is not None:
        connection = session.connection()
        rows = _VIEWER[connection.dialect.name == "postgresql"].rows(
            connection, {"p_user": actor_id, "p_poll": poll_id}
        )
        viewer = rows[0] if rows else None
    staff = viewer is not None and bool(viewer.staff)
    if staff:
        if cached_only:
            raise ColdCache
        page = _read_page(session, poll_id)
    else:
        page = _poll_pages.get(
            (session.get_bind().url, poll_id), lambda: _read_page(session, poll_id), cached_only=cached_only
        )
    if page is None:
        raise NotFound("poll.not_found")
    if actor_id is not None:
        refuse_inactive(viewer)
    poll = page.poll
    if not staff and poll.published_at is None:
        raise NotFound("poll.not_found")
    voted = viewer is not None and viewer.ballot_id is not None
    voter = load_voter(session, viewer, poll, voted=voted) if viewer is not None else None
    audience = audience_of(poll, page.territory)
    if not (staff or poll.scope != "territorial" or poll.results_published_at is not None) and (
        voter is None or not (voted or territory_matches(audience, voter_places(audience, voter)))
    ):
        raise NotFound("poll.not_found")
    refusal = why_cannot_vote(audience, voter, now=now)
    final = poll.results_published_at is not None
    results = None
    if final or staff or (voted and not poll.hide_intermediate):
        ballot = None
        if voted:
            ballot = OwnBallot(
                id=viewer.ballot_id,
                region="moscow" if viewer.number_region == "moscow" else "other",
                tallied=bool(viewer.tallied),
                xmin=viewer.xmin,
            )
        results = shown_results(
            session, poll.id, page.questions, final=final, ballot=ballot, cached_only=cached_only
        )
    return PollDetail(
        **_summary_fields(poll, page.territory, voted=voted, now=now),
        details=poll.details,
        experts=page.experts,
        questions=page.question_views,
        can_vote=refusal is None,
        cannot_vote_reason="" if refusal is None else message(refusal.key, **refusal.params),
        results=results,
        results_final=final,
        decisions=page.decisions,
        hide_intermediate=poll.hide_intermediate,
        min_level=poll.min_level,
        children_age_min=poll.children_age_min,
        children_age_max=poll.children_age_max,
        include_work_address=poll.include_work_address,
        published_at=None if poll.published_at is None else as_utc(poll.published_at),
        okrug_ids=sorted(page.territory.okrug_ids),
        district_ids=sorted(page.territory.district_ids),
    )


def _question_view(position: int, question: QuestionSpec) -> QuestionView:
    return QuestionView(
        id=question.id,
        position=position,
        text=question.text,
        kind=question.kind,
        max_choices=question.max_choices,
        allows_own_text=any(o.is_own_text for o in question.options),
        options=[OptionView(o.id, o.text, o.is_own_text, o.is_exclusive) for o in question.options],
    )


def _decisions(session: Session, poll_id: int) -> list[DecisionView]:
    rows = session.exec(
        select(PollDecision)
        .where(PollDecision.poll_id == poll_id)
        .order_by(PollDecision.created_at, PollDecision.id)
    ).all()
    return [
        DecisionView(
            id=d.id,
            text=d.text,
            status=d.status,
            status_name=DECISION_STATUSES.get(d.status, d.status),
            created_at=as_utc(d.created_at),
            implemented_at=None if d.implemented_at is None else as_utc(d.implemented_at),
        )
        for d in rows
    ]


@reads
def poll_results(
    session: Session, *, actor_id: int | None, poll_id: int, now: datetime, final_only: bool = False
) -> PollResults:
    """Results of a poll, overall and split by Moscow / other numbers.

    Visible: after staff publish them — to everybody; before that (intermediate) — to a user who
    voted, unless the poll hides intermediate results, and always to staff. ``final_only`` asks
    for published results only (the public results endpoint).

    Raises:
        NotFound: the poll is hidden from the actor, or the results are not visible yet.
    """
    seen = _seen_poll(session, actor_id, poll_id)
    poll = seen.poll
    final = poll.results_published_at is not None
    voted = seen.voter is not None and seen.voter.has_voted
    if not final and (final_only or not (seen.staff or (voted and not poll.hide_intermediate))):
        raise NotFound("poll.results_not_published")
    ballot = own_ballot(session, poll.id, seen.user.id) if voted and seen.user is not None else None
    return shown_results(session, poll.id, load_questions(session, poll.id), final=final, ballot=ballot)
