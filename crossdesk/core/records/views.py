"""What every record page shares: the services' refusals mapped once to Django's pages."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from crossdesk.core.errors import NotFoundError, PermissionDeniedError


def html_errors(view):
    """Map the services' refusals to Django's 403 and 404 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    return wrapper
