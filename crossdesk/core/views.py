from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.collaboration.models import Request
from crossdesk.collaboration.selectors import workbench_items
from crossdesk.collaboration.views.common import next_clock
from crossdesk.deadlines.selectors import live_clocks_by_subject
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
    context = {
        "roles": roles,
        "calendar_warnings": calendar_warnings() if roles.is_admin else [],
        "work_items": items,
        "work_counts": [(what, counts[what]) for what in WORK_ORDER if counts[what]],
        "overdue_count": sum(1 for item in items if item.overdue),
    }
    return render(request, "core/workbench.html", context)


@login_not_required
@require_GET
def healthz(request):
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
