"""Reads of the organisation. Roles (SPEC §1) are derived here from department rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Department, Membership, Person


@dataclass(frozen=True)
class Roles:
    """What a user is in the organisation, derived from departments and memberships."""

    person: Person | None
    is_admin: bool = False
    member_of: frozenset[int] = field(default_factory=frozenset)
    head_of: frozenset[int] = field(default_factory=frozenset)
    liaison_of: frozenset[int] = field(default_factory=frozenset)
    supervises: frozenset[int] = field(default_factory=frozenset)
    department_names: dict[int, str] = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.member_of)

    @property
    def is_head(self) -> bool:
        return bool(self.head_of)

    @property
    def is_liaison(self) -> bool:
        return bool(self.liaison_of)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervises)

    def _names(self, ids: frozenset[int]) -> list[str]:
        return sorted(self.department_names[i] for i in ids if i in self.department_names)

    @property
    def described(self) -> list[tuple[str, list[str]]]:
        """Role labels with the departments each applies to, for display."""
        rows: list[tuple[str, list[str]]] = []
        if self.member_of:
            rows.append((str(_("Staff")), self._names(self.member_of)))
        if self.liaison_of:
            rows.append((str(_("Liaison")), self._names(self.liaison_of)))
        if self.head_of:
            rows.append((str(_("Department head")), self._names(self.head_of)))
        if self.supervises:
            rows.append((str(_("Supervisor")), self._names(self.supervises)))
        if self.is_admin:
            rows.append((str(_("Administrator")), []))
        return rows


def roles_for(user) -> Roles:
    """The roles of ``user``: staff, liaison, head, supervisor, administrator."""
    if user is None or not user.is_authenticated:
        return Roles(person=None)
    is_admin = bool(user.is_staff or user.is_superuser)
    person = Person.objects.filter(user=user, is_active=True).first()
    if person is None:
        return Roles(person=None, is_admin=is_admin)
    member_of = set(Membership.objects.filter(person=person).values_list("department_id", flat=True))
    departments = Department.objects.filter(is_active=True).values_list(
        "id", "name", "head_id", "default_liaison_id"
    )
    head_of, liaison_of, names = set(), set(), {}
    related_ids = set(member_of)
    supervises = set(person.supervised_departments.values_list("id", flat=True))
    related_ids |= supervises
    for dept_id, name, head_id, liaison_id in departments.filter(
        Q(id__in=related_ids) | Q(head=person) | Q(default_liaison=person)
    ):
        names[dept_id] = name
        if head_id == person.id:
            head_of.add(dept_id)
        if liaison_id == person.id:
            liaison_of.add(dept_id)
    return Roles(
        person=person,
        is_admin=is_admin,
        member_of=frozenset(member_of),
        head_of=frozenset(head_of),
        liaison_of=frozenset(liaison_of),
        supervises=frozenset(supervises),
        department_names=names,
    )


def department_tree() -> list[dict]:
    """All active departments as a nested list, each with head, liaison and member count.

    Three queries whatever the size of the company.
    """
    departments = list(
        Department.objects.filter(is_active=True)
        .select_related("head", "default_liaison")
        .prefetch_related(Prefetch("supervisors", queryset=Person.objects.only("id", "name")))
        .annotate(member_count=Count("memberships"))
        .order_by("sort_order", "code")
    )
    nodes = {d.id: {"department": d, "children": []} for d in departments}
    roots = []
    for d in departments:
        parent = nodes.get(d.parent_id)
        (parent["children"] if parent else roots).append(nodes[d.id])
    return roots


def department_get(*, code: str) -> Department:
    return Department.objects.select_related("head", "default_liaison", "parent").get(code=code)


def department_members(*, department: Department) -> QuerySet[Person]:
    return (
        Person.objects.filter(memberships__department=department, is_active=True)
        .select_related("user")
        .order_by("employee_no")
    )


def person_list(*, query: str = "", department_code: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("department"))
    )
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(employee_no__icontains=query) | Q(email__icontains=query)
        )
    if department_code:
        people = people.filter(memberships__department__code=department_code)
    return people.order_by("employee_no")
