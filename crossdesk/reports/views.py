"""The 报表 pages: the ranking of the departments one may see with its charts, and a
department's dashboard. Each chart's numbers are also a table on the page; the charts
are drawn by ``static/reports/charts.js`` from the JSON the view puts beside them."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.exporting import Column, bad_filter_response, workbook_bytes, xlsx_download
from crossdesk.core.printing import PrintedForm, pdf_response, print_response
from crossdesk.core.records.views import html_errors
from crossdesk.org.selectors import is_org_admin, roles_for
from crossdesk.projects.choices import TaskHealth

from . import scorecard, selectors, services
from .periods import PRESETS, Period, period_from_params, preset_period

URGENCY_LABELS = {
    "normal": gettext_lazy("Normal"),
    "urgent": gettext_lazy("Urgent"),
    "critical": gettext_lazy("Critical"),
}


def _period(request) -> tuple[Period, ApplicationError | None]:
    try:
        return period_from_params(request.GET), None
    except ApplicationError as exc:
        return preset_period("month"), exc


def _viewer(request):
    roles = roles_for(request.user)
    if not selectors.may_see_reports(roles):
        raise PermissionDeniedError(_("Only people in a department may see its figures."))
    return roles


def _urgencies() -> list[tuple[str, str]]:
    return [(u, str(URGENCY_LABELS[u])) for u in selectors.URGENCIES]


def _labelled(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards with their per-urgency and per-health figures as (label, value) rows."""
    for card in cards:
        card["health_rows"] = [
            (label, card["projects"]["tasks_by_health"][h]) for h, label in TaskHealth.choices
        ]
        for side in selectors.SIDES:
            shares = card[side]["response_by_urgency"]
            card[side]["urgency_rows"] = [(label, shares[u]) for u, label in _urgencies()]
            overdue = card[side]["overdue_by_urgency"]
            card[side]["overdue_rows"] = [(label, overdue[u]) for u, label in _urgencies()]
    return cards


def _trend_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "trend",
        "labels": [r["from"][5:] for r in rows],
        "series": [
            {"name": _("Received"), "type": "bar", "data": [r["received"] for r in rows]},
            {"name": _("Raised"), "type": "bar", "data": [r["raised"] for r in rows]},
            {
                "name": _("Responded within target (%)"),
                "type": "line",
                "axis": 1,
                "data": [r["response_within_target_pct"] for r in rows],
            },
        ],
    }


def _department_charts(cards: list[dict[str, Any]], trend_rows: list[dict[str, Any]]) -> dict[str, Any]:
    names = [c["department"]["name"] for c in cards]
    receiving = [c["receiving"] for c in cards]
    return {
        "trend": _trend_chart(trend_rows),
        "compliance": {
            "kind": "bars",
            "labels": names,
            "percent": True,
            "series": [
                {
                    "name": _("Responded within target (%)"),
                    "data": [r["response_within_target_pct"] for r in receiving],
                },
                {
                    "name": _("Resolved by the committed date (%)"),
                    "data": [r["resolution_on_time_pct"] for r in receiving],
                },
            ],
        },
        "overdue": {
            "kind": "heat",
            "rows": names,
            "columns": [label for _u, label in _urgencies()],
            "data": [
                [column, row, r["overdue_by_urgency"][u]]
                for row, r in enumerate(receiving)
                for column, (u, _label) in enumerate(_urgencies())
            ],
        },
        "satisfaction": {
            "kind": "bars",
            "labels": names,
            "max": 5,
            "series": [
                {"name": _("Average rating"), "data": [r["satisfaction"]["average"] for r in receiving]}
            ],
        },
    }


def _context(period: Period, error: ApplicationError | None) -> dict[str, Any]:
    return {
        "period": period,
        "presets": [(key, str(label)) for key, label in PRESETS.items()],
        "period_error": error,
        "urgencies": _urgencies(),
    }


@require_GET
@html_errors
def home(request):
    """报表: every department the viewer may see, ranked by its receiving side, with charts."""
    roles = _viewer(request)
    period, error = _period(request)
    nodes = selectors.department_nodes()
    visible = selectors.visible_department_ids(roles, nodes)
    chosen = [n for pk, n in nodes.items() if pk in visible]
    found, trend_rows = selectors.scorecards_with_trend(chosen, chosen, period)
    cards = _labelled(found)
    context = {
        **_context(period, error),
        "cards": cards,
        "trend": trend_rows,
        "charts": _department_charts(cards, trend_rows),
        "may_edit_targets": is_org_admin(request.user),
        "own": [
            nodes[pk] for pk in sorted(roles.head_of | roles.supervises | roles.member_of) if pk in nodes
        ],
    }
    return render(request, "reports/home.html", context, status=400 if error else 200)


@require_GET
@html_errors
def department(request, code: str):
    """A department's dashboard: both sides' figures with the requests behind each, its
    trend, and its sub-departments side by side."""
    roles = _viewer(request)
    period, error = _period(request)
    nodes = selectors.department_nodes()
    node = selectors.department_for_viewer(roles=roles, code=code, nodes=nodes)
    children = [n for n in nodes.values() if n.parent_id == node.id]
    found, trend_rows = selectors.scorecards_with_trend([node, *children], [node], period)
    cards = _labelled(found)
    card = cards[0]
    receiving = card["receiving"]
    charts = _department_charts(cards, trend_rows)
    charts["urgency"] = {
        "kind": "bars",
        "labels": [label for _u, label in _urgencies()],
        "percent": True,
        "series": [
            {
                "name": _("Responded within target (%)"),
                "data": [receiving["response_by_urgency"][u]["pct"] for u, _label in _urgencies()],
            }
        ],
    }
    charts["ratings"] = {
        "kind": "bars",
        "labels": ["1", "2", "3", "4", "5"],
        "series": [
            {
                "name": _("Ratings"),
                "data": [receiving["satisfaction"]["distribution"][str(n)] for n in range(1, 6)],
            }
        ],
    }
    context = {
        **_context(period, error),
        "node": node,
        "card": card,
        "children": cards[1:],
        "trend": trend_rows,
        "charts": charts,
    }
    return render(request, "reports/department.html", context, status=400 if error else 200)


@require_GET
@html_errors
def projects(request):
    """The project portfolio: goal progress and task health across the live projects the
    viewer may see."""
    roles = roles_for(request.user)
    rows = selectors.portfolio(roles=roles)
    labels = [(h, str(label)) for h, label in TaskHealth.choices]
    for row in rows:
        row["health_rows"] = [(label, row["tasks_by_health"][h]) for h, label in labels]
    names = [r["name"] for r in rows]
    charts = {
        "health": {
            "kind": "bars",
            "labels": names,
            "stacked": True,
            "series": [
                {"name": label, "data": [r["tasks_by_health"][h] for r in rows]} for h, label in labels
            ],
        },
        "goals": {
            "kind": "bars",
            "labels": names,
            "percent": True,
            "series": [{"name": _("Goal progress (%)"), "data": [r["goal_progress_pct"] for r in rows]}],
        },
    }
    context = {"rows": rows, "health_labels": labels, "charts": charts}
    return render(request, "reports/projects.html", context)


# --- the scorecard for a performance review [004] ---------------------------------------------


def _scorecard(request, code: str):
    """The department, the period, and its scorecard rows against the period before."""
    roles = _viewer(request)
    period, error = _period(request)
    if error is not None:
        raise error
    nodes = selectors.department_nodes()
    node = selectors.department_for_viewer(roles=roles, code=code, nodes=nodes)
    before = scorecard.previous_period(period)
    current, previous = selectors.scorecards([node], period)[0], selectors.scorecards([node], before)[0]
    targets = selectors.targets_for([node.id])[node.id]
    return node, period, before, scorecard.scorecard_rows(current, previous, targets), roles


def _scorecard_form(request, code: str) -> PrintedForm:
    node, period, before, rows, roles = _scorecard(request, code)
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    overdue = selectors.worst_overdue(roles=roles, node=node)
    return PrintedForm(
        template="reports/print/scorecard.html",
        context={"node": node, "period": period, "before": before, "rows": rows, "overdue": overdue},
        filename=f"scorecard-{node.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
        title=str(_("Department scorecard")),
        record_url=reverse("reports:department", args=[node.code]) + suffix,
        print_url=reverse("reports:scorecard", args=[node.code]) + suffix,
        pdf_url=reverse("reports:scorecard_pdf", args=[node.code]) + suffix,
    )


def _bad_period_is_400(view):
    """A scorecard download is a link followed outside any page: a wrong period answers a
    plain 400 naming the parameter (403 and 404 stay as ``html_errors`` maps them)."""

    @wraps(view)
    def wrapper(request, code: str):
        try:
            return view(request, code)
        except ApplicationError as exc:
            if exc.status_code != 400:
                raise
            return bad_filter_response(exc)

    return wrapper


@require_GET
@html_errors
@_bad_period_is_400
def scorecard_view(request, code: str):
    """The scorecard as a page that prints as the form (each figure against the period before)."""
    return print_response(request, _scorecard_form(request, code))


@require_GET
@html_errors
@_bad_period_is_400
def scorecard_pdf(request, code: str):
    return pdf_response(request, _scorecard_form(request, code))


@require_GET
@html_errors
@_bad_period_is_400
def scorecard_xlsx(request, code: str):
    node, period, before, rows, _roles = _scorecard(request, code)
    now_header = _("%(from)s – %(to)s") % {"from": period.start, "to": period.end}
    before_header = _("%(from)s – %(to)s") % {"from": before.start, "to": before.end}
    verdicts = {"better": _("Better"), "worse": _("Worse"), "same": _("Same"), "": ""}
    reached = {"met": pgettext("scorecard target", "Met"), "not_met": _("Not met"), "": ""}
    columns = [
        Column(_("Section"), lambda r: r.section, 12),
        Column(_("Figure"), lambda r: r.label, 28),
        Column(now_header, lambda r: r.now, 24),
        Column(_("Target"), lambda r: r.target, 10),
        Column(_("Target met"), lambda r: str(reached[r.met]), 10),
        Column(before_header, lambda r: r.before, 24),
        Column(_("Change"), lambda r: r.change, 10),
        Column(_("Unit"), lambda r: r.unit, 6),
        Column(_("Compared with before"), lambda r: str(verdicts[r.verdict]), 12),
    ]
    content = workbook_bytes([(f"{node.name} {_('Scorecard')}", columns, rows)])
    return xlsx_download(content, f"scorecard-{node.code}-{period.start:%Y%m%d}")


# --- the scorecard's targets, for administrators ----------------------------------------------


@require_http_methods(["GET", "POST"])
@html_errors
def targets(request):
    """Each scorecard figure's target for every department, or (``?department=CS``) one
    department's own that replaces it; an empty field removes a target."""
    if not is_org_admin(request.user):
        raise PermissionDeniedError(_("Only an administrator can change the scorecard's targets."))
    code = (request.GET.get("department") or request.POST.get("department") or "").strip()
    problems: dict[str, str] = {}
    top_error = ""
    status = 400
    typed: dict[str, str] = {}
    try:
        department = services.target_department(code)
    except ApplicationError as exc:
        department, top_error, code = None, exc.message, ""
    rows = selectors.target_rows(department.pk if department else None)
    if request.method == "POST" and not top_error:
        changes = []
        for row in rows:
            current, version = (
                (row.own, row.own_version) if department else (row.default, row.default_version)
            )
            raw = (request.POST.get(f"value-{row.key}") or "").strip()
            typed[row.key] = raw
            shown = "" if current is None else f"{current:g}"
            if raw != shown:
                changes.append(
                    services.TargetChange(
                        row.key, raw or None, request.POST.get(f"version-{row.key}") or None
                    )
                )
        try:
            changed = services.targets_save(actor=request.user, department_code=code or None, changes=changes)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            problems = exc.problems or ({exc.field: exc.message} if exc.field else {})
            top_error, status = exc.message, exc.status_code
        else:
            messages.success(request, _("Targets saved (%(n)d changed).") % {"n": changed})
            suffix = f"?department={department.code}" if department else ""
            return redirect(reverse("reports:targets") + suffix)
    nodes = selectors.department_nodes()
    context = {
        "rows": [
            {
                "row": row,
                "value": typed.get(
                    row.key,
                    ""
                    if (row.own if department else row.default) is None
                    else f"{(row.own if department else row.default):g}",
                ),
                "version": (row.own_version if department else row.default_version) or "",
                "error": problems.get(row.key, ""),
            }
            for row in rows
        ],
        "department": department,
        "departments": sorted(nodes.values(), key=lambda n: (n.sort_order, n.code)),
        "top_error": top_error,
    }
    return render(request, "reports/targets.html", context, status=status if top_error else 200)
