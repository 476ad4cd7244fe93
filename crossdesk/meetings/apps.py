from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "crossdesk.meetings"
    label = "meetings"
    verbose_name = _("Coordination meetings")

    def ready(self) -> None:
        from crossdesk.core.records.registry import (
            register_panel,
            register_visibility,
            register_work,
            register_work_lists,
        )
        from crossdesk.notify.attachments import register_mail_attachment
        from crossdesk.org.selectors import roles_for

        from .mail import INVITATION_EVENTS, invitation_attachment
        from .panels import request_action_items
        from .selectors import visible_action_items, visible_meetings
        from .work import department_lists, raised_lists, work_section

        register_work("meetings", work_section)
        register_work_lists("raised", "meetings", raised_lists)
        register_work_lists("departments", "meetings", department_lists)
        register_visibility("meetings.meeting", lambda user: visible_meetings(roles=roles_for(user)))
        register_visibility("meetings.actionitem", lambda user: visible_action_items(roles=roles_for(user)))
        register_panel("collaboration.request", "action_items", request_action_items)
        for event in INVITATION_EVENTS:
            register_mail_attachment(event, invitation_attachment)
