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
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

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
                items = [item.notification for item in delivery.digest_items.all()]
                items.sort(key=lambda n: (n.created_at, n.id))
                context = {"items": items, "date": delivery.digest_date, "settings_url": absolute_url("")}
                subject = _("[Crossdesk] Your daily digest: %(count)s notifications") % {"count": len(items)}
                template = "digest"
                for item in items:
                    item.absolute_url = absolute_url(item.url)
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


def _markdown_text(notification: Notification, link: str, key: str, *, wecom: bool) -> str:
    label = _level_label(notification.level)
    heading = f"【{label}】{notification.title}" if notification.level != "info" else notification.title
    if wecom and notification.level in ("warning", "overdue"):
        heading = f'<font color="warning">{heading}</font>'
    lines = [f"#### {heading}", ""]
    if notification.body:
        lines += [notification.body.replace("\n", "\n\n"), ""]
    lines += [f"[{_('Open in Crossdesk')}]({link})", "", f"> {_('Delivery key')}: {key}"]
    return "\n".join(lines)


def robot_request(delivery: Delivery, *, now: float | None = None) -> RobotRequest:
    """The signed HTTP request for one robot message, in the robot's own format."""
    robot, notification = delivery.robot, delivery.notification
    now = time.time() if now is None else now
    link = absolute_url(notification.url)
    key = delivery.delivery_key
    with translation.override(settings.LANGUAGE_CODE):
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
                "markdown": {
                    "title": notification.title,
                    "text": _markdown_text(notification, link, key, wecom=False),
                },
            }
        elif robot.kind == Channel.WECOM:
            # The WeCom group robot has no signing scheme: the key in the URL is the only secret.
            url = robot.webhook_url
            payload = {
                "msgtype": "markdown",
                "markdown": {"content": _markdown_text(notification, link, key, wecom=True)},
            }
        elif robot.kind == Channel.FEISHU:
            url = robot.webhook_url
            template = {"overdue": "red", "warning": "orange", "action": "blue"}.get(
                notification.level, "grey"
            )
            elements: list[dict] = []
            if notification.body:
                elements.append({"tag": "markdown", "content": notification.body})
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
                        "title": {"tag": "plain_text", "content": notification.title},
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
