"""Where record apps plug into pages they do not own, so ``core`` and the other apps never
import them: work items for the workbench, panels on another record's page, and
related-record lookups.

Each app registers its providers in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q


@dataclass
class WorkItem:
    """One thing waiting for a person: shown on the workbench and by its API."""

    kind: str
    title: str
    url: str
    due_at: datetime | None = None
    overdue: bool = False
    label: str = ""
    number: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class WorkSection:
    """One app's part of the workbench: rendered with ``template`` and ``context``;
    ``items`` and ``overdue`` feed the counters and the API."""

    name: str
    template: str
    items: list = field(default_factory=list)
    overdue: int = 0
    order: int = 100
    context: dict = field(default_factory=dict)
    # The same things as uniform work items, for ``GET /api/v1/workbench``; by default the
    # items themselves when the app already keeps them as ``WorkItem``.
    work: list[WorkItem] | None = None

    def work_items(self) -> list[WorkItem]:
        if self.work is not None:
            return self.work
        return [item for item in self.items if isinstance(item, WorkItem)]


@dataclass
class WorkList:
    """One app's list on a workbench board other than "waiting for me": what I raised and
    where it stands ("raised"), or for heads and supervisors their departments' overdue and
    escalated records ("departments"). ``total`` counts them all, ``items`` are the first
    few and ``more_url`` the list page with the same filters, showing every one."""

    name: str
    title: str
    items: list[WorkItem]
    total: int
    more_url: str = ""
    order: int = 100


BOARDS = ("raised", "departments")


# provider(user, roles) -> WorkSection (or None when the app has nothing for this person)
WorkProvider = Callable[[Any, Any], "WorkSection | None"]

_work_providers: dict[str, WorkProvider] = {}
# provider(user, roles) -> list[WorkList]
_list_providers: dict[str, dict[str, Callable[[Any, Any], list[WorkList]]]] = {}
_panels: dict[str, dict[str, Callable[..., Any]]] = {}
_request_hooks: dict[str, Callable[[Any], None]] = {}
_visibility: dict[str, Callable[[Any], Any]] = {}


def register_work(name: str, provider: WorkProvider) -> None:
    _work_providers[name] = provider


def work_providers() -> dict[str, WorkProvider]:
    return dict(_work_providers)


def register_work_lists(board: str, name: str, provider: Callable[[Any, Any], list[WorkList]]) -> None:
    """``provider(user, roles)`` gives the app's lists on ``board`` (one of ``BOARDS``)."""
    if board not in BOARDS:
        raise ValueError(f"unknown workbench board {board!r}")
    _list_providers.setdefault(board, {})[name] = provider


def work_list_providers(board: str) -> dict[str, Callable[[Any, Any], list[WorkList]]]:
    return dict(_list_providers.get(board, {}))


def register_panel(host: str, name: str, provider: Callable[..., Any]) -> None:
    """``provider(**context)`` adds a section to ``host``'s page (e.g. the action items of
    a request, registered by meetings on "collaboration.request")."""
    _panels.setdefault(host, {})[name] = provider


def panels(host: str) -> dict[str, Callable[..., Any]]:
    return dict(_panels.get(host, {}))


def register_request_hook(name: str, hook: Callable[[Any], None]) -> None:
    """``hook(request)`` runs at the start of every web request, before the view (e.g. org
    remembering the signed-in user's roles for the request), so core need not import the app."""
    _request_hooks[name] = hook


def request_hooks() -> list[Callable[[Any], None]]:
    return list(_request_hooks.values())


def register_visibility(object_type: str, visible: Callable[[Any], Any]) -> None:
    """``visible(user)`` returns the queryset of ``object_type``'s rows (``"app_label.model"``)
    that ``user`` may see: the owning app's selector, so e.g. the audit trail shows a
    record's history to exactly those who may open the record."""
    _visibility[object_type] = visible


def visible_rows(object_type: str, user: Any) -> Any:
    """The queryset of ``object_type``'s rows ``user`` may see, or None for a type no app
    registered (e.g. search asks it for each hit's type)."""
    visible = _visibility.get(object_type)
    return None if visible is None else visible(user)


def may_see(object_type: str, user: Any, pk: Any) -> bool:
    """Whether ``user`` may see row ``pk`` of ``object_type``; False for a type no app registered."""
    visible = _visibility.get(object_type)
    return visible is not None and visible(user).filter(pk=pk).exists()


# matcher(object_type, text) -> the ids of that type's rows whose indexed text has every
# word of ``text`` (a subquery), or None when the text has no word to look for.
_text_matcher: Callable[[str, str], Any] | None = None


def register_text_matcher(matcher: Callable[[str, str], Any]) -> None:
    """The search app's index answers the lists' text filters (``q``), so that a list
    finds what the search box finds: any word order, Chinese segmented."""
    global _text_matcher
    _text_matcher = matcher


def or_indexed(found: Q, object_type: str, text: str) -> Q:
    """A list's text filter ``found`` widened to the rows the search index finds for ``text``
    (see :func:`register_text_matcher`); ``found`` alone without an index or a word."""
    indexed = None if _text_matcher is None else _text_matcher(object_type, text)
    return found if indexed is None else found | Q(pk__in=indexed)
