"""The archive package (SPEC §6, [000] "电子档存共享文件夹"): an archived record as one
``.zip`` for the shared folder — its printed form, its attachments, the record and its
history as JSON, the sign-off digests, and a manifest with each file's SHA-256 so a copy
on a file share can be checked without the application.

Each record app gathers its own rows and sign-offs and calls :func:`build_package`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import TransitionError
from ..printing import content_disposition

ZIP_CONTENT_TYPE = "application/zip"
# The OpenAPI description of an endpoint that answers an archive package.
ZIP_OPENAPI = {
    "responses": {
        "200": {
            "description": "The archive package (.zip)",
            "content": {ZIP_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@dataclass(frozen=True)
class SignOff:
    """One sign-off as the package lists it: who signed for what, when, its digest and
    whether it still matches the record (``signing.verify`` via the app's check)."""

    signed_for: str
    signer: str
    signer_id: int | None
    signed_at: Any
    digest: str
    valid: bool


def rows_as_data(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    """Model rows as plain data (model, pk, every field), the way Django's fixtures write them."""
    return serializers.serialize("python", rows)


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).ext`` when a file of that name is already in the package."""
    path = PurePath(PurePath(name).name or "file")
    candidate, n = str(path), 1
    while candidate in taken:
        n += 1
        candidate = f"{path.stem} ({n}){path.suffix}"
    taken.add(candidate)
    return candidate


def build_package(
    *,
    folder: str,
    printed: Sequence[tuple[str, bytes]],
    record: dict[str, Any],
    history: Sequence[dict[str, Any]],
    documents: Iterable[Any],
    sign_offs: Sequence[SignOff],
) -> bytes:
    """The zip: ``<folder>/`` the printed documents (``name, bytes``), ``attachments/…``,
    ``record.json``, ``signatures.json`` and ``manifest.json``. ``documents`` are
    ``StoredDocument`` rows; one whose file is gone is listed in the manifest as missing,
    not silently dropped."""
    files: list[tuple[str, bytes]] = list(printed)
    missing: list[str] = []
    taken: set[str] = set()
    for document in documents:
        name = f"attachments/{_unique(document.name, taken)}"
        try:
            with document.file.open("rb") as handle:
                files.append((name, handle.read()))
        except FileNotFoundError:
            missing.append(name)
    files.append(("record.json", _json({"record": record, "history": list(history)})))
    files.append(
        (
            "signatures.json",
            _json([s.__dict__ for s in sign_offs]),
        )
    )
    manifest = {
        "folder": folder,
        "made_at": timezone.localtime(),
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files
        ],
        "missing": missing,
    }
    files.append(("manifest.json", _json(manifest)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(f"{folder}/{name}", data)
    return buffer.getvalue()


def package_response(folder: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=ZIP_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{folder}.zip")
    return response


def package_download(request: HttpRequest, make: Callable[[], tuple[str, bytes]]) -> HttpResponse:
    """The package page's answer: the zip, or a 409 page saying the record is not archived."""
    try:
        folder, content = make()
    except TransitionError as exc:
        context = {"status": 409, "heading": _("Not archived yet"), "explanation": exc.message}
        return render(request, "error.html", context, status=409)
    return package_response(folder, content)


def printed_record_views(
    page_of: Callable[[HttpRequest, Any], Any],
    form_of: Callable[[Any], Any],
    package_of: Callable[[Any], tuple[str, bytes]],
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """A record type's print view, PDF and archive package views, from how it reads its page
    for the viewer (``page_of``: a 404 when they may not see it), the printed form of a page
    and the package of a page (409 before the record is archived)."""
    from django.views.decorators.http import require_GET

    from ..printing import pdf_response, print_response
    from .views import html_errors

    @require_GET
    @html_errors
    def print_view(request: HttpRequest, pk: Any) -> HttpResponse:
        return print_response(request, form_of(page_of(request, pk)))

    @require_GET
    @html_errors
    def pdf_view(request: HttpRequest, pk: Any) -> HttpResponse:
        return pdf_response(request, form_of(page_of(request, pk)))

    @require_GET
    @html_errors
    def package_view(request: HttpRequest, pk: Any) -> HttpResponse:
        page = page_of(request, pk)
        return package_download(request, lambda: package_of(page))

    return print_view, pdf_view, package_view
