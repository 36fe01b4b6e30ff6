"""Refusals raised by the domain layer; adapters translate them for HTTP or Socket.IO."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused an action. `code` is stable; `message` is for people."""

    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Invalid(DomainError):
    """The input is well-formed but breaks a rule."""

    code = "invalid"


class NotFound(DomainError):
    """No such thing within the caller's organization or room."""

    code = "not_found"


class Conflict(DomainError):
    """The action clashes with the current state."""

    code = "conflict"


class Full(Conflict):
    """No seat is free."""

    code = "full"


class Forbidden(DomainError):
    """The caller may not do this."""

    code = "forbidden"
