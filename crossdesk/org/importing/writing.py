"""Applying a validated plan with bulk statements. The caller wraps this in ONE
transaction, so a failure part-way leaves the organisation as it was.

Only rows that actually change are written: re-importing an unchanged export writes
nothing. Order matters because the tables point at each other: departments are created
first (without parent/head/liaison), then login accounts and people, then the department
references, supervisors and memberships.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from ..models import Department, Membership, Person
from .bulk import insert_rows, update_rows
from .snapshot import PERSON_FIELDS, Snapshot
from .validating import Plan

# Keeps IN (...) lists under SQLite's limit on query parameters.
ID_CHUNK = 500
DEPARTMENT_FIELDS = ("name", "sort_order", "is_active", "parent_id", "head_id", "default_liaison_id")


@dataclass
class Counts:
    departments_created: int = 0
    departments_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    unchanged: int = 0


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _delete_in(queryset, field: str, ids: Iterable[int]) -> None:
    for chunk in _chunks(list(ids), ID_CHUNK):
        queryset.filter(**{f"{field}__in": chunk}).delete()


def unusable_password() -> str:
    """What ``set_unusable_password`` stores, without make_password's per-character
    random.choice (a second for 20,000 new accounts)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def write(plan: Plan, snap: Snapshot) -> Counts:
    """Write the plan; return how many departments and people were created or changed."""
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    counts = Counts()
    changed_departments: set[str] = set()
    changed_people: set[str] = set()
    User = get_user_model()

    # 1. New departments, so people can join them and departments can point at them.
    new_departments = [
        Department(
            code=d.code,
            name=d.values["name"],
            sort_order=d.values.get("sort_order", 0),
            is_active=d.values.get("is_active", True),
        )
        for d in plan.departments
        if d.code not in snap.departments
    ]
    Department.objects.bulk_create(new_departments)
    department_ids = {code: state.id for code, state in snap.departments.items()}
    department_ids.update({d.code: d.id for d in new_departments})
    counts.departments_created = len(new_departments)

    # 2. Login accounts for people who have none: username = employee number and an
    #    unusable password (an administrator sets one, or single sign-on logs them in).
    user_ids: dict[str, int] = {}
    new_users = []
    for p in plan.people:
        state = snap.people.get(p.employee_no)
        if state is not None and state.user_id:
            continue
        if p.employee_no in snap.users:  # an account of that name exists and is free
            user_ids[p.employee_no] = snap.users[p.employee_no]
            continue
        new_users.append(
            (p.employee_no, p.values.get("email") or "", p.values.get("is_active", True), unusable_password())
        )
    insert_rows(
        User,
        ["username", "email", "is_active", "password"],
        new_users,
        fixed={"date_joined": now, "last_login": None},
    )
    if new_users:
        created = {row[0] for row in new_users}
        user_ids.update(
            (name, pk) for pk, name in User.objects.values_list("id", "username") if name in created
        )

    # 3. People: create the new, update only those whose fields differ.
    new_people, changed_rows, user_activity = [], [], []
    for p in plan.people:
        state = snap.people.get(p.employee_no)
        if state is None:
            new_people.append(
                (
                    p.employee_no,
                    user_ids.get(p.employee_no),
                    *(p.values.get(f, "" if f != "is_active" else True) for f in PERSON_FIELDS),
                )
            )
            continue
        final = tuple(p.values.get(f, getattr(state, f)) for f in PERSON_FIELDS)
        user_id = state.user_id or user_ids.get(p.employee_no)
        if final != tuple(getattr(state, f) for f in PERSON_FIELDS) or user_id != state.user_id:
            changed_rows.append((*final, user_id, state.id))
            changed_people.add(p.employee_no)
            active = p.values.get("is_active", state.is_active)
            if active != state.is_active and state.user_id:
                # Leaving the company closes the login; coming back opens it again.
                user_activity.append((active, state.user_id))
    insert_rows(Person, ["employee_no", "user", *PERSON_FIELDS], new_people, fixed=stamps)
    update_rows(Person, [*PERSON_FIELDS, "user"], changed_rows, fixed={"updated_at": now})
    update_rows(User, ["is_active"], user_activity)
    person_ids = {no: state.id for no, state in snap.people.items()}
    if new_people:
        created = {row[0] for row in new_people}
        person_ids.update(
            (no, pk) for no, pk in Person.objects.values_list("employee_no", "id") if no in created
        )
    counts.people_created = len(new_people)

    # 4. Department fields and references, now that every department and person has an id.
    department_rows, supervisor_rows, supervisor_departments = [], [], []
    for d in plan.departments:
        state = snap.departments.get(d.code)
        dept_id = department_ids[d.code]
        current = (
            tuple(getattr(state, f) for f in DEPARTMENT_FIELDS)
            if state
            else (
                d.values["name"],
                d.values.get("sort_order", 0),
                d.values.get("is_active", True),
                None,
                None,
                None,
            )
        )
        final = dict(zip(DEPARTMENT_FIELDS, current, strict=True))
        final["name"] = d.values["name"]
        for key in ("sort_order", "is_active"):
            if key in d.values:
                final[key] = d.values[key]
        if "parent" in d.values:
            final["parent_id"] = department_ids[d.values["parent"]] if d.values["parent"] else None
        final["head_id"] = person_ids[d.values["head"]] if d.values["head"] else None
        if "liaison" in d.values:
            final["default_liaison_id"] = person_ids[d.values["liaison"]] if d.values["liaison"] else None
        row = tuple(final[f] for f in DEPARTMENT_FIELDS)
        if row != current or state is None:
            department_rows.append((*row, dept_id))
            if state is not None:
                changed_departments.add(d.code)
        if "supervisors" in d.values:
            wanted = [person_ids[no] for no in d.values["supervisors"]]
            had = snap.supervisors.get(dept_id, []) if state else []
            if set(wanted) != set(had):
                supervisor_departments.append(dept_id)
                supervisor_rows.extend((dept_id, person_id) for person_id in wanted)
                if state is not None:
                    changed_departments.add(d.code)
    update_rows(
        Department,
        ["name", "sort_order", "is_active", "parent", "head", "default_liaison"],
        department_rows,
        fixed={"updated_at": now},
    )
    through = Department.supervisors.through
    _delete_in(through.objects.all(), "department_id", supervisor_departments)
    insert_rows(through, ["department", "person"], supervisor_rows)

    # 5. Memberships: the file's list replaces a person's departments; the first is primary.
    replaced, memberships = [], []
    for p in plan.people:
        person_id = person_ids[p.employee_no]
        wanted = [(department_ids[code], i == 0) for i, code in enumerate(p.values["departments"])]
        if sorted(wanted) == sorted(snap.memberships.get(person_id, [])):
            continue
        if p.employee_no in snap.people:
            replaced.append(person_id)
            changed_people.add(p.employee_no)
        memberships.extend((person_id, dept_id, primary) for dept_id, primary in wanted)
    _delete_in(Membership.objects.all(), "person_id", replaced)
    insert_rows(Membership, ["person", "department", "is_primary"], memberships)

    counts.departments_updated = len(changed_departments)
    counts.people_updated = len(changed_people)
    counts.unchanged = plan.rows - (
        counts.departments_created
        + counts.departments_updated
        + counts.people_created
        + counts.people_updated
    )
    return counts
