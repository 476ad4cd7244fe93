from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

# The API answers 401 JSON itself; the language switch must work on the login page.
OPEN_PREFIXES = ("/api/", "/i18n/", "/static/")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login except those marked ``@login_not_required``."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        from crossdesk.org.selectors import remember_roles_during_request

        remember_roles_during_request(request)
        if request.path_info.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
