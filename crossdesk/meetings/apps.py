from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "crossdesk.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel, register_work

        from .panels import request_action_items
        from .selectors import work_section

        register_work("meetings", work_section)
        register_panel("collaboration.request", "action_items", request_action_items)
