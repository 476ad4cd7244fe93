"""Change request pages: the list with the form, one request with the heads' decisions,
and the plan's versions with the difference between two."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from crossdesk.core.records import actions
from crossdesk.core.records.actions import Act, Page
from crossdesk.org.selectors import roles_for

from ..choices import ApprovalDecision, ChangeStatus
from ..forms import ChangeForm, DecideForm, WithdrawForm, sources
from ..models import ChangeRequest
from ..selectors import changes as selectors
from ..services import changes as services
from ..services._common import belongs_to, is_participant


def _list(request, pk: int, bound=None) -> dict:
    roles = roles_for(request.user)
    project, rows = selectors.change_requests_for_viewer(
        roles=roles, project_id=pk, status=request.GET.get("status")
    )
    forms = actions.PageForms(bound)
    if is_participant(roles, project) and not project.is_read_only and project.status != "draft":
        tasks = project.tasks.order_by("position", "id")
        metrics = project.goal_metrics.all()
        choices = sources(
            project.departments.select_related("department"),
            tasks=[(t.pk, f"{t.code} {t.title} ({t.planned_start}–{t.planned_finish})") for t in tasks],
            metrics=[(m.pk, f"{m.metric} ({m.target}{m.unit})") for m in metrics],
        )
        forms.add("change", reverse("projects:change_raise", args=[pk]), ChangeForm, **choices)
    return {"project": project, "tab": "changes", "changes": rows, "forms": forms}


CHANGES = Page(
    "projects/changes/list.html",
    _list,
    {"change": Act(ChangeForm, services.change_request_raise, data=True, project_id="pk")},
    {"change": _("Change request raised; the heads of the departments it touches are asked to decide.")},
    then="projects:changes",
)


def _detail(request, pk: int, change_id: int, bound=None) -> dict:
    roles = roles_for(request.user)
    change = selectors.change_request_for_viewer(roles=roles, project_id=pk, pk=change_id)
    project = change.project
    open_ = change.status == ChangeStatus.SUBMITTED and not project.is_read_only
    forms = actions.PageForms(bound)
    to_decide = [
        a
        for a in change.approvals.all()
        if open_ and a.department_id in roles.head_of and a.decision == ApprovalDecision.PENDING
    ]
    url = reverse("projects:change_decide", args=[pk, change_id])
    for a in to_decide:
        initial = {"department": a.department_id, "version": change.version}
        a.form = forms.add(f"decide-{a.department_id}", url, DecideForm, initial)
    person_id = roles.person.pk if roles.person is not None else None
    if open_ and person_id in (change.requested_by_id, project.lead_id):
        url = reverse("projects:change_withdraw", args=[pk, change_id])
        forms.add("withdraw", url, WithdrawForm, {"version": change.version})
    return {
        "project": project,
        "tab": "changes",
        "change": change,
        "to_decide": to_decide,
        "forms": forms,
        "version": change.plan_versions.first(),
        "broken": selectors.broken_signatures(change),
    }


CHANGE = Page(
    "projects/changes/detail.html",
    _detail,
    {
        "decide": Act(
            DecideForm,
            services.change_request_decide,
            *("department", "version", "decision", "comment"),
            key="decide-{department}",
            change_id="change_id",
        ),
        "withdraw": Act(
            WithdrawForm, services.change_request_withdraw, "reason", "version", change_id="change_id"
        ),
    },
    {"decide": _("Your decision is recorded."), "withdraw": _("Change request withdrawn.")},
    then="projects:change_detail",
    check=lambda request, pk, change_id: belongs_to(
        ChangeRequest, change_id, pk, missing=_("No such change request.")
    ),
)


def _versions(request, pk: int) -> dict:
    project = selectors.project_get_for_viewer(roles=roles_for(request.user), pk=pk)
    return {"project": project, "tab": "changes", "versions": list(selectors.plan_versions(project))}


def _version(request, pk: int, number: int) -> dict:
    roles = roles_for(request.user)
    version = selectors.plan_version_for_viewer(roles=roles, project_id=pk, number=number)
    against = request.GET.get("against") or (number - 1 if number > 1 else None)
    other = diff = None
    if against:
        other = selectors.plan_version_for_viewer(roles=roles, project_id=pk, number=against)
        diff = services.plan_diff(other.snapshot, version.snapshot)
    context = {"version": version, "other": other, "diff": diff, "snapshot": version.snapshot}
    return {"project": version.project, "tab": "changes", **context}


urlpatterns = [
    path("<int:pk>/changes/", CHANGES.view(), name="changes"),
    path("<int:pk>/changes/new/", CHANGES.view("POST"), {"action": "change"}, name="change_raise"),
    path("<int:pk>/changes/<int:change_id>/", CHANGE.view(), name="change_detail"),
    path(
        "<int:pk>/changes/<int:change_id>/decide/",
        CHANGE.view("POST"),
        {"action": "decide"},
        name="change_decide",
    ),
    path(
        "<int:pk>/changes/<int:change_id>/withdraw/",
        CHANGE.view("POST"),
        {"action": "withdraw"},
        name="change_withdraw",
    ),
    path(
        "<int:pk>/plan-versions/",
        Page("projects/changes/versions.html", _versions).view(),
        name="plan_versions",
    ),
    path(
        "<int:pk>/plan-versions/<int:number>/",
        Page("projects/changes/version.html", _version).view(),
        name="plan_version",
    ),
]
