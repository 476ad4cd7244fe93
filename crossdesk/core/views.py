from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from crossdesk.core.records.registry import panels, work_providers


def _panels(request, host: str) -> list[str]:
    found = (provider(user=request.user) for provider in panels(host).values())
    return [mark_safe(render_to_string(p["template"], p["context"], request)) for p in found if p]


@require_GET
def workbench(request):
    """My workbench: what waits for me, overdue first, then by deadline (SPEC §6). Each app
    adds its section through ``core.records.registry`` (``register_work``), so core imports
    none of them; roles are computed once per web request, whichever section asks."""
    sections = [s for s in (provider(request.user, None) for provider in work_providers().values()) if s]
    sections.sort(key=lambda s: s.order)
    context = {
        "top": _panels(request, "core.workbench:top"),
        "side": _panels(request, "core.workbench:side"),
        "sections": [mark_safe(render_to_string(s.template, s.context, request)) for s in sections],
    }
    return render(request, "core/workbench.html", context)


@login_not_required
@require_GET
def healthz(request):
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
