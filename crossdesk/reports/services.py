"""The reports' writes: an administrator sets the scorecard's targets (issue 12 §3).

A target is for every department, or one department's own that replaces it; an empty
value removes it (the department then follows the target for all, a target for all then
leaves the figure without one). Each row carries a version: a change made on an old copy
is refused with a 409, never written over someone else's. Audit rows are written by the
audit trail in the same transaction (``audit/registration.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import ApplicationError, Problems
from crossdesk.core.records.locking import check_version, stale
from crossdesk.org.models import Department
from crossdesk.org.selectors import require_org_admin

from .models import ScorecardTarget
from .scorecard import FIGURES_BY_KEY, Figure


@dataclass(frozen=True)
class TargetChange:
    """One figure's new target (``None`` removes it), and the version it was read at
    (``None`` when the form or the client saw no target)."""

    figure: str
    value: Any
    version: Any = None


TARGETS_ADMINS_ONLY = gettext_lazy("Only an administrator can change the scorecard's targets.")


def target_department(code: str | None) -> Department | None:
    """The department a target is for (``None``: every department), or a 400 naming it."""
    if not code:
        return None
    department = Department.objects.filter(code=code.strip().upper(), is_active=True).first()
    if department is None:
        raise ApplicationError(_("No department has the code %(code)s.") % {"code": code}, field="department")
    return department


def _figure(key: str, field: str) -> Figure:
    figure = FIGURES_BY_KEY.get(key)
    if figure is None:
        raise ApplicationError(
            _("There is no figure “%(key)s” on the scorecard.") % {"key": key}, field=field
        )
    return figure


def target_value(figure: Figure, raw: Any, *, field: str) -> float | None:
    """The typed target as a number within what the figure can be, or a 400 naming ``field``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).strip().rstrip("%"))
    except ValueError as exc:
        raise ApplicationError(_("A target is a number, e.g. 90 or 4.5."), field=field) from exc
    if not math.isfinite(value) or value < 0:
        raise ApplicationError(_("A target cannot be negative."), field=field)
    if figure.unit == "%" and value > 100:
        raise ApplicationError(_("A share is at most 100%."), field=field)
    if figure.path[-1] == "average" and not 1 <= value <= 5:
        raise ApplicationError(_("A rating target is between 1 and 5."), field=field)
    return round(value, 2)


def _apply(department: Department | None, change: TargetChange, *, field: str) -> ScorecardTarget | None:
    figure = _figure(change.figure, field)
    value = target_value(figure, change.value, field=field)
    row = ScorecardTarget.objects.select_for_update().filter(figure=figure.key, department=department).first()
    if row is None:
        if change.version not in (None, "", 0, "0"):
            raise stale(field="version")  # it was removed since it was read
        if value is None:
            return None
        try:
            with transaction.atomic():
                return ScorecardTarget.objects.create(figure=figure.key, department=department, value=value)
        except IntegrityError as exc:  # someone else set it a moment ago
            raise stale(field="version") from exc
    check_version(row, change.version)
    if value is None:
        row.delete()
        return None
    if row.value != value:
        row.value = value
        row.version += 1
        row.save(update_fields=["value", "version", "updated_at"])
    return row


def target_set(
    *, actor, figure: str, department_code: str | None, value: Any, version: Any = None
) -> ScorecardTarget | None:
    """An administrator sets (or, with no value, removes) one figure's target for every
    department or for one; the API's write. Returns the row, ``None`` once removed."""
    require_org_admin(actor, TARGETS_ADMINS_ONLY)
    with transaction.atomic():
        department = target_department(department_code)
        return _apply(department, TargetChange(figure, value, version), field="value")


def targets_save(*, actor, department_code: str | None, changes: list[TargetChange]) -> int:
    """The targets page's write: every changed figure at once, or none when one is wrong
    (each wrong figure named by its key). Returns how many figures were changed."""
    require_org_admin(actor, TARGETS_ADMINS_ONLY)
    problems = Problems()
    with transaction.atomic():
        department = target_department(department_code)
        for change in changes:
            problems.check(lambda change=change: _figure(change.figure, change.figure))
            figure = FIGURES_BY_KEY.get(change.figure)
            if figure is not None:
                problems.check(
                    lambda change=change, figure=figure: target_value(
                        figure, change.value, field=change.figure
                    )
                )
        problems.raise_any()
        for change in changes:
            _apply(department, change, field=change.figure)
    return len(changes)
