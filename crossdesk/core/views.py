from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from crossdesk.core.records.registry import panels
from crossdesk.core.workbench import workbench_for


def _panels(request, host: str) -> list[str]:
    found = (provider(user=request.user) for provider in panels(host).values())
    return [mark_safe(render_to_string(p["template"], p["context"], request)) for p in found if p]


@require_GET
def workbench(request):
    """My workbench: what waits for me, overdue first, then by deadline (SPEC §6); what I
    raised and where it stands; for heads and supervisors, their departments' overdue and
    escalated records. Each app adds its part through ``core.records.registry``, so core
    imports none of them; roles are computed once per web request, whichever part asks."""
    found = workbench_for(request.user)
    context = {
        "top": _panels(request, "core.workbench:top"),
        "side": _panels(request, "core.workbench:side"),
        "sections": [mark_safe(render_to_string(s.template, s.context, request)) for s in found.sections],
        "raised": found.raised,
        "departments": found.departments,
        "department_overdue": found.department_overdue,
    }
    return render(request, "core/workbench.html", context)


@login_not_required
@require_GET
def healthz(request):
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
