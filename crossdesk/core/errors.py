"""Errors that services raise and that the API and the HTML views map to responses once."""

from __future__ import annotations


class ApplicationError(Exception):
    """Bad input or a rule that refuses the request: HTTP 400, nothing changed."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        extra: dict | None = None,
        problems: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}
        # Every field that needs attention (field → message), when a form is checked whole.
        self.problems = problems or {}

    def as_dict(self) -> dict:
        data: dict = {"message": self.message}
        if self.field:
            data["field"] = self.field
        if self.problems:
            data["errors"] = [{"field": name, "msg": message} for name, message in self.problems.items()]
        data.update(self.extra)
        return data


class Problems:
    """A whole form checked at once: each rule adds the problem of its field (the first per
    field counts) instead of stopping at the first, so people see every missing field
    together. ``raise_any()`` raises one 400 naming the first field and listing all."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.found.setdefault(field, str(message))

    def check(self, rule) -> None:
        """Run ``rule()``; an :class:`ApplicationError` it raises becomes a problem."""
        try:
            rule()
        except ApplicationError as error:
            if error.status_code != 400:
                raise
            self.add(error.field or "", error.message)

    def raise_any(self) -> None:
        if not self.found:
            return
        field, message = next(iter(self.found.items()))
        raise ApplicationError(message, field=field or None, problems=dict(self.found))


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
