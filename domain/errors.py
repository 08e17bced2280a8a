"""Named domain errors: every business rule that fails raises one of these, never assert."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule; the message is safe to show to the user."""

    code = "domain-rule"


class InvalidValue(DomainError):
    """A value is malformed or out of its allowed range."""

    code = "invalid-value"


class InvalidState(DomainError):
    """The request conflicts with the current state of the record."""

    code = "invalid-state"


class NotFound(DomainError):
    """The thing does not exist for this tenant (or must not be revealed)."""

    code = "not-found"


class Forbidden(DomainError):
    """The actor may not do this."""

    code = "forbidden"


class AlreadyExists(DomainError):
    """A unique name or key is already taken."""

    code = "already-exists"

