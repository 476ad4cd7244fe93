"""The one filter of the request lists: query parameters → :class:`selectors.RequestFilter`.

The department inbox page, the API list and the Excel export call
:func:`request_filter_from_params` with their query parameters, so what people see,
what the API returns and what they download are the same rows. A value that makes no
sense is refused with an :class:`ApplicationError` naming the parameter (HTTP 400), never
silently ignored: a mistyped filter would otherwise return every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.org.models import Department

from .choices import OPEN_STATUSES, RequestStatus, RequestType, Urgency
from .selectors import SORTS, RequestFilter

FILTER_PARAMS = (
    "status",
    "urgency",
    "type",
    "overdue",
    "department",
    "direction",
    "date_from",
    "date_to",
    "q",
    "sort",
)
DIRECTIONS = ("raised", "received")
TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "no", "off"}
MAX_TEXT = 100
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _text(params: Mapping, name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def _choice(params: Mapping, name: str, values: Iterable[str]) -> str:
    value = _text(params, name)
    allowed = list(values)
    if value and value not in allowed:
        raise ApplicationError(
            _("%(param)s must be one of: %(allowed)s.") % {"param": name, "allowed": ", ".join(allowed)},
            field=name,
        )
    return value


def _bool(params: Mapping, name: str) -> bool:
    value = _text(params, name).lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ApplicationError(_("%(param)s must be true or false.") % {"param": name}, field=name)


def _date(params: Mapping, name: str) -> date | None:
    value = _text(params, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ApplicationError(
            _("%(param)s must be a date like 2026-10-12.") % {"param": name}, field=name
        ) from exc


def _statuses(params: Mapping) -> tuple[str, list[str]]:
    """``status`` is one status, several separated by commas, or ``open`` (every open status)."""
    value = _text(params, "status")
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


def department_id(value, *, field: str) -> int:
    """A department named by its id or its code (``CS``); 400 naming ``field`` when unknown."""
    text = str(value).strip()
    if isinstance(value, int) or text.isdigit():
        pk = Department.objects.filter(pk=int(text)).values_list("pk", flat=True).first()
    else:
        pk = Department.objects.filter(code=text.upper()).values_list("pk", flat=True).first()
    if pk is None:
        raise ApplicationError(_("Unknown department: %(value)s.") % {"value": text}, field=field)
    return pk


def department_ids(values: Iterable, *, field: str) -> list[int]:
    """Departments named by ids or codes, in one query; 400 naming ``field`` for any unknown one."""
    values = list(values or [])
    codes = {str(v).strip().upper() for v in values if not (isinstance(v, int) or str(v).strip().isdigit())}
    by_code = dict(Department.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    ids = []
    for value in values:
        text = str(value).strip()
        if isinstance(value, int) or text.isdigit():
            ids.append(int(text))
        elif text.upper() in by_code:
            ids.append(by_code[text.upper()])
        else:
            raise ApplicationError(_("Unknown department: %(value)s.") % {"value": text}, field=field)
    return ids


def request_filter_from_params(params: Mapping) -> RequestFilter:
    """Turn query parameters (``request.GET`` or a dict) into the list's filter.

    ``status`` (one, several comma-separated, or ``open``), ``urgency``, ``type``,
    ``overdue`` (true/false), ``department`` (code or id) with ``direction``
    (``raised`` / ``received``; both when empty), ``date_from`` / ``date_to`` (the date
    raised, inclusive, ``YYYY-MM-DD``), ``q`` (words in the number, subject or
    description) and ``sort`` (a key of ``selectors.SORTS``, ``-`` for descending).
    """
    status, statuses = _statuses(params)
    department_value = _text(params, "department")
    direction = _choice(params, "direction", DIRECTIONS)
    if direction and not department_value:
        raise ApplicationError(_("direction needs a department."), field="direction")
    date_from, date_to = _date(params, "date_from"), _date(params, "date_to")
    if date_from and date_to and date_from > date_to:
        raise ApplicationError(_("date_to must not be before date_from."), field="date_to")
    text = _text(params, "q")
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("q is at most %(n)d characters.") % {"n": MAX_TEXT}, field="q")
    return RequestFilter(
        status=status,
        statuses=statuses,
        urgency=_choice(params, "urgency", Urgency.values),
        type=_choice(params, "type", RequestType.values),
        overdue=_bool(params, "overdue"),
        department=department_id(department_value, field="department") if department_value else None,
        direction=direction,
        date_from=date_from,
        date_to=date_to,
        text=text,
        sort=_choice(params, "sort", SORTS) or "-submitted_at",
    )


@dataclass(frozen=True)
class Window:
    """One page of a list: ``limit`` rows from ``offset``."""

    limit: int
    offset: int


def _int(params: Mapping, name: str, default: int, low: int, high: int | None) -> int:
    value = _text(params, name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ApplicationError(_("%(param)s must be a whole number.") % {"param": name}, field=name) from exc
    if number < low or (high is not None and number > high):
        bounds = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise ApplicationError(
            _("%(param)s must be %(bounds)s.") % {"param": name, "bounds": bounds}, field=name
        )
    return number


def window_from_params(params: Mapping, *, default_limit: int = DEFAULT_LIMIT) -> Window:
    """``limit`` (1–200) and ``offset`` (≥ 0) from query parameters, 400 naming a bad one."""
    return Window(
        limit=_int(params, "limit", default_limit, 1, MAX_LIMIT),
        offset=_int(params, "offset", 0, 0, None),
    )
