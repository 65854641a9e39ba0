"""The ``bench http`` scenario: bench polls, ballots and one phase of concurrent clients."""

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ag_app.bench.http.recorder import POLL_TITLE, STAFF_PHONE, BenchError, Recorder, Resident, login


def _poll_body(number: int, now: datetime) -> dict:
    """A city-wide poll open for a week, level 1, two questions, 10 points."""
    return {
        "title": f"{POLL_TITLE} №{number}",
        "summary": "Опрос для измерения нагрузки.",
        "scope": "city",
        "min_level": 1,
        "starts_at": (now - timedelta(minutes=5)).isoformat(),
        "ends_at": (now + timedelta(days=7)).isoformat(),
        "points": 10,
        "questions": [
            {
                "text": "Какой вид транспорта вы используете чаще всего?",
                "kind": "single",
                "options": [{"text": t} for t in ("Метро", "Автобус", "Автомобиль", "Велосипед")],
            },
            {
                "text": "Что стоит улучшить во дворах?",
                "kind": "multiple",
                "max_choices": 2,
                "options": [{"text": t} for t in ("Освещение", "Площадки", "Озеленение", "Парковки")],
            },
        ],
    }


async def bench_polls(rec: Recorder, wanted: int) -> dict[int, list[dict]]:
    """The open bench polls: id → questions. When fewer than ``wanted`` are open, the demo staff
    account logs in (3 SMS codes per phone and hour) and creates and publishes the missing ones."""
    found = await rec.request("setup", "GET", "/polls", params={"status": "active"})
    if found is None or found.status_code != 200:
        raise BenchError("Не удалось получить список голосований.")
    ids = [p["id"] for p in found.json() if p["title"].startswith(POLL_TITLE) and p["scope"] == "city"]
    if len(ids) < wanted:
        staff = await login(rec, STAFF_PHONE, route_prefix="setup")
        if not staff:
            raise BenchError(
                "Не удалось войти сотрудником (+79990000001): нужен демо-режим (AG_DEMO_MODE=true) и демо-город."
            )
        now = datetime.now(UTC)
        for number in range(len(ids) + 1, wanted + 1):
            body = _poll_body(number, now)
            made = await rec.request("setup", "POST", "/staff/polls", token=staff, json=body)
            if made is None or made.status_code != 201:
                raise BenchError(f"Не удалось создать голосование: {made and made.text}")
            poll_id = made.json()["id"]
            published = await rec.request("setup", "POST", f"/staff/polls/{poll_id}/publish", token=staff)
            if published is None or published.status_code != 200:
                raise BenchError(f"Не удалось опубликовать голосование: {published and published.text}")
            ids.append(poll_id)
    questions = {}
    for poll_id in sorted(ids)[:wanted]:
        page = await rec.request("setup", "GET", f"/polls/{poll_id}")
        if page is None or page.status_code != 200:
            raise BenchError(f"Голосование {poll_id} недоступно.")
        questions[poll_id] = page.json()["questions"]
    return questions


def ballot_body(questions: list[dict], rng: random.Random) -> dict:
    """Valid answers to every question: one option, or 1..max_choices of a multiple choice."""
    answers = []
    for q in questions:
        plain = [o["id"] for o in q["options"] if not o["is_own_text"] and not o["is_exclusive"]]
        count = 1 if q["kind"] == "single" else rng.randint(1, max(1, min(q["max_choices"], len(plain))))
        answers.append({"question_id": q["id"], "option_ids": rng.sample(plain, count), "own_text": ""})
    return {"answers": answers}


async def run_phase(
    rec: Recorder,
    clients: int,
    seconds: float,
    step: Callable[[int], Awaitable[bool]],
) -> float:
    """Run ``step(client_index)`` in a loop on ``clients`` tasks until ``seconds`` pass or every
    client's step says it has no more work (returns False); the phase's wall time."""
    deadline = time.perf_counter() + seconds

    async def loop(index: int) -> None:
        while time.perf_counter() < deadline:
            if not await step(index):
                return

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    return time.perf_counter() - started


@dataclass
class Plan:
    """What the phases share: residents per client, the polls and a random source."""

    residents: list[list[Resident]]
    polls: dict[int, list[dict]]
    rng: random.Random
