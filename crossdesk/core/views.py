from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.collaboration.models import Request
from crossdesk.collaboration.selectors import workbench_items
from crossdesk.deadlines.selectors import live_clocks_by_subject, next_clock
from crossdesk.meetings import selectors as meeting_selectors
from crossdesk.meetings.models import ActionItem, Meeting
from crossdesk.org.selectors import roles_for
from crossdesk.workcal.selectors import calendar_warnings

# The order of the counters on the workbench: what others wait on first.
WORK_ORDER = ["respond", "resolve", "provide_info", "confirm", "sign", "sign_initiator", "follow_up", "draft"]


@require_GET
def workbench(request):
    """My workbench: what waits for me, overdue first, then by deadline (SPEC §6)."""
    roles = roles_for(request.user)
    items = workbench_items(roles=roles)
    clocks = live_clocks_by_subject(Request, (item.request.pk for item in items))
    for item in items:
        scope = item.part.clock_scope if item.part else ""
        item.clock = next_clock(clocks.get(item.request.pk, []), scope)
    counts = Counter(item.what for item in items)
    meeting_items = _meeting_items(roles)
    context = {
        "roles": roles,
        "calendar_warnings": calendar_warnings() if roles.is_admin else [],
        "work_items": items,
        "work_counts": [(what, counts[what]) for what in WORK_ORDER if counts[what]],
        "overdue_count": sum(1 for item in items if item.overdue),
        "meeting_items": meeting_items,
        "meeting_overdue": sum(1 for item in meeting_items if item.overdue),
    }
    return render(request, "core/workbench.html", context)


def _meeting_items(roles):
    """Meetings' work (action items I own, minutes to write, confirm or sign), overdue first,
    each with its deadline clock for the badge (two queries whatever the number)."""
    items = meeting_selectors.workbench_items(roles=roles)
    item_clocks = live_clocks_by_subject(ActionItem, (i.item.pk for i in items if i.item))
    meeting_clocks = live_clocks_by_subject(
        Meeting, (i.meeting.pk for i in items if i.meeting and not i.item)
    )
    for item in items:
        clocks = item_clocks.get(item.item.pk, []) if item.item else meeting_clocks.get(item.meeting.pk, [])
        item.clock = next((c for c in clocks if c.due_at == item.due_at), None) or next_clock(clocks)
    return items


@login_not_required
@require_GET
def healthz(request):
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
