"""The shapes of the demo poll templates and the texts every poll shares."""

from dataclasses import dataclass

DONT_KNOW = "Затрудняюсь ответить"
NOT_INTERESTED = "Мне не интересно"
OWN_TEXT = "Свой вариант"


@dataclass(frozen=True)
class Q:
    """A question template; «Свой вариант», «Мне не интересно», «Затрудняюсь ответить» are appended as flagged."""

    text: str
    options: tuple[str, ...]
    kind: str = "single"
    max_choices: int = 1
    own: bool = False
    not_interested: bool = False
    dont_know: bool = True


@dataclass(frozen=True)
class Expert:
    """An expert opinion shown with a poll."""

    name: str
    title: str
    text: str


@dataclass(frozen=True)
class PollTemplate:
    """A demo poll.

    ``territory`` is empty for a city-wide poll, else items like ``"district:Арбат"`` or ``"okrug:ЦАО"``.
    """

    title: str
    summary: str
    details: str
    questions: tuple[Q, ...]
    experts: tuple[Expert, ...]
    state: str = "closed"
    territory: tuple[str, ...] = ()
    decision: str = ""
    children: tuple[int, int] | None = None
    hide_intermediate: bool = False


OWN_TEXTS: tuple[str, ...] = (
    "Больше скамеек и урн",
    "Высадить деревья, чтобы было больше тени",
    "Учесть интересы маломобильных жителей и родителей с колясками",
    "Сначала отремонтировать то, что уже есть",
    "Сделать понятную навигацию и указатели",
    "Обустроить безопасные пешеходные переходы",
    "Больше мероприятий для старшего поколения",
    "Проводить работы летом, когда меньше людей",
    "Обсудить проект с жителями на встрече в управе",
    "Добавить бесплатный Wi-Fi",
    "Нужны общественные туалеты",
    "Больше места для детей и подростков",
)
