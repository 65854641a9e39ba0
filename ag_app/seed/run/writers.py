"""The demo loader's bulk writers: people, polls, ballots, news and poll outcomes."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.demographics import age_band
from ag_app.domain.receipts import receipt_code
from ag_app.models import (
    Ballot,
    BallotAnswer,
    Child,
    CitizenRecord,
    ExpertOpinion,
    NewsItem,
    Option,
    Poll,
    PollDecision,
    PollTerritory,
    Question,
    User,
    UserAddress,
    UserRole,
)
from ag_app.seed.catalogue import poll_image
from ag_app.seed.people import Person
from ag_app.seed.polls import PlannedPoll, results_text, tally_of
from ag_app.seed.run.bulk import _insert, _insert_ids, _table
from ag_app.settings import get_settings


def _write_people(conn: Connection, people: list[Person]) -> None:
    """Users, their roles, addresses, children and — for verified ones — citizen registry records."""
    rows = []
    for p in people:
        series, number, snils = p.identity or ("", "", "")
        rows.append(
            {
                "uid": p.uid,
                "phone": p.phone,
                "phone_region": p.phone_region,
                "created_at": p.created_at,
                "terms_accepted_at": p.created_at,
                "deactivated_at": None,
                "last_name": p.last_name,
                "first_name": p.first_name,
                "patronymic": p.patronymic,
                "gender": p.gender,
                "birth_date": p.birth_date,
                "marital_status": p.marital_status,
                "family_filled": p.family_filled,
                "email": p.email,
                "email_confirmed_at": p.email_confirmed_at,
                "passport_series": series,
                "passport_number": number,
                "snils": snils,
                "identity_verified_at": p.identity_verified_at,
                "points_available": 0,
                "points_blocked": 0,
                "points_lifetime": 0,
                "active_citizen_since": None,
            }
        )
    _insert(conn, User, rows)
    user_t = _table(User)
    ids = dict(conn.execute(select(user_t.c.phone, user_t.c.id)).all())
    for person in people:
        person.user_id = ids[person.phone]
    _insert(conn, UserRole, [{"user_id": p.user_id, "role": role} for p in people for role in p.roles])
    _insert(
        conn,
        UserAddress,
        [
            {
                "user_id": p.user_id,
                "kind": a.kind,
                "house_id": a.house_id,
                "apartment": a.apartment,
                "changed_at": p.created_at,
            }
            for p in people
            for a in p.addresses
        ],
    )
    _insert(conn, Child, [{"user_id": p.user_id, "birth_year": year} for p in people for year in p.children])
    registry = _table(CitizenRecord)
    known = set(conn.execute(select(registry.c.snils)).scalars().all())
    _insert(
        conn,
        CitizenRecord,
        [
            {
                "last_name": p.last_name,
                "first_name": p.first_name,
                "patronymic": p.patronymic,
                "birth_date": p.birth_date,
                "passport_series": p.identity[0],
                "passport_number": p.identity[1],
                "snils": p.identity[2],
            }
            for p in people
            if p.identity is not None and p.identity[2] not in known
        ],
    )


def _write_polls(conn: Connection, polls: list[PlannedPoll], *, staff_id: int) -> None:
    """Polls with their territories, experts, questions and options (ballot counts already final)."""
    rows = [
        {
            "title": p.title,
            "summary": p.template.summary,
            "details": p.template.details,
            "image_url": poll_image(p.title),
            "scope": p.scope,
            "include_work_address": False,
            "min_level": 1,
            "children_age_min": p.template.children[0] if p.template.children else None,
            "children_age_max": p.template.children[1] if p.template.children else None,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "points": p.points,
            "hide_intermediate": p.template.hide_intermediate,
            "created_by": staff_id,
            "created_at": p.created_at,
            "published_at": p.published_at,
            "closed_at": None,
            "results_published_at": p.results_published_at,
            "ballots_count": len(p.ballots),
        }
        for p in polls
    ]
    for poll, poll_id in zip(polls, _insert_ids(conn, Poll, rows), strict=True):
        poll.poll_id = poll_id
    _insert(
        conn,
        PollTerritory,
        [{"poll_id": p.poll_id, "okrug_id": o, "district_id": None} for p in polls for o in p.okrug_ids]
        + [{"poll_id": p.poll_id, "okrug_id": None, "district_id": d} for p in polls for d in p.district_ids],
    )
    _insert(
        conn,
        ExpertOpinion,
        [
            {"poll_id": p.poll_id, "position": n, "name": e.name, "title": e.title, "text": e.text}
            for p in polls
            for n, e in enumerate(p.template.experts, start=1)
        ],
    )
    _insert(
        conn,
        Question,
        [
            {
                "poll_id": p.poll_id,
                "position": n,
                "text": q.text,
                "kind": q.kind,
                "max_choices": q.max_choices,
            }
            for p in polls
            for n, q in enumerate(p.questions, start=1)
        ],
    )
    question_t, option_t = _table(Question), _table(Option)
    poll_ids = [p.poll_id for p in polls]
    question_ids = {
        (poll_id, position): question_id
        for question_id, poll_id, position in conn.execute(
            select(question_t.c.id, question_t.c.poll_id, question_t.c.position).where(
                question_t.c.poll_id.in_(poll_ids)
            )
        ).all()
    }
    for p in polls:
        for n, q in enumerate(p.questions, start=1):
            q.question_id = question_ids[(p.poll_id, n)]
    _insert(
        conn,
        Option,
        [
            {
                "question_id": q.question_id,
                "position": n,
                "text": o.text,
                "is_own_text": o.is_own_text,
                "is_exclusive": o.is_exclusive,
            }
            for p in polls
            for q in p.questions
            for n, o in enumerate(q.options, start=1)
        ],
    )
    option_ids = {
        (question_id, position): option_id
        for option_id, question_id, position in conn.execute(
            select(option_t.c.id, option_t.c.question_id, option_t.c.position).where(
                option_t.c.question_id.in_(list(question_ids.values()))
            )
        ).all()
    }
    for p in polls:
        for q in p.questions:
            q.option_ids = [option_ids[(q.question_id, n)] for n in range(1, len(q.options) + 1)]


def _ballot_row(poll_id: int, person: Person, completed_at: datetime, district_okrug: dict[int, int]) -> dict:
    """A ballot row with the receipt code and the voter's facts at voting time, as the service writes it."""
    home = person.home_district
    return {
        "poll_id": poll_id,
        "user_id": person.user_id,
        "completed_at": completed_at,
        "number_region": person.phone_region,
        "receipt": receipt_code(get_settings().require_secret().encode(), poll_id, person.user_id),
        "age_band": age_band(person.birth_date, moscow_date(completed_at)),
        "gender": person.gender,
        "district_id": home,
        "okrug_id": None if home is None else district_okrug[home],
        "tallied": False,
    }


def _write_ballots(
    conn: Connection, polls: list[PlannedPoll], people: list[Person], district_okrug: dict[int, int]
) -> int:
    """Ballots and their answers (left for the statistics job to tally); returns the number of ballots."""
    ballots = [(p, b) for p in polls for b in p.ballots]
    _insert(
        conn,
        Ballot,
        [_ballot_row(p.poll_id, people[b.person], b.completed_at, district_okrug) for p, b in ballots],
    )
    ballot_t = _table(Ballot)
    by_key = {
        (poll_id, user_id): ballot_id
        for ballot_id, poll_id, user_id in conn.execute(
            select(ballot_t.c.id, ballot_t.c.poll_id, ballot_t.c.user_id).where(
                ballot_t.c.poll_id.in_([p.poll_id for p in polls])
            )
        ).all()
    }
    ids = [by_key[(p.poll_id, people[b.person].user_id)] for p, b in ballots]
    answers = [
        {
            "ballot_id": ballot_id,
            "question_id": p.questions[q].question_id,
            "option_id": p.questions[q].option_ids[o],
            "own_text": own,
        }
        for (p, b), ballot_id in zip(ballots, ids, strict=True)
        for q, o, own in b.answers
    ]
    _insert(conn, BallotAnswer, answers)
    return len(ballots)


def _news(kind: str, prefix: str, poll: PlannedPoll, body: str, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": f"{prefix} «{poll.title}»"[:300],
        "body": body,
        "poll_id": poll.poll_id,
        "published_at": at,
    }


def _write_outcomes(
    conn: Connection, polls: Iterable[PlannedPoll], people: list[Person], *, now: datetime
) -> None:
    """Decisions and the «Новости» items of published results, decisions and implementations."""
    news: list[dict[str, Any]] = [
        {
            "kind": "news",
            "title": "Добро пожаловать в демонстрационный город",
            "body": (
                "Это демонстрационные данные: жители, голосования и их итоги созданы автоматически. "
                "Войдите под демонстрационным номером или зарегистрируйтесь: в демо-режиме код из СМС "
                "виден на странице /outbox."
            ),
            "poll_id": None,
            "published_at": now.replace(microsecond=0),
        }
    ]
    decisions = []
    for poll in polls:
        if poll.results_published_at is not None:
            news.append(
                _news(
                    "results",
                    "Итоги голосования",
                    poll,
                    results_text(poll, tally_of(poll, people)),
                    poll.results_published_at,
                )
            )
        if poll.decision is not None:
            d = poll.decision
            decisions.append(
                {
                    "poll_id": poll.poll_id,
                    "text": d.text,
                    "status": "implemented" if d.implemented_at else "adopted",
                    "created_at": d.created_at,
                    "implemented_at": d.implemented_at,
                }
            )
            news.append(_news("decision", "Решение по итогам голосования", poll, d.text, d.created_at))
            if d.implemented_at is not None:
                news.append(_news("decision", "Решение реализовано:", poll, d.text, d.implemented_at))
    _insert(conn, PollDecision, decisions)
    news.sort(key=lambda item: item["published_at"])
    _insert(conn, NewsItem, news)
