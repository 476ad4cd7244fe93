from ninja import Query, Router, Schema

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.schemas import error_responses
from crossdesk.org.models import Person

from . import selectors, services
from .schemas import MarkReadIn, MarkReadOut, NotificationPageOut

router = Router(tags=["notifications"])


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
