from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "crossdesk.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel, register_visibility

        from .panels import request_publish_link
        from .selectors import visible_entries

        register_visibility("knowledge.entry", lambda user: visible_entries(user=user))
        register_panel("collaboration.request", "knowledge", request_publish_link)
