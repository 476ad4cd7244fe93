"""One transition machine (CONVENTIONS habit 3): the TRANSITIONS map, the refusal that
says why, and the history row of the move, for every record type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import TransitionError

from .actors import Actor


@dataclass(frozen=True)
class Machine:
    """The allowed moves of one status field.

    ``history`` names the history model ("app_label.Model") the move is written to;
    ``refusal`` is the 409 message, with ``%(old)s`` / ``%(new)s`` (the labels).
    """

    transitions: Mapping[str, Iterable[str]]
    statuses: type[models.TextChoices]
    history: str = ""
    refusal: Any = _("“%(old)s” cannot become “%(new)s”.")
    status_field: str = "status"
    transition_kind: str = "transition"
    _allowed: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        for old, news in self.transitions.items():
            self._allowed[str(old)] = frozenset(str(n) for n in news)

    def can(self, old: str, new: str) -> bool:
        return str(new) in self._allowed.get(str(old), frozenset())

    def label(self, status: str) -> str:
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return str(status)

    def check(self, old: str, new: str, names: Mapping[str, Any] | None = None) -> None:
        """Refuse a move the map does not allow; ``names`` fills further placeholders of
        the refusal (e.g. ``%(dept)s``)."""
        if not self.can(old, new):
            values = {**(names or {}), "old": self.label(old), "new": self.label(new)}
            raise TransitionError(str(self.refusal) % values)

    def move(
        self,
        record: models.Model,
        new: str,
        *,
        actor: Actor = None,
        author=None,
        reason: str = "",
        into: models.Model | None = None,
        data: dict | None = None,
        history: bool = True,
        kind: str = "",
        names: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> str:
        """Check and set the new status (the caller saves), writing the move to
        ``into``'s history (the record itself by default) as ``kind`` (the machine's
        ``transition_kind`` by default). Returns the old status."""
        old = getattr(record, self.status_field)
        self.check(old, new, names)
        setattr(record, self.status_field, new)
        if history and self.history:
            model = apps.get_model(self.history)
            model.add(
                into if into is not None else record,
                kind or self.transition_kind,
                actor=actor,
                author=author,
                content=reason,
                from_status=old,
                to_status=new,
                data=data,
                **extra,
            )
        return old
