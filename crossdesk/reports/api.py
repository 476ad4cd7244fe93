"""Reports API: a department's scorecard and the ranking of the departments one may see."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.filters import param_date
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import is_org_admin, roles_for

from . import selectors, services
from .periods import Period, checked_period
from .schemas import PeriodIn, ScorecardOut, TargetIn, TargetOut, TargetsIn

router = Router(tags=["reports"])


def _period(query: PeriodIn) -> Period:
    params = {"from": query.date_from, "to": query.date_to}
    return checked_period(
        param_date(params, "from"), param_date(params, "to"), start_field="from", end_field="to"
    )


def _roles(request):
    roles = roles_for(request.user)
    if not selectors.may_see_reports(roles):
        raise PermissionDeniedError(_("Only people in a department may see its figures."))
    return roles


@router.get(
    "/departments/{code}/scorecard",
    response={200: ScorecardOut, **error_responses(400, 403, 404)},
    by_alias=True,
)
def department_scorecard(request, code: str, query: Query[PeriodIn]):
    """Every figure of the department for the requests raised from ``from`` to ``to``
    (both days included), rolled up over its sub-departments, requesting and receiving
    side apart. 400 naming ``from`` or ``to`` for a missing or bad date; 403 for a login
    in no department; 404 for a department whose figures the viewer may not see."""
    roles = _roles(request)
    return selectors.scorecard(roles=roles, code=code, period=_period(query), with_targets=True)


@router.get("/ranking", response={200: list[ScorecardOut], **error_responses(400, 403)}, by_alias=True)
def department_ranking(request, query: Query[PeriodIn]):
    """The scorecard of every department the viewer may see (their own, the ones they head
    or supervise with their sub-departments, all for administrators), in the tree's order."""
    roles = _roles(request)
    return selectors.ranking(roles=roles, period=_period(query))


def _target_out(row: selectors.TargetRow) -> dict:
    return {
        "figure": row.key,
        "section": row.section,
        "label": row.label,
        "unit": row.unit,
        "better": row.better,
        "default": row.default,
        "default_version": row.default_version,
        "own": row.own,
        "own_version": row.own_version,
        "effective": row.effective,
    }


def _require_admin(request) -> None:
    if not is_org_admin(request.user):
        raise PermissionDeniedError(_("Only an administrator can change the scorecard's targets."))


@router.get("/targets", response={200: list[TargetOut], **error_responses(400, 403)})
def list_targets(request, query: Query[TargetsIn]):
    """Every scorecard figure's target for all departments and, with ``department``, that
    department's own. Administrators only (403); 400 naming ``department`` for an unknown code."""
    _require_admin(request)
    department = services.target_department(query.department)
    return [_target_out(row) for row in selectors.target_rows(department.pk if department else None)]


@router.put("/targets/{figure}", response={200: TargetOut, **error_responses(400, 403, 409)})
def set_target(request, figure: str, payload: TargetIn):
    """Set (or with ``value`` null remove) one figure's target for every department or one.
    400 naming ``value``, ``department`` or the figure; 403 for a non-administrator; 409
    naming ``version`` when the target changed since it was read. Writes an audit row."""
    services.target_set(
        actor=request.user,
        figure=figure,
        department_code=payload.department,
        value=payload.value,
        version=payload.version,
    )
    department = services.target_department(payload.department)
    row = next(r for r in selectors.target_rows(department.pk if department else None) if r.key == figure)
    return _target_out(row)
