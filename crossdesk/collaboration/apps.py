from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "crossdesk.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration requests")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_visibility, register_work, register_work_lists
        from crossdesk.org.selectors import roles_for

        from . import receivers  # noqa: F401
        from .selectors import visible_requests
        from .work import department_lists, raised_lists, work_section

        register_work("requests", work_section)
        register_work_lists("raised", "requests", raised_lists)
        register_work_lists("departments", "requests", department_lists)
        register_visibility("collaboration.request", lambda user: visible_requests(roles=roles_for(user)))
