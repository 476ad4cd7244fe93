"""Reads of the notify app: the inbox, preferences and the outbox, filtered by who asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.records import Actor
from crossdesk.org.models import Department, Membership, Person
from crossdesk.org.selectors import is_org_admin

from .choices import Channel, DeliveryStatus
from .models import ChannelPreference, Delivery, DepartmentRobot, Notification
from .rules import EffectivePreference, preference_merge


def unread_count(*, person: Person | None) -> int:
    if person is None:
        return 0
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def unread_records(*, person: Person | None) -> int:
    """What the bell shows: how many records have unread news (a message about no record
    counts alone), so fifteen changes to one request are one thing to look at. One query."""
    if person is None:
        return 0
    record = Concat(Cast("subject_type_id", CharField()), Value(":"), Cast("subject_id", CharField()))
    counts = Notification.objects.filter(recipient=person, read_at__isnull=True).aggregate(
        records=Count(record, distinct=True, filter=Q(subject_id__isnull=False)),
        loose=Count("id", filter=Q(subject_id__isnull=True)),
    )
    return counts["records"] + counts["loose"]


def inbox(*, person: Person, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=person)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def can_manage_department(actor: Actor, department: Department) -> bool:
    if is_org_admin(actor):
        return True
    person = getattr(actor, "person", None)
    return person is not None and department.head_id == person.pk


def require_department_manager(actor: Actor, department: Department) -> None:
    if not can_manage_department(actor, department):
        raise PermissionDeniedError(
            _("Only the head of %(department)s or an administrator may change its notification settings.")
            % {"department": department.name}
        )


# --- preferences ------------------------------------------------------------------------------


def primary_department(*, person: Person) -> Department | None:
    membership = (
        Membership.objects.filter(person=person, is_primary=True).select_related("department").first()
    )
    return membership.department if membership else None


def person_preference(*, person: Person) -> tuple[ChannelPreference, EffectivePreference, Department | None]:
    """The person's own settings (unsaved when never set), what applies, and the department
    whose defaults fill the blanks."""
    own = ChannelPreference.objects.filter(person=person).first() or ChannelPreference(person=person)
    department = primary_department(person=person)
    department_pref = (
        ChannelPreference.objects.filter(department=department).first() if department is not None else None
    )
    return own, preference_merge(own, department_pref), department


def department_preference(*, department: Department) -> ChannelPreference:
    return ChannelPreference.objects.filter(department=department).first() or ChannelPreference(
        department=department
    )


def department_for_manager(*, viewer, code: str) -> Department:
    """A department whose notification settings the viewer may manage (403 otherwise)."""
    department = get_object_or_404(Department, code=code.upper())
    if not can_manage_department(viewer, department):
        raise PermissionDeniedError(
            _("Only the department head or an administrator may change its notification settings.")
        )
    return department


def departments_managed(*, viewer) -> QuerySet[Department]:
    if is_org_admin(viewer):
        return Department.objects.filter(is_active=True)
    person = getattr(viewer, "person", None)
    return Department.objects.filter(is_active=True, head=person) if person else Department.objects.none()


def robots_of(*, department: Department) -> QuerySet[DepartmentRobot]:
    return DepartmentRobot.objects.filter(department=department, chat_scope="").order_by("name", "id")


def robots_of_scope(*, chat_scope: str) -> QuerySet[DepartmentRobot]:
    """The robots of one group chat (a project's), for the page that manages them."""
    return DepartmentRobot.objects.filter(chat_scope=chat_scope).order_by("name", "id")


def robot_get(*, viewer, pk: int) -> DepartmentRobot:
    """A department group's robot for its head to change; a project group's robot is the
    project's (``projects`` services manage it), so it is not found here."""
    robot = get_object_or_404(DepartmentRobot.objects.select_related("department"), pk=pk, chat_scope="")
    if not can_manage_department(viewer, robot.department):
        raise PermissionDeniedError(_("Only the department head or an administrator may change its robots."))
    return robot


# --- outbox (operators) -----------------------------------------------------------------------

OUTBOX_TABS = {
    "pending": (DeliveryStatus.PENDING, DeliveryStatus.SENDING),
    "failed": (DeliveryStatus.FAILED,),
    "sent": (DeliveryStatus.SENT,),
    "discarded": (DeliveryStatus.DISCARDED,),
}


def require_operator(viewer) -> None:
    if not is_org_admin(viewer):
        raise PermissionDeniedError(_("Only administrators may see the outbox."))


def outbox_list(*, viewer, tab: str = "pending", channel: str = "", query: str = "") -> QuerySet[Delivery]:
    """One tab of the outbox, with everything a row shows loaded in the same query."""
    require_operator(viewer)
    rows = Delivery.objects.filter(status__in=OUTBOX_TABS.get(tab, OUTBOX_TABS["pending"]))
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    if query:
        rows = rows.filter(
            Q(address__icontains=query)
            | Q(delivery_key__icontains=query)
            | Q(notification__title__icontains=query)
            | Q(last_error__icontains=query)
        )
    order = ("next_attempt_at", "id") if tab == "pending" else ("-created_at", "-id")
    return rows.select_related("notification", "person", "robot__department").order_by(*order)


def outbox_counts(*, viewer) -> dict[str, int]:
    """How many rows each tab holds, in one query."""
    require_operator(viewer)
    totals = dict.fromkeys(OUTBOX_TABS, 0)
    for row in Delivery.objects.values("status").annotate(n=Count("id")):
        for tab, statuses in OUTBOX_TABS.items():
            if row["status"] in statuses:
                totals[tab] += row["n"]
    return totals


@dataclass
class RecordNews:
    """The messages about one record on an inbox page, newest first (a message about no
    record stands alone)."""

    latest: Notification
    earlier: list[Notification]

    @property
    def unread(self) -> int:
        return sum(n.read_at is None for n in (self.latest, *self.earlier))


def by_record(notifications) -> list[RecordNews]:
    """An inbox page grouped by record, in the order of each record's newest message, so
    fifteen changes to one request read as one item with fourteen earlier ones under it."""
    groups: dict[tuple, RecordNews] = {}
    for notification in notifications:
        if notification.subject_id:
            key: tuple = (notification.subject_type_id, notification.subject_id)
        else:
            key = ("alone", notification.pk)
        if key in groups:
            groups[key].earlier.append(notification)
        else:
            groups[key] = RecordNews(latest=notification, earlier=[])
    return list(groups.values())
