from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "crossdesk.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel, register_request_hook

        from .panels import workbench_roles
        from .selectors import remember_roles_during_request

        register_panel("core.workbench:side", "roles", workbench_roles)
        register_request_hook("org.roles", remember_roles_during_request)
