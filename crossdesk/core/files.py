"""Uploaded documents and retention, shared by every kind of record."""

from __future__ import annotations

import mimetypes
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .errors import ApplicationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_UPLOAD_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".csv",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".rar", ".7z",
})  # fmt: skip
# Files a browser may show inline; anything else downloads.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
RETENTION_YEARS = 2  # SPEC §6: archived records are kept at least two years


def checked_upload_name(upload: UploadedFile, field: str = "file") -> str:
    """The upload's bare file name, once its type and size are allowed; else a 400 naming ``field``."""
    name = PurePath(upload.name or "file").name[:255]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_SUFFIXES:
        raise ApplicationError(
            _("Files of type %(suffix)s cannot be attached. Allowed: %(allowed)s.")
            % {"suffix": suffix or "?", "allowed": " ".join(sorted(ALLOWED_UPLOAD_SUFFIXES))},
            field=field,
        )
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, field=field
        )
    return name


def file_response(document, *, inline: bool = False) -> FileResponse:
    """A stored document (``StoredDocument``) as a download, or shown in the browser when
    ``inline`` and its type is one a browser shows safely; 404 when the file is gone. The
    type comes from the name, never from what the uploader's browser claimed."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(document.name)[0] or "application/octet-stream"
    return FileResponse(
        handle,
        as_attachment=not (inline and content_type in INLINE_TYPES),
        filename=document.name,
        content_type=content_type,
    )


def upload_content_type(upload: UploadedFile) -> str:
    return (upload.content_type or "application/octet-stream")[:100]


def utc_iso(moment: datetime | None) -> str | None:
    """A moment as UTC ISO text: the same whether it was built in Asia/Shanghai or read back
    from the database in UTC (digests of signed records must not depend on that)."""
    return moment.astimezone(UTC).isoformat() if moment else None


def years_later(day: date, years: int = RETENTION_YEARS) -> date:
    """The same calendar day ``years`` later; 1 March for a 29 February, so a record is
    kept at least that long."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)
