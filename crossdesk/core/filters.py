"""Query-parameter readers shared by every list's FilterSet: each value is checked and a
bad one is refused with a 400 naming the parameter, so the page, the API and the export
read the same rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "no", "off"}
MAX_TEXT = 100
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def param_text(params: Mapping, name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def param_choice(params: Mapping, name: str, values: Iterable[str]) -> str:
    value = param_text(params, name)
    allowed = list(values)
    if value and value not in allowed:
        raise ApplicationError(
            _("%(param)s must be one of: %(allowed)s.") % {"param": name, "allowed": ", ".join(allowed)},
            field=name,
        )
    return value


def param_bool(params: Mapping, name: str) -> bool:
    value = param_text(params, name).lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ApplicationError(_("%(param)s must be true or false.") % {"param": name}, field=name)


def param_date(params: Mapping, name: str) -> date | None:
    value = param_text(params, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ApplicationError(
            _("%(param)s must be a date like 2026-10-12.") % {"param": name}, field=name
        ) from exc


def param_int(params: Mapping, name: str, default: int, low: int, high: int | None) -> int:
    value = param_text(params, name)
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


@dataclass(frozen=True)
class Window:
    """One page of a list: ``limit`` rows from ``offset``."""

    limit: int
    offset: int


def window_from_params(params: Mapping, *, default_limit: int = DEFAULT_LIMIT) -> Window:
    """``limit`` (1–200) and ``offset`` (≥ 0) from query parameters, 400 naming a bad one."""
    return Window(
        limit=param_int(params, "limit", default_limit, 1, MAX_LIMIT),
        offset=param_int(params, "offset", 0, 0, None),
    )
