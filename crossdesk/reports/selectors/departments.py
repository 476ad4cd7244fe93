"""The department tree as the figures roll it up, and whose figures a viewer may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from crossdesk.core.errors import NotFoundError
from crossdesk.org.models import Department
from crossdesk.org.selectors import Roles


@dataclass(frozen=True)
class DepartmentNode:
    id: int
    code: str
    name: str
    parent_id: int | None
    sort_order: int
    depth: int
    subtree: frozenset[int]


def department_nodes() -> dict[int, DepartmentNode]:
    """Every active department with its depth and its sub-departments (one query)."""
    rows = list(
        Department.objects.filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("id", "code", "name", "parent_id", "sort_order")
    )
    known = {pk for pk, *_ in rows}
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, _code, _name, parent, _order in rows:
        children[parent if parent in known else None].append(pk)

    def below(root: int) -> frozenset[int]:
        found: set[int] = set()
        stack = [root]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return frozenset(found)

    parents = {pk: (parent if parent in known else None) for pk, _c, _n, parent, _o in rows}

    def depth(pk: int) -> int:
        level, seen, current = 0, {pk}, parents[pk]
        while current is not None and current not in seen:
            seen.add(current)
            level, current = level + 1, parents[current]
        return level

    return {
        pk: DepartmentNode(pk, code, name, parents[pk], order, depth(pk), below(pk))
        for pk, code, name, _parent, order in rows
    }


def visible_department_ids(roles: Roles, nodes: dict[int, DepartmentNode]) -> set[int]:
    """The departments whose figures the viewer may see (issue 12 §2): the ones they
    belong to; the ones they head or supervise, with everything below them; all of them
    for administrators (the general manager heads the top department, so sees all)."""
    if roles.is_admin:
        return set(nodes)
    seen = {pk for pk in roles.member_of if pk in nodes}
    for pk in roles.head_of | roles.supervises:
        if pk in nodes:
            seen |= nodes[pk].subtree
    return seen


def may_see_reports(roles: Roles) -> bool:
    return roles.is_admin or bool(roles.member_of or roles.head_of or roles.supervises)


def department_for_viewer(*, roles: Roles, code: str, nodes: dict[int, DepartmentNode]) -> DepartmentNode:
    """The department with this code, or 404 when there is none or the viewer may not see
    its figures (a department's existence is no secret, its figures are)."""
    node = next((n for n in nodes.values() if n.code == code), None)
    if node is None or node.id not in visible_department_ids(roles, nodes):
        raise NotFoundError(_("No such department, or its figures are not yours to see."))
    return node
