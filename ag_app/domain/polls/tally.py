"""Tallies of a poll's answers and their percentages; pure."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ag_app.domain.polls.ballots import QuestionSpec

# ----------------------------------------------------------------------------------------------
# Tally


@dataclass(frozen=True)
class OptionTally:
    """Votes for one option: overall and by phone-number region, with percents of answered ballots."""

    option_id: int
    text: str
    count: int
    percent: float
    moscow: int
    other: int
    moscow_percent: float
    other_percent: float


@dataclass(frozen=True)
class QuestionTally:
    """Results of one question; ``answered`` counts the ballots that answered it."""

    question_id: int
    text: str
    answered: int
    answered_moscow: int
    answered_other: int
    options: tuple[OptionTally, ...]


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, rounded half up to one decimal (0 when nobody answered)."""
    if whole <= 0:
        return 0.0
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def tally(
    questions: Sequence[QuestionSpec],
    counts: Iterable[tuple[int, str, int]],
    answered: Mapping[tuple[int, str], int],
) -> list[QuestionTally]:
    """Count the results of a poll from grouped ballot answers.

    ``counts`` holds ``(option_id, region, n)`` rows — how many ballots of phone region «moscow» or
    «other» chose the option; ``answered`` maps ``(question_id, region)`` to the number of ballots
    that answered the question. An option's percent is its count over the ballots that answered
    its question (a multiple-choice question can sum to more than 100 %), rounded to 0.1.
    """
    per_option: dict[int, dict[str, int]] = {}
    for option_id, region, n in counts:
        slot = per_option.setdefault(option_id, {"moscow": 0, "other": 0})
        slot["moscow" if region == "moscow" else "other"] += n
    result = []
    for question in questions:
        moscow_answered = answered.get((question.id, "moscow"), 0)
        other_answered = answered.get((question.id, "other"), 0)
        total_answered = moscow_answered + other_answered
        options = []
        for option in question.options:
            slot = per_option.get(option.id, {"moscow": 0, "other": 0})
            count = slot["moscow"] + slot["other"]
            options.append(
                OptionTally(
                    option_id=option.id,
                    text=option.text,
                    count=count,
                    percent=percent(count, total_answered),
                    moscow=slot["moscow"],
                    other=slot["other"],
                    moscow_percent=percent(slot["moscow"], moscow_answered),
                    other_percent=percent(slot["other"], other_answered),
                )
            )
        result.append(
            QuestionTally(
                question_id=question.id,
                text=question.text,
                answered=total_answered,
                answered_moscow=moscow_answered,
                answered_other=other_answered,
                options=tuple(options),
            )
        )
    return result
