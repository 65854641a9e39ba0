"""Feedback tickets («Обратная связь», SPEC §4.3): topics, statuses, text limits and ticket numbers."""

from collections.abc import Mapping

from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.text import clean_text as free_text
from ag_app.i18n import statuses

FEEDBACK_TOPICS: dict[str, str] = {
    "polls": "Голосования",
    "house": "«Электронный дом»",
    "points": "Баллы и статус",
    "shop": "Магазин поощрений",
    "account": "Профиль и вход",
    "tech": "Технические проблемы",
    "other": "Другое",
}
STATUSES: dict[str, str] = statuses("feedback", heading=True)
TEXT_MIN = 10
TEXT_MAX = 4000
ANSWER_MAX = 4000


def check_topic(topic: str) -> str:
    """The topic if it is one of the list."""
    if topic not in FEEDBACK_TOPICS:
        raise InvalidInput("feedback.topic_invalid")
    return topic


def clean_text(text: str, *, limit: int = TEXT_MAX, minimum: int = TEXT_MIN) -> str:
    """The text without outer spaces; too short, too long or with control characters is refused."""
    text = free_text(text)
    if len(text) < minimum:
        raise InvalidInput("feedback.text_too_short", limit=minimum)
    if len(text) > limit:
        raise InvalidInput("feedback.text_too_long", limit=limit)
    return text


def check_ticket(topic: str, text: str, prior: Mapping[str, DomainError] | None = None) -> tuple[str, str]:
    """The topic and text of a new ticket, both checked at once: one bad field keeps its own sentence,
    both are refused together («feedback.form_problems»); ``prior`` are fields refused while reading
    the form. Form fields: topic, text."""
    checks = FormCheck(prior=prior)
    checked_topic = checks.run("topic", check_topic, topic)
    checked_text = checks.run("text", clean_text, text)
    checks.done("feedback.form_problems")
    return checked_topic or "", checked_text or ""


def ticket_number(ticket_id: int) -> str:
    """The number shown to people: «ОБ-» and six digits (more when needed)."""
    return f"ОБ-{ticket_id:06d}"
