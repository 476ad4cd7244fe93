"""The requests' parts of the workbench (registered in ``CollaborationConfig.ready()``): what
waits for me as uniform work items for the API, what I raised and where it stands, and for
heads and supervisors their departments' overdue requests. Each list is a constant number
of queries whatever the number of rows."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.records.registry import WorkItem, WorkList, WorkSection
from crossdesk.org.selectors import Roles, roles_for

from . import selectors
from .choices import OPEN_STATUSES, RequestStatus
from .models import Request, RequestInvolvement

# What to do, by ``selectors.WorkItem.what``.
WHAT = {
    "respond": gettext_lazy("Accept or decline"),
    "resolve": gettext_lazy("Resolve"),
    "provide_info": gettext_lazy("Provide the information asked for"),
    "confirm": gettext_lazy("Confirm the result"),
    "sign": gettext_lazy("Sign"),
    "sign_initiator": gettext_lazy("Sign"),
    "draft": gettext_lazy("Finish and submit the draft"),
    "follow_up": gettext_lazy("Follow up"),
}
SHOWN = 5


def _item(request: Request, kind: str, label: str, due_at=None, overdue: bool = False) -> WorkItem:
    return WorkItem(
        kind=kind,
        title=request.title,
        url=request.get_absolute_url(),
        due_at=due_at,
        overdue=overdue,
        label=label,
        number=request.number or "",
    )


def work_section(user: Any, roles: Roles | None = None) -> WorkSection | None:
    section = selectors.work_section(user, roles)
    if section is not None:
        section.work = [
            _item(i.request, i.what, str(WHAT.get(i.what, i.what)), i.due_at, i.overdue)
            for i in section.items
        ]
    return section


def raised_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """The open requests I raised, the next deadline first, with where each stands."""
    roles = roles or roles_for(user)
    if roles.person is None:
        return []
    mine = Request.objects.filter(initiator_id=roles.person.pk, status__in=OPEN_STATUSES)
    total = mine.count()
    if not total:
        return []
    rows = mine.order_by("next_due_at", "-submitted_at")[:SHOWN]
    return [
        WorkList(
            name="requests",
            title=_("Collaboration requests"),
            items=[
                _item(r, r.status, str(RequestStatus(r.status).label), r.next_due_at, r.is_overdue)
                for r in rows
            ],
            total=total,
            order=10,
        )
    ]


def department_lists(user: Any, roles: Roles | None = None) -> list[WorkList]:
    """For each department I head or supervise: the overdue open requests it received, how
    many and the first ones, with the inbox filtered to exactly those."""
    roles = roles or roles_for(user)
    watched = roles.head_of | roles.supervises
    if not watched:
        return []
    # The same rows as the inbox with direction=received, status=open, overdue=true.
    overdue = RequestInvolvement.objects.filter(
        department_id__in=watched,
        status__in=OPEN_STATUSES,
        is_overdue=True,
        request__in=selectors.visible_requests(roles=roles),
    ).exclude(role=RequestInvolvement.Role.INITIATING)
    counts = Counter(
        dict(overdue.values_list("department_id").annotate(n=Count("id")).values_list("department_id", "n"))
    )
    if not counts:
        return []
    first: dict[int, list[WorkItem]] = {}
    for row in overdue.select_related("request").order_by("next_due_at", "request_id")[: SHOWN * len(counts)]:
        shown = first.setdefault(row.department_id, [])
        if len(shown) < SHOWN:
            shown.append(_item(row.request, "overdue", _("Overdue"), row.next_due_at, True))
    lists = []
    for department_id, total in counts.most_common():
        code = roles.department_codes.get(department_id, str(department_id))
        query = urlencode({"department": code, "direction": "received", "status": "open", "overdue": "true"})
        lists.append(
            WorkList(
                name=f"requests-{code}",
                title=_("%(department)s · overdue requests")
                % {"department": roles.department_names.get(department_id, code)},
                items=first.get(department_id, []),
                total=total,
                more_url=f"{reverse('collaboration:list')}?{query}",
                order=10,
            )
        )
    return lists
