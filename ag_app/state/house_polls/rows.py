"""Shared rows and formatting of the «Электронный дом» house poll pages: questions, options, results
and applications as display strings."""

import dataclasses

from ag_app.i18n import label, message
from ag_app.services import house_polls
from ag_app.state import fmt

# Apartment and comment limits of the form (the service checks them again).
APARTMENT_LIMIT = 10
COMMENT_LIMIT = 1000


@dataclasses.dataclass
class OptionRow:
    """An option as the page shows it; ``key`` is «question id:option id»."""

    id: str = ""
    text: str = ""
    key: str = ""


@dataclasses.dataclass
class QuestionRow:
    """A question with its options; ``multiple`` for multiple choice."""

    id: str = ""
    number: str = ""
    text: str = ""
    multiple: bool = False
    options: list[OptionRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ResultOptionRow:
    """An option's count and share, as display strings."""

    text: str = ""
    count: str = ""
    percent: str = ""
    # CSS width of the bar, e.g. «42.5%».
    width: str = "0%"


@dataclasses.dataclass
class ResultRow:
    """Results of one question (or of an informing's rating)."""

    text: str = ""
    options: list[ResultOptionRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class NoteRow:
    """An apartment and comment left for the initiator."""

    apartment: str = ""
    comment: str = ""


@dataclasses.dataclass
class ApplicationRow:
    """One of the initiator's applications, as display strings."""

    id: str = ""
    title: str = ""
    kind_name: str = ""
    address: str = ""
    status: str = ""
    status_name: str = ""
    period: str = ""
    filed: str = ""
    due: str = ""
    reasons: list[str] = dataclasses.field(default_factory=list)
    participants: str = ""
    approved: bool = False
    results: list[ResultRow] = dataclasses.field(default_factory=list)
    notes: list[NoteRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class QueueRow:
    """An application in the moderation queue, as display strings."""

    id: str = ""
    title: str = ""
    kind_name: str = ""
    address: str = ""
    message: str = ""
    audience: str = ""
    period: str = ""
    initiator: str = ""
    filed: str = ""
    due: str = ""
    overdue: bool = False
    calendar_note: str = ""
    questions: list[QuestionRow] = dataclasses.field(default_factory=list)


def period(starts, ends) -> str:
    return message("house_poll.page_period", starts=fmt.when(starts), ends=fmt.when(ends))


def question_rows(questions: list[house_polls.QuestionView]) -> list[QuestionRow]:
    return [
        QuestionRow(
            id=str(q.id),
            number=str(q.position),
            text=q.text,
            multiple=q.kind == "multiple",
            options=[OptionRow(id=str(o.id), text=o.text, key=f"{q.id}:{o.id}") for o in q.options],
        )
        for q in questions
    ]


def bar(count: int, total: int) -> ResultOptionRow:
    percent = 100.0 * count / total if total else 0.0
    return ResultOptionRow(count=fmt.num(count), percent=fmt.percent(percent), width=f"{percent:.1f}%")


def result_rows(results: house_polls.HousePollResults | None) -> list[ResultRow]:
    """Results as rows: one per question, or one «Оценка сообщения» row for an informing."""
    if results is None:
        return []
    if not results.questions:
        rows = []
        for key, count in (
            ("house_poll.page_like", results.likes),
            ("house_poll.page_dislike", results.dislikes),
        ):
            row = bar(count, results.participants)
            row.text = label(key)
            rows.append(row)
        return [ResultRow(text=label("house_poll.page_rating"), options=rows)]
    table = []
    for q in results.questions:
        rows = []
        for o in q.options:
            row = bar(o.count, results.participants)
            row.text = o.text
            rows.append(row)
        table.append(ResultRow(text=q.text, options=rows))
    return table


def participants_text(count: int) -> str:
    """«Приняли участие: N человек» with the right plural form."""
    form = fmt.plural(count, "one", "few", "many")
    return message(f"house_poll.page_participants_{form}", count=fmt.num(count)).removesuffix(".")
