"""The award contest «Лидеры цифровой трансформации» (issue 16, SPEC §12): pure rules, no I/O.

Clause numbers: «Положение о конкурсе» (П.) and the commission's regulation (К.). Teams and their names,
the project of an application, scores and totals, the commission's quorum, the places with their ties and the
open vote that settles them, equal prize shares and the 30-day payout period. Payout details: ``award_payout``.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from ag_app.domain.demographics import age_on
from ag_app.domain.errors import FormProblems, InvalidInput
from ag_app.i18n import message

TEAM_MIN = 2
TEAM_MAX = 5
PLACES = (1, 2, 3)
ADULT_AGE = 18
PAYOUT_DAYS = 30

TEAM_NAME_MIN = 2
TEAM_NAME_MAX = 60
TITLE_MIN, TITLE_MAX = 3, 200
URL_MAX = 500
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000
TECHNOLOGIES_MIN, TECHNOLOGIES_MAX = 2, 500
REASON_MIN, REASON_MAX = 3, 500
CRITERION_MAX_LIMIT = 1000

# П. 1.14: the grounds on which the operator excludes a participant or a team (or revokes a prize).
EXCLUSION_GROUNDS: dict[str, str] = {
    "team_size": "состав коллектива менее двух или более пяти человек",
    "commercial": "использование готового коммерческого решения",
    "rules": "нарушение пункта 2.9 положения",
    "false_data": "заведомо ложные сведения в заявке",
}

_TEAM_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё0-9 \-_.«»\"'!&+#]+$")
_ALNUM = re.compile(r"[A-Za-zА-Яа-яЁё0-9]")


def _squash(raw: str | None) -> str:
    """Trimmed, with every run of whitespace collapsed to one space."""
    return " ".join((raw or "").split())


# ------------------------------------------------------------------------------------------- teams


def check_team_name(raw: str) -> str:
    """A team's name, trimmed with spaces collapsed: 2–60 Cyrillic or Latin letters, digits, spaces and
    ``- _ . « » " ' ! & + #``, with at least one letter or digit (П. 3.5 allows Latin letters)."""
    name = _squash(raw)
    if not (TEAM_NAME_MIN <= len(name) <= TEAM_NAME_MAX and _TEAM_NAME.match(name) and _ALNUM.search(name)):
        raise InvalidInput("award.team_name_invalid", min=TEAM_NAME_MIN, max=TEAM_NAME_MAX)
    return name


def check_team_size(size: int) -> None:
    """Only teams of two to five people are admitted (П. 1.4.6, 2.5)."""
    if not TEAM_MIN <= size <= TEAM_MAX:
        raise InvalidInput("award.team_size", min=TEAM_MIN, max=TEAM_MAX)


def team_has_room(size: int) -> bool:
    """Whether one more person may join a team of ``size`` members (at most five, П. 2.5)."""
    return size < TEAM_MAX


def task_full(teams: int, cap: int | None) -> bool:
    """Whether a task already has as many teams as the operator's cap allows (П. 2.7); no cap → never full."""
    return cap is not None and teams >= cap


def is_adult_on(birth_date: date | None, day: date) -> bool:
    """Whether a person is 18 full years old on ``day`` (the application date, П. 1.4.4, 2.1).

    An unknown birth date is not adult; a 29 February birthday counts on 1 March.
    """
    return birth_date is not None and age_on(birth_date, day) >= ADULT_AGE


# ----------------------------------------------------------------------------------------- project


@dataclass(frozen=True)
class Project:
    """The project of an application (П. 3.4–3.6): its title, prototype link, description and technologies."""

    title: str
    prototype_url: str
    description: str
    technologies: str


def _url_ok(url: str) -> bool:
    if not url or len(url) > URL_MAX or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # a malformed port raises ValueError
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and "." in (host or "").strip(".")


def check_project(title: str, prototype_url: str, description: str, technologies: str) -> Project:
    """The project of an application, or :class:`FormProblems` (key ``award.project_problems``) listing
    every problem at once: title 3–200 characters, an http(s) prototype link with a host (≤ 500),
    description 20–5000 and technologies 2–500 characters."""
    title = _squash(title)
    url = (prototype_url or "").strip()
    description = (description or "").strip()
    technologies = _squash(technologies)
    problems: dict[str, str] = {}
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        problems["title"] = message("award.project_title", min=TITLE_MIN, max=TITLE_MAX)
    if not _url_ok(url):
        problems["prototype_url"] = message("award.project_url", max=URL_MAX)
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        problems["description"] = message(
            "award.project_description", min=DESCRIPTION_MIN, max=DESCRIPTION_MAX
        )
    if not TECHNOLOGIES_MIN <= len(technologies) <= TECHNOLOGIES_MAX:
        problems["technologies"] = message(
            "award.project_technologies", min=TECHNOLOGIES_MIN, max=TECHNOLOGIES_MAX
        )
    if problems:
        raise FormProblems("award.project_problems", problems)
    return Project(title, url, description, technologies)


def check_reason(text: str) -> str:
    """The free-text reason of a refusal or the note of an exclusion: 3–500 characters, trimmed."""
    reason = (text or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise InvalidInput("award.reason_length", min=REASON_MIN, max=REASON_MAX)
    return reason


def check_ground(key: str) -> str:
    """One of the exclusion grounds of П. 1.14 (a key of :data:`EXCLUSION_GROUNDS`)."""
    if key not in EXCLUSION_GROUNDS:
        raise InvalidInput("award.ground_unknown")
    return key


# -------------------------------------------------------------------------------- scores and totals


def check_score(score: int, maximum: int) -> int:
    """A score for one criterion: a whole number from 0 to the criterion's maximum (К. 2.9, 2.10)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= maximum:
        raise InvalidInput("award.score_range", min=0, max=maximum)
    return score


def check_maximum(maximum: int) -> int:
    """The maximum score of a criterion the operator sets (К. 2.9): a whole number from 1 to 1000."""
    if isinstance(maximum, bool) or not isinstance(maximum, int) or not 1 <= maximum <= CRITERION_MAX_LIMIT:
        raise InvalidInput("award.criterion_maximum", max=CRITERION_MAX_LIMIT)
    return maximum


def check_sheet(scores: Mapping[str, int], maxima: Mapping[str, int]) -> dict[str, int]:
    """A complete score sheet: a score within bounds for every criterion of the task and nothing else."""
    if set(scores) != set(maxima):
        raise InvalidInput("award.sheet_incomplete")
    return {criterion: check_score(scores[criterion], maxima[criterion]) for criterion in maxima}


def team_totals(sheets: Iterable[tuple[str, Mapping[str, int]]]) -> dict[str, int]:
    """The total of each team: the sum of every score of every sheet for its project (К. 2.11).

    ``sheets`` are (team, criterion → score) pairs, one per member's sheet.
    """
    totals: dict[str, int] = {}
    for team, scores in sheets:
        totals[team] = totals.get(team, 0) + sum(scores.values())
    return totals


def missing_sheets(
    evaluators: Collection[str], projects: Collection[str], submitted: Collection[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The (member, project) sheets still missing before a task's results may be computed (К. 2.10):
    every evaluating member owes a sheet for every project, in the given orders."""
    done = set(submitted)
    return [
        (member, project) for member in evaluators for project in projects if (member, project) not in done
    ]


# ------------------------------------------------------------------------------------- the sitting


def sitting_valid(present: int, members: int) -> bool:
    """A sitting may act when at least 50 % of the commission's members are present (К. 2.7)."""
    return members > 0 and present * 2 >= members


def chair_holder(chair: str | None, deputy: str | None, present: Collection[str]) -> str | None:
    """Who holds the chair's powers at a sitting: the chair if present, else the appointed member if
    present (К. 2.6.3), else nobody."""
    if chair is not None and chair in present:
        return chair
    if deputy is not None and deputy in present:
        return deputy
    return None


def voters(present: Collection[str], recused: Collection[str]) -> frozenset[str]:
    """The members who evaluate and vote on a task: those present, minus those who declared a conflict of
    interest with one of its teams."""
    return frozenset(present) - frozenset(recused)


def tie_vote(votes: Mapping[str, str], chair: str | None) -> str | None:
    """The team an open vote on a tie chooses (К. 2.13), or None when the members must vote again.

    ``votes`` maps each voting member to the team they chose. A team chosen by more than half of the votes
    wins; otherwise, when two or more teams share the highest count, the team the chair (the member holding
    the chair's powers) voted for wins if it is one of them.
    """
    if not votes:
        return None
    counts = Counter(votes.values())
    best = max(counts.values())
    top = [team for team, count in counts.items() if count == best]
    if len(top) == 1 and best * 2 > len(votes):
        return top[0]
    if len(top) >= 2 and chair is not None and chair in votes and votes[chair] in top:
        return votes[chair]
    return None


# ---------------------------------------------------------------------------------- places and ties


@dataclass(frozen=True)
class Tie:
    """An undecided place: the teams with equal totals that may take it (К. 2.13)."""

    place: int
    teams: tuple[str, ...]


@dataclass(frozen=True)
class Standings:
    """The places of a task's teams by total (К. 2.12, П. 3.13).

    ``order``: the teams by total descending (equal totals by name, for display only); ``places``: every
    place already decided, by total or by a vote; ``ties``: every undecided place that needs a vote, in
    place order, and ``tie`` the first of them (None when all awarded places are decided).
    """

    order: tuple[str, ...]
    places: dict[str, int] = field(default_factory=dict)
    ties: tuple[Tie, ...] = ()
    awarded: int = 0

    @property
    def tie(self) -> Tie | None:
        """The first undecided place, or None."""
        return self.ties[0] if self.ties else None

    @property
    def complete(self) -> bool:
        """Whether every awarded place has its team."""
        return not self.ties


def settle(totals: Mapping[str, int], decided: Mapping[str, int], prizes: int = len(PLACES)) -> Standings:
    """The places implied by the totals and by the places already decided in tie votes (К. 2.12–2.13).

    Teams are ranked by total; places 1..min(prizes, teams) are awarded (П. 3.13). A group of equal totals
    that covers an awarded place is decided one place at a time: ``decided`` (team → place, from votes)
    gives the team of the group's next place, and the last team of the group takes the next place without a
    vote. Places behind a group do not depend on its outcome. A decision that does not fit (unknown team,
    a place not in dispute yet, two teams for one place) is refused with ``award.tie_decision_invalid``.
    """
    if prizes < 0:
        raise InvalidInput("award.prizes_invalid")
    order = tuple(sorted(totals, key=lambda team: (-totals[team], team)))
    awarded = min(prizes, len(order))
    if len(set(decided.values())) != len(decided):
        raise InvalidInput("award.tie_decision_invalid")
    places: dict[str, int] = {}
    ties: list[Tie] = []
    start = 0
    while start < len(order) and start < awarded:
        end = start
        while end < len(order) and totals[order[end]] == totals[order[start]]:
            end += 1
        remaining = list(order[start:end])
        place = start + 1
        while remaining and place <= awarded:
            if len(remaining) == 1:
                places[remaining.pop()] = place
            else:
                chosen = [team for team in remaining if decided.get(team) == place]
                if not chosen:
                    ties.append(Tie(place, tuple(remaining)))
                    break
                places[chosen[0]] = place
                remaining.remove(chosen[0])
            place += 1
        start = end
    if any(places.get(team) != place for team, place in decided.items()):
        raise InvalidInput("award.tie_decision_invalid")
    return Standings(order=order, places=places, ties=tuple(ties), awarded=awarded)


def standings(totals: Mapping[str, int], prizes: int = len(PLACES)) -> Standings:
    """The places by total alone, before any tie vote (see :func:`settle`)."""
    return settle(totals, {}, prizes)


# -------------------------------------------------------------------------------------- the prize


def split_prize(amount_kopecks: int, members: Sequence[str]) -> dict[str, int]:
    """Each member's equal share of a team's prize in kopecks (П. 4.4); the shares add up to the amount and
    the remaining kopecks go one each to the first members in the given order."""
    if amount_kopecks < 0:
        raise InvalidInput("award.prize_negative")
    if not members:
        raise InvalidInput("award.prize_no_members")
    if len(set(members)) != len(members):
        raise InvalidInput("award.prize_duplicate_member")
    share, rest = divmod(amount_kopecks, len(members))
    return {member: share + (1 if index < rest else 0) for index, member in enumerate(members)}


def payout_deadline(results_day: date) -> date:
    """The last day to submit the payout data: 30 calendar days after the day of the results (П. 4.2)."""
    return results_day + timedelta(days=PAYOUT_DAYS)


def payout_late(results_day: date, today: date) -> bool:
    """Whether the payout period is over, so a member who has not submitted is «не выплачивается» (П. 4.5)."""
    return today > payout_deadline(results_day)
