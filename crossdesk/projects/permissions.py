"""Who may do what on a project (SPEC §5, §6): one rule table per record type on the
record layer (``core.records.RuleTable``).

Services call ``require(...)`` before writing; pages and the API call ``project_actions``
/ ``task_actions`` to show only what a person may do now. Both read the same rules (their
``who`` and their statuses): 403 for the wrong person, 409 for the wrong moment, each with
a message saying why. Who may *see* a project is ``selectors.visible_projects``, once.

Roles on a project: the *managers* are the lead, the head of the initiating department
and administrators; each participating department's liaison and head answer for it; a
task's owner and its responsible department's liaison and head update the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from crossdesk.core.records import Rule, RuleTable
from crossdesk.org.selectors import Roles

from .choices import CHARTER_EDITABLE, LIVE, PLAN_EDITABLE, TRACKING_OPEN, ProjectStatus
from .models import Project, ProjectDepartment, Task


@dataclass(frozen=True)
class ProjectCheck:
    """What a project rule reads: the person's roles, the project, and for a task or a
    sub-goal the task or the department it belongs to."""

    roles: Roles
    project: Project
    task: Task | None = None
    participation: ProjectDepartment | None = None


def is_manager(roles: Roles, project: Project) -> bool:
    """The lead, the head of the initiating department, or an administrator."""
    if roles.is_admin:
        return True
    if roles.person is None:
        return False
    return project.lead_id == roles.person.pk or project.initiating_department_id in roles.heads_over


def answers_for(roles: Roles, participation: ProjectDepartment) -> bool:
    """The department's liaison answers for it in the project; its head (or the head of a
    department above it) may stand in."""
    if roles.person is None:
        return False
    return participation.liaison_id == roles.person.pk or participation.department_id in roles.heads_over


def updates_task(roles: Roles, project: Project, task: Task) -> bool:
    """The owner, the responsible department's liaison or head, or a manager."""
    if is_manager(roles, project):
        return True
    if roles.person is None:
        return False
    return task.owner_id == roles.person.pk or answers_for(roles, task.responsible)


def _manager(ctx: ProjectCheck) -> bool:
    return is_manager(ctx.roles, ctx.project)


def _records_sub_goal(ctx: ProjectCheck) -> bool:
    assert ctx.participation is not None
    return _manager(ctx) or answers_for(ctx.roles, ctx.participation)


def _updates_task(ctx: ProjectCheck) -> bool:
    assert ctx.task is not None
    return updates_task(ctx.roles, ctx.project, ctx.task)


MANAGERS_ONLY = _("Only the project lead, the initiating department's head or an administrator may do this.")


def _managed(action: str, statuses, wrong_moment) -> Rule:
    return Rule(action, _manager, statuses, wrong_person=MANAGERS_ONLY, wrong_moment=wrong_moment)


def _status(ctx: ProjectCheck) -> str:
    return ctx.project.status


PROJECT_RULES = RuleTable(
    [
        _managed("edit", CHARTER_EDITABLE, _("A closed project's charter can no longer change.")),
        _managed(
            "manage_participants",
            CHARTER_EDITABLE,
            _("A closed project's participants can no longer change."),
        ),
        _managed("edit_goal", CHARTER_EDITABLE, _("A closed project's goal can no longer change.")),
        _managed("edit_sub_goals", CHARTER_EDITABLE, _("A closed project's sub-goals can no longer change.")),
        _managed("record_goal", LIVE, _("Goal values are recorded while the project is under way.")),
        _managed("schedule_kickoff", (ProjectStatus.DRAFT,), _("Only a draft project is kicked off.")),
        _managed("start_closing", (ProjectStatus.RUNNING,), _("Only a running project moves to closing.")),
        _managed("reopen", (ProjectStatus.CLOSING,), _("Only a closing project is reopened.")),
        _managed("archive", (ProjectStatus.CLOSED,), _("Only a closed project is archived.")),
        _managed("plan_tasks", PLAN_EDITABLE, _("A closed project's plan can no longer change.")),
        _managed("edit_raci", PLAN_EDITABLE, _("A closed project's RACI grid can no longer change.")),
        _managed("coordinate", TRACKING_OPEN, _("Tasks are coordinated while the project is under way.")),
        _managed(
            "generate_weekly_report",
            LIVE,
            _("Weekly progress lists are made while the project is under way."),
        ),
    ],
    status_of=_status,
)
# Actions not shown as buttons: the close step and what only managers do at any moment.
MANAGER_RULES = RuleTable(
    [
        _managed("close", (ProjectStatus.CLOSING,), _("Only a closing project is closed.")),
        _managed("manage", None, ""),
        Rule(
            "record_sub_goal_progress",
            _records_sub_goal,
            LIVE,
            wrong_person=_(
                "Progress on a sub-goal is recorded by its department's liaison or head, or the project lead."
            ),
            wrong_moment=_("Progress is recorded while the project is under way."),
        ),
    ],
    status_of=_status,
)


def _task_moment(ctx: ProjectCheck, rule: Rule) -> str:
    if ctx.project.status == ProjectStatus.DRAFT:
        return str(_("Progress is tracked once the project is kicked off."))
    return str(_("A closed project's tasks can no longer change."))


_TASK_UPDATER = _("The task's owner, its department's liaison or head, or the project lead updates a task.")
TASK_RULES = RuleTable(
    [
        _managed("edit", PLAN_EDITABLE, _("A closed project's plan can no longer change.")),
        *(
            Rule(action, _updates_task, TRACKING_OPEN, wrong_person=_TASK_UPDATER)
            for action in ("update_progress", "report_problem", "resolve_problem")
        ),
        _managed("coordinate", TRACKING_OPEN, _("Tasks are coordinated while the project is under way.")),
    ],
    status_of=_status,
    moment_message=_task_moment,
)


def project_actions(roles: Roles, project: Project) -> set[str]:
    """The project-level actions ``roles`` may take now."""
    return PROJECT_RULES.allowed(ProjectCheck(roles, project))


def require(roles: Roles, project: Project, action: str) -> None:
    """Refuse ``action``: 403 when the person may never do it here, 409 when not now."""
    table = PROJECT_RULES if action in PROJECT_RULES else MANAGER_RULES
    table.require(ProjectCheck(roles, project), action)


def require_sub_goal_progress(roles: Roles, project: Project, participation: ProjectDepartment) -> None:
    MANAGER_RULES.require(
        ProjectCheck(roles, project, participation=participation), "record_sub_goal_progress"
    )


def task_actions(roles: Roles, project: Project, task: Task) -> set[str]:
    return TASK_RULES.allowed(ProjectCheck(roles, project, task=task))


def require_task_update(roles: Roles, project: Project, task: Task) -> None:
    TASK_RULES.require(ProjectCheck(roles, project, task=task), "update_progress")
