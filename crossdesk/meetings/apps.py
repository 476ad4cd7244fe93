from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "crossdesk.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel, register_visibility, register_work
        from crossdesk.org.selectors import roles_for

        from .panels import request_action_items
        from .selectors import visible_action_items, visible_meetings, work_section

        register_work("meetings", work_section)
        register_visibility("meetings.meeting", lambda user: visible_meetings(roles=roles_for(user)))
        register_visibility("meetings.actionitem", lambda user: visible_action_items(roles=roles_for(user)))
        register_panel("collaboration.request", "action_items", request_action_items)
