"""Checking a form field by field: every refusal is kept (form field → sentence), none stops the rest.

Pure. A form with one bad field keeps that field's own sentence (key and parameters); several bad
fields read as the form's summary sentence (:class:`~ag_app.domain.errors.FormProblems`). Either
way ``problems`` names the fields the page marks ``aria-invalid``.
"""

from collections.abc import Callable, Mapping
from typing import TypeVar

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput

T = TypeVar("T")


class FieldProblem(FormProblems):
    """The only bad field of a form: its own sentence (``key`` and ``params`` kept), still marked."""

    def __init__(self, name: str, error: DomainError) -> None:
        InvalidInput.__init__(self, error.key, **error.params)
        self.problems = {name: str(error)}


class FieldChecks:
    """Runs each field's check and keeps every refusal instead of stopping at the first one."""

    def __init__(self, prior: Mapping[str, DomainError] | None = None) -> None:
        self.errors: dict[str, DomainError] = {}
        # Fields refused while reading the form; listed in form order as their checks come up.
        self._prior: dict[str, DomainError] = dict(prior or {})

    def run(self, name: str, check: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """``check(*args, **kwargs)``; None (and the refusal kept for ``name``) when it refuses.

        A field already refused (e.g. while reading the form) is not checked again.
        """
        if name in self._prior:
            self.errors.setdefault(name, self._prior.pop(name))
        if name in self.errors:
            return None
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.errors[name] = error
            return None

    def add(self, name: str, error: DomainError) -> None:
        """Keep a refusal found elsewhere (the first one per field wins)."""
        self.errors.setdefault(name, self._prior.pop(name, error))

    def has(self, name: str) -> bool:
        """Whether ``name`` was refused."""
        return name in self.errors or name in self._prior

    def raise_if_any(self, key: str) -> None:
        """Refuse the form: one bad field with its own sentence, several with the summary ``key``."""
        errors = self.errors | self._prior
        if len(errors) == 1:
            name, error = next(iter(errors.items()))
            raise FieldProblem(name, error)
        if errors:
            raise FormProblems(key, {name: str(error) for name, error in errors.items()})
