"""Files an e-mail carries besides its text, given by the app whose event it tells about
(a meeting notice carries the meeting's calendar invitation), so notify never imports it.

An app registers in its ``AppConfig.ready()``: ``register_mail_attachment(event, provider)``;
``provider(notification)`` returns a ``MailAttachment`` or None (nothing to attach any
more). The provider runs when the e-mail is built, so the file is the record as it
stands when the message leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from .models import Notification


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content: str
    # The text subtype ("calendar" for text/calendar) and its parameters (e.g. method).
    subtype: str
    params: tuple[tuple[str, str], ...] = ()

    def mime_part(self) -> MIMEBase:
        part = MIMEText(self.content, self.subtype, "utf-8")
        for name, value in self.params:
            part.set_param(name, value)
        part.add_header("Content-Disposition", "attachment", filename=self.filename)
        return part


PROVIDERS: dict[str, Callable[[Notification], MailAttachment | None]] = {}


def register_mail_attachment(event: str, provider: Callable[[Notification], MailAttachment | None]) -> None:
    PROVIDERS[event] = provider


def attachments_for(notifications: Iterable[Notification]) -> list[MailAttachment]:
    """The files of these notifications' e-mail, each once (a digest may tell the same
    meeting's notice and its update)."""
    found: dict[str, MailAttachment] = {}
    for notification in notifications:
        provider = PROVIDERS.get(notification.event)
        attachment = provider(notification) if provider is not None else None
        if attachment is not None:
            found[attachment.filename] = attachment
    return list(found.values())
