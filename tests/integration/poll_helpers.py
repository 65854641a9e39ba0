"""Builders for poll tests: a typical poll definition, creating/publishing it, simple valid answers."""

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.models import Ballot, BallotAnswer, PointEntry, Poll, User
from ag_app.services import polls
from ag_app.services.polls import AnswerInput, ExpertInput, OptionInput, PollInput, QuestionInput

DAY = timedelta(days=1)


def poll_data(now: datetime, **changes) -> PollInput:
    """A city poll open from a day before ``now`` for a week, with three questions.

    1. single choice with «Затрудняюсь ответить»; 2. multiple choice (at most 2) with «Свой
    вариант» and «Мне не интересно»; 3. single choice.
    """
    base = PollInput(
        title="Благоустройство парка «Дружба»",
        summary="Выберите, каким станет парк.",
        details="Подробное описание проекта.",
        starts_at=now - DAY,
        ends_at=now + 7 * DAY,
        experts=[ExpertInput(name="Анна Петрова", title="Архитектор", text="Парку нужен каток.")],
        questions=[
            QuestionInput(
                text="Нужно ли благоустройство?",
                options=[
                    OptionInput("Да"),
                    OptionInput("Нет"),
                    OptionInput("Затрудняюсь ответить", is_exclusive=True),
                ],
            ),
            QuestionInput(
                text="Что добавить в парк?",
                kind="multiple",
                max_choices=2,
                options=[
                    OptionInput("Каток"),
                    OptionInput("Детскую площадку"),
                    OptionInput("Фонтан"),
                    OptionInput("Свой вариант", is_own_text=True),
                    OptionInput("Мне не интересно", is_exclusive=True),
                ],
            ),
            QuestionInput(
                text="Когда начинать работы?", options=[OptionInput("Весной"), OptionInput("Осенью")]
            ),
        ],
    )
    return replace(base, **changes)


def make_poll(engine: Engine, staff_id: int, now: datetime, *, publish: bool = True, **changes) -> int:
    """Create (and by default publish) a poll as ``staff_id``; returns its id."""
    with transaction(engine) as session:
        poll_id = polls.create_poll(session, actor_id=staff_id, data=poll_data(now, **changes), now=now)
        if publish:
            polls.publish_poll(session, actor_id=staff_id, poll_id=poll_id, now=now)
    return poll_id


def question_ids(engine: Engine, staff_id: int, poll_id: int, now: datetime) -> list[polls.QuestionView]:
    """The poll's questions as staff see them."""
    with transaction(engine) as session:
        return polls.get_poll(session, actor_id=staff_id, poll_id=poll_id, now=now).questions


def first_options(questions: list[polls.QuestionView]) -> list[AnswerInput]:
    """A valid ballot: the first option of every question."""
    return [AnswerInput(q.id, [q.options[0].id]) for q in questions]


def snapshot(engine: Engine, user_id: int, poll_id: int) -> tuple:
    """What a ballot changes: ballots, answers, ledger rows, the user's points, the poll counter."""
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)).one(),
            session.exec(select(func.count()).select_from(BallotAnswer)).one(),
            session.exec(
                select(func.count()).select_from(PointEntry).where(PointEntry.user_id == user_id)
            ).one(),
            session.get(User, user_id).points_available,
            session.get(Poll, poll_id).ballots_count,
        )
