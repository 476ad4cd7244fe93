"""Who did something: a person (through their login) or the system on behalf of a rule.

Scheduled work (the sweep, the communication plan, weekly lists) acts as a
:class:`SystemActor` with the reason it acts, so history says "系统（沟通计划）" instead of
naming a person who did nothing, and nothing fails because a person has no login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class SystemActor:
    """The system acting for a reason (``reason`` is shown in brackets in history)."""

    reason: Any = ""
    is_authenticated: bool = False
    is_system: bool = True
    pk: None = None

    def for_reason(self, reason: Any) -> SystemActor:
        return SystemActor(reason=reason)

    def __str__(self) -> str:
        if self.reason:
            return pgettext("system actor", "System (%(reason)s)") % {"reason": self.reason}
        return str(_("System"))


SYSTEM = SystemActor()

# A login (``User``), a system actor, or nobody.
Actor = Any


def is_system(actor: Actor) -> bool:
    return bool(getattr(actor, "is_system", False))


def person_of_actor(actor: Actor):
    """The active ``org.Person`` behind a login, or ``None`` (system actors, anonymous)."""
    if actor is None or is_system(actor) or not getattr(actor, "is_authenticated", False):
        return None
    return getattr(actor, "person", None)


def actor_label(actor: Actor) -> str:
    """What a history row stores beside ``author`` when no person acted."""
    return str(actor) if is_system(actor) else ""
