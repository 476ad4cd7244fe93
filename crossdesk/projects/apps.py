from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "crossdesk.projects"
    label = "projects"
    verbose_name = _("Cross-department projects")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_work

        from . import flows  # noqa: F401  (connects the kickoff-minutes and status hooks)
        from .selectors.work import work_section

        register_work("projects", work_section)
