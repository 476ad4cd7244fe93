"""Errors that services raise and that the API and the HTML views map to responses once."""

from __future__ import annotations


class ApplicationError(Exception):
    """Bad input or a rule that refuses the request: HTTP 400, nothing changed."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict:
        data: dict = {"message": self.message}
        if self.field:
            data["field"] = self.field
        data.update(self.extra)
        return data


class PermissionDeniedError(ApplicationError):
    """The actor may not do this: HTTP 403."""

    status_code = 403


class NotFoundError(ApplicationError):
    """The object does not exist or the viewer may not see it: HTTP 404."""

    status_code = 404


class TransitionError(ApplicationError):
    """The record's state does not allow this move: HTTP 409."""

    status_code = 409


class ConflictError(ApplicationError):
    """Someone else changed the record since it was read: HTTP 409."""

    status_code = 409
