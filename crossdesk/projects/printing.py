"""A project's printed documents (SPEC §5–§6, [004]): the charter with its RACI, a weekly
progress list, a change request, the deliverable list with acceptance, the retrospective
report and the archive list — each a ``core.printing.PrintedForm`` rendered as print view,
PDF and, for an archived project, inside its archive package.

Each builder reads through the project's selectors (visibility built in: 404 for someone
who may not see the project) and names its template and file.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError, TransitionError
from crossdesk.core.printing import PrintedForm, printed_file
from crossdesk.core.records.package import SignOff, build_package, rows_as_data
from crossdesk.org.selectors import Roles

from .choices import ApprovalDecision, ChangeAspect, ProjectStatus
from .selectors import close as close_selectors
from .selectors import project_get_for_viewer
from .selectors.changes import broken_signatures, change_request_for_viewer, change_requests
from .selectors.delivery import deliverables, rounds
from .selectors.reports import weekly_report_get
from .selectors.tasks import project_plan


def _form(
    document: str, project, item_id: int | None, *, title: str, filename: str, context: dict
) -> PrintedForm:
    args = [project.pk, document] + ([item_id] if item_id is not None else [])
    suffix = "_item" if item_id is not None else ""
    return PrintedForm(
        template=f"projects/print/{document}.html",
        context={"project": project, **context},
        filename=f"{project.number}-{filename}",
        title=title,
        record_url=reverse("projects:detail", args=[project.pk]),
        print_url=reverse(f"projects:print{suffix}", args=args),
        pdf_url=reverse(f"projects:pdf{suffix}", args=args),
    )


def charter_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    """The charter: goal and its metrics, departments with duties and liaisons, the tasks
    and the RACI grid as agreed."""
    plan = project_plan(roles=roles, pk=project_id)
    project = plan.project
    return _form(
        "charter",
        project,
        None,
        title=_("Project charter"),
        filename=_("charter"),
        context={
            "plan": plan,
            "metrics": list(project.goal_metrics.order_by("position", "id")),
            "sub_goals": list(project.sub_goals.select_related("participation__department")),
        },
    )


def weekly_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    report = weekly_report_get(roles=roles, project_id=project_id, pk=item_id or 0)
    return _form(
        "weekly",
        report.project,
        report.pk,
        title=_("Weekly progress list"),
        filename=f"{_('weekly')}-{report.week_start.isoformat()}",
        context={"report": report, "content": report.content},
    )


def change_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    change = change_request_for_viewer(roles=roles, project_id=project_id, pk=item_id or 0)
    labels = dict(ChangeAspect.choices)
    return _form(
        "change",
        change.project,
        change.pk,
        title=_("Change request"),
        filename=f"CR-{change.number:02d}",
        context={
            "change": change,
            "aspects": [str(labels.get(a, a)) for a in change.aspects],
            "broken": broken_signatures(change),
        },
    )


def deliverables_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    """Every deliverable, its delivery standard and each round's review: the acceptance record."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    rows = [{"deliverable": d, "rounds": rounds(d)} for d in deliverables(project)]
    return _form(
        "deliverables",
        project,
        None,
        title=_("Deliverable list and acceptance"),
        filename=_("deliverables"),
        context={"rows": rows},
    )


def retrospective_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    project = project_get_for_viewer(roles=roles, pk=project_id)
    retro = close_selectors.retrospective_of(project)
    if retro is None:
        raise NotFoundError(_("This project has no retrospective yet."))
    return _form(
        "retrospective",
        project,
        None,
        title=_("Cross-department collaboration retrospective report"),
        filename=_("retrospective"),
        context={"retro": retro, "lessons": close_selectors.retrospective_lessons(retro)},
    )


def archive_form(roles: Roles, project_id: int, item_id: int | None = None) -> PrintedForm:
    page = close_selectors.archive_page(roles=roles, project_id=project_id)
    return _form(
        "archive",
        page.project,
        None,
        title=_("Archive list of project documents"),
        filename=_("archive-list"),
        context={"page": page},
    )


# document name in the URL → builder; the first group is one per project, the second per row.
PROJECT_DOCUMENTS: dict[str, Callable[..., PrintedForm]] = {
    "charter": charter_form,
    "deliverables": deliverables_form,
    "retrospective": retrospective_form,
    "archive": archive_form,
}
ITEM_DOCUMENTS: dict[str, Callable[..., PrintedForm]] = {"weekly": weekly_form, "change": change_form}


def project_document(roles: Roles, project_id: int, document: str, item_id: int | None = None) -> PrintedForm:
    """The named document; 404 for a name that is none, or a row the viewer may not see."""
    table = ITEM_DOCUMENTS if item_id is not None else PROJECT_DOCUMENTS
    builder = table.get(document)
    if builder is None:
        raise NotFoundError(_("No such document."))
    return builder(roles, project_id, item_id)


def project_sign_offs(project) -> list[SignOff]:
    """Each head's decision on each change request, checked against what was signed."""
    found = []
    for change in change_requests(project):
        broken = set(broken_signatures(change))
        for approval in change.approvals.all():
            if approval.decision == ApprovalDecision.PENDING:
                continue
            found.append(
                SignOff(
                    signed_for=f"CR-{change.number:02d} {approval.department.name}",
                    signer=approval.head.name if approval.head else "",
                    signer_id=approval.head_id,
                    signed_at=approval.decided_at,
                    digest=approval.signature,
                    valid=approval.department.name not in broken,
                )
            )
    return found


def project_package(roles: Roles, project_id: int) -> tuple[str, bytes]:
    """The archived project as one zip for the shared folder [004]: every printed document
    (charter, each weekly list and change request, deliverables, retrospective, archive
    list), the deliverables' evidence files, the project's rows and history as JSON and
    the change approvals' digests."""
    project = project_get_for_viewer(roles=roles, pk=project_id)
    if project.status != ProjectStatus.ARCHIVED:
        raise TransitionError(_("Only an archived project downloads as an archive package."))
    forms = [charter_form(roles, project.pk), deliverables_form(roles, project.pk)]
    forms += [
        weekly_form(roles, project.pk, pk) for pk in project.weekly_reports.values_list("pk", flat=True)
    ]
    forms += [
        change_form(roles, project.pk, pk) for pk in project.change_requests.values_list("pk", flat=True)
    ]
    if close_selectors.retrospective_of(project) is not None:
        forms.append(retrospective_form(roles, project.pk))
    forms.append(archive_form(roles, project.pk))
    delivered = list(deliverables(project))
    record = {
        "project": rows_as_data([project])[0],
        "departments": rows_as_data(project.departments.order_by("position", "id")),
        "goal_metrics": rows_as_data(project.goal_metrics.order_by("position", "id")),
        "tasks": rows_as_data(project.tasks.order_by("position", "id")),
        "change_requests": rows_as_data(project.change_requests.order_by("number")),
        "deliverables": rows_as_data(delivered),
        "deliverable_reviews": rows_as_data(r for d in delivered for r in d.reviews.all()),
    }
    folder = project.number
    return folder, build_package(
        folder=folder,
        printed=[printed_file(form) for form in forms],
        record=record,
        history=rows_as_data(project.events.order_by("at", "id")),
        documents=[e for d in delivered for e in d.evidence.all()],
        sign_offs=project_sign_offs(project),
    )
