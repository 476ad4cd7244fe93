"""HTML pages of meetings, minutes and action items (SPEC §4). Thin: reads from
``selectors``, every write through ``services``, the services' errors shown where people typed."""

from .detail import invite_ics, item_action, material_download, meeting_action, meeting_detail, part_action
from .editor import meeting_edit, meeting_new, minutes_autosave, minutes_edit
from .lists import action_item_list, meeting_calendar, meeting_list, request_item_create

__all__ = [
    "action_item_list",
    "invite_ics",
    "item_action",
    "material_download",
    "meeting_action",
    "meeting_calendar",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
    "minutes_autosave",
    "minutes_edit",
    "part_action",
    "request_item_create",
]
