"""What the request pages share: the error mapping and a few reads for display."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from crossdesk.core.errors import NotFoundError, PermissionDeniedError
from crossdesk.deadlines.choices import ClockState
from crossdesk.deadlines.models import Clock
from crossdesk.org.models import Membership, Person


def html_errors(view):
    """Map the services' refusals to Django's 403 and 404 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFoundError as exc:
            raise Http404(exc.message) from exc

    return wrapper


def next_clock(clocks: Iterable[Clock], scope: str | None = None) -> Clock | None:
    """The deadline to show: the earliest running or overdue one (of ``scope`` when given),
    else a paused one."""
    chosen = [c for c in clocks if scope is None or c.scope == scope]
    running = [c for c in chosen if c.state != ClockState.PAUSED]
    return (running or chosen or [None])[0]


def primary_department_id(person: Person | None) -> int | None:
    if person is None:
        return None
    return (
        Membership.objects.filter(person=person)
        .order_by("-is_primary", "id")
        .values_list("department_id", flat=True)
        .first()
    )


def members_by_department(department_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Active members of these departments as (id, name) choices, in one query."""
    ids = set(department_ids)
    if not ids:
        return {}
    rows = (
        Membership.objects.filter(department_id__in=ids, person__is_active=True)
        .order_by("person__employee_no")
        .values_list("department_id", "person_id", "person__name", "person__title")
    )
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for department_id, person_id, name, title in rows:
        members[department_id].append((person_id, f"{name}（{title}）" if title else name))
    return members
