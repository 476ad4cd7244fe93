"""Who may do what on a project (SPEC §5, §6), in one place.

Services call ``require(...)`` before writing; pages and the API call ``project_actions``
/ ``task_actions`` to show only what a person may do now. Both read the same rules: 403
for the wrong person, 409 for the wrong moment, each with a message saying why.

Roles on a project: the *managers* are the lead, the head of the initiating department
and administrators; each participating department's liaison and head answer for it; a
task's owner and its responsible department's liaison and head update the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import PermissionDeniedError, TransitionError
from crossdesk.org.selectors import Roles

from .choices import CHARTER_EDITABLE, LIVE, PLAN_EDITABLE, TRACKING_OPEN, ProjectStatus
from .models import Project, ProjectDepartment, Task

PROJECT_ACTIONS = (
    "edit",
    "manage_participants",
    "edit_goal",
    "edit_sub_goals",
    "record_goal",
    "schedule_kickoff",
    "start_closing",
    "reopen",
    "archive",
    "plan_tasks",
    "edit_raci",
    "coordinate",
    "generate_weekly_report",
)
TASK_ACTIONS = ("edit", "update_progress", "report_problem", "resolve_problem", "coordinate")


@dataclass(frozen=True)
class Rule:
    statuses: tuple[str, ...]
    who: str
    wrong_moment: str


# who: "manager" (lead, initiating head, admin) or "lead" (the lead or an admin).
PROJECT_RULES: dict[str, Rule] = {
    "edit": Rule(
        CHARTER_EDITABLE, "manager", gettext_lazy("A closed project's charter can no longer change.")
    ),
    "manage_participants": Rule(
        CHARTER_EDITABLE, "manager", gettext_lazy("A closed project's participants can no longer change.")
    ),
    "edit_goal": Rule(
        CHARTER_EDITABLE, "manager", gettext_lazy("A closed project's goal can no longer change.")
    ),
    "edit_sub_goals": Rule(
        CHARTER_EDITABLE, "manager", gettext_lazy("A closed project's sub-goals can no longer change.")
    ),
    "record_goal": Rule(
        LIVE, "manager", gettext_lazy("Goal values are recorded while the project is under way.")
    ),
    "schedule_kickoff": Rule(
        (ProjectStatus.DRAFT,), "manager", gettext_lazy("Only a draft project is kicked off.")
    ),
    "start_closing": Rule(
        (ProjectStatus.RUNNING,), "manager", gettext_lazy("Only a running project moves to closing.")
    ),
    "reopen": Rule((ProjectStatus.CLOSING,), "manager", gettext_lazy("Only a closing project is reopened.")),
    "archive": Rule((ProjectStatus.CLOSED,), "manager", gettext_lazy("Only a closed project is archived.")),
    "plan_tasks": Rule(
        PLAN_EDITABLE, "manager", gettext_lazy("A closed project's plan can no longer change.")
    ),
    "edit_raci": Rule(
        PLAN_EDITABLE, "manager", gettext_lazy("A closed project's RACI grid can no longer change.")
    ),
    "coordinate": Rule(
        TRACKING_OPEN, "manager", gettext_lazy("Tasks are coordinated while the project is under way.")
    ),
    "generate_weekly_report": Rule(
        LIVE, "manager", gettext_lazy("Weekly progress lists are made while the project is under way.")
    ),
}


def is_manager(roles: Roles, project: Project) -> bool:
    """The lead, the head of the initiating department, or an administrator."""
    if roles.is_admin:
        return True
    if roles.person is None:
        return False
    return project.lead_id == roles.person.pk or project.initiating_department_id in roles.head_of


def answers_for(roles: Roles, participation: ProjectDepartment) -> bool:
    """The department's liaison answers for it in the project; its head may stand in."""
    if roles.person is None:
        return False
    return participation.liaison_id == roles.person.pk or participation.department_id in roles.head_of


def project_actions(roles: Roles, project: Project) -> set[str]:
    """The project-level actions ``roles`` may take now."""
    manager = is_manager(roles, project)
    return {name for name, rule in PROJECT_RULES.items() if manager and project.status in rule.statuses}


def require(roles: Roles, project: Project, action: str) -> None:
    """Refuse ``action``: 403 when the person may never do it here, 409 when not now."""
    rule = PROJECT_RULES[action]
    if not is_manager(roles, project):
        raise PermissionDeniedError(
            _("Only the project lead, the initiating department's head or an administrator may do this.")
        )
    if project.status not in rule.statuses:
        raise TransitionError(str(rule.wrong_moment))


def may_record_sub_goal(roles: Roles, project: Project, participation: ProjectDepartment) -> bool:
    return is_manager(roles, project) or answers_for(roles, participation)


def require_sub_goal_progress(roles: Roles, project: Project, participation: ProjectDepartment) -> None:
    if not may_record_sub_goal(roles, project, participation):
        raise PermissionDeniedError(
            _("Progress on a sub-goal is recorded by its department's liaison or head, or the project lead.")
        )
    if project.status not in LIVE:
        raise TransitionError(_("Progress is recorded while the project is under way."))


def updates_task(roles: Roles, project: Project, task: Task) -> bool:
    """The owner, the responsible department's liaison or head, or a manager."""
    if is_manager(roles, project):
        return True
    if roles.person is None:
        return False
    return task.owner_id == roles.person.pk or answers_for(roles, task.responsible)


def task_actions(roles: Roles, project: Project, task: Task) -> set[str]:
    actions: set[str] = set()
    manager = is_manager(roles, project)
    if manager and project.status in PLAN_EDITABLE:
        actions.add("edit")
    if updates_task(roles, project, task) and project.status in TRACKING_OPEN:
        actions |= {"update_progress", "report_problem", "resolve_problem"}
    if manager and project.status in TRACKING_OPEN:
        actions.add("coordinate")
    return actions


def require_task_update(roles: Roles, project: Project, task: Task) -> None:
    if not updates_task(roles, project, task):
        raise PermissionDeniedError(
            _("The task's owner, its department's liaison or head, or the project lead updates a task.")
        )
    if project.status not in TRACKING_OPEN:
        if project.status == ProjectStatus.DRAFT:
            raise TransitionError(_("Progress is tracked once the project is kicked off."))
        raise TransitionError(_("A closed project's tasks can no longer change."))
