"""Every write of the notify app. ``notify()`` is the interface all apps call."""

from .inbox import (
    notifications_batched,
    notifications_mark_read,
    notify,
    notify_about,
    schedule_outbox_drain,
)
from .outbox import (
    DrainReport,
    deliveries_claim,
    deliveries_discard,
    deliveries_retry,
    deliveries_send,
    delivery_mark_failed,
    delivery_mark_sent,
    outbox_drain,
    outbox_has_due_work,
)
from .preferences import (
    department_preference_update,
    person_preference_update,
    robot_create,
    robot_delete,
    robot_update,
    scope_robot_create,
    scope_robot_delete,
)
from .routing import notifications_route

__all__ = [
    "notifications_batched",
    "DrainReport",
    "deliveries_claim",
    "deliveries_discard",
    "deliveries_retry",
    "deliveries_send",
    "delivery_mark_failed",
    "delivery_mark_sent",
    "department_preference_update",
    "notifications_mark_read",
    "notifications_route",
    "notify",
    "notify_about",
    "outbox_drain",
    "outbox_has_due_work",
    "person_preference_update",
    "robot_create",
    "scope_robot_create",
    "scope_robot_delete",
    "robot_delete",
    "robot_update",
    "schedule_outbox_drain",
]
