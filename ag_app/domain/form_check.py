"""Collecting every problem of a form before refusing it (issue 17: a form lists all its problems).

A validation adds one :class:`InvalidInput` per broken rule under the form field it concerns and
raises once at the end: several problems as :class:`FormProblems` with the form's summary key, a
single problem as :class:`OneProblem` — still a :class:`FormProblems` (so the page marks its field)
but with the problem's own key and sentence.
"""

from collections.abc import Sequence

from ag_app.domain.errors import FormProblems, InvalidInput


class OneProblem(FormProblems):
    """A form refused for exactly one problem: its own key and sentence, its field in ``problems``."""

    def __init__(self, field: str, error: InvalidInput) -> None:
        self.problems = {field: str(error)}
        InvalidInput.__init__(self, error.key, **error.params)


class FormCheck:
    """Collects refusals per form field instead of stopping at the first one."""

    def __init__(self, summary_key: str, prior: Sequence[tuple[str, InvalidInput]] = ()) -> None:
        """``prior``: problems the form already found while reading its inputs (e.g. a date it
        could not parse), reported together with the rest."""
        self.summary_key = summary_key
        self.items: list[tuple[str, InvalidInput]] = list(prior)

    def add(self, field: str, key: str, **params: object) -> None:
        """Record the broken rule ``key`` for the form ``field``."""
        self.items.append((field, InvalidInput(key, **params)))

    def has(self, *fields: str) -> bool:
        """Whether a problem was already recorded for one of ``fields``."""
        return any(name in fields for name, _ in self.items)

    def done(self) -> None:
        """Raise the collected problems, if any (see the module docstring); otherwise return."""
        if len(self.items) == 1:
            raise OneProblem(*self.items[0])
        if self.items:
            problems: dict[str, str] = {}
            for name, error in self.items:
                problems[name] = f"{problems[name]} {error}" if name in problems else str(error)
            error = FormProblems(self.summary_key, problems)
            # «Ошибок: N» counts sentences, even when one field has two of them.
            InvalidInput.__init__(
                error,
                self.summary_key,
                count=len(self.items),
                problems=" ".join(str(e) for _, e in self.items),
            )
            raise error
