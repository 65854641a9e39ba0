"""One error hierarchy; every message is a Russian UI string from :mod:`ag_app.i18n`."""

from collections.abc import Mapping

from ag_app.i18n import message


class DomainError(Exception):
    """A rule refused the request; ``str(error)`` is the Russian message for the user.

    Subclasses tell the API which HTTP status to use.
    """

    status_code = 400

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message(key, **params))


class InvalidInput(DomainError):
    """The request itself is malformed or incomplete (HTTP 422/400)."""

    status_code = 422


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    status_code = 403


class NotAuthenticated(DomainError):
    """The actor must log in first (HTTP 401)."""

    status_code = 401


class NotFound(DomainError):
    """The thing asked for does not exist or is hidden from the actor (HTTP 404)."""

    status_code = 404


class Conflict(DomainError):
    """The request contradicts what already happened, e.g. a second ballot (HTTP 409)."""

    status_code = 409


class TooManyRequests(DomainError):
    """A rate limit was hit (HTTP 429)."""

    status_code = 429


class FormProblems(InvalidInput):
    """A form refused as a whole, nothing saved: ``problems`` maps each bad form field to its Russian
    sentence, so the page marks those fields (``aria-invalid``) and ``str(error)`` — the form's
    ``key`` sentence with ``{count}`` and ``{problems}`` — lists every problem at once."""

    def __init__(self, key: str, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(key, count=len(self.problems), problems=" ".join(self.problems.values()))
