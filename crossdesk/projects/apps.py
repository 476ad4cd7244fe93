from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "crossdesk.projects"
    label = "projects"
    verbose_name = _("Cross-department projects")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_visibility, register_work, register_work_lists
        from crossdesk.org.selectors import roles_for

        from . import flows  # noqa: F401  (connects the kickoff-minutes and status hooks)
        from .selectors import visible_projects
        from .selectors.boards import department_lists, raised_lists
        from .selectors.work import work_section

        register_work("projects", work_section)
        register_work_lists("raised", "projects", raised_lists)
        register_work_lists("departments", "projects", department_lists)
        register_visibility("projects.project", lambda user: visible_projects(roles=roles_for(user)))
