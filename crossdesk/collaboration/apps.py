from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "crossdesk.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration requests")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_work

        from . import receivers  # noqa: F401
        from .selectors import work_section

        register_work("requests", work_section)
