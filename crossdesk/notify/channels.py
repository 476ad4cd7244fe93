"""The ways a delivery leaves Crossdesk: e-mail over SMTP and three kinds of group robot.

Each channel turns one ``Delivery`` into one outgoing message and raises
``TransientDeliveryError`` (try again later), ``PermanentDeliveryError`` (trying again
cannot help) or ``ChannelUnavailableError`` (the server cannot be reached: every message
of the batch on this channel waits). The stable ``delivery_key`` travels with every
message (Message-ID, robot payload) so a receiver can drop a duplicate.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .attachments import attachments_for
from .choices import Channel
from .models import Delivery, Notification

# The payload field that carries the delivery key to a robot's receiver (or a proxy in front
# of it) for de-duplication. The vendors document no such field and ignore unknown ones.
ROBOT_KEY_FIELD = "crossdesk_delivery_key"


class DeliveryError(Exception):
    """A message could not be delivered this time."""


class TransientDeliveryError(DeliveryError):
    """Worth another attempt later (a timeout, a full mailbox, a rate limit)."""


class PermanentDeliveryError(DeliveryError):
    """Another attempt would fail the same way (an unknown address, a deleted robot)."""


class ChannelUnavailableError(DeliveryError):
    """The server itself cannot be reached; the rest of the batch waits too."""


def absolute_url(path: str) -> str:
    """A link people can open from their mail client or chat: the record, or the inbox."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.CROSSDESK_BASE_URL.rstrip("/") + (path or reverse("notify:inbox"))


def site_host() -> str:
    return urlsplit(settings.CROSSDESK_BASE_URL).hostname or "crossdesk.localdomain"


def message_id(delivery: Delivery) -> str:
    """RFC 5322 Message-ID made of the delivery key: the same on every retry."""
    return f"<{delivery.delivery_key}@{site_host()}>"


LEVEL_TAGS = {
    Notification.Level.ACTION: "action",
    Notification.Level.WARNING: "warning",
    Notification.Level.OVERDUE: "overdue",
}


def _level_label(level: str) -> str:
    return str(Notification.Level(level).label) if level in Notification.Level.values else ""


# --- e-mail --------------------------------------------------------------------------------


class EmailChannel:
    """Sends over one SMTP connection (Django's e-mail framework) for a whole drain."""

    def __init__(self) -> None:
        self._connection = None

    def _open(self):
        if self._connection is None:
            connection = get_connection(fail_silently=False)
            try:
                connection.open()
            except (OSError, smtplib.SMTPException) as exc:
                raise ChannelUnavailableError(f"SMTP server unreachable: {exc}") from exc
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            # A broken connection is dropped either way.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    def build(self, delivery: Delivery, language: str) -> EmailMultiAlternatives:
        with translation.override(language):
            if delivery.is_digest:
                items = _items(delivery)
                context = {
                    "items": items,
                    "groups": digest_groups(items),
                    "burst": delivery.burst,
                    "date": delivery.digest_date,
                    "settings_url": absolute_url(""),
                }
                if delivery.burst:
                    subject = f"[{_('Crossdesk')}] " + digest_title(len(items))
                else:
                    subject = _("[Crossdesk] Your daily digest: %(count)s notifications") % {
                        "count": len(items)
                    }
                template = "digest"
            else:
                notification = delivery.notification
                label = _level_label(notification.level) if notification.level != "info" else ""
                subject = f"[{_('Crossdesk')}] " + (f"【{label}】" if label else "") + notification.title
                context = {
                    "notification": notification,
                    "level_label": label,
                    "link": absolute_url(notification.url),
                }
                template = "message"
            context["person"] = delivery.person
            context["preferences_url"] = absolute_url(reverse("notify:preferences"))
            text = render_to_string(f"notify/email/{template}.txt", context)
            html = render_to_string(f"notify/email/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=subject.replace("\n", " ")[:250],
            body=text,
            to=[delivery.address],
            headers={"Message-ID": message_id(delivery), "X-Crossdesk-Delivery-Key": delivery.delivery_key},
        )
        message.attach_alternative(html, "text/html")
        for attachment in attachments_for(_items(delivery)):
            message.attach(attachment.mime_part())
        return message

    def send(self, delivery: Delivery, language: str) -> None:
        message = self.build(delivery, language)
        connection = self._open()
        message.connection = connection
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            error = f"recipient refused: {exc.recipients}"
            if codes and all(code >= 500 for code in codes):
                raise PermanentDeliveryError(error) from exc
            raise TransientDeliveryError(error) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if exc.smtp_code >= 500:
                raise PermanentDeliveryError(error) from exc
            raise TransientDeliveryError(error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            # The connection broke mid-way; the next message opens a fresh one.
            self.close()
            raise TransientDeliveryError(f"SMTP connection lost: {exc}") from exc


# --- robots ---------------------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk custom robot 加签: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}"))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu custom bot 签名校验: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class RobotRequest:
    url: str
    payload: dict


MOBILE = re.compile(r"^1\d{10}$")


def robot_title(notification: Notification) -> str:
    """What a group chat may read as the message's title: a confidential record's is never
    posted, only a neutral text naming the kind of record (the link asks for a login)."""
    if not notification.confidential:
        return notification.title
    model = notification.subject_type.model_class() if notification.subject_type_id else None
    kind = model._meta.verbose_name if model is not None else _("record")
    return _("A confidential %(kind)s needs attention") % {"kind": kind}


@dataclass(frozen=True)
class Mentions:
    """Who a robot message @mentions, by the IDs their chat app knows them by."""

    user_ids: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()

    @classmethod
    def of(cls, people, kind: str) -> Mentions:
        field = {Channel.DINGTALK: "dingtalk_id", Channel.WECOM: "wecom_id", Channel.FEISHU: "feishu_id"}[
            kind
        ]
        user_ids, mobiles = [], []
        for person in people:
            if getattr(person, field):
                user_ids.append(getattr(person, field))
            elif kind != Channel.FEISHU and MOBILE.match(person.phone or ""):
                mobiles.append(person.phone)  # Feishu bots mention by user ID only
        return cls(tuple(dict.fromkeys(user_ids)), tuple(dict.fromkeys(mobiles)))

    def line(self, kind: str) -> str:
        """The mentions as the message text must carry them for the chat app to notify."""
        if kind == Channel.WECOM:
            return " ".join(f"<@{user_id}>" for user_id in self.user_ids)
        if kind == Channel.FEISHU:
            return " ".join(f"<at id={user_id}></at>" for user_id in self.user_ids)
        return " ".join(f"@{who}" for who in (*self.user_ids, *self.mobiles))


def robot_mentions(delivery: Delivery) -> Mentions:
    """The people a message asks to act (not plain information): the recipients of its
    notify() call, or of every call a digest holds; for a department's robot, those of the
    department only."""
    from crossdesk.org.models import Person

    from .choices import IMPORTANT_LEVELS

    items = _items(delivery)
    calls = [n for n in items if n.level in IMPORTANT_LEVELS]
    if not calls:
        return Mentions()
    told = Q(notifications__batch_key__in={n.batch_key for n in calls if n.batch_key}) | Q(
        notifications__in=[n.pk for n in calls]
    )
    # A department's group hears of its own people; a project's group of everyone told.
    members = (
        Q()
        if delivery.robot.chat_scope
        else Q(memberships__department_id=delivery.robot.department_id, memberships__is_primary=True)
    )
    people = Person.objects.filter(told, members, is_active=True).distinct().order_by("name", "id")
    return Mentions.of(people, delivery.robot.kind)


def _items(delivery: Delivery) -> list[Notification]:
    if delivery.is_digest:
        items = [item.notification for item in delivery.digest_items.all()]
        items.sort(key=lambda n: (n.created_at, n.id))
        return items
    return [delivery.notification] if delivery.notification is not None else []


def digest_groups(items: list[Notification], title=lambda n: n.title) -> list[dict]:
    """A digest's items grouped by record (oldest record first), each with its link."""
    groups: dict[tuple, dict] = {}
    for item in items:
        record = (item.subject_type_id, item.subject_id) if item.subject_id else ("n", item.pk)
        group = groups.setdefault(record, {"title": title(item), "link": absolute_url(item.url), "items": []})
        item.absolute_url = absolute_url(item.url)
        group["items"].append(item)
    return list(groups.values())


def _markdown_text(notification: Notification, link: str, key: str, *, kind: str, mentions: Mentions) -> str:
    label = _level_label(notification.level)
    title = robot_title(notification)
    heading = f"【{label}】{title}" if notification.level != "info" else title
    if kind == Channel.WECOM and notification.level in ("warning", "overdue"):
        heading = f'<font color="warning">{heading}</font>'
    lines = [f"#### {heading}", ""]
    if notification.body and not notification.confidential:
        lines += [notification.body.replace("\n", "\n\n"), ""]
    return _finish(lines, link, key, kind, mentions)


def _finish(lines: list[str], link: str, key: str, kind: str, mentions: Mentions) -> str:
    lines += [f"[{_('Open in Crossdesk')}]({link})", ""]
    if mentions.line(kind):
        lines += [mentions.line(kind), ""]
    lines.append(f"> {_('Delivery key')}: {key}")
    return "\n".join(lines)


def _digest_markdown(items: list[Notification], key: str, *, kind: str, mentions: Mentions) -> str:
    lines = [f"#### {digest_title(len(items))}", "", *_digest_lines(items)]
    return _finish(lines, absolute_url(""), key, kind, mentions)


def _digest_lines(items: list[Notification]) -> list[str]:
    """A digest's items by record, each record a link; no confidential title among them."""
    lines = []
    for group in digest_groups(items, title=robot_title):
        lines.append(f"**[{group['title']}]({group['link']})**")
        for item in group["items"]:
            label = _level_label(item.level) if item.level != "info" else ""
            lines.append(f"- {'【' + label + '】' if label else ''}{robot_title(item)}")
        lines.append("")
    return lines


def digest_title(count: int) -> str:
    return _("%(count)s new notifications") % {"count": count}


def robot_request(
    delivery: Delivery, *, now: float | None = None, mentions: Mentions | None = None
) -> RobotRequest:
    """The signed HTTP request for one robot message (or one digest of held ones), in the
    robot's own format, @mentioning the people asked to act."""
    robot = delivery.robot
    now = time.time() if now is None else now
    key = delivery.delivery_key
    mentions = robot_mentions(delivery) if mentions is None else mentions
    with translation.override(settings.LANGUAGE_CODE):
        if delivery.is_digest:
            items = _items(delivery)
            notification = Notification(title=digest_title(len(items)), level="info")
            text = _digest_markdown(items, key, kind=robot.kind, mentions=mentions)
            link = absolute_url("")
        else:
            notification = delivery.notification
            link = absolute_url(notification.url)
            text = _markdown_text(notification, link, key, kind=robot.kind, mentions=mentions)
        title = robot_title(notification)
        if robot.kind == Channel.DINGTALK:
            url = robot.webhook_url
            if robot.secret:
                timestamp = int(now * 1000)
                query = urllib.parse.urlencode(
                    {"timestamp": timestamp, "sign": dingtalk_sign(robot.secret, timestamp)}
                )
                url += ("&" if "?" in url else "?") + query
            payload = {
                "msgtype": "markdown",
                "markdown": {"title": title, "text": text},
                "at": {
                    "atUserIds": list(mentions.user_ids),
                    "atMobiles": list(mentions.mobiles),
                    "isAtAll": False,
                },
            }
        elif robot.kind == Channel.WECOM:
            # The WeCom group robot has no signing scheme: the key in the URL is the only secret.
            url = robot.webhook_url
            # Markdown notifies the <@userid> in its text; the lists are what a text message reads.
            payload = {
                "msgtype": "markdown",
                "markdown": {
                    "content": text,
                    "mentioned_list": list(mentions.user_ids),
                    "mentioned_mobile_list": list(mentions.mobiles),
                },
            }
        elif robot.kind == Channel.FEISHU:
            url = robot.webhook_url
            template = {"overdue": "red", "warning": "orange", "action": "blue"}.get(
                notification.level, "grey"
            )
            elements: list[dict] = []
            if delivery.is_digest:
                elements.append({"tag": "markdown", "content": "\n".join(_digest_lines(_items(delivery)))})
            elif notification.body and not notification.confidential:
                elements.append({"tag": "markdown", "content": notification.body})
            if mentions.line(robot.kind):
                elements.append({"tag": "markdown", "content": mentions.line(robot.kind)})
            elements += [
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": _("Open in Crossdesk")},
                            "url": link,
                            "type": "primary",
                        }
                    ],
                },
                {
                    "tag": "note",
                    "elements": [{"tag": "plain_text", "content": f"{_('Delivery key')}: {key}"}],
                },
            ]
            payload = {
                "msg_type": "interactive",
                "card": {
                    "config": {"wide_screen_mode": True},
                    "header": {
                        "title": {"tag": "plain_text", "content": title},
                        "template": template,
                    },
                    "elements": elements,
                },
            }
            if robot.secret:
                timestamp = int(now)
                payload = {
                    "timestamp": str(timestamp),
                    "sign": feishu_sign(robot.secret, timestamp),
                    **payload,
                }
        else:
            raise PermanentDeliveryError(f"unknown robot kind {robot.kind!r}")
    payload[ROBOT_KEY_FIELD] = key
    return RobotRequest(url=url, payload=payload)


def _check_answer(kind: str, answer: dict) -> None:
    """DingTalk and WeCom answer ``errcode``, Feishu ``code`` (older bots ``StatusCode``); 0 is success."""
    if kind == Channel.FEISHU:
        code = answer.get("code", answer.get("StatusCode", 0))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code = answer.get("errcode", 0)
        message = answer.get("errmsg", "")
    if code not in (0, "0"):
        # Rate limits (DingTalk 130101, WeCom 45009) and signature clock skew pass with time.
        raise TransientDeliveryError(f"{kind} answered code {code}: {message}")


class RobotChannel:
    """Posts a message to a group robot's webhook."""

    def send(self, delivery: Delivery) -> None:
        request = robot_request(delivery)
        body = json.dumps(request.payload, ensure_ascii=False).encode()
        http_request = urllib.request.Request(
            request.url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(http_request, timeout=settings.CROSSDESK_ROBOT_TIMEOUT) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code} from the {delivery.robot.kind} webhook"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentDeliveryError(error) from exc
            raise TransientDeliveryError(error) from exc
        except (OSError, ValueError) as exc:
            raise TransientDeliveryError(f"{delivery.robot.kind} webhook unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError as exc:
            raise TransientDeliveryError(
                f"{delivery.robot.kind} answered something that is not JSON"
            ) from exc
        if isinstance(answer, dict):
            _check_answer(delivery.robot.kind, answer)
