"""Sign-off digests of the final minutes: what a head signed, so a later change to the
minutes or to the signed version does not go unnoticed (SPEC §6 audit)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings

from crossdesk.core.files import utc_iso

from .models import Meeting, MeetingDepartment, MinutesVersion


def content_digest(content: dict) -> str:
    """A plain digest of a minutes version's content (stored with the version)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signature_digest(
    meeting: Meeting,
    minutes: MinutesVersion,
    participation: MeetingDepartment,
    signer_id: int,
    signed_at: datetime,
) -> str:
    """A keyed digest of what the head signed: the meeting, the final minutes, the department."""
    content = {
        "number": meeting.number,
        "title": meeting.title,
        "starts_at": utc_iso(meeting.starts_at),
        "minutes": minutes.number,
        "content": content_digest(minutes.content),
        "department": participation.department_id,
        "signer": signer_id,
        "signed_at": utc_iso(signed_at),
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hmac.new(settings.SECRET_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def broken_signatures(
    meeting: Meeting, minutes: MinutesVersion | None, participations: Iterable[MeetingDepartment]
) -> list[str]:
    """Departments whose sign-off no longer matches the record (changed after signing)."""
    broken = []
    for participation in participations:
        if not (participation.head_signed_at and participation.head_id):
            continue
        if minutes is None:
            broken.append(participation.department.name)
            continue
        expected = signature_digest(
            meeting, minutes, participation, participation.head_id, participation.head_signed_at
        )
        if not hmac.compare_digest(expected, participation.head_signature):
            broken.append(participation.department.name)
    return broken
