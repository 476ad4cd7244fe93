"""What the knowledge base adds to pages of other apps (registered in ``KnowledgeConfig.ready()``):
the "publish to the knowledge base" link on a confirmed request's page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from crossdesk.org.selectors import Roles

from .models import SourceType
from .selectors import PUBLISHABLE_REQUEST, entry_for_source, may_publish_request


def request_publish_link(*, page: Any, roles: Roles, **context: Any) -> dict[str, Any] | None:
    """For a confirmed (signed, archived) request: to the people of a receiving department
    that resolved it, the link to publish it; once published, the entry to everyone who sees it."""
    request = page.request
    if request.status not in PUBLISHABLE_REQUEST:
        return None
    entry = entry_for_source(SourceType.REQUEST, request.pk)
    if entry is None and not may_publish_request(roles, page):
        return None
    publish_url = (
        reverse("knowledge:publish")
        + "?"
        + urlencode({"source_type": SourceType.REQUEST.value, "source_id": request.pk})
    )
    return {
        "template": "knowledge/_request_panel.html",
        "context": {"entry": entry, "publish_url": publish_url},
    }
