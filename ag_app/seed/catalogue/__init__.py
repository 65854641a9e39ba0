"""The demo polls: realistic city-wide and territorial questions in the spirit of «Активный гражданин».

Each template says which state its poll is in relative to the seed's ``now`` (active, scheduled, draft,
closed) and, for territorial polls, where it is held. Titles may contain ``{where}`` («в районе Арбат»,
«в Западном административном округе»); decision texts may contain ``{winner}`` — the option of the first
question that won the demo vote. Experts are fictional people.

The templates are split by category: :mod:`.city_open`, :mod:`.city_closed_a`, :mod:`.city_closed_b`
(city-wide) and :mod:`.territorial`; :mod:`.templates` holds their shapes and the shared texts.
"""

from ag_app.seed.catalogue import city_closed_a, city_closed_b, city_open, territorial
from ag_app.seed.catalogue.images import POLL_IMAGES, poll_image
from ag_app.seed.catalogue.templates import (
    DONT_KNOW,
    NOT_INTERESTED,
    OWN_TEXT,
    OWN_TEXTS,
    Expert,
    PollTemplate,
    Q,
)

# Each category's polls in seed order (the order decides the demo polls' ids).
CITY: tuple[PollTemplate, ...] = city_open.POLLS + city_closed_a.POLLS + city_closed_b.POLLS
TERRITORIAL: tuple[PollTemplate, ...] = territorial.POLLS


def _ordered() -> tuple[PollTemplate, ...]:
    """Active, scheduled and draft polls first; then closed ones from the most recent to the oldest,
    one territorial poll after every two or three city-wide ones."""
    order = ("active", "scheduled", "draft")
    head = [t for state in order for t in CITY + TERRITORIAL if t.state == state]
    city = [t for t in CITY if t.state == "closed"]
    local = [t for t in TERRITORIAL if t.state == "closed"]
    tail: list[PollTemplate] = []
    step = 0
    while city or local:
        take = 2 + step % 2
        tail.extend(city[:take])
        del city[:take]
        if local:
            tail.append(local.pop(0))
        step += 1
    return tuple(head + tail)


TEMPLATES: tuple[PollTemplate, ...] = _ordered()

__all__ = [
    "CITY",
    "POLL_IMAGES",
    "DONT_KNOW",
    "NOT_INTERESTED",
    "OWN_TEXT",
    "OWN_TEXTS",
    "TEMPLATES",
    "TERRITORIAL",
    "Expert",
    "PollTemplate",
    "Q",
    "poll_image",
]
