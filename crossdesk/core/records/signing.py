"""Sign-off digests (SPEC §6: sign-offs cannot be altered unnoticed afterwards).

A record type signs a canonical JSON of what its signature covers, keyed with
``salted_hmac`` and a salt of its own kind, so a digest of one kind never verifies as
another. :func:`verify` also accepts digests made with a key in ``SECRET_KEY_FALLBACKS``,
so rotating the secret key does not mark every old signature as tampered.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac


def _canonical_value(value: Any) -> Any:
    # Moments in UTC: the same whether built in Asia/Shanghai or read back from the database.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    return value


def canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(_canonical_value(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _salt(kind: str) -> str:
    return f"crossdesk.records.signature.{kind}"


def sign(kind: str, content: Mapping[str, Any]) -> str:
    """The digest of ``content`` for a sign-off of ``kind`` (e.g. "collaboration.request")."""
    return salted_hmac(_salt(kind), canonical(content), algorithm="sha256").hexdigest()


def verify(kind: str, content: Mapping[str, Any], digest: str) -> bool:
    """Whether ``digest`` is the signature of ``content``, with the current key or a fallback."""
    if not digest:
        return False
    text = canonical(content)
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        expected = salted_hmac(_salt(kind), text, secret=secret, algorithm="sha256").hexdigest()
        if hmac.compare_digest(expected, digest):
            return True
    return False


def broken(checks: Iterable[tuple[str, str, Mapping[str, Any], str]]) -> list[str]:
    """The labels of sign-offs that no longer match: each check is
    ``(label, kind, content, digest)``."""
    return [label for label, kind, content, digest in checks if not verify(kind, content, digest)]
