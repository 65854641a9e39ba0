"""Checks of a completed ballot and of ticking a multiple-choice option (SPEC §2.2); pure."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from ag_app.domain.errors import InvalidInput
from ag_app.domain.polls.rules import OWN_TEXT_LIMIT
from ag_app.domain.text import clean_text

# ----------------------------------------------------------------------------------------------
# Ballots


@dataclass(frozen=True)
class OptionSpec:
    """An answer option as the rules see it."""

    id: int
    text: str
    is_own_text: bool = False
    is_exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the rules see it; ``options`` in display order."""

    id: int
    text: str
    kind: str = "single"
    max_choices: int = 1
    options: tuple[OptionSpec, ...] = ()


@dataclass(frozen=True)
class AnswerInput:
    """The user's answer to one question: chosen option ids and the «Свой вариант» text."""

    question_id: int
    option_ids: list[int] = field(default_factory=list)
    own_text: str = ""


def validate_answers(
    questions: Sequence[QuestionSpec],
    answers: Sequence[AnswerInput],
    own_text_limit: int = OWN_TEXT_LIMIT,
    *,
    complete: bool = True,
) -> list[AnswerInput]:
    """Check a ballot and return it normalised, one answer per question in question order.

    Rules: every answer names a question of this poll, at most once; every question is answered
    (with ``complete=False``, for saved progress, unanswered questions are allowed); a single-choice
    question takes exactly one option, a multiple-choice one at least one and at most
    ``max_choices``; options must belong to their question; an exclusive option («Затрудняюсь
    ответить», «Мне не интересно») is not combined with others; «Свой вариант» needs a non-blank
    text of at most ``own_text_limit`` characters (after stripping), and text is refused when that
    option is not chosen. Repeated option ids count once.

    Raises:
        InvalidInput: with the key of the first broken rule, naming the question number.
    """
    by_id = {q.id: (number, q) for number, q in enumerate(questions, start=1)}
    given: dict[int, AnswerInput] = {}
    for answer in answers:
        if answer.question_id not in by_id:
            raise InvalidInput("poll.question_foreign")
        number = by_id[answer.question_id][0]
        if answer.question_id in given:
            raise InvalidInput("poll.answer_duplicate", number=number)
        given[answer.question_id] = answer
    result: list[AnswerInput] = []
    for number, question in enumerate(questions, start=1):
        answer = given.get(question.id)
        chosen = list(dict.fromkeys(answer.option_ids)) if answer is not None else []
        own_text = clean_text(answer.own_text) if answer is not None else ""
        if not chosen and not own_text:
            if complete:
                raise InvalidInput("poll.answer_required", number=number, text=question.text)
            continue
        options = {o.id: o for o in question.options}
        for option_id in chosen:
            if option_id not in options:
                raise InvalidInput("poll.option_foreign", number=number)
        own_chosen = any(options[o].is_own_text for o in chosen)
        if own_text and not own_chosen:
            if any(o.is_own_text for o in question.options):
                raise InvalidInput("poll.own_text_option_not_chosen", number=number)
            raise InvalidInput("poll.own_text_not_allowed", number=number)
        if question.kind == "single" and len(chosen) > 1:
            raise InvalidInput("poll.single_choice", number=number)
        if question.kind == "multiple" and len(chosen) > question.max_choices:
            raise InvalidInput("poll.too_many_choices", number=number, limit=question.max_choices)
        if len(chosen) > 1:
            for option_id in chosen:
                if options[option_id].is_exclusive:
                    raise InvalidInput("poll.exclusive_option", text=options[option_id].text, number=number)
        if own_chosen and complete and not own_text:
            raise InvalidInput("poll.own_text_required", number=number)
        if len(own_text) > own_text_limit:
            raise InvalidInput("poll.own_text_too_long", number=number, limit=own_text_limit)
        result.append(AnswerInput(question_id=question.id, option_ids=chosen, own_text=own_text))
    return result


def toggle_choice(
    selected: list[str], option: str, checked: bool, *, exclusive: set[str], limit: int
) -> list[str] | None:
    """The choices of a multiple-choice question after ticking or unticking ``option``.

    An exclusive option («Затрудняюсь ответить») replaces every other choice and is dropped when
    another option is ticked. Ticking more than ``limit`` options gives None (refused; the
    service checks the same rule again on completion).
    """
    if not checked:
        return [i for i in selected if i != option]
    if option in exclusive:
        return [option]
    chosen = [i for i in selected if i not in exclusive and i != option]
    if len(chosen) >= limit:
        return None
    return [*chosen, option]
