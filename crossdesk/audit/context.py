"""Who is acting and through what, for the audit rows written while it lasts.

A web request sets it in :class:`crossdesk.audit.middleware.AuditContextMiddleware`
(``/api/`` → api, ``/admin/`` → admin, else page, the signed-in user as actor); a
background task in :mod:`crossdesk.audit.receivers` (system, with the task as reason);
the organisation import sets ``via="import"`` with the person who uploaded the file.
Outside all of these (management commands, the shell) the row says "system".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from crossdesk.core.records.actors import SYSTEM

from .models import Via


@dataclass(frozen=True)
class Frame:
    via: str = Via.SYSTEM
    actor: Any = SYSTEM  # a login (possibly lazy), a SystemActor, or None
    reason: str | Callable[[], str] = ""  # a callable: read when a row is written (the request's body)

    def why(self) -> str:
        return self.reason() if callable(self.reason) else self.reason


OUTSIDE = Frame()  # no request, task or import around: the system did it
_frame: ContextVar[Frame | None] = ContextVar("crossdesk_audit_frame", default=None)


def current() -> Frame:
    return _frame.get() or OUTSIDE


@contextmanager
def audit_context(*, via: str | None = None, actor: Any = None, reason: str | None = None) -> Iterator[Frame]:
    """Rows written inside say ``via``, ``actor`` and ``reason`` (each defaults to the
    enclosing context's)."""
    outer = current()
    frame = Frame(
        via=via or outer.via,
        actor=outer.actor if actor is None else actor,
        reason=outer.reason if reason is None else str(reason),
    )
    token = _frame.set(frame)
    try:
        yield frame
    finally:
        _frame.reset(token)


def push(frame: Frame) -> Token:
    """For callers that cannot use a ``with`` block (task signals); pair with :func:`pop`."""
    return _frame.set(frame)


def pop(token: Token) -> None:
    _frame.reset(token)
