"""Checking a form field by field: every refusal is kept under its form field, none stops the rest.

Pure. A validation runs each field's check (or adds a broken rule) and raises once at the end: a
single problem as :class:`OneProblem` — its own key and sentence — several as
:class:`~ag_app.domain.errors.FormProblems` with the form's summary sentence, «Ошибок: N» counting
every sentence. Either way ``problems`` names the fields the page marks ``aria-invalid``.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput

T = TypeVar("T")


class OneProblem(FormProblems):
    """A form refused for exactly one problem: its own key and sentence, its field in ``problems``."""

    def __init__(self, field: str, error: DomainError) -> None:
        InvalidInput.__init__(self, error.key, **error.params)
        self.problems = {field: str(error)}


class FormCheck:
    """Collects refusals per form field instead of stopping at the first one.

    ``prior`` are fields the form already refused while reading its inputs (a date it could not
    parse): given as a mapping they are listed in form order as their fields come up, given as
    (field, refusal) pairs they come first. A field already refused is not checked again.
    """

    def __init__(
        self,
        summary_key: str = "",
        prior: Mapping[str, DomainError] | Sequence[tuple[str, DomainError]] | None = None,
    ) -> None:
        self.summary_key = summary_key
        self.items: list[tuple[str, DomainError]] = []
        self._waiting: dict[str, DomainError] = {}
        if isinstance(prior, Mapping):
            self._waiting = dict(prior)
        else:
            self.items = list(prior or ())

    def _come_up(self, field: str) -> None:
        if field in self._waiting:
            self.items.append((field, self._waiting.pop(field)))

    def add(self, field: str, rule: str | DomainError, **params: object) -> None:
        """Record a refusal for ``field``: a catalogue key with ``params``, or a refusal met elsewhere."""
        self._come_up(field)
        self.items.append((field, rule if isinstance(rule, DomainError) else InvalidInput(rule, **params)))

    def run(self, field: str, check: Callable[..., T], /, *args: object, **kwargs: object) -> T | None:
        """``check(*args, **kwargs)``; None (its refusal kept for ``field``) when it refuses or when
        ``field`` was already refused."""
        self._come_up(field)
        if self.has(field):
            return None
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.items.append((field, error))
            return None

    def has(self, *fields: str) -> bool:
        """Whether a problem was already recorded for one of ``fields``."""
        return any(name in fields for name, _ in self.items) or any(f in self._waiting for f in fields)

    def done(self, summary_key: str = "") -> None:
        """Refuse the form if anything was recorded (see the module docstring); otherwise return."""
        items = self.items + list(self._waiting.items())
        if len(items) == 1:
            raise OneProblem(*items[0])
        if items:
            key = summary_key or self.summary_key
            problems: dict[str, str] = {}
            for name, error in items:
                problems[name] = f"{problems[name]} {error}" if name in problems else str(error)
            error = FormProblems(key, problems)
            # «Ошибок: N» counts sentences, even when one field has two of them.
            InvalidInput.__init__(error, key, count=len(items), problems=" ".join(str(e) for _, e in items))
            raise error
