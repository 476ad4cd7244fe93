"""Who may change which notification settings, and the writes themselves.

A person sets their own preferences. A department's defaults and its group robots are set
by its head or an administrator (SPEC §6: administrators configure).
"""

from __future__ import annotations

from datetime import time
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from crossdesk.core.records import Actor
from crossdesk.org.models import Department, Person
from crossdesk.org.selectors import is_org_admin

from ..choices import ROBOT_CHANNELS, DigestMode, EmailMode, EscalationMode, EventGroup
from ..models import ChannelPreference, DepartmentRobot, Notification
from ..selectors import require_department_manager

PREFERENCE_FIELDS = (
    "email_mode",
    "muted_event_groups",
    "digest_mode",
    "digest_time",
    "escalation_mode",
    "quiet_start",
    "quiet_end",
    "language",
)
LANGUAGES = ("", "zh-hans", "en")


def _clean_preference(values: dict, *, for_person: bool) -> dict:
    cleaned = {}
    for field in PREFERENCE_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field == "email_mode" and (value or "") not in EmailMode.values:
            raise ApplicationError(_("Choose one of the e-mail options."), field=field)
        if field == "digest_mode" and (value or "") not in DigestMode.values:
            raise ApplicationError(_("Choose how e-mail should arrive."), field=field)
        if field == "escalation_mode" and (value or "") not in EscalationMode.values:
            raise ApplicationError(_("Choose how escalations should arrive."), field=field)
        if field == "muted_event_groups" and value is not None:
            unknown = sorted(set(value) - set(EventGroup.values))
            if unknown:
                raise ApplicationError(
                    _("Unknown kind of event: %(events)s.") % {"events": ", ".join(unknown)}, field=field
                )
            value = sorted(set(value))
        if (
            field in ("digest_time", "quiet_start", "quiet_end")
            and value is not None
            and not isinstance(value, time)
        ):
            raise ApplicationError(_("Enter a time of day such as 08:30."), field=field)
        if field == "language":
            if not for_person and value:
                raise ApplicationError(_("The e-mail language is each person's own choice."), field=field)
            if (value or "") not in LANGUAGES:
                raise ApplicationError(_("Choose Chinese or English."), field=field)
        blank_is_empty = ("email_mode", "digest_mode", "escalation_mode", "language")
        cleaned[field] = "" if value is None and field in blank_is_empty else value
    return cleaned


def _save(preference: ChannelPreference, cleaned: dict) -> ChannelPreference:
    for field, value in cleaned.items():
        setattr(preference, field, value)
    if (preference.quiet_start is None) != (preference.quiet_end is None):
        raise ApplicationError(_("Quiet hours need both a start and an end."), field="quiet_end")
    if preference.quiet_start is not None and preference.quiet_start == preference.quiet_end:
        raise ApplicationError(_("Quiet hours cannot start and end at the same time."), field="quiet_end")
    preference.save()
    return preference


@transaction.atomic
def person_preference_update(*, actor: Actor, person: Person, **values) -> ChannelPreference:
    """Change a person's own notification preferences (blank fields follow the department)."""
    if getattr(actor, "person", None) != person and not is_org_admin(actor):
        raise PermissionDeniedError(_("You may only change your own notification settings."))
    cleaned = _clean_preference(values, for_person=True)
    preference, _created = ChannelPreference.objects.select_for_update().get_or_create(person=person)
    return _save(preference, cleaned)


@transaction.atomic
def department_preference_update(*, actor: Actor, department: Department, **values) -> ChannelPreference:
    """Change the defaults every member of a department starts from."""
    require_department_manager(actor, department)
    cleaned = _clean_preference(values, for_person=False)
    preference, _created = ChannelPreference.objects.select_for_update().get_or_create(department=department)
    return _save(preference, cleaned)


def _clean_robot(values: dict) -> dict:
    cleaned = dict(values)
    if "kind" in cleaned and cleaned["kind"] not in ROBOT_CHANNELS:
        raise ApplicationError(_("Choose DingTalk, WeCom or Feishu."), field="kind")
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise ApplicationError(_("Give the robot a name, e.g. the group chat's name."), field="name")
    if "webhook_url" in cleaned:
        url = (cleaned["webhook_url"] or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ApplicationError(
                _("Paste the webhook address the robot's settings show."), field="webhook_url"
            )
        cleaned["webhook_url"] = url
    if "event_groups" in cleaned:
        unknown = sorted(set(cleaned["event_groups"] or []) - set(EventGroup.values))
        if unknown:
            raise ApplicationError(
                _("Unknown kind of event: %(events)s.") % {"events": ", ".join(unknown)}, field="event_groups"
            )
        cleaned["event_groups"] = sorted(set(cleaned["event_groups"] or []))
    if "levels" in cleaned:
        unknown = sorted(set(cleaned["levels"] or []) - set(Notification.Level.values))
        if unknown:
            raise ApplicationError(
                _("Unknown level: %(levels)s.") % {"levels": ", ".join(unknown)}, field="levels"
            )
        cleaned["levels"] = sorted(set(cleaned["levels"] or []))
    if "secret" in cleaned:
        cleaned["secret"] = (cleaned["secret"] or "").strip()
    return cleaned


def robot_create(
    *,
    actor: Actor,
    department: Department,
    kind: str,
    name: str,
    webhook_url: str,
    secret: str = "",
    event_groups: list[str] | None = None,
    levels: list[str] | None = None,
    is_active: bool = True,
) -> DepartmentRobot:
    """Connect a department group chat's robot."""
    require_department_manager(actor, department)
    values = _clean_robot(
        {
            "kind": kind,
            "name": name,
            "webhook_url": webhook_url,
            "secret": secret,
            "event_groups": event_groups or [],
            "levels": ["action", "warning", "overdue"] if levels is None else levels,
        }
    )
    if values["kind"] == "wecom" and values["secret"]:
        raise ApplicationError(
            _("WeCom group robots have no signing secret; leave it empty."), field="secret"
        )
    return DepartmentRobot.objects.create(department=department, is_active=is_active, **values)


def scope_robot_create(
    *, department: Department, chat_scope: str, kind: str, name: str, webhook_url: str, secret: str = ""
) -> DepartmentRobot:
    """Connect the robot of a group chat that is not a department's (a project's), every
    kind of message of that chat; who may is the owning app's rule, checked by its caller."""
    if not chat_scope:
        raise ApplicationError(_("Say which group chat the robot belongs to."), field="chat_scope")
    values = _clean_robot({"kind": kind, "name": name, "webhook_url": webhook_url, "secret": secret})
    if values["kind"] == "wecom" and values["secret"]:
        raise ApplicationError(
            _("WeCom group robots have no signing secret; leave it empty."), field="secret"
        )
    return DepartmentRobot.objects.create(department=department, chat_scope=chat_scope, **values)


def scope_robot_delete(*, chat_scope: str, robot_id: int) -> None:
    """Disconnect a group chat's robot (the caller checked who may)."""
    deleted, _rows = DepartmentRobot.objects.filter(pk=robot_id, chat_scope=chat_scope).delete()
    if not deleted:
        raise NotFoundError(_("No such robot."))


def robot_update(*, actor: Actor, robot: DepartmentRobot, **changes) -> DepartmentRobot:
    """Change a robot; an empty ``secret`` in ``changes`` removes signing."""
    require_department_manager(actor, robot.department)
    allowed = {"name", "webhook_url", "secret", "event_groups", "levels", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            _("These cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in _clean_robot(changes).items():
        setattr(robot, field, value)
    if robot.kind == "wecom" and robot.secret:
        raise ApplicationError(
            _("WeCom group robots have no signing secret; leave it empty."), field="secret"
        )
    robot.save()
    return robot


def robot_delete(*, actor: Actor, robot: DepartmentRobot) -> None:
    """Disconnect a robot; its delivered history goes with it."""
    require_department_manager(actor, robot.department)
    robot.delete()
