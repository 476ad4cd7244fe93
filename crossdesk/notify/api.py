"""Notifications API under /api/v1/notifications/: my inbox, my settings, a department's
settings and robots (its head or an administrator), the outbox (administrators).

Thin: the same selectors and services as the pages, so the permission checks are theirs
(403 with a message), bad input is a 400 naming the field.
"""

from dataclasses import asdict

from ninja import Query, Router, Schema, Status

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.schemas import error_responses
from crossdesk.org.models import Person

from . import selectors, services
from .schemas import (
    CountOut,
    DeliveryIdsIn,
    MarkReadIn,
    MarkReadOut,
    MyPreferenceOut,
    NotificationPageOut,
    OutboxFilter,
    OutboxPageOut,
    PreferenceIn,
    PreferenceOut,
    RobotIn,
    RobotOut,
    RobotUpdateIn,
)

router = Router(tags=["notifications"])
WRITE_ERRORS = error_responses(400, 403, 404)


class InboxFilter(Schema):
    unread: bool = False
    limit: int = 50
    offset: int = 0


def _person(request) -> Person:
    person = Person.objects.filter(user=request.auth).first()
    if person is None:
        raise PermissionDeniedError("Your login is not linked to a person in the organisation.")
    return person


@router.get("/", response={200: NotificationPageOut, **error_responses(403)})
def list_notifications(request, filters: Query[InboxFilter]):
    """My notifications, newest first."""
    person = _person(request)
    notifications = selectors.inbox(person=person, unread_only=filters.unread)
    limit = max(1, min(filters.limit, 200))
    return {
        "count": notifications.count(),
        "unread": selectors.unread_count(person=person),
        "items": list(notifications[filters.offset : filters.offset + limit]),
    }


@router.post("/read", response={200: MarkReadOut, **error_responses(400, 403)})
def mark_read(request, payload: MarkReadIn):
    """Mark the given notifications (or all of mine) as read."""
    person = _person(request)
    marked = services.notifications_mark_read(person=person, ids=payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(person=person)}


# --- preferences --------------------------------------------------------------------------------


def _my_preferences(person: Person) -> dict:
    own, effective, department = selectors.person_preference(person=person)
    data = asdict(effective)
    data["muted_event_groups"] = sorted(data["muted_event_groups"])
    return {"own": own, "effective": data, "department": department.code if department else None}


@router.get("/preferences", response={200: MyPreferenceOut, **error_responses(403)})
def my_preferences(request):
    """My notification settings, and what applies once my department's defaults fill the blanks."""
    return _my_preferences(_person(request))


@router.put("/preferences", response={200: MyPreferenceOut, **WRITE_ERRORS})
def update_my_preferences(request, payload: PreferenceIn):
    """Change my settings; fields left out stay as they are, null means 'as my department sets it'."""
    person = _person(request)
    services.person_preference_update(actor=request.auth, person=person, **payload.dict(exclude_unset=True))
    return _my_preferences(person)


@router.get("/departments/{code}/preferences", response={200: PreferenceOut, **error_responses(403, 404)})
def department_preferences(request, code: str):
    """A department's defaults for its members (its head or an administrator)."""
    department = selectors.department_for_manager(viewer=request.auth, code=code)
    return selectors.department_preference(department=department)


@router.put("/departments/{code}/preferences", response={200: PreferenceOut, **WRITE_ERRORS})
def update_department_preferences(request, code: str, payload: PreferenceIn):
    department = selectors.department_for_manager(viewer=request.auth, code=code)
    values = payload.dict(exclude_unset=True)
    if values.get("language"):
        raise ApplicationError("The e-mail language is each person's own choice.", field="language")
    values.pop("language", None)
    return services.department_preference_update(actor=request.auth, department=department, **values)


@router.get("/departments/{code}/robots", response={200: list[RobotOut], **error_responses(403, 404)})
def list_robots(request, code: str):
    department = selectors.department_for_manager(viewer=request.auth, code=code)
    return list(selectors.robots_of(department=department).select_related("department"))


@router.post("/departments/{code}/robots", response={201: RobotOut, **WRITE_ERRORS})
def create_robot(request, code: str, payload: RobotIn):
    """Connect a group robot (DingTalk, WeCom or Feishu webhook) to the department."""
    department = selectors.department_for_manager(viewer=request.auth, code=code)
    return Status(201, services.robot_create(actor=request.auth, department=department, **payload.dict()))


@router.patch("/robots/{robot_id}", response={200: RobotOut, **WRITE_ERRORS})
def update_robot(request, robot_id: int, payload: RobotUpdateIn):
    robot = selectors.robot_get(viewer=request.auth, pk=robot_id)
    return services.robot_update(actor=request.auth, robot=robot, **payload.dict(exclude_unset=True))


@router.delete("/robots/{robot_id}", response={204: None, **error_responses(403, 404)})
def delete_robot(request, robot_id: int):
    robot = selectors.robot_get(viewer=request.auth, pk=robot_id)
    services.robot_delete(actor=request.auth, robot=robot)
    return Status(204, None)


# --- the outbox (administrators) ------------------------------------------------------------------


@router.get("/outbox", response={200: OutboxPageOut, **error_responses(403)})
def outbox(request, filters: Query[OutboxFilter]):
    """Outgoing messages by tab: pending (incl. sending), failed, sent, discarded."""
    rows = selectors.outbox_list(
        viewer=request.auth, tab=filters.tab, channel=filters.channel, query=filters.q
    )
    limit = max(1, min(filters.limit, 200))
    return {
        "counts": selectors.outbox_counts(viewer=request.auth),
        "count": rows.count(),
        "items": list(rows[filters.offset : filters.offset + limit]),
    }


@router.post("/outbox/retry", response={200: CountOut, **WRITE_ERRORS})
def outbox_retry(request, payload: DeliveryIdsIn):
    """Send failed (or discarded) messages again; ``all_failed`` retries every failed one."""
    if not payload.ids and not payload.all_failed:
        raise ApplicationError("Name the messages to retry, or set all_failed.", field="ids")
    count = services.deliveries_retry(actor=request.auth, ids=payload.ids, all_failed=payload.all_failed)
    return {"count": count}


@router.post("/outbox/discard", response={200: CountOut, **WRITE_ERRORS})
def outbox_discard(request, payload: DeliveryIdsIn):
    """Give up on pending or failed messages (a message being sent right now is left alone)."""
    if not payload.ids:
        raise ApplicationError("Name the messages to discard.", field="ids")
    return {"count": services.deliveries_discard(actor=request.auth, ids=payload.ids)}
