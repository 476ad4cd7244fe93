"""Sign-off digests: what a head signed, so a later change to it does not go unnoticed
(SPEC §6). One ``core.records`` signature of kind "collaboration.request" covers every
signed field of the request and its parts, its attachments and its communication log as
they stood at the moment of signing (entries and files added later through the services
do not break it; an edit, a removal or a back-dated row does)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from crossdesk.core.records import sign, verify

from .choices import EntryKind
from .models import Attachment, Request, RequestPart, TimelineEntry

KIND = "collaboration.request"
# Every field of the paper form a head signs for, and each department's outcome.
REQUEST_FIELDS = [
    "number",
    "title",
    "urgency",
    "type",
    "type_other",
    "initiating_department_id",
    "initiator_id",
    "background",
    "current_situation",
    "expected_outcome",
    "resources_people",
    "resources_budget",
    "resources_material",
    "expected_completion_at",
    "satisfaction",
    "satisfaction_comment",
    "remarks",
]
PART_FIELDS = [
    "id",
    "department_id",
    "role",
    "status",
    "liaison_id",
    "committed_at",
    "resolution",
    "completed_at",
    "responsible_id",
]
LOG_KINDS = (EntryKind.LOG, EntryKind.CORRECTION)


def signed_content(
    request: Request,
    parts: Iterable[RequestPart],
    attachments: Iterable[Attachment],
    entries: Iterable[TimelineEntry],
    *,
    part: RequestPart | None,
    signer_id: int,
    signed_at: datetime,
) -> dict[str, Any]:
    """What one head's signature covers."""
    return {
        "request": {name: getattr(request, name) for name in REQUEST_FIELDS},
        "parts": [
            {name: getattr(p, name) for name in PART_FIELDS} for p in sorted(parts, key=lambda p: p.pk)
        ],
        "attachments": sorted([a.pk, a.name, a.size] for a in attachments if a.uploaded_at <= signed_at),
        "log": sorted(
            [e.pk, e.kind, e.content] for e in entries if e.kind in LOG_KINDS and e.at <= signed_at
        ),
        "part": part.pk if part else None,
        "signer": signer_id,
        "signed_at": signed_at,
    }


def signature_digest(request: Request, parts, attachments, entries, part, signer_id, signed_at) -> str:
    content = signed_content(
        request, parts, attachments, entries, part=part, signer_id=signer_id, signed_at=signed_at
    )
    return sign(KIND, content)


def broken_signatures(
    request: Request,
    parts: list[RequestPart],
    attachments: list[Attachment] | None = None,
    entries: list[TimelineEntry] | None = None,
) -> list[str]:
    """Departments whose sign-off no longer matches the record (changed after signing).
    The page and the API pass what they already loaded; otherwise it is read here."""
    signers: list[tuple[str, RequestPart | None, int | None, datetime | None, str]] = [
        (
            request.initiating_department.name,
            None,
            request.initiator_head_id,
            request.initiator_head_signed_at,
            request.initiator_head_signature,
        )
    ]
    signers += [(p.department.name, p, p.head_id, p.head_signed_at, p.head_signature) for p in parts]
    signed = [s for s in signers if s[2] and s[3]]
    if not signed:
        return []
    if attachments is None:
        attachments = list(request.attachments.all())
    if entries is None:
        entries = list(request.timeline.filter(kind__in=LOG_KINDS))
    return [
        name
        for name, part, signer_id, signed_at, digest in signed
        if not verify(
            KIND,
            signed_content(
                request, parts, attachments, entries, part=part, signer_id=signer_id, signed_at=signed_at
            ),
            digest,
        )
    ]
