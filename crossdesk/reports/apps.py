from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "crossdesk.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel

        from .panels import project_charts, workbench_dashboards

        register_panel("core.workbench:side", "reports", workbench_dashboards)
        register_panel("projects.project", "charts", project_charts)
