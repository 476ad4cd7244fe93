"""The meetings' parts of the workbench (registered in ``MeetingsConfig.ready()``): what waits
for me as uniform work items for the API, the meetings I called and where they stand, and
for heads and supervisors their departments' overdue action items. Each list is a constant
number of queries whatever the number of rows."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.records.registry import WorkItem, WorkList, WorkSection
from crossdesk.org.selectors import Roles, roles_for

from . import selectors
from .choices import OPEN_ACTION_STATUSES, MeetingStatus

WHAT = {
    "action_item": gettext_lazy("Carry out the action item"),
    "write_minutes": gettext_lazy("Write and circulate the minutes"),
    "revise_minutes": gettext_lazy("Revise the minutes"),
    "confirm_minutes": gettext_lazy("Confirm or object to the minutes"),
    "sign_minutes": gettext_lazy("Sign the minutes"),
}
# A meeting I called stays on my list until it is signed, archived or cancelled.
FINISHED = (MeetingStatus.SIGNED, MeetingStatus.ARCHIVED, MeetingStatus.CANCELLED)
SHOWN = 5


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    section = selectors.work_section(user, roles)
    if section is not None:
        section.work = [
            WorkItem(
                kind=row.what,
                title=row.title,
                url=row.url,
                due_at=row.due_at,
                overdue=row.overdue,
                label=str(WHAT.get(row.what, row.what)),
                number=(row.meeting.number or "") if row.meeting and not row.item else "",
            )
            for row in section.items
        ]
    return section


def raised_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """The meetings I called that are not finished, the soonest first."""
    roles = roles or roles_for(user)
    if roles.person is None:
        return []
    mine = (
        selectors.visible_meetings(roles=roles)
        .filter(initiator_id=roles.person.pk)
        .exclude(status__in=FINISHED)
    )
    total = mine.count()
    if not total:
        return []
    items = [
        WorkItem(
            kind=m.status,
            title=m.title,
            url=m.get_absolute_url(),
            due_at=m.starts_at,
            label=str(MeetingStatus(m.status).label),
            number=m.number or "",
        )
        for m in mine.order_by("starts_at", "id")[:SHOWN]
    ]
    return [WorkList(name="meetings", title=_("Coordination meetings"), items=items, total=total, order=20)]


def department_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """For each department I head or supervise: its overdue action items."""
    roles = roles or roles_for(user)
    watched = roles.head_of | roles.supervises
    if not watched:
        return []
    overdue = selectors.visible_action_items(roles=roles).filter(
        department_id__in=watched, status__in=OPEN_ACTION_STATUSES, due_at__lt=timezone.now()
    )
    counts = Counter(
        dict(overdue.values_list("department_id").annotate(n=Count("id")).values_list("department_id", "n"))
    )
    if not counts:
        return []
    first: dict[int, list[WorkItem]] = {}
    for item in overdue.only("id", "action", "due_at", "department_id", "meeting_id", "request_id").order_by(
        "due_at", "id"
    )[: SHOWN * len(counts)]:
        shown = first.setdefault(item.department_id, [])
        if len(shown) < SHOWN:
            shown.append(
                WorkItem(
                    kind="overdue_action_item",
                    title=item.action,
                    url=item.get_absolute_url(),
                    due_at=item.due_at,
                    overdue=True,
                    label=_("Overdue"),
                )
            )
    lists = []
    for department_id, total in counts.most_common():
        name = roles.department_names.get(department_id, str(department_id))
        query = urlencode({"owner": "", "department": department_id, "overdue": "true"})
        lists.append(
            WorkList(
                name=f"action-items-{department_id}",
                title=_("%(department)s · overdue action items") % {"department": name},
                items=first.get(department_id, []),
                total=total,
                more_url=f"{reverse('meetings:action_items')}?{query}",
                order=20,
            )
        )
    return lists
