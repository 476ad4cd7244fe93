"""The one NinjaAPI: routers per app under /api/v1/, errors mapped to responses once."""

from __future__ import annotations

import json

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from crossdesk.core.apierrors import validation_body
from crossdesk.core.errors import ApplicationError
from crossdesk.core.schemas import ErrorOut, error_responses  # noqa: F401  (re-exported)


class ObjectBodyParser(Parser):
    """Refuses JSON bodies that are not objects (Ninja would accept a bare string)."""

    def parse_body(self, request):
        if not request.body:
            return {}
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApplicationError(_("The body is not valid JSON."), field="body") from exc
        if not isinstance(data, dict):
            raise ApplicationError(_("The body must be a JSON object."), field="body")
        return data


api = NinjaAPI(
    title="Crossdesk API",
    version="1",
    description="跨部门协作平台 API. Authenticate with a session cookie (log in through the web page).",
    auth=django_auth,
    parser=ObjectBodyParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)


# Ninja's own refusals, in the session's language.
LIBRARY_MESSAGES = {
    "Cannot parse request body": gettext_lazy("The body is not valid JSON."),
    "CSRF check Failed": gettext_lazy(
        "The form expired or came from another site: reload the page and try again."
    ),
}


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, validation_body(exc.errors), status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, {"message": _("Log in first.")}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # Ninja wraps whatever the body parser raised; surface our own error and its field.
    if isinstance(exc.__cause__, ApplicationError):
        return application_error(request, exc.__cause__)
    message = LIBRARY_MESSAGES.get(str(exc))
    return api.create_response(
        request, {"message": str(message) if message else str(exc)}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": _("Not found.")}, status=404)


def _register_routers() -> None:
    from crossdesk.audit.api import router as audit_router
    from crossdesk.collaboration.api import router as requests_router
    from crossdesk.core.api import router as workbench_router
    from crossdesk.deadlines.api import router as deadlines_router
    from crossdesk.knowledge.api import router as knowledge_router
    from crossdesk.meetings.api import router as meetings_router
    from crossdesk.notify.api import router as notify_router
    from crossdesk.org.api import router as org_router
    from crossdesk.projects.api import router as projects_router
    from crossdesk.reports.api import router as reports_router
    from crossdesk.search.api import router as search_router
    from crossdesk.search.api import similar_router
    from crossdesk.workcal.api import router as workcal_router

    api.add_router("/v1/workbench", workbench_router)
    api.add_router("/v1/org/", org_router)
    api.add_router("/v1/calendar/", workcal_router)
    api.add_router("/v1/notifications/", notify_router)
    api.add_router("/v1/deadlines/", deadlines_router)
    api.add_router("/v1/requests/", requests_router)
    api.add_router("/v1/meetings/", meetings_router)
    api.add_router("/v1/projects/", projects_router)
    api.add_router("/v1/knowledge/", knowledge_router)
    api.add_router("/v1/audit/", audit_router)
    api.add_router("/v1/reports/", reports_router)
    api.add_router("/v1/search", search_router)
    # Beside the requests' own routes: "similar" is not a request id, so none of theirs takes it.
    api.add_router("/v1/requests/similar", similar_router)


_register_routers()
