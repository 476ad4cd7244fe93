"""One permission engine for every record type: a rule table per type.

Each :class:`Rule` says, for one action, in which statuses it can be taken (``when``),
who may take it (``who``) and the two refusals: ``wrong_person`` (403) and
``wrong_moment`` (409). Services call :meth:`RuleTable.require` before writing; pages and
the API call :meth:`RuleTable.allowed` to show only what a person may do now. Both read
the same rows, so a button is never shown for a move the service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import PermissionDeniedError, TransitionError

# A predicate over the context a record type builds for a check (roles, the record, its parts …).
Check = Callable[[Any], bool]


def always(ctx: Any) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    """Who may take ``action``, and when."""

    action: str
    who: Check
    statuses: Iterable[str] | None = None
    when: Check = always
    label: Any = ""
    wrong_person: Any = _("You may not do this.")
    wrong_moment: Any = _("This cannot be done now.")
    _statuses: frozenset[str] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self.statuses is not None:
            object.__setattr__(self, "_statuses", frozenset(str(s) for s in self.statuses))

    def is_moment(self, ctx: Any, status: str) -> bool:
        return (self._statuses is None or str(status) in self._statuses) and self.when(ctx)


class RuleTable:
    """The rules of one record type. ``status_of(ctx)`` reads the status a rule's
    ``statuses`` refer to; ``moment_message(ctx, rule)`` builds a 409 that names the state."""

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        status_of: Callable[[Any], str] = lambda ctx: ctx.record.status,
        moment_message: Callable[[Any, Rule], str] | None = None,
    ) -> None:
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.action in self.rules:
                raise ValueError(f"Two rules for {rule.action!r}")
            self.rules[rule.action] = rule
        self.status_of = status_of
        self.moment_message = moment_message

    def __contains__(self, action: str) -> bool:
        return action in self.rules

    def rule(self, action: str) -> Rule:
        try:
            return self.rules[action]
        except KeyError as exc:
            raise KeyError(f"No rule for the action {action!r}") from exc

    def may(self, ctx: Any, action: str) -> bool:
        rule = self.rule(action)
        return rule.is_moment(ctx, self.status_of(ctx)) and bool(rule.who(ctx))

    def allowed(self, ctx: Any, actions: Iterable[str] | None = None) -> set[str]:
        status = self.status_of(ctx)
        names = self.rules if actions is None else actions
        return {a for a in names if self.rules[a].is_moment(ctx, status) and self.rules[a].who(ctx)}

    def require(self, ctx: Any, action: str) -> None:
        """Refuse unless allowed now: 403 for the wrong person, else 409 for the wrong moment."""
        rule = self.rule(action)
        if not rule.who(ctx):
            raise PermissionDeniedError(str(rule.wrong_person))
        if not rule.is_moment(ctx, self.status_of(ctx)):
            message = self.moment_message(ctx, rule) if self.moment_message else str(rule.wrong_moment)
            raise TransitionError(message)

    def labels(self) -> dict[str, Any]:
        return {name: rule.label or name for name, rule in self.rules.items()}
