"""City and district polls (SPEC §2): lists, poll pages, results, past polls, staff lifecycle, news.

Ballots themselves are completed in :mod:`ag_app.services.ballots`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Row, and_, bindparam, delete, exists, literal_column, null, or_
from sqlalchemy import select as core_select
from sqlalchemy.orm import defer
from sqlmodel import Session, func, select

from ag_app.db import HotStatement, reads
from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.identity import identification_level

# AnswerInput, ExpertInput, OptionInput and QuestionInput are re-exported: callers build inputs from here.
from ag_app.domain.polls import (  # noqa: F401
    DECISION_STATUSES,
    HOME_KINDS,
    STATE_NAMES,
    AnswerInput,
    Audience,
    ExpertInput,
    OptionInput,
    OptionSpec,
    Place,
    PollInput,
    QuestionInput,
    QuestionSpec,
    Voter,
    poll_state,
    tally,
    territory_matches,
    validate_poll,
    voter_places,
    why_cannot_vote,
)
from ag_app.domain.stats import published_counts
from ag_app.domain.text import clean_text
from ag_app.i18n import message
from ag_app.models import (
    Ballot,
    BallotAnswer,
    BallotDraft,
    Child,
    District,
    ExpertOpinion,
    House,
    NewsItem,
    Okrug,
    Option,
    Poll,
    PollDecision,
    PollTerritory,
    Question,
    User,
    UserAddress,
    UserRole,
)
from ag_app.services.access import active_user, refuse_inactive, require_staff, roles_of
from ag_app.services.results_cache import (
    OWN_TEXTS_SHOWN,
    Counts,
    OwnBallot,
    counts_rows,
    own_ballot,
    poll_counts,
)
from ag_app.services.snapshots import ColdCache, Snapshot

# Roles that manage polls (an administrator holds every role).
POLL_STAFF_ROLES = frozenset({"staff", "admin"})
DECISION_TEXT_LIMIT = 5000
NEWS_TITLE_LIMIT = 300
NEWS_PAGE_MAX = 100


# ----------------------------------------------------------------------------------------------
# DTOs


@dataclass(frozen=True)
class PollSummary:
    """A poll in a list."""

    id: int
    title: str
    summary: str
    image_url: str
    scope: str
    # «Весь город» or the okrugs/districts, e.g. «ЦАО, Раменки».
    territory: str
    points: int
    starts_at: datetime
    ends_at: datetime
    state: str
    ballots_count: int
    voted: bool
    # The state in words, e.g. «идёт», «завершено».
    state_name: str = ""


@dataclass(frozen=True)
class ExpertView:
    """An expert opinion."""

    name: str
    title: str
    text: str


@dataclass(frozen=True)
class OptionView:
    """An answer option."""

    id: int
    text: str
    is_own_text: bool
    is_exclusive: bool


@dataclass(frozen=True)
class QuestionView:
    """A question with its options in order; ``position`` counts from 1."""

    id: int
    position: int
    text: str
    kind: str
    max_choices: int
    allows_own_text: bool
    options: list[OptionView]


@dataclass(frozen=True)
class OptionResult:
    """Votes for an option; ``percent`` of the ballots that answered the question (also per region)."""

    id: int
    text: str
    count: int
    percent: float
    moscow: int
    other: int
    moscow_percent: float = 0.0
    other_percent: float = 0.0


@dataclass(frozen=True)
class QuestionResult:
    """Results of a question; ``own_texts`` are the newest «Свой вариант» answers."""

    id: int
    text: str
    answered: int
    options: list[OptionResult]
    own_texts: list[str]


@dataclass(frozen=True)
class PollResults:
    """Results of a poll, overall and split by Moscow / other phone numbers."""

    ballots: int
    moscow_ballots: int
    other_ballots: int
    questions: list[QuestionResult]
    # Final (published by staff) rather than intermediate.
    final: bool = False


@dataclass(frozen=True)
class DecisionView:
    """A decision taken on a poll's result."""

    id: int
    text: str
    status: str
    status_name: str
    created_at: datetime
    implemented_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class PollDetail(PollSummary):
    """A poll page: the summary fields plus texts, questions, the user's situation and results."""

    details: str
    experts: list[ExpertView]
    questions: list[QuestionView]
    can_vote: bool
    cannot_vote_reason: str
    results: PollResults | None
    results_final: bool
    decisions: list[DecisionView]
    hide_intermediate: bool = False
    min_level: int = 1
    children_age_min: int | None = None
    children_age_max: int | None = None
    include_work_address: bool = False
    published_at: datetime | None = None
    okrug_ids: list[int] | None = None
    district_ids: list[int] | None = None


@dataclass(frozen=True)
class PastAnswer:
    """A question of a past poll with every option and whether the user chose it."""

    text: str
    options: list[tuple[str, bool]]
    own_text: str


@dataclass(frozen=True)
class PastPoll:
    """A poll the user completed («Прошедшие»)."""

    poll_id: int
    title: str
    completed_at: datetime
    points: int
    questions: list[PastAnswer]
    state: str = ""
    # The ballot's receipt code (SPEC §5.2): finds the ballot's row in the poll's open data.
    receipt: str = ""


@dataclass(frozen=True)
class NewsView:
    """An item of «Новости»."""

    id: int
    kind: str
    title: str
    body: str
    poll_id: int | None
    published_at: datetime


# ----------------------------------------------------------------------------------------------
# Loading helpers shared with ag_app.services.ballots


@dataclass(frozen=True)
class Territory:
    """The okrugs and districts of a territorial poll and how they read."""

    okrug_ids: frozenset[int]
    district_ids: frozenset[int]
    text: str


CITY_TERRITORY = Territory(frozenset(), frozenset(), "Весь город")


def is_poll_staff(session: Session, user: User | Row | None) -> bool:
    """Whether the user manages polls (role «staff» or «admin»)."""
    return user is not None and bool(roles_of(session, user.id) & POLL_STAFF_ROLES)


def state_of(poll: Poll, now: datetime) -> str:
    """The lifecycle state of a poll row at ``now``."""
    return poll_state(
        published_at=poll.published_at,
        closed_at=poll.closed_at,
        results_published_at=poll.results_published_at,
        starts_at=poll.starts_at,
        ends_at=poll.ends_at,
        now=now,
    )


def load_territories(session: Session, polls: Iterable[Poll | Row]) -> dict[int, Territory]:
    """Territories of the given polls in one query (city-wide polls map to «Весь город»)."""
    territorial = [p.id for p in polls if p.scope == "territorial"]
    result = {p.id: CITY_TERRITORY for p in polls if p.scope != "territorial"}
    if not territorial:
        return result
    rows = session.exec(
        select(
            PollTerritory.poll_id,
            PollTerritory.okrug_id,
            PollTerritory.district_id,
            Okrug.abbrev,
            District.name,
        )
        .outerjoin(Okrug, Okrug.id == PollTerritory.okrug_id)
        .outerjoin(District, District.id == PollTerritory.district_id)
        .where(PollTerritory.poll_id.in_(territorial))
        .order_by(PollTerritory.poll_id, PollTerritory.id)
    ).all()
    grouped: dict[int, tuple[set[int], set[int], list[str]]] = {
        pid: (set(), set(), []) for pid in territorial
    }
    for poll_id, okrug_id, district_id, abbrev, district_name in rows:
        okrugs, districts, names = grouped[poll_id]
        if okrug_id is not None:
            okrugs.add(okrug_id)
            names.append(abbrev or "")
        if district_id is not None:
            districts.add(district_id)
            names.append(district_name or "")
    for poll_id, (okrugs, districts, names) in grouped.items():
        result[poll_id] = Territory(frozenset(okrugs), frozenset(districts), ", ".join(n for n in names if n))
    return result


def audience_of(poll: Poll | Row, territory: Territory) -> Audience:
    """The poll's side of the eligibility rules (from a Poll or a row with the same column names)."""
    return Audience(
        starts_at=poll.starts_at,
        ends_at=poll.ends_at,
        published_at=poll.published_at,
        closed_at=poll.closed_at,
        results_published_at=poll.results_published_at,
        scope=poll.scope,
        okrug_ids=territory.okrug_ids,
        district_ids=territory.district_ids,
        territory=territory.text,
        include_work_address=poll.include_work_address,
        min_level=poll.min_level,
        children_age_min=poll.children_age_min,
        children_age_max=poll.children_age_max,
    )


def user_places(session: Session, user_id: int) -> tuple[tuple[Place, ...], Place | None, bool]:
    """The user's home places (registration, residence), work place and whether any address exists."""
    rows = session.exec(
        select(UserAddress.kind, House.district_id, District.okrug_id)
        .join(House, House.id == UserAddress.house_id)
        .join(District, District.id == House.district_id)
        .where(UserAddress.user_id == user_id)
    ).all()
    home = tuple(Place(district_id, okrug_id) for kind, district_id, okrug_id in rows if kind in HOME_KINDS)
    work = next((Place(d, o) for kind, d, o in rows if kind == "work"), None)
    return home, work, bool(rows)


def has_voted(session: Session, *, poll_id: int, user_id: int) -> bool:
    """Whether the user completed a ballot in the poll."""
    found = session.exec(
        select(Ballot.id).where(Ballot.poll_id == poll_id, Ballot.user_id == user_id)
    ).first()
    return found is not None


def load_voter(session: Session, user: User | Row, poll: Poll | Row, *, voted: bool | None = None) -> Voter:
    """What eligibility needs about ``user`` for ``poll``, with as few queries as the poll needs.

    Addresses are read only when the poll is territorial or needs level 2+, children only when the
    poll filters by children's ages (a city poll for everybody costs just the "already voted" check).
    """
    if voted is None:
        voted = has_voted(session, poll_id=poll.id, user_id=user.id)
    verified = user.identity_verified_at is not None
    home: tuple[Place, ...] = ()
    work: Place | None = None
    has_address = False
    if poll.scope == "territorial" or (poll.min_level > 1 and not verified):
        home, work, has_address = user_places(session, user.id)
    children: tuple[int, ...] = ()
    if poll.children_age_min is not None or poll.children_age_max is not None:
        children = tuple(session.exec(select(Child.birth_year).where(Child.user_id == user.id)).all())
    return Voter(
        level=identification_level(has_address=has_address, identity_verified=verified),
        home=home,
        work=work,
        child_birth_years=children,
        has_voted=voted,
    )


# Question and option columns, labelled so that one row per option can carry other columns too.
QUESTION_COLUMNS = (
    Question.id.label("question_id"),
    Question.text.label("question_text"),
    Question.kind,
    Question.max_choices,
    Option.id.label("option_id"),
    Option.text.label("option_text"),
    Option.is_own_text,
    Option.is_exclusive,
)
# Display order of questions and their options.
QUESTION_ORDER = (Question.position, Question.id, Option.position, Option.id)
# Questions and options of a poll; a question without options yields one row with NULL options.
_QUESTIONS_WITH_OPTIONS = (
    core_select(*QUESTION_COLUMNS)
    .outerjoin(Option, Option.question_id == Question.id)
    .where(Question.poll_id == bindparam("poll_id"))
    .order_by(*QUESTION_ORDER)
)


def questions_from_rows(rows: Iterable[Row]) -> list[QuestionSpec]:
    """Questions with their options from ordered rows holding :data:`QUESTION_COLUMNS`."""
    questions: dict[int, tuple[Row, list[OptionSpec]]] = {}
    for row in rows:
        if row.question_id is None:
            continue
        _, options = questions.setdefault(row.question_id, (row, []))
        if row.option_id is not None:
            options.append(
                OptionSpec(row.option_id, row.option_text, bool(row.is_own_text), bool(row.is_exclusive))
            )
    return [
        QuestionSpec(
            id=qid, text=q.question_text, kind=q.kind, max_choices=q.max_choices, options=tuple(options)
        )
        for qid, (q, options) in questions.items()
    ]


def load_questions(session: Session, poll_id: int) -> list[QuestionSpec]:
    """The poll's questions with their options, in order, in one query (a prebuilt Core statement)."""
    return questions_from_rows(session.connection().execute(_QUESTIONS_WITH_OPTIONS, {"poll_id": poll_id}))


def count_results(
    session: Session, poll_id: int, questions: Sequence[QuestionSpec], *, final: bool
) -> PollResults:
    """Tally a poll from its ballots with GROUP BY queries (the ballots are the single source of truth).

    Reads every ballot of the poll: for a one-off count (publishing the final results). Pages use
    :func:`shown_results`. Every completed ballot answers every question
    (:func:`ag_app.domain.polls.validate_answers`), so the ballots that answered a question are the
    poll's ballots of each phone region.
    """
    region_rows = session.exec(
        select(Ballot.number_region, func.count())
        .where(Ballot.poll_id == poll_id)
        .group_by(Ballot.number_region)
    ).all()
    by_region = {"moscow": 0, "other": 0}
    for region, n in region_rows:
        by_region["moscow" if region == "moscow" else "other"] += n
    counts = session.exec(
        select(BallotAnswer.option_id, Ballot.number_region, func.count())
        .join(Ballot, Ballot.id == BallotAnswer.ballot_id)
        .where(Ballot.poll_id == poll_id)
        .group_by(BallotAnswer.option_id, Ballot.number_region)
    ).all()
    options: dict[tuple[int, str], int] = {}
    for option_id, region, n in counts:
        key = (option_id, "moscow" if region == "moscow" else "other")
        options[key] = options.get(key, 0) + n
    own_texts: dict[int, list[str]] = {}
    for question in questions:
        for option in question.options:
            if option.is_own_text:
                own_texts[question.id] = list(
                    session.exec(
                        select(BallotAnswer.own_text)
                        .where(BallotAnswer.option_id == option.id, BallotAnswer.own_text != "")
                        .order_by(BallotAnswer.id.desc())
                        .limit(OWN_TEXTS_SHOWN)
                    ).all()
                )
    return results_from_counts(questions, Counts(by_region, options, own_texts), final=final)


def shown_results(
    session: Session,
    poll_id: int,
    questions: Sequence[QuestionSpec],
    *,
    final: bool,
    ballot: OwnBallot | None = None,
    cached_only: bool = False,
) -> PollResults:
    """The results a page shows: from the aggregates, at most a second old, always counting
    ``ballot`` (the viewer's own) — see :mod:`ag_app.services.results_cache`."""
    own_text_options = {o.id: q.id for q in questions for o in q.options if o.is_own_text}
    counts = poll_counts(session, poll_id, own_text_options, ballot=ballot, cached_only=cached_only)
    key = (session.get_bind().url, poll_id)
    built = _built_results.get(key)
    if built is not None and built[0] is counts and built[1] is questions and built[2] == final:
        return built[3]
    results = results_from_counts(questions, counts, final=final)
    if not counts.personal:  # not the counts with one viewer's ballot added
        _built_results[key] = (counts, questions, final, results)
    return results


# The last results built per poll from a shared counts snapshot and question list (compared by
# identity: while both are the same objects, so are the results).
_built_results: dict[tuple, tuple[Counts, Sequence[QuestionSpec], bool, PollResults]] = {}


def results_from_counts(questions: Sequence[QuestionSpec], counts: Counts, *, final: bool) -> PollResults:
    """Build the results of a poll from its counts (:func:`ag_app.domain.polls.tally`)."""
    by_region = counts.ballots
    answered = {(q.id, region): n for q in questions for region, n in by_region.items()}
    tallies = tally(questions, counts_rows(counts), answered)
    return PollResults(
        ballots=by_region.get("moscow", 0) + by_region.get("other", 0),
        moscow_ballots=by_region.get("moscow", 0),
        other_ballots=by_region.get("other", 0),
        questions=[
            QuestionResult(
                id=t.question_id,
                text=t.text,
                answered=t.answered,
                options=[
                    OptionResult(
                        id=o.option_id,
                        text=o.text,
                        count=o.count,
                        percent=o.percent,
                        moscow=o.moscow,
                        other=o.other,
                        moscow_percent=o.moscow_percent,
                        other_percent=o.other_percent,
                    )
                    for o in t.options
                ],
                own_texts=counts.own_texts.get(t.question_id, []),
            )
            for t in tallies
        ],
        final=final,
    )


def _actor(session: Session, actor_id: int | None) -> User | None:
    return None if actor_id is None else active_user(session, actor_id)


@dataclass
class _Seen:
    """A poll as the actor may see it, with what was loaded on the way."""

    poll: Poll
    user: User | None
    staff: bool
    territory: Territory
    voter: Voter | None


def _seen_poll(session: Session, actor_id: int | None, poll_id: int) -> _Seen:
    """Load a poll the actor may see, else NotFound.

    Staff see every poll. Others see published polls only; a territorial poll whose results are not
    published yet only when one of their addresses lies in its territory or they voted in it.
    Published results are public.
    """
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound("poll.not_found")
    user = _actor(session, actor_id)
    staff = is_poll_staff(session, user)
    territory = load_territories(session, [poll])[poll.id]
    if not staff and poll.published_at is None:
        raise NotFound("poll.not_found")
    voter = load_voter(session, user, poll) if user is not None else None
    if staff or poll.scope != "territorial" or poll.results_published_at is not None:
        return _Seen(poll, user, staff, territory, voter)
    audience = audience_of(poll, territory)
    if voter is None or not (voter.has_voted or territory_matches(audience, voter_places(audience, voter))):
        raise NotFound("poll.not_found")
    return _Seen(poll, user, staff, territory, voter)


def _summary_fields(poll: Poll, territory: Territory, *, voted: bool, now: datetime) -> dict:
    state = state_of(poll, now)
    return {
        "id": poll.id,
        "title": poll.title,
        "summary": poll.summary,
        "image_url": poll.image_url,
        "scope": poll.scope,
        "territory": territory.text,
        "points": poll.points,
        "starts_at": as_utc(poll.starts_at),
        "ends_at": as_utc(poll.ends_at),
        "state": state,
        "state_name": STATE_NAMES[state],
        "ballots_count": poll.ballots_count,
        "voted": voted,
    }


# ----------------------------------------------------------------------------------------------
# Residents and guests


@reads
def list_polls(
    session: Session, *, actor_id: int | None, status: str = "active", now: datetime
) -> list[PollSummary]:
    """Published polls the actor may see, newest first.

    ``status``: «active» — open for voting now; «closed» — finished (with or without published
    results); «all» — every published poll including scheduled ones. Guests see city-wide polls
    only; residents also the territorial polls of their addresses (and those they voted in); staff
    see every published poll (what guests see is the same for all: a copy a few seconds old).
    """
    if actor_id is None:
        return _guest_polls.get(status, lambda: _read_polls(session, None, status, as_utc(now)))
    return _read_polls(session, actor_id, status, as_utc(now))


def _read_polls(session: Session, actor_id: int | None, status: str, now: datetime) -> list[PollSummary]:
    user = _actor(session, actor_id)
    staff = is_poll_staff(session, user)
    query = select(Poll).options(defer(Poll.details)).where(Poll.published_at.is_not(None))
    if status == "active":
        query = query.where(Poll.closed_at.is_(None), Poll.ends_at > now, Poll.starts_at <= now)
    elif status == "closed":
        query = query.where(or_(Poll.closed_at.is_not(None), Poll.ends_at <= now))
    if user is None:
        query = query.where(Poll.scope == "city")
    polls = session.exec(query.order_by(Poll.starts_at.desc(), Poll.id.desc())).all()
    wanted = {"active": {"active"}, "closed": {"closed", "results"}}.get(status, set(STATE_NAMES) - {"draft"})
    polls = [p for p in polls if state_of(p, now) in wanted]
    territories = load_territories(session, polls)
    voted: set[int] = set()
    if user is not None and polls:
        voted = set(
            session.exec(
                select(Ballot.poll_id).where(
                    Ballot.user_id == user.id, Ballot.poll_id.in_([p.id for p in polls])
                )
            ).all()
        )
    if user is not None and not staff and any(p.scope == "territorial" for p in polls):
        home, work, _ = user_places(session, user.id)
        voter = Voter(level=1, home=home, work=work)

        def matches(poll: Poll) -> bool:
            audience = audience_of(poll, territories[poll.id])
            return territory_matches(audience, voter_places(audience, voter))

        polls = [p for p in polls if p.scope != "territorial" or p.id in voted or matches(p)]
    return [PollSummary(**_summary_fields(p, territories[p.id], voted=p.id in voted, now=now)) for p in polls]


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
            .where(UserRole.user_id == User.id, or_(UserRole.role == "staff", UserRole.role == "admin"))
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


@reads
def my_past_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[PastPoll]:
    """The polls the user completed, newest first, with every option and the user's own answers marked
    and each ballot's receipt code."""
    user = active_user(session, actor_id)
    ballots = session.exec(
        select(Ballot.id, Ballot.poll_id, Ballot.completed_at, Poll, Ballot.receipt)
        .join(Poll, Poll.id == Ballot.poll_id)
        .where(Ballot.user_id == user.id)
        .order_by(Ballot.completed_at.desc(), Ballot.id.desc())
    ).all()
    if not ballots:
        return []
    poll_ids = [poll_id for _, poll_id, _, _, _ in ballots]
    questions = session.exec(
        select(Question.id, Question.poll_id, Question.text)
        .where(Question.poll_id.in_(poll_ids))
        .order_by(Question.poll_id, Question.position, Question.id)
    ).all()
    options = session.exec(
        select(Option.id, Option.question_id, Option.text)
        .join(Question, Question.id == Option.question_id)
        .where(Question.poll_id.in_(poll_ids))
        .order_by(Option.question_id, Option.position, Option.id)
    ).all()
    chosen_rows = session.exec(
        select(BallotAnswer.option_id, BallotAnswer.question_id, BallotAnswer.own_text).where(
            BallotAnswer.ballot_id.in_([ballot_id for ballot_id, _, _, _, _ in ballots])
        )
    ).all()
    chosen = {option_id for option_id, _, _ in chosen_rows}
    own_text = {question_id: text for _, question_id, text in chosen_rows if text}
    options_of: dict[int, list[tuple[str, bool]]] = {}
    for option_id, question_id, text in options:
        options_of.setdefault(question_id, []).append((text, option_id in chosen))
    questions_of: dict[int, list[PastAnswer]] = {}
    for question_id, poll_id, text in questions:
        questions_of.setdefault(poll_id, []).append(
            PastAnswer(
                text=text, options=options_of.get(question_id, []), own_text=own_text.get(question_id, "")
            )
        )
    return [
        PastPoll(
            poll_id=poll.id,
            title=poll.title,
            completed_at=as_utc(completed_at),
            points=poll.points,
            questions=questions_of.get(poll.id, []),
            state=state_of(poll, now),
            receipt=receipt,
        )
        for _, _, completed_at, poll, receipt in ballots
    ]


# News and the polls a guest sees are the same for every visitor: read at most once per this many
# seconds per worker.
PUBLIC_LIST_SECONDS = 5.0
_news = Snapshot[list[NewsView]](PUBLIC_LIST_SECONDS)
_guest_polls = Snapshot[list[PollSummary]](PUBLIC_LIST_SECONDS)


@reads
def list_news(session: Session, *, limit: int = 20, offset: int = 0) -> list[NewsView]:
    """«Новости», newest first (results, decisions, campaign news); ``limit`` is capped at 100."""
    limit = max(1, min(limit, NEWS_PAGE_MAX))
    return _news.get((limit, offset), lambda: _read_news(session, limit, max(offset, 0)))


def _read_news(session: Session, limit: int, offset: int) -> list[NewsView]:
    rows = session.exec(
        select(NewsItem)
        .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [NewsView(n.id, n.kind, n.title, n.body, n.poll_id, as_utc(n.published_at)) for n in rows]


# ----------------------------------------------------------------------------------------------
# Staff


def _locked_poll(session: Session, poll_id: int) -> Poll:
    """The poll row locked for a lifecycle change (two staff clicks cannot both pass the state check)."""
    poll = session.exec(select(Poll).where(Poll.id == poll_id).with_for_update()).first()
    if poll is None:
        raise NotFound("poll.not_found")
    return poll


def _check_territory_ids(session: Session, data: PollInput) -> None:
    if data.okrug_ids:
        found = session.exec(
            select(func.count()).select_from(Okrug).where(Okrug.id.in_(data.okrug_ids))
        ).one()
        if found != len(data.okrug_ids):
            raise InvalidInput("poll.territory_unknown")
    if data.district_ids:
        found = session.exec(
            select(func.count()).select_from(District).where(District.id.in_(data.district_ids))
        ).one()
        if found != len(data.district_ids):
            raise InvalidInput("poll.territory_unknown")


def _write_contents(session: Session, poll: Poll, data: PollInput) -> None:
    """Write territory, experts, questions and options of a (validated) poll."""
    for okrug_id in data.okrug_ids:
        session.add(PollTerritory(poll_id=poll.id, okrug_id=okrug_id))
    for district_id in data.district_ids:
        session.add(PollTerritory(poll_id=poll.id, district_id=district_id))
    for position, expert in enumerate(data.experts, start=1):
        session.add(
            ExpertOpinion(
                poll_id=poll.id, position=position, name=expert.name, title=expert.title, text=expert.text
            )
        )
    for position, question_input in enumerate(data.questions, start=1):
        question = Question(
            poll_id=poll.id,
            position=position,
            text=question_input.text,
            kind=question_input.kind,
            max_choices=question_input.max_choices,
        )
        session.add(question)
        session.flush()
        for option_position, option in enumerate(question_input.options, start=1):
            session.add(
                Option(
                    question_id=question.id,
                    position=option_position,
                    text=option.text,
                    is_own_text=option.is_own_text,
                    is_exclusive=option.is_exclusive,
                )
            )
    session.flush()


def _apply_fields(poll: Poll, data: PollInput) -> None:
    poll.title = data.title
    poll.summary = data.summary
    poll.details = data.details
    poll.image_url = data.image_url
    poll.scope = data.scope
    poll.include_work_address = data.include_work_address
    poll.min_level = data.min_level
    poll.children_age_min = data.children_age_min
    poll.children_age_max = data.children_age_max
    poll.starts_at = as_utc(data.starts_at)
    poll.ends_at = as_utc(data.ends_at)
    poll.points = data.points if data.points is not None else 0
    poll.hide_intermediate = data.hide_intermediate


def create_poll(session: Session, *, actor_id: int | None, data: PollInput, now: datetime) -> int:
    """Create a draft poll from what staff entered (SPEC §2.1); returns its id.

    Raises:
        NotAllowed: the actor is not city staff.
        InvalidInput: a rule of :func:`ag_app.domain.polls.validate_poll` is broken.
    """
    staff = require_staff(session, actor_id=actor_id)
    data = validate_poll(data)
    _check_territory_ids(session, data)
    poll = Poll(
        title=data.title,
        starts_at=as_utc(data.starts_at),
        ends_at=as_utc(data.ends_at),
        created_by=staff.id,
        created_at=now,
    )
    _apply_fields(poll, data)
    session.add(poll)
    session.flush()
    _write_contents(session, poll, data)
    return poll.id


def update_poll(
    session: Session, *, actor_id: int | None, poll_id: int, data: PollInput, now: datetime
) -> None:
    """Replace everything in a draft poll (questions and options are written anew).

    Raises:
        Conflict: the poll is already published.
    """
    require_staff(session, actor_id=actor_id)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state != "draft":
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    data = validate_poll(data)
    _check_territory_ids(session, data)
    question_ids = select(Question.id).where(Question.poll_id == poll.id)
    session.exec(delete(Option).where(Option.question_id.in_(question_ids)))
    session.exec(delete(Question).where(Question.poll_id == poll.id))
    session.exec(delete(ExpertOpinion).where(ExpertOpinion.poll_id == poll.id))
    session.exec(delete(PollTerritory).where(PollTerritory.poll_id == poll.id))
    session.exec(delete(BallotDraft).where(BallotDraft.poll_id == poll.id))
    _apply_fields(poll, data)
    session.add(poll)
    session.flush()
    _write_contents(session, poll, data)


def publish_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Publish a draft: it becomes visible and opens for voting at its start.

    Raises:
        Conflict: the poll is not a draft.
        InvalidInput: its end has already passed.
    """
    require_staff(session, actor_id=actor_id)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state != "draft":
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    if as_utc(poll.ends_at) <= as_utc(now):
        raise InvalidInput("poll.ends_in_past")
    poll.published_at = now
    session.add(poll)
    session.flush()


def close_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Close a scheduled or active poll before its end; no ballot is accepted afterwards.

    Raises:
        Conflict: the poll is a draft or already finished.
    """
    require_staff(session, actor_id=actor_id)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state not in ("scheduled", "active"):
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    poll.closed_at = now
    session.add(poll)
    session.flush()


def _news_title(prefix: str, title: str) -> str:
    """``prefix «title»`` cut to the news title column."""
    text = f"{prefix} «{title}»"
    if len(text) <= NEWS_TITLE_LIMIT:
        return text
    room = NEWS_TITLE_LIMIT - len(prefix) - 4
    return f"{prefix} «{title[:room]}…»"


def _results_text(results: PollResults) -> str:
    """A short Russian summary of final results for «Новости»; counts under 5 are «<5» (SPEC §5.4)."""
    ballots, moscow, other = published_counts(
        [results.ballots, results.moscow_ballots, results.other_ballots], [[0, 1, 2]]
    )
    lines = [f"Проголосовали: {ballots} (московские номера — {moscow}, другие — {other})."]
    for number, question in enumerate(results.questions, start=1):
        if not question.options or question.answered == 0:
            continue
        top = max(question.options, key=lambda o: (o.count, -o.id))
        lines.append(f"{number}. {question.text} — «{top.text}»: {numfmt.percent(top.percent)}.")
    return "\n".join(lines)


def publish_results(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Publish the final results of a finished poll; they appear in «Новости».

    Raises:
        Conflict: the poll is still open, not published, or its results are already published.
    """
    require_staff(session, actor_id=actor_id)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state in ("scheduled", "active"):
        raise Conflict("poll.not_ended")
    if state != "closed":
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    results = count_results(session, poll.id, load_questions(session, poll.id), final=True)
    poll.results_published_at = now
    session.add(poll)
    session.add(
        NewsItem(
            kind="results",
            title=_news_title("Итоги голосования", poll.title),
            body=_results_text(results),
            poll_id=poll.id,
            published_at=now,
        )
    )
    session.flush()


def _check_decision(text: str, status: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise InvalidInput("poll.decision_required")
    if len(cleaned) > DECISION_TEXT_LIMIT:
        raise InvalidInput("poll.decision_too_long", limit=DECISION_TEXT_LIMIT)
    if status not in DECISION_STATUSES:
        raise InvalidInput("poll.decision_status_invalid")
    return cleaned


def add_decision(
    session: Session, *, actor_id: int | None, poll_id: int, text: str, status: str = "adopted", now: datetime
) -> int:
    """Record a decision taken on a finished poll's result (SPEC §2.6); it appears in «Новости».

    ``status`` is «adopted» («Решение принято») or «implemented» («Реализовано»).

    Raises:
        Conflict: the poll has not finished yet.
    """
    require_staff(session, actor_id=actor_id)
    text = _check_decision(text, status)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if state not in ("closed", "results"):
        raise Conflict("poll.not_ended")
    decision = PollDecision(
        poll_id=poll.id,
        text=text,
        status=status,
        created_at=now,
        implemented_at=now if status == "implemented" else None,
    )
    session.add(decision)
    session.add(
        NewsItem(
            kind="decision",
            title=_news_title("Решение по итогам голосования", poll.title),
            body=text,
            poll_id=poll.id,
            published_at=now,
        )
    )
    session.flush()
    return decision.id


def set_decision_status(
    session: Session, *, actor_id: int | None, decision_id: int, status: str, now: datetime
) -> None:
    """Change a decision's status; «implemented» stamps the date and announces it in «Новости»."""
    require_staff(session, actor_id=actor_id)
    if status not in DECISION_STATUSES:
        raise InvalidInput("poll.decision_status_invalid")
    decision = session.exec(
        select(PollDecision).where(PollDecision.id == decision_id).with_for_update()
    ).first()
    if decision is None:
        raise NotFound("poll.decision_not_found")
    if decision.status == status:
        return
    decision.status = status
    decision.implemented_at = now if status == "implemented" else None
    session.add(decision)
    if status == "implemented":
        poll = session.get(Poll, decision.poll_id)
        session.add(
            NewsItem(
                kind="decision",
                title=_news_title("Решение реализовано:", poll.title),
                body=decision.text,
                poll_id=poll.id,
                published_at=now,
            )
        )
    session.flush()


@reads
def staff_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[PollSummary]:
    """Every poll including drafts, newest first, for the staff console."""
    require_staff(session, actor_id=actor_id)
    polls = session.exec(select(Poll).order_by(Poll.created_at.desc(), Poll.id.desc())).all()
    territories = load_territories(session, polls)
    return [PollSummary(**_summary_fields(p, territories[p.id], voted=False, now=now)) for p in polls]
