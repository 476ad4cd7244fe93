"""The 部门资源确认函 [004]: reading what a department writes into its letter, writing a
version, and what its head's signature covers. The services (``part_accept``,
``part_decline``, ``letter_revise``, ``letter_sign``) call these inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.records import sign, verify
from crossdesk.core.records.inputs import a_date, a_decimal, an_int, text
from crossdesk.org.models import Person

from .models import Request, RequestPart, ResourceLetter

KIND = "collaboration.letter"
MAX_MILESTONES = 20
# What an accepting department may write into its letter, besides its liaison.
ACCEPT_FIELDS = (
    "liaison_contact",
    "liaison_duties",
    "people_names",
    "people_count",
    "budget",
    "material",
    "resources_from",
    "resources_to",
    "milestones",
    "risks",
)
# What the head's signature covers: the letter's identity, its decision and liaison, what
# was committed (in ACCEPT_FIELDS' order), a decline's reasons and the revision's author.
SIGNED_FIELDS = (
    "id",
    "request_id",
    "part_id",
    "version",
    "decision",
    "liaison_id",
    *ACCEPT_FIELDS,
    "decline_reason",
    "alternative",
    "change_reason",
    "author_id",
    "created_at",
)


def parse_milestones(value: Any) -> list[dict[str, str]]:
    """First milestones as ``[{"date": "2026-12-10", "title": "…"}]``, from the API's list or
    the form's lines ("2026-12-10 需求评审"); a 400 on ``milestones`` names the bad one."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        rows: list[Any] = []
        for line in value.splitlines():
            line = line.strip()
            if not line:
                continue
            when, _sep, title = line.replace("\u3000", " ").partition(" ")
            rows.append({"date": when, "title": title})
    elif isinstance(value, list | tuple):
        rows = list(value)
    else:
        raise ApplicationError(_("Give the milestones as a list."), field="milestones")
    if len(rows) > MAX_MILESTONES:
        raise ApplicationError(_("At most %(n)d milestones.") % {"n": MAX_MILESTONES}, field="milestones")
    milestones = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            row = {"date": getattr(row, "date", None), "title": getattr(row, "title", None)}
        title = text(row.get("title"), "milestones", 200)
        try:
            when = a_date(row.get("date"), "milestones", required=True)
        except ApplicationError as exc:
            raise ApplicationError(
                _("Milestone %(n)d: enter its date like 2026-10-12, then what is reached.") % {"n": number},
                field="milestones",
            ) from exc
        if not title:
            raise ApplicationError(
                _("Milestone %(n)d: say what is reached on %(date)s.") % {"n": number, "date": when},
                field="milestones",
            )
        milestones.append({"date": when.isoformat(), "title": title})
    return sorted(milestones, key=lambda m: m["date"])


def accept_content(data: dict[str, Any], liaison: Person) -> dict[str, Any]:
    """The accepting letter's fields, checked; a 400 names the first bad one."""
    unknown = set(data) - set(ACCEPT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=sorted(unknown)[0])
    budget = a_decimal(data.get("budget"), "budget")
    if budget is not None and budget < 0:
        raise ApplicationError(_("The budget cannot be negative."), field="budget")
    start = a_date(data.get("resources_from"), "resources_from")
    end = a_date(data.get("resources_to"), "resources_to")
    if start and end and end < start:
        raise ApplicationError(_("The resources end before they start."), field="resources_to")
    return {
        "decision": ResourceLetter.Decision.ACCEPT,
        "liaison": liaison,
        # The liaison's contact defaults to their internal number (内部通讯号).
        "liaison_contact": text(data.get("liaison_contact"), "liaison_contact", 100)
        or (getattr(liaison, "phone", "") or ""),
        "liaison_duties": text(data.get("liaison_duties"), "liaison_duties", 2000),
        "people_names": text(data.get("people_names"), "people_names", 500),
        "people_count": an_int(data.get("people_count"), "people_count", minimum=0, maximum=10000),
        "budget": budget,
        "material": text(data.get("material"), "material", 500),
        "resources_from": start,
        "resources_to": end,
        "milestones": parse_milestones(data.get("milestones")),
        "risks": text(data.get("risks"), "risks", 5000),
    }


def letter_write(
    request: Request, part: RequestPart, content: dict[str, Any], *, author: Person, change_reason: str = ""
) -> ResourceLetter:
    """Write the part's next letter version (the part's row is saved by the caller's bump)."""
    letter = ResourceLetter.objects.create(
        request=request,
        part=part,
        version=part.letter_version + 1,
        author=author,
        created_at=timezone.now(),
        change_reason=change_reason,
        **content,
    )
    part.letter_version, part.letter_signed = letter.version, False
    part.save(update_fields=["letter_version", "letter_signed"])
    return letter


def signed_content(letter: ResourceLetter, *, signer_id: int, signed_at: datetime) -> dict[str, Any]:
    """What the head's signature of one letter version covers."""
    return {
        "letter": {name: getattr(letter, name) for name in SIGNED_FIELDS},
        "signer": signer_id,
        "signed_at": signed_at,
    }


def letter_digest(letter: ResourceLetter, *, signer_id: int, signed_at: datetime) -> str:
    return sign(KIND, signed_content(letter, signer_id=signer_id, signed_at=signed_at))


def letter_signature_valid(letter: ResourceLetter) -> bool | None:
    """Whether the sign-off still matches the letter (None before it is signed)."""
    if not letter.head_signed_at or letter.head_id is None:
        return None
    return verify(
        KIND,
        signed_content(letter, signer_id=letter.head_id, signed_at=letter.head_signed_at),
        letter.head_signature,
    )
