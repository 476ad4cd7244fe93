from __future__ import annotations

from .context import Frame, pop, push
from .models import Via


def via_of_path(path: str) -> str:
    if path.startswith("/api/"):
        return Via.API
    if path.startswith("/admin/"):
        return Via.ADMIN
    return Via.PAGE


class AuditContextMiddleware:
    """Every change made while serving a request is attributed to the signed-in user and
    to the way in (page, API or admin). ``request.user`` stays lazy until a row is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = push(Frame(via=via_of_path(request.path_info), actor=getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            pop(token)
