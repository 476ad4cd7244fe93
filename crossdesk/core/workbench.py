"""What the workbench shows one person, gathered from the apps' providers (registered in
their ``AppConfig.ready()`` through ``core.records.registry``, so core imports none of
them): what waits for me, what I raised and where it stands, and for heads and
supervisors their departments' overdue and escalated records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from crossdesk.core.records.registry import (
    WorkItem,
    WorkList,
    WorkSection,
    work_list_providers,
    work_providers,
)


@dataclass
class Workbench:
    sections: list[WorkSection] = field(default_factory=list)
    raised: list[WorkList] = field(default_factory=list)
    departments: list[WorkList] = field(default_factory=list)

    @property
    def waiting(self) -> list[WorkItem]:
        """Every thing waiting for me, overdue first, then by deadline."""
        far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
        items = [item for section in self.sections for item in section.work_items()]
        return sorted(items, key=lambda item: (not item.overdue, item.due_at or far))

    @property
    def department_overdue(self) -> int:
        return sum(found.total for found in self.departments)


def _lists(board: str, user: Any) -> list[WorkList]:
    found = [one for provider in work_list_providers(board).values() for one in provider(user, None)]
    return sorted(found, key=lambda one: one.order)


def workbench_for(user: Any) -> Workbench:
    sections = [s for s in (provider(user, None) for provider in work_providers().values()) if s]
    sections.sort(key=lambda s: s.order)
    return Workbench(sections, _lists("raised", user), _lists("departments", user))
