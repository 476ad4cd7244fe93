from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crossdesk.org.selectors import roles_for
from crossdesk.workcal.selectors import calendar_warnings


@require_GET
def workbench(request):
    """My workbench: what waits for me. Later modules add their queues here."""
    roles = roles_for(request.user)
    context = {
        "roles": roles,
        "calendar_warnings": calendar_warnings() if roles.is_admin else [],
    }
    return render(request, "core/workbench.html", context)


@login_not_required
@require_GET
def healthz(request):
    """Liveness for a load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
