"""Sign-off digests of the final minutes: what a head signed, so a later change to the
meeting, the signed minutes or the materials does not go unnoticed (SPEC §6 audit).

Digests are :func:`crossdesk.core.records.sign` of kind ``meetings.minutes``, so rotating
the secret key (with the old one in ``SECRET_KEY_FALLBACKS``) keeps them valid.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from crossdesk.core.records import sign
from crossdesk.core.records.signing import broken

from .models import Meeting, MeetingDepartment, MeetingMaterial, MinutesVersion

KIND = "meetings.minutes"


def content_digest(content: dict) -> str:
    """A plain digest of a minutes version's content (stored with the version)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signed_content(
    meeting: Meeting,
    minutes: MinutesVersion,
    participation: MeetingDepartment,
    signer_id: int | None,
    signed_at: datetime | None,
    materials: Iterable[MeetingMaterial],
) -> dict[str, Any]:
    """Everything a head's signature covers: the meeting's number, subject, times and place,
    the final minutes (number and a digest of their content), the department, the signer,
    the moment, and the materials (id, name, size)."""
    return {
        "number": meeting.number,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": [meeting.place, meeting.online_platform, meeting.online_meeting_id, meeting.online_link],
        "minutes": minutes.number,
        "content": content_digest(minutes.content),
        "department": participation.department_id,
        "signer": signer_id,
        "signed_at": signed_at,
        "materials": sorted([m.pk, m.name, m.size] for m in materials),
    }


def signature_digest(
    meeting: Meeting,
    minutes: MinutesVersion,
    participation: MeetingDepartment,
    signer_id: int,
    signed_at: datetime,
    materials: Iterable[MeetingMaterial],
) -> str:
    return sign(KIND, signed_content(meeting, minutes, participation, signer_id, signed_at, materials))


def broken_signatures(
    meeting: Meeting,
    minutes: MinutesVersion | None,
    participations: Iterable[MeetingDepartment],
    materials: Iterable[MeetingMaterial],
) -> list[str]:
    """Departments whose sign-off no longer matches the record (changed after signing): the
    one check behind the meeting page and the API."""
    signed = [p for p in participations if p.head_signed_at and p.head_id]
    if minutes is None:
        return [p.department.name for p in signed]
    materials = list(materials)
    return broken(
        (
            p.department.name,
            KIND,
            signed_content(meeting, minutes, p, p.head_id, p.head_signed_at, materials),
            p.head_signature,
        )
        for p in signed
    )
