"""Home page headline figures (SPEC §2.7) and the public statistics of polls (SPEC §5.4)."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.domain.numbers import id_or_none
from ag_app.domain.polls import QuestionSpec
from ag_app.domain.stats import (
    BREAKDOWNS,
    DIMENSION_NAMES,
    MIN_CELL,
    Breakdown,
    dimension_of,
    key_label,
    order_keys,
    shown_count,
    suppress_breakdown,
)
from ag_app.models import Ballot, District, Okrug, Poll, PollDecision, User
from ag_app.services.access import active_user
from ag_app.services.polls.eligibility import is_poll_staff
from ag_app.services.polls.results import load_questions
from ag_app.services.snapshots import Snapshot
from ag_app.services.tally import poll_cells


@dataclass(frozen=True)
class Headline:
    """Registered citizens, polls held, decisions implemented, opinions expressed."""

    citizens: int
    polls_held: int
    decisions_implemented: int
    opinions: int


# The headline counts every account and ballot: read at most once per this many seconds per worker.
HEADLINE_SECONDS = 30.0
_headline = Snapshot[Headline](HEADLINE_SECONDS)


@reads
def headline(session: Session, *, now: datetime) -> Headline:
    """The four headline figures (a copy at most :data:`HEADLINE_SECONDS` old).

    Citizens are active (not deactivated) accounts; polls held are published polls whose start has
    passed; decisions implemented have the status «Реализовано»; opinions are completed ballots.
    """
    return _headline.get("city", lambda: _count_headline(session, now))


def _count_headline(session: Session, now: datetime) -> Headline:
    moment = as_utc(now)
    citizens = session.exec(select(func.count()).select_from(User).where(User.deactivated_at.is_(None))).one()
    polls_held = session.exec(
        select(func.count()).select_from(Poll).where(Poll.published_at.is_not(None), Poll.starts_at <= moment)
    ).one()
    implemented = session.exec(
        select(func.count()).select_from(PollDecision).where(PollDecision.status == "implemented")
    ).one()
    opinions = session.exec(select(func.count()).select_from(Ballot)).one()
    return Headline(
        citizens=citizens, polls_held=polls_held, decisions_implemented=implemented, opinions=opinions
    )


# ----------------------------------------------------------------------------------------------
# Poll statistics (SPEC §5.4): breakdowns of a poll's ballots with small cells suppressed.


@dataclass(frozen=True)
class OptionStats:
    """An option's published total and its count per key (None: suppressed, shown as «<5»)."""

    id: int
    text: str
    total: int
    counts: list[int | None]


@dataclass(frozen=True)
class QuestionStats:
    """A question of the poll with its options' breakdowns; ``kind`` is «single» or «multiple»."""

    id: int
    text: str
    kind: str
    options: list[OptionStats]


@dataclass(frozen=True)
class PollStatsView:
    """One breakdown of a poll: ballots and answers per value of a dimension, suppressed.

    ``keys`` are the dimension values present in the ballots, in display order, ``labels`` their
    Russian names; ``ballots[i]`` counts the ballots of ``keys[i]`` (None: fewer than
    ``min_cell`` or hidden so that no small cell can be recomputed).
    """

    poll_id: int
    poll_title: str
    dimension: str
    dimension_name: str
    total: int
    keys: list[str]
    labels: list[str]
    ballots: list[int | None]
    questions: list[QuestionStats]
    min_cell: int


@dataclass(frozen=True)
class StatsPoll:
    """A poll whose statistics are public (results published), for the selector of «Статистика»."""

    id: int
    title: str
    ballots: int
    ends_at: datetime


def _stats_poll(session: Session, actor_id: int | None, poll_id: int) -> Poll:
    """The poll if its statistics are visible to the actor, else NotFound.

    Like the final results: after publication to everybody; staff see every poll's statistics.
    """
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound("poll.not_found")
    if poll.results_published_at is not None and poll.published_at is not None:
        return poll
    user = None if actor_id is None else active_user(session, actor_id)
    if is_poll_staff(session, user):
        return poll
    if poll.published_at is None:
        raise NotFound("poll.not_found")
    raise NotFound("poll.results_not_published")


def _place_names(session: Session, dimension: str, keys: list[str]) -> dict[str, str]:
    """Names of the okrugs («ЦАО») or districts among ``keys``."""
    ids = [i for i in map(id_or_none, keys) if i is not None]
    if dimension not in ("okrug", "district") or not ids:
        return {}
    if dimension == "okrug":
        rows = session.exec(select(Okrug.id, Okrug.abbrev, Okrug.name).where(Okrug.id.in_(ids))).all()
        return {str(i): abbrev or name for i, abbrev, name in rows}
    rows = session.exec(select(District.id, District.name).where(District.id.in_(ids))).all()
    return {str(i): name for i, name in rows}


def _view(
    session: Session,
    poll: Poll,
    questions: list[QuestionSpec],
    dimension: str,
    counts: Counter,
    overall: Counter,
) -> PollStatsView:
    """Build one suppressed breakdown from exact counts (``overall``: the «all» dimension)."""
    keys_present = [key for (key, option_id), n in counts.items() if option_id == 0 and n > 0]
    names = _place_names(session, dimension, keys_present)
    keys = order_keys(dimension, keys_present, names)
    options = [(qi, q, o) for qi, q in enumerate(questions) for o in q.options]
    shown = suppress_breakdown(
        Breakdown(
            keys=tuple(keys),
            ballots=tuple(counts[(k, 0)] for k in keys),
            options=tuple(tuple(counts[(k, o.id)] for k in keys) for _, _, o in options),
            question_of=tuple(qi for qi, _, _ in options),
            single=tuple(q.kind == "single" for _, q, _ in options),
        )
    )
    by_question: dict[int, list[OptionStats]] = {q.id: [] for q in questions}
    for (_, q, o), row in zip(options, shown.options, strict=True):
        by_question[q.id].append(
            OptionStats(id=o.id, text=o.text, total=overall[("", o.id)], counts=list(row))
        )
    return PollStatsView(
        poll_id=poll.id,
        poll_title=poll.title,
        dimension=dimension,
        dimension_name=DIMENSION_NAMES[dimension],
        total=overall[("", 0)],
        keys=keys,
        labels=[key_label(dimension, k, names) for k in keys],
        ballots=list(shown.ballots),
        questions=[QuestionStats(q.id, q.text, q.kind, by_question[q.id]) for q in questions],
        min_cell=MIN_CELL,
    )


def _check_dimension(by: str) -> str:
    dimension = dimension_of(by)
    if dimension is None:
        raise InvalidInput("stats.dimension_unknown", choices=", ".join(BREAKDOWNS))
    return dimension


def poll_stats(
    session: Session, *, actor_id: int | None, poll_id: int, by: str, now: datetime
) -> PollStatsView:
    """A poll's ballots and answers broken down by ``by`` (a :data:`BREAKDOWNS` name or «number_region»).

    Counts are exact at any moment: the folded PollStat cells plus the ballots still pending,
    counted live. Every cell below 5 is suppressed, with complementary suppression
    (:func:`ag_app.domain.stats.suppress_breakdown`), so API, charts, tables and CSV alike show
    only safe numbers.

    Raises:
        InvalidInput: an unknown dimension.
        NotFound: no such poll, or its statistics are not visible to the actor.
    """
    return poll_stats_all(session, actor_id=actor_id, poll_id=poll_id, dimensions=[by], now=now)[0]


# Guests' statistics of a published poll: read at most once per this many seconds per worker.
PUBLIC_STATS_SECONDS = 10.0
_public_stats = Snapshot[list[PollStatsView]](PUBLIC_STATS_SECONDS)


@reads
def poll_stats_all(
    session: Session,
    *,
    actor_id: int | None,
    poll_id: int,
    now: datetime,
    dimensions: Sequence[str] = BREAKDOWNS,
) -> list[PollStatsView]:
    """Several breakdowns of a poll (by default every one) read in a single statement.

    Same rules as :func:`poll_stats`. What guests see (published results, final) is the same for
    all of them: a copy at most :data:`PUBLIC_STATS_SECONDS` old.
    """
    wanted = [_check_dimension(by) for by in dimensions]
    if actor_id is None:
        return _public_stats.get(
            (poll_id, tuple(wanted)), lambda: _read_stats(session, None, poll_id, wanted)
        )
    return _read_stats(session, actor_id, poll_id, wanted)


def _read_stats(
    session: Session, actor_id: int | None, poll_id: int, wanted: list[str]
) -> list[PollStatsView]:
    poll = _stats_poll(session, actor_id, poll_id)
    questions = load_questions(session, poll.id)
    cells = poll_cells(session, poll.id, ["all", *wanted])
    return [_view(session, poll, questions, d, cells[d], cells["all"]) for d in wanted]


@reads
def stats_polls(session: Session, *, now: datetime, limit: int = 100) -> list[StatsPoll]:
    """Polls with published results, newest first (their statistics are public)."""
    rows = session.exec(
        select(Poll.id, Poll.title, Poll.ballots_count, Poll.ends_at)
        .where(Poll.published_at.is_not(None), Poll.results_published_at.is_not(None))
        .order_by(Poll.results_published_at.desc(), Poll.id.desc())
        .limit(limit)
    ).all()
    return [StatsPoll(id=i, title=t, ballots=n, ends_at=as_utc(e)) for i, t, n, e in rows]


def stats_table(
    view: PollStatsView, question_id: int | None = None, *, with_answers: bool = True, grouped: bool = True
) -> tuple[list[str], list[list[str]]]:
    """The breakdown as a table: header and rows of text, suppressed cells as «<5».

    Columns: the dimension value, ballots, then every option (of ``question_id`` only, if given;
    otherwise of every question, headed «Вопрос N: вариант»; none with ``with_answers=False``).
    The same table is the chart's accessible alternative (digits grouped, «4 824») and the CSV
    download (``grouped=False``: plain digits for spreadsheets).
    """
    chosen = [
        (n, q)
        for n, q in enumerate(view.questions, start=1)
        if with_answers and (question_id is None or q.id == question_id)
    ]
    header = [view.dimension_name, "Бюллетени"]
    for n, q in chosen:
        for o in q.options:
            header.append(o.text if question_id is not None else f"Вопрос {n}: {o.text}")
    rows = []
    for i, label in enumerate(view.labels):
        row = [label, shown_count(view.ballots[i], grouped=grouped)]
        row += [shown_count(o.counts[i], grouped=grouped) for _, q in chosen for o in q.options]
        rows.append(row)
    return header, rows
