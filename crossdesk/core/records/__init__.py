"""The record layer: what requests, meetings, action items, projects, tasks, change
requests and deliverables share (docs/architecture.md).

A record app declares its statuses and :class:`Machine`, its :class:`RuleTable`, what a
signature covers (:func:`sign` / :func:`verify` with its own kind), and writes its
services on top of :func:`locked`, :func:`bump`, the history base and the input parsers.
"""

from .actors import SYSTEM, Actor, SystemActor, actor_label, person_of_actor
from .archive import ArchiveChild, ArchivedRecord, ArchiveError, GuardedQuerySet
from .history import HistoryEntry, plain
from .locking import bump, check_version, locked, stale
from .machine import Machine
from .rules import Rule, RuleTable
from .signing import sign, verify

__all__ = [
    "SYSTEM",
    "Actor",
    "ArchiveChild",
    "ArchiveError",
    "ArchivedRecord",
    "GuardedQuerySet",
    "HistoryEntry",
    "Machine",
    "Rule",
    "RuleTable",
    "SystemActor",
    "actor_label",
    "bump",
    "check_version",
    "locked",
    "person_of_actor",
    "plain",
    "sign",
    "stale",
    "verify",
]
