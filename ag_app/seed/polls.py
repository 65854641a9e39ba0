"""Planning the demo polls and their completed ballots (pure: a seeded generator, no database).

Polls get their dates relative to the seed's ``now``; ballots are cast only by residents the poll's
own eligibility rules (:func:`ag_app.domain.polls.why_cannot_vote`) admit, at an instant inside the
poll's voting window and after the voter registered.
"""

import heapq
import random
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ag_app.domain import numfmt
from ag_app.domain.clock import moscow_date
from ag_app.domain.polls import Audience, Place, Voter, default_points, percent, why_cannot_vote
from ag_app.domain.stats import published_counts
from ag_app.seed.catalogue import DONT_KNOW, NOT_INTERESTED, OWN_TEXT, OWN_TEXTS, TEMPLATES, PollTemplate
from ag_app.seed.geo import KIND_RAION, OKRUGS, Geo
from ag_app.seed.people import Person, moscow_instant

# How far back closed polls go.
HISTORY_DAYS = 540
# Nobody votes in more than this share of a poll's eligible residents.
MAX_TURNOUT = 0.97


@dataclass
class PlannedOption:
    """An option and the relative popularity the demo votes follow."""

    text: str
    weight: float
    is_own_text: bool = False
    is_exclusive: bool = False


@dataclass
class PlannedQuestion:
    """A question with its options in order."""

    text: str
    kind: str
    max_choices: int
    options: list[PlannedOption]
    # Filled when written.
    question_id: int = 0
    option_ids: list[int] = field(default_factory=list)


@dataclass
class PlannedBallot:
    """A completed ballot: voter (index into the people list), instant and (question, option, own text)."""

    person: int
    completed_at: datetime
    answers: list[tuple[int, int, str]]


@dataclass
class PlannedDecision:
    """A decision taken on a poll's result."""

    text: str
    created_at: datetime
    implemented_at: datetime | None


@dataclass
class PlannedPoll:
    """A poll with everything the seed writes about it."""

    template: PollTemplate
    title: str
    state: str
    scope: str
    okrug_ids: tuple[int, ...]
    district_ids: tuple[int, ...]
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    published_at: datetime | None
    results_published_at: datetime | None
    points: int
    questions: list[PlannedQuestion]
    ballots: list[PlannedBallot] = field(default_factory=list)
    decision: PlannedDecision | None = None
    poll_id: int = 0

    def audience(self) -> Audience:
        """The poll's side of the eligibility rules (while it is open)."""
        low, high = self.template.children or (None, None)
        return Audience(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            published_at=self.published_at,
            scope=self.scope,
            okrug_ids=frozenset(self.okrug_ids),
            district_ids=frozenset(self.district_ids),
            children_age_min=low,
            children_age_max=high,
        )


def _questions(rng: random.Random, template: PollTemplate) -> list[PlannedQuestion]:
    questions = []
    for q in template.questions:
        options = [PlannedOption(text, rng.uniform(0.2, 1.0) ** 2) for text in q.options]
        if q.own:
            options.append(PlannedOption(OWN_TEXT, 0.02, is_own_text=True))
        if q.not_interested:
            options.append(PlannedOption(NOT_INTERESTED, 0.05, is_exclusive=True))
        if q.dont_know:
            options.append(PlannedOption(DONT_KNOW, 0.06, is_exclusive=True))
        questions.append(PlannedQuestion(q.text, q.kind, q.max_choices, options))
    return questions


def _where(template: PollTemplate, geo: Geo) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The «{where}» phrase, okrug ids and district ids of a template's territory."""
    okrugs: list[int] = []
    districts: list[int] = []
    phrase = ""
    prepositional = {o.abbrev: o.prepositional for o in OKRUGS}
    for item in template.territory:
        kind, name = item.split(":", 1)
        if kind == "okrug":
            okrugs.append(geo.okrug_ids[name])
            phrase = f"в {prepositional[name]}"
        else:
            district_id = geo.district_ids[name]
            districts.append(district_id)
            phrase = (
                f"в районе {name}" if geo.district_kind[district_id] == KIND_RAION else f"в поселении {name}"
            )
    return phrase, tuple(okrugs), tuple(districts)


def templates_for(count: int) -> list[PollTemplate]:
    """``count`` templates: the catalogue in order; beyond it, closed repeats marked as later stages."""
    chosen = list(TEMPLATES[:count])
    closed = [t for t in TEMPLATES if t.state == "closed"]
    for extra in range(max(0, count - len(TEMPLATES))):
        base = closed[extra % len(closed)]
        stage = extra // len(closed) + 2
        chosen.append(replace(base, title=f"{base.title} ({stage}-й этап)"))
    return chosen


def plan_polls(rng: random.Random, *, geo: Geo, now: datetime, count: int) -> list[PlannedPoll]:
    """The demo polls: a few active now, some scheduled, one draft, the rest closed over the last 18 months.

    Closed polls have published results except the most recent one (results not yet published).
    """
    today = moscow_date(now)
    templates = templates_for(count)
    closed_total = sum(1 for t in templates if t.state == "closed")
    seen: dict[str, int] = {}
    polls: list[PlannedPoll] = []
    for template in templates:
        n = seen.get(template.state, 0)
        seen[template.state] = n + 1
        phrase, okrug_ids, district_ids = _where(template, geo)
        title = template.title.format(where=phrase)
        results_at = None
        if template.state == "active":
            starts = moscow_instant(today - timedelta(days=2 + 5 * n), 10)
            ends = moscow_instant(today + timedelta(days=6 + 4 * n), 22)
            published: datetime | None = starts - timedelta(days=1)
        elif template.state == "scheduled":
            starts = moscow_instant(today + timedelta(days=3 + 4 * n), 10)
            ends = moscow_instant(today + timedelta(days=17 + 4 * n), 22)
            published = now - timedelta(days=1 + n)
        elif template.state == "draft":
            starts = moscow_instant(today + timedelta(days=30), 10)
            ends = moscow_instant(today + timedelta(days=44), 22)
            published = None
        else:
            end_day = today - timedelta(days=3 + round(n * HISTORY_DAYS / max(1, closed_total)))
            starts = moscow_instant(end_day - timedelta(days=rng.randint(10, 28)), 10)
            ends = moscow_instant(end_day, 22)
            published = starts - timedelta(days=1)
            if n > 0:
                results_at = min(ends + timedelta(days=rng.randint(2, 6), hours=14), now - timedelta(hours=1))
        created = (published or now) - timedelta(days=3)
        scope = "territorial" if template.territory else "city"
        polls.append(
            PlannedPoll(
                template=template,
                title=title,
                state=template.state,
                scope=scope,
                okrug_ids=okrug_ids,
                district_ids=district_ids,
                starts_at=starts,
                ends_at=ends,
                created_at=created,
                published_at=published,
                results_published_at=results_at,
                points=default_points(scope),
                questions=_questions(rng, template),
            )
        )
    return polls


def voter_of(person: Person, geo: Geo) -> Voter:
    """What the eligibility rules know about a planned person."""
    home = tuple(
        Place(district_id, geo.district_okrug[district_id]) for district_id in sorted(person.home_districts)
    )
    work = person.work_district
    return Voter(
        level=person.level,
        home=home,
        work=Place(work, geo.district_okrug[work]) if work is not None else None,
        child_birth_years=person.children,
    )


def _eligible(poll: PlannedPoll, people: list[Person], voters: list[Voter], now: datetime) -> list[int]:
    """Residents who may vote in the poll and were registered at least an hour before it stops taking votes."""
    audience = poll.audience()
    window_end = min(poll.ends_at, now) - timedelta(hours=1)
    return [
        i
        for i, (person, voter) in enumerate(zip(people, voters, strict=True))
        if not person.roles
        and person.created_at < window_end
        and not (poll.state == "active" and person.demo)
        and why_cannot_vote(audience, voter, now=poll.starts_at) is None
    ]


def _allocate(total: int, capacity: list[int], weights: list[float]) -> list[int]:
    """Split ``total`` ballots over polls in proportion to ``weight × capacity``, never above the turnout cap."""
    caps = [int(c * MAX_TURNOUT) for c in capacity]
    if total >= sum(caps):
        return caps
    low, high = 0.0, 1.0
    while sum(min(c, high * w * c) for c, w in zip(caps, weights, strict=True)) < total:
        high *= 2
    for _ in range(60):
        mid = (low + high) / 2
        if sum(min(c, mid * w * c) for c, w in zip(caps, weights, strict=True)) < total:
            low = mid
        else:
            high = mid
    shares = [min(c, high * w * c) for c, w in zip(caps, weights, strict=True)]
    alloc = [int(s) for s in shares]
    spare = sorted(range(len(alloc)), key=lambda i: (alloc[i] - shares[i], i))
    for i in spare:
        if sum(alloc) >= total:
            break
        if alloc[i] < caps[i]:
            alloc[i] += 1
    return alloc


def _pick(rng: random.Random, options: list[PlannedOption], indexes: list[int]) -> int:
    cumulative = []
    total = 0.0
    for i in indexes:
        total += options[i].weight
        cumulative.append(total)
    return indexes[bisect_right(cumulative, rng.random() * total)]


def _answer(rng: random.Random, question: PlannedQuestion) -> list[int]:
    """Chosen option indexes: one for single choice; for multiple choice an exclusive option alone, or
    1…max distinct other options."""
    everything = list(range(len(question.options)))
    if question.kind == "single":
        return [_pick(rng, question.options, everything)]
    exclusive = [i for i in everything if question.options[i].is_exclusive]
    regular = [i for i in everything if not question.options[i].is_exclusive]
    chosen = _pick(rng, question.options, everything)
    if chosen in exclusive:
        return [chosen]
    picks = [chosen]
    wanted = min(rng.randint(1, question.max_choices), len(regular))
    while len(picks) < wanted:
        candidate = _pick(rng, question.options, [i for i in regular if i not in picks])
        picks.append(candidate)
    return sorted(picks)


def plan_ballots(
    rng: random.Random, polls: list[PlannedPoll], people: list[Person], *, geo: Geo, now: datetime, total: int
) -> None:
    """Distribute about ``total`` completed ballots over the active and closed polls.

    Voters are eligible residents (territory, level, children filter), drawn with their activity as
    weight; the demo residents are left out of active polls so they can vote live. A voter's ballot
    falls between the poll's start (or their registration) and its end (or ``now``).
    """
    voters = [voter_of(person, geo) for person in people]
    votable = [poll for poll in polls if poll.state in ("active", "closed")]
    eligible = [_eligible(poll, people, voters, now) for poll in votable]
    weights = []
    for poll in votable:
        weight = rng.uniform(0.7, 1.3)
        if poll.state == "active":
            elapsed = (now - poll.starts_at) / (poll.ends_at - poll.starts_at)
            weight *= max(0.1, elapsed)
        weights.append(weight)
    counts = _allocate(total, [len(e) for e in eligible], weights)
    for poll, candidates, count in zip(votable, eligible, counts, strict=True):
        keyed = [(rng.random() ** (1.0 / max(people[i].activity, 0.01)), i) for i in candidates]
        chosen = sorted(i for _key, i in heapq.nlargest(count, keyed))
        window_end = min(poll.ends_at, now) - timedelta(minutes=1)
        for i in chosen:
            start = max(poll.starts_at, people[i].created_at + timedelta(hours=1))
            seconds = int(max(0.0, (window_end - start).total_seconds()) * rng.random() ** 1.8)
            answers = []
            for q_index, question in enumerate(poll.questions):
                for o_index in _answer(rng, question):
                    own = rng.choice(OWN_TEXTS) if question.options[o_index].is_own_text else ""
                    answers.append((q_index, o_index, own))
            poll.ballots.append(PlannedBallot(i, start + timedelta(seconds=seconds), answers))


@dataclass(frozen=True)
class Tally:
    """Counts of a poll's planned ballots: per option, per question, per phone region."""

    ballots: int
    moscow: int
    answered: list[int]
    counts: list[list[int]]


def tally_of(poll: PlannedPoll, people: list[Person]) -> Tally:
    """Count a poll's planned ballots."""
    counts = [[0] * len(q.options) for q in poll.questions]
    answered = [0] * len(poll.questions)
    for ballot in poll.ballots:
        seen = set()
        for q_index, o_index, _own in ballot.answers:
            counts[q_index][o_index] += 1
            seen.add(q_index)
        for q_index in seen:
            answered[q_index] += 1
    moscow = sum(1 for b in poll.ballots if people[b.person].phone_region == "moscow")
    return Tally(len(poll.ballots), moscow, answered, counts)


def winner(poll: PlannedPoll, tally: Tally) -> str:
    """The most chosen regular option of the first question (ties: the earlier option)."""
    question = poll.questions[0]
    regular = [i for i, o in enumerate(question.options) if not (o.is_exclusive or o.is_own_text)]
    best = max(regular, key=lambda i: (tally.counts[0][i], -i))
    return question.options[best].text


def results_text(poll: PlannedPoll, tally: Tally) -> str:
    """The «Новости» text of published results (the same shape the polls service writes)."""
    ballots, moscow, other = published_counts(
        [tally.ballots, tally.moscow, tally.ballots - tally.moscow], [[0, 1, 2]]
    )
    lines = [f"Проголосовали: {ballots} (московские номера — {moscow}, другие — {other})."]
    for number, question in enumerate(poll.questions, start=1):
        if tally.answered[number - 1] == 0:
            continue
        counts = tally.counts[number - 1]
        top = max(range(len(counts)), key=lambda i: (counts[i], -i))
        share = numfmt.percent(percent(counts[top], tally.answered[number - 1]))
        lines.append(f"{number}. {question.text} — «{question.options[top].text}»: {share}.")
    return "\n".join(lines)


def plan_decisions(
    rng: random.Random, polls: list[PlannedPoll], people: list[Person], *, now: datetime
) -> None:
    """Decisions on published results of polls whose template has one; older ones are implemented."""
    for poll in polls:
        if not poll.template.decision or poll.results_published_at is None or not poll.ballots:
            continue
        created = min(poll.results_published_at + timedelta(days=rng.randint(1, 5)), now - timedelta(hours=1))
        implemented = None
        if poll.ends_at < now - timedelta(days=150):
            implemented = min(created + timedelta(days=rng.randint(45, 120)), now - timedelta(days=1))
        text = poll.template.decision.format(winner=winner(poll, tally_of(poll, people)))
        poll.decision = PlannedDecision(text, created, implemented)
