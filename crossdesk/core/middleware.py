from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

from crossdesk.core.records.registry import request_hooks

# The API answers 401 JSON itself; the language switch must work on the login page.
OPEN_PREFIXES = ("/api/", "/i18n/", "/static/")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login except those marked ``@login_not_required``."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        for hook in request_hooks():
            hook(request)
        if request.path_info.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
