"""The one filter of the request lists: query parameters → :class:`selectors.RequestFilter`.

The department inbox page, the API list and the Excel export call
:func:`request_filter_from_params` with their query parameters, so what people see,
what the API returns and what they download are the same rows. A value that makes no
sense is refused with an :class:`ApplicationError` naming the parameter (HTTP 400), never
silently ignored: a mistyped filter would otherwise return every row.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.filters import MAX_TEXT, param_bool, param_choice, param_date, param_text
from crossdesk.org.selectors import department_id

from .choices import OPEN_STATUSES, RequestStatus, RequestType, Urgency
from .selectors import SORTS, RequestFilter

FILTER_PARAMS = (
    "status",
    "urgency",
    "type",
    "overdue",
    "department",
    "direction",
    "include_sub",
    "date_from",
    "date_to",
    "q",
    "sort",
)
DIRECTIONS = ("raised", "received")


def _statuses(params: Mapping) -> tuple[str, list[str]]:
    """``status`` is one status, several separated by commas, or ``open`` (every open status)."""
    value = param_text(params, "status")
    if not value:
        return "", []
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    allowed = [*RequestStatus.values, "open"]
    for status in wanted:
        if status not in allowed or status == RequestStatus.DRAFT:
            raise ApplicationError(
                _("%(param)s must be one of: %(allowed)s.")
                % {"param": "status", "allowed": ", ".join(s for s in allowed if s != RequestStatus.DRAFT)},
                field="status",
            )
    if wanted == ["open"]:
        return "", [str(s) for s in OPEN_STATUSES]
    expanded = [s for w in wanted for s in ([str(o) for o in OPEN_STATUSES] if w == "open" else [w])]
    if len(expanded) == 1:
        return expanded[0], []
    return "", list(dict.fromkeys(expanded))


def request_filter_from_params(params: Mapping) -> RequestFilter:
    """Turn query parameters (``request.GET`` or a dict) into the list's filter.

    ``status`` (one, several comma-separated, or ``open``), ``urgency``, ``type``,
    ``overdue`` (true/false), ``department`` (code or id) with ``direction``
    (``raised`` / ``received``; both when empty) and ``include_sub`` (true: the department's
    sub-departments too), ``date_from`` / ``date_to`` (the date
    raised, inclusive, ``YYYY-MM-DD``), ``q`` (words in the number, subject or
    description) and ``sort`` (a key of ``selectors.SORTS``, ``-`` for descending).
    """
    status, statuses = _statuses(params)
    department_value = param_text(params, "department")
    direction = param_choice(params, "direction", DIRECTIONS)
    if direction and not department_value:
        raise ApplicationError(_("direction needs a department."), field="direction")
    include_sub = param_bool(params, "include_sub")
    if include_sub and not department_value:
        raise ApplicationError(_("include_sub needs a department."), field="include_sub")
    date_from, date_to = param_date(params, "date_from"), param_date(params, "date_to")
    if date_from and date_to and date_from > date_to:
        raise ApplicationError(_("date_to must not be before date_from."), field="date_to")
    text = param_text(params, "q")
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("q is at most %(n)d characters.") % {"n": MAX_TEXT}, field="q")
    return RequestFilter(
        status=status,
        statuses=statuses,
        urgency=param_choice(params, "urgency", Urgency.values),
        type=param_choice(params, "type", RequestType.values),
        overdue=param_bool(params, "overdue"),
        department=department_id(department_value, field="department") if department_value else None,
        direction=direction,
        include_sub=include_sub,
        date_from=date_from,
        date_to=date_to,
        text=text,
        sort=param_choice(params, "sort", SORTS) or "-submitted_at",
    )
