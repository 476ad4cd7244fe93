"""Row locks and optimistic versions (CONVENTIONS habit 3): a write locks its record,
refuses one based on an old copy with a 409, and grows the version."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.errors import ConflictError, NotFoundError

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this since you opened it. Reload the page to see their change."
)


def stale(message: Any = None, *, field: str = "version") -> ConflictError:
    return ConflictError(str(message or STALE_MESSAGE), field=field)


def check_version(row: models.Model, version: Any, *, field: str = "version", message: Any = None) -> None:
    """Refuse a write based on an old copy (``None`` skips the check)."""
    if version is None or version == "":
        return
    try:
        expected = int(version)
    except (TypeError, ValueError) as exc:
        raise stale(message, field=field) from exc
    if expected != getattr(row, field):
        raise stale(message, field=field)


def locked(
    model: type[M] | models.QuerySet,
    pk: Any,
    version: Any = None,
    *,
    related: Iterable[str] = (),
    not_found: Any = None,
    stale_message: Any = None,
    seen: Callable[[Any], bool] | None = None,
) -> M:
    """The row, locked for the caller's transaction (only its own table, so joined rows
    stay free), after checking ``version``; 404 when there is no such row.

    ``seen(row)`` says whether the person acting may see the row: when not, the answer is
    the same 404 as for a missing row, before the version or any rule is looked at, so a
    write never tells a stranger that the record exists (issue 16 §1)."""
    query = cast(Any, model).objects.all() if isinstance(model, type) else model
    related = tuple(related)
    if related:
        query = query.select_related(*related)
    try:
        row = query.select_for_update(of=("self",)).get(pk=int(pk))
    except (query.model.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise NotFoundError(str(not_found or _("No such record."))) from exc
    if seen is not None and not seen(row):
        raise NotFoundError(str(not_found or _("No such record.")))
    check_version(row, version, message=stale_message)
    return row


def bump(row: models.Model, *fields: str) -> None:
    """Save ``fields`` and grow the row's version (and ``updated_at`` when it has one)."""
    row.version += 1  # type: ignore[attr-defined]
    names = {f.name for f in row._meta.concrete_fields}
    extra = ["updated_at"] if "updated_at" in names else []
    row.save(update_fields=list(dict.fromkeys([*fields, "version", *extra])))
