"""A poll's questions and its results: counted from the ballots once, or shown from the aggregates."""

from collections.abc import Iterable, Sequence

from sqlalchemy import Row, bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, func, select

from ag_app.domain.polls import OptionSpec, QuestionSpec, tally
from ag_app.models import Ballot, BallotAnswer, Option, Question
from ag_app.services.polls.views import OptionResult, PollResults, QuestionResult
from ag_app.services.results_cache import OWN_TEXTS_SHOWN, Counts, OwnBallot, counts_rows, poll_counts

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
