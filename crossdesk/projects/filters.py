"""The filter of the project list: query parameters → ``ProjectFilter``, shared by the page
and the API. A value that makes no sense is refused naming the parameter (HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import MAX_TEXT, param_choice, param_text
from crossdesk.org.selectors import department_id

from .choices import ProjectStatus
from .selectors.charter import SORTS, ProjectFilter

MAX_LIMIT = 200


def _int(params: Mapping, name: str, default: int, *, minimum: int, maximum: int) -> int:
    value = param_text(params, name)
    if not value:
        return default
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        raise ApplicationError(
            _("%(param)s must be a whole number from %(min)d to %(max)d.")
            % {"param": name, "min": minimum, "max": maximum},
            field=name,
        )
    return int(value)


def project_filter_from_params(params: Mapping) -> tuple[ProjectFilter, tuple[int, int]]:
    """``status`` (comma-separated), ``department`` (code or id), ``lead`` (person id),
    ``mine`` (true), ``q``, ``sort``; and the window (offset, limit)."""
    statuses = [s.strip() for s in param_text(params, "status").split(",") if s.strip()]
    for status in statuses:
        if status not in ProjectStatus.values:
            raise ApplicationError(
                _("%(param)s must be one of: %(allowed)s.")
                % {"param": "status", "allowed": ", ".join(ProjectStatus.values)},
                field="status",
            )
    text = param_text(params, "q")
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("q is at most %(n)d characters.") % {"n": MAX_TEXT}, field="q")
    department_value = param_text(params, "department")
    lead = param_text(params, "lead")
    if lead and not lead.isdigit():
        raise ApplicationError(_("%(param)s must be a whole number.") % {"param": "lead"}, field="lead")
    filters = ProjectFilter(
        statuses=statuses,
        department=department_id(department_value, field="department") if department_value else None,
        lead=int(lead) if lead else None,
        text=text,
        mine=param_text(params, "mine").lower() in ("1", "true", "yes", "on"),
        sort=param_choice(params, "sort", SORTS) or "-number",
    )
    window = (
        _int(params, "offset", 0, minimum=0, maximum=10**9),
        _int(params, "limit", 50, minimum=1, maximum=MAX_LIMIT),
    )
    return filters, window
