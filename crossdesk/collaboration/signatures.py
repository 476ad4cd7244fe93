"""Sign-off digests: what a head signed, so a later change to it does not go unnoticed."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings

from crossdesk.core.files import utc_iso

from .models import Request, RequestPart


def signature_digest(
    request: Request,
    parts: Iterable[RequestPart],
    part: RequestPart | None,
    signer_id: int,
    signed_at: datetime,
) -> str:
    """A keyed digest of the signed content: description, rating, each part's outcome."""
    content = {
        "number": request.number,
        "title": request.title,
        "description": [request.background, request.current_situation, request.expected_outcome],
        "satisfaction": request.satisfaction,
        "parts": [
            [
                p.department_id,
                p.status,
                p.resolution,
                p.responsible_id,
                utc_iso(p.completed_at),
            ]
            for p in sorted(parts, key=lambda p: p.pk)
        ],
        "part": part.pk if part else None,
        "signer": signer_id,
        "signed_at": utc_iso(signed_at),
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hmac.new(settings.SECRET_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def broken_signatures(request: Request, parts: list[RequestPart]) -> list[str]:
    """Departments whose sign-off no longer matches the record (changed after signing)."""
    broken = []
    if request.initiator_head_signed_at and request.initiator_head_id:
        expected = signature_digest(
            request, parts, None, request.initiator_head_id, request.initiator_head_signed_at
        )
        if not hmac.compare_digest(expected, request.initiator_head_signature):
            broken.append(request.initiating_department.name)
    for part in parts:
        if part.head_signed_at and part.head_id:
            expected = signature_digest(request, parts, part, part.head_id, part.head_signed_at)
            if not hmac.compare_digest(expected, part.head_signature):
                broken.append(part.department.name)
    return broken
