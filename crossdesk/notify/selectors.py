from django.db.models import QuerySet

from crossdesk.org.models import Person

from .models import Notification


def unread_count(*, person: Person | None) -> int:
    if person is None:
        return 0
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def inbox(*, person: Person, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=person)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")
