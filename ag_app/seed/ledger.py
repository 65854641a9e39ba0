"""The demo points history: poll completions, profile blocks and daily visits, and the cached balances.

Rows use the same reasons, references and descriptions as the services that credit them live, so
«once per poll / block / day» keeps holding when a demo user goes on using the app.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ag_app.domain.clock import moscow_date
from ag_app.domain.points import (
    ACTIVE_CITIZEN_THRESHOLD,
    DAILY_VISIT_POINTS,
    PROFILE_BLOCK_POINTS,
    PROFILE_FULL_POINTS,
)
from ag_app.domain.profile import BLOCKS, completed_blocks, is_full_profile
from ag_app.seed.people import Person, moscow_instant
from ag_app.seed.polls import PlannedPoll

# Mean number of visit days of a resident of average activity.
MEAN_VISITS = 14
# The most active residents (activity above this) are regulars who visit on 150–350 days.
REGULAR_ACTIVITY = 2.4
MAX_VISITS = 400


@dataclass(frozen=True)
class Entry:
    """A planned ledger row (``person`` indexes the people list)."""

    person: int
    amount: int
    reason: str
    ref: str
    description: str
    created_at: datetime


@dataclass(frozen=True)
class Balance:
    """Cached balances of a user, derived from their ledger rows."""

    available: int
    lifetime: int
    active_citizen_since: datetime | None


def plan_entries(
    rng: random.Random, people: list[Person], polls: list[PlannedPoll], *, now: datetime
) -> list[Entry]:
    """Every ledger row of the demo city: poll completions, profile blocks, the full profile, visits.

    Visits are on distinct Moscow days between registration and yesterday (today stays free, so a
    demo login still earns its visit).
    """
    entries: list[Entry] = []
    for poll in polls:
        for ballot in poll.ballots:
            entries.append(
                Entry(
                    ballot.person,
                    poll.points,
                    "poll",
                    f"poll:{poll.poll_id}",
                    f"Голосование «{poll.title}»",
                    ballot.completed_at,
                )
            )
    yesterday = moscow_date(now) - timedelta(days=1)
    for index, person in enumerate(people):
        if person.roles:
            continue
        blocks = completed_blocks(
            last_name=person.last_name,
            first_name=person.first_name,
            gender=person.gender,
            birth_date=person.birth_date,
            family_filled=person.family_filled,
            email_confirmed=person.email_confirmed_at is not None,
        )
        times = {
            "personal": person.created_at + timedelta(minutes=5),
            "family": person.created_at + timedelta(minutes=8),
            "email": person.email_confirmed_at or person.created_at,
        }
        for block in sorted(blocks):
            entries.append(
                Entry(
                    index,
                    PROFILE_BLOCK_POINTS,
                    "profile_block",
                    block,
                    f"Заполнен блок профиля: {BLOCKS[block]}",
                    times[block],
                )
            )
        if is_full_profile(blocks, has_address=bool(person.addresses)):
            entries.append(
                Entry(
                    index,
                    PROFILE_FULL_POINTS,
                    "profile_full",
                    "profile",
                    "Профиль заполнен полностью",
                    max(times[b] for b in blocks) + timedelta(minutes=1),
                )
            )
        first_day = moscow_date(person.created_at)
        days = (yesterday - first_day).days + 1
        if days <= 0:
            continue
        if person.visits:
            wanted = person.visits
        elif person.activity > REGULAR_ACTIVITY:
            wanted = rng.randint(150, 350)
        else:
            wanted = int(rng.expovariate(1 / MEAN_VISITS) * person.activity)
        for offset in sorted(rng.sample(range(days), min(wanted, days, MAX_VISITS))):
            day = first_day + timedelta(days=offset)
            at = max(moscow_instant(day, rng.randint(7, 22), rng.randint(0, 59)), person.created_at)
            entries.append(
                Entry(
                    index,
                    DAILY_VISIT_POINTS,
                    "daily_visit",
                    day.isoformat(),
                    f"Посещение сайта {day:%d.%m.%Y}",
                    at,
                )
            )
    return entries


def balances(entries: list[Entry], people_count: int) -> list[Balance]:
    """Per person: the balance (sum of the ledger), lifetime credits and when 1000 lifetime points were reached."""
    rows: list[list[Entry]] = [[] for _ in range(people_count)]
    for entry in entries:
        rows[entry.person].append(entry)
    result = []
    for own in rows:
        lifetime = available = 0
        since = None
        for entry in sorted(own, key=lambda e: (e.created_at, e.reason, e.ref)):
            available += entry.amount
            if entry.amount > 0:
                lifetime += entry.amount
            if since is None and lifetime >= ACTIVE_CITIZEN_THRESHOLD:
                since = entry.created_at
        result.append(Balance(available, lifetime, since))
    return result
