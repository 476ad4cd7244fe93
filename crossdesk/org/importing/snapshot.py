"""What the database holds, read once before validation in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from ..models import Department, Membership, Person

PERSON_FIELDS = ("name", "title", "phone", "email", "dingtalk_id", "wecom_id", "feishu_id", "is_active")


@dataclass
class DepartmentState:
    id: int
    code: str
    name: str
    parent_id: int | None
    head_id: int | None
    default_liaison_id: int | None
    sort_order: int
    is_active: bool


@dataclass
class PersonState:
    id: int
    employee_no: str
    name: str
    title: str
    phone: str
    email: str
    dingtalk_id: str
    wecom_id: str
    feishu_id: str
    is_active: bool
    user_id: int | None


@dataclass
class Snapshot:
    """The organisation as it stands, read in a fixed number of queries."""

    departments: dict[str, DepartmentState] = field(default_factory=dict)
    department_codes: dict[int, str] = field(default_factory=dict)
    supervisors: dict[int, list[int]] = field(default_factory=dict)
    people: dict[str, PersonState] = field(default_factory=dict)
    person_nos: dict[int, str] = field(default_factory=dict)
    memberships: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    user_person: dict[int, int] = field(default_factory=dict)


def load_snapshot() -> Snapshot:
    """Read departments, people, supervisors, memberships and login names (6 queries)."""
    snap = Snapshot()
    for values in Department.objects.values_list(
        "id", "code", "name", "parent_id", "head_id", "default_liaison_id", "sort_order", "is_active"
    ):
        state = DepartmentState(*values)
        snap.departments[state.code] = state
        snap.department_codes[state.id] = state.code
    for department_id, person_id in Department.supervisors.through.objects.values_list(
        "department_id", "person_id"
    ).order_by("id"):
        snap.supervisors.setdefault(department_id, []).append(person_id)
    for values in Person.objects.values_list("id", "employee_no", *PERSON_FIELDS, "user_id"):
        state = PersonState(*values)
        snap.people[state.employee_no] = state
        snap.person_nos[state.id] = state.employee_no
        if state.user_id:
            snap.user_person[state.user_id] = state.id
    for person_id, department_id, is_primary in Membership.objects.values_list(
        "person_id", "department_id", "is_primary"
    ).order_by("person_id", "-is_primary", "id"):
        snap.memberships.setdefault(person_id, []).append((department_id, is_primary))
    snap.users = {username: pk for pk, username in get_user_model().objects.values_list("id", "username")}
    return snap
