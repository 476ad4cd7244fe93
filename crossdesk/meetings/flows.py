"""Processes that span apps (CONVENTIONS: views/api → flows → services). Services never
import this module; each step asks the owning app's public services.

* An action item raised on a collaboration request: the request's log records it (and
  collaboration decides whether this person may, 404 / 403 / 409), then meetings creates
  and tracks the item, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from crossdesk.collaboration import services as request_services
from crossdesk.core.records import Actor

from .models import ActionItem
from .services import action_items


@transaction.atomic
def action_item_from_request(
    *,
    actor: Actor,
    request_id: int,
    action: str,
    owner_id: Any,
    due_at: Any,
    support_needed: str = "",
    support_department: Any = None,
) -> ActionItem:
    """Turn something agreed on a collaboration request into a tracked action item. Only people
    involved in the request may, while it is open; the request's log records it."""
    fields = action_items.request_item_fields(
        action=action,
        owner_id=owner_id,
        due_at=due_at,
        support_needed=support_needed,
        support_department=support_department,
    )
    request_services.request_log(
        actor=actor, request_id=request_id, content=action_items.request_item_summary(fields)
    )
    return action_items.action_item_create_for_request(actor=actor, request_id=request_id, fields=fields)
