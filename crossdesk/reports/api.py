"""Reports API: a department's scorecard and the ranking of the departments one may see."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.filters import param_date
from crossdesk.core.schemas import error_responses
from crossdesk.org.selectors import roles_for

from . import selectors
from .periods import Period, checked_period
from .schemas import PeriodIn, ScorecardOut

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
    return selectors.scorecard(roles=roles, code=code, period=_period(query))


@router.get("/ranking", response={200: list[ScorecardOut], **error_responses(400, 403)}, by_alias=True)
def department_ranking(request, query: Query[PeriodIn]):
    """The scorecard of every department the viewer may see (their own, the ones they head
    or supervise with their sub-departments, all for administrators), in the tree's order."""
    roles = _roles(request)
    return selectors.ranking(roles=roles, period=_period(query))
