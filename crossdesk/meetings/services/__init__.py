"""Every write to meetings, minutes and action items (SPEC §4).

Each service locks the row, checks who may do what now (``permissions``), writes, adds a
history row for the change, starts or stops the deadline clocks of SPEC's time rules and
writes the notifications, all in one transaction.
"""

from .action_items import (
    action_item_cancel,
    action_item_complete,
    action_item_create,
    action_item_create_for_request,
    action_item_update_status,
)
from .meetings import (
    material_add,
    meeting_archive,
    meeting_cancel,
    meeting_create_draft,
    meeting_mark_held,
    meeting_reschedule,
    meeting_send_notice,
    meeting_update_draft,
    notice_body,
)
from .minutes import (
    minutes_circulate,
    minutes_confirm,
    minutes_object,
    minutes_revise,
    minutes_save,
    minutes_sign,
)

__all__ = [
    "action_item_cancel",
    "action_item_complete",
    "action_item_create",
    "action_item_create_for_request",
    "action_item_update_status",
    "material_add",
    "meeting_archive",
    "meeting_cancel",
    "meeting_create_draft",
    "meeting_mark_held",
    "meeting_reschedule",
    "meeting_send_notice",
    "meeting_update_draft",
    "minutes_circulate",
    "minutes_confirm",
    "minutes_object",
    "minutes_revise",
    "minutes_save",
    "minutes_sign",
    "notice_body",
]
