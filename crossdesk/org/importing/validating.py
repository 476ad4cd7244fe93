"""Checking the departments and people tables as a whole, against what the database
already holds, and turning them into a plan the writer can apply without further checks.

Everything is checked before anything is written, and every problem is reported, so one
upload shows the whole list of what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..models import DEPARTMENT_CODE_PATTERN
from .columns import DEPARTMENTS, LIST_SEPARATORS, NO, PEOPLE, YES
from .problems import ProblemList
from .reading import Table
from .snapshot import Snapshot

Progress = Callable[[str, int, int], None]
CODE_RE = re.compile(DEPARTMENT_CODE_PATTERN)
PROGRESS_EVERY = 1000


# --- what the file asks for -----------------------------------------------------------
@dataclass
class DepartmentRow:
    """A valid departments row. ``values`` holds only the columns the file has, so a
    column left out of the file leaves that field alone."""

    row: int
    code: str
    values: dict = field(default_factory=dict)


@dataclass
class PersonRow:
    row: int
    employee_no: str
    values: dict = field(default_factory=dict)


@dataclass
class Plan:
    departments: list[DepartmentRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    department_columns: set[str] = field(default_factory=set)
    people_columns: set[str] = field(default_factory=set)

    @property
    def rows(self) -> int:
        return len(self.departments) + len(self.people)


def split_list(text: str) -> list[str]:
    """Several values in one cell, in order, without repeats."""
    seen: dict[str, None] = {}
    for part in LIST_SEPARATORS.split(text):
        if part:
            seen.setdefault(part, None)
    return list(seen)


class _Validator:
    def __init__(self, tables: dict[str, Table], snapshot: Snapshot, progress: Progress | None) -> None:
        self.departments = tables.get(DEPARTMENTS.key)
        self.people = tables.get(PEOPLE.key)
        self.snap = snapshot
        self.progress = progress or (lambda phase, done, total: None)
        self.problems = ProblemList()
        self.plan = Plan()
        self.total = sum(len(t.rows) for t in (self.departments, self.people) if t)
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.progress("validating", self.done, self.total)

    def problem(self, table: Table, row: int | None, key: str, message: str) -> None:
        self.problems.add(table.spec.label, row, table.header(key) if key else "", message)

    # --- single cells ---------------------------------------------------------------
    def text(self, table: Table, row: int, cells: dict, key: str) -> str | None:
        """The cell's text, or None (and a problem) when it is too long or missing."""
        column = table.spec.column(key)
        value = cells.get(key, "")
        if column.required and not value:
            self.problem(table, row, key, _("Required; this cell is empty."))
            return None
        if column.max_length and len(value) > column.max_length:
            self.problem(
                table, row, key, _("Too long: at most %(max)s characters.") % {"max": column.max_length}
            )
            return None
        return value

    def yes_no(self, table: Table, row: int, cells: dict) -> bool | None:
        value = cells.get("active", "").strip().lower()
        if not value or value in YES:
            return True
        if value in NO:
            return False
        self.problem(table, row, "active", _("Write 是 (yes) or 否 (no)."))
        return None

    # --- departments table ----------------------------------------------------------
    def check_departments(self, table: Table) -> None:
        first_row: dict[str, int] = {}
        self.plan.department_columns = set(table.headers)
        for row, cells in table.rows:
            self.tick()
            raw = cells.get("code", "")
            if not raw:
                self.problem(table, row, "code", _("Required; this cell is empty."))
                continue
            code = raw.upper()
            if not CODE_RE.match(code):
                self.problem(
                    table,
                    row,
                    "code",
                    _(
                        "“%(code)s” is not a valid department code: 2 to 10 upper-case letters or digits, starting with a letter."
                    )
                    % {"code": raw},
                )
                continue
            if code in first_row:
                self.problem(
                    table,
                    row,
                    "code",
                    _("Duplicate department code %(code)s (already on row %(row)s).")
                    % {"code": code, "row": first_row[code]},
                )
                continue
            first_row[code] = row
            ok = True
            values: dict = {}
            name = self.text(table, row, cells, "name")
            ok &= name is not None
            values["name"] = name
            if table.has("parent"):
                values["parent"] = cells["parent"].upper() or None
            head = cells.get("head", "")
            existing = self.snap.departments.get(code)
            # A department needs a head (SPEC §2); only one that has none already (made in
            # the admin) may stay without, so its export still imports unchanged.
            if not head and (existing is None or existing.head_id is not None):
                self.problem(
                    table, row, "head", _("Missing head: write the employee number of the department head.")
                )
                ok = False
            values["head"] = head or None
            if table.has("liaison"):
                values["liaison"] = cells["liaison"] or None
            if table.has("supervisors"):
                values["supervisors"] = split_list(cells["supervisors"])
            if table.has("sort_order"):
                text = cells["sort_order"]
                if not text:
                    values["sort_order"] = 0
                elif text.isdigit() and int(text) < 2**31:
                    values["sort_order"] = int(text)
                else:
                    self.problem(
                        table, row, "sort_order", _("The sort order must be a whole number, 0 or more.")
                    )
                    ok = False
            if table.has("active"):
                active = self.yes_no(table, row, cells)
                ok &= active is not None
                values["is_active"] = active
            if ok:
                self.plan.departments.append(DepartmentRow(row, code, values))

    # --- people table ---------------------------------------------------------------
    def check_people(self, table: Table) -> None:
        first_row: dict[str, int] = {}
        self.plan.people_columns = set(table.headers)
        for row, cells in table.rows:
            self.tick()
            number = self.text(table, row, cells, "employee_no")
            if number is None:
                continue
            if number in first_row:
                self.problem(
                    table,
                    row,
                    "employee_no",
                    _("Duplicate employee number %(no)s (already on row %(row)s).")
                    % {"no": number, "row": first_row[number]},
                )
                continue
            first_row[number] = row
            ok = True
            values: dict = {}
            for key in ("name", "title", "phone", "email", "dingtalk_id", "wecom_id", "feishu_id"):
                if not table.has(key):
                    continue
                value = self.text(table, row, cells, key)
                ok &= value is not None
                values[key] = value
            email = values.get("email")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.problem(
                        table, row, "email", _("Not a valid e-mail address: %(value)s") % {"value": email}
                    )
                    ok = False
            codes = [c.upper() for c in split_list(cells.get("departments", ""))]
            if not codes:
                self.problem(table, row, "departments", _("Required; this cell is empty."))
                ok = False
            values["departments"] = codes
            if table.has("active"):
                active = self.yes_no(table, row, cells)
                ok &= active is not None
                values["is_active"] = active
            if ok:
                self.plan.people.append(PersonRow(row, number, values))

    # --- the two tables together and the database ------------------------------------
    def check_references(self) -> None:
        snap = self.snap
        file_people = {p.employee_no: p for p in self.plan.people}
        file_departments = {d.code: d for d in self.plan.departments}
        codes = set(snap.departments) | set(file_departments)

        def person_name(number: str) -> str:
            if number in file_people and "name" in file_people[number].values:
                return file_people[number].values["name"]
            return snap.people[number].name

        def is_active(number: str) -> bool:
            row = file_people.get(number)
            if row is not None and "is_active" in row.values:
                return row.values["is_active"]
            state = snap.people.get(number)
            return state.is_active if state else True

        def check_person(table: Table, row: int, key: str, number: str) -> None:
            if number not in file_people and number not in snap.people:
                self.problem(table, row, key, _("Unknown employee number %(no)s.") % {"no": number})
            elif not is_active(number):
                self.problem(
                    table,
                    row,
                    key,
                    _("%(name)s (%(no)s) has left the company (在职 = 否).")
                    % {"name": person_name(number), "no": number},
                )

        if self.departments is not None:
            table = self.departments
            for dept in self.plan.departments:
                parent = dept.values.get("parent")
                if parent and parent not in codes:
                    self.problem(
                        table,
                        dept.row,
                        "parent",
                        _("Unknown parent department code %(code)s.") % {"code": parent},
                    )
                if dept.values.get("head"):
                    check_person(table, dept.row, "head", dept.values["head"])
                if dept.values.get("liaison"):
                    check_person(table, dept.row, "liaison", dept.values["liaison"])
                for number in dept.values.get("supervisors", []):
                    check_person(table, dept.row, "supervisors", number)
            self.check_cycles(table, file_departments)

        if self.people is not None:
            table = self.people
            for person in self.plan.people:
                for code in person.values["departments"]:
                    if code not in codes:
                        self.problem(
                            table,
                            person.row,
                            "departments",
                            _("Unknown department code %(code)s.") % {"code": code},
                        )
            self.check_leavers(table, file_people, file_departments)
            self.check_logins(table)

    def check_cycles(self, table: Table, file_departments: dict[str, DepartmentRow]) -> None:
        """The tree after the import (database rows with the file's rows laid over them)
        must not loop, including loops that close through departments not in the file."""
        snap = self.snap
        parent_of: dict[str, str | None] = {
            code: snap.department_codes.get(state.parent_id) if state.parent_id else None
            for code, state in snap.departments.items()
        }
        for code, dept in file_departments.items():
            if "parent" in dept.values or code not in parent_of:
                parent_of[code] = dept.values.get("parent")
        settled: set[str] = set()
        for dept in sorted(file_departments.values(), key=lambda d: d.row):
            path: list[str] = []
            on_path: dict[str, int] = {}
            current: str | None = dept.code
            while current is not None and current not in settled and current not in on_path:
                on_path[current] = len(path)
                path.append(current)
                current = parent_of.get(current)
            if current is not None and current in on_path:
                loop = path[on_path[current] :]
                rows = [file_departments[c].row for c in loop if c in file_departments]
                self.problem(
                    table,
                    min(rows),
                    "parent",
                    _("A cycle in the department tree: %(path)s.") % {"path": " → ".join([*loop, loop[0]])},
                )
            settled.update(path)

    def check_leavers(self, table: Table, file_people: dict[str, PersonRow], file_departments) -> None:
        """Someone marked as having left may not stay head, liaison or supervisor of a
        department the file does not change."""
        snap = self.snap
        leaving = {
            snap.people[no].id: row
            for no, row in file_people.items()
            if row.values.get("is_active") is False and no in snap.people
        }
        if not leaving:
            return
        for code, state in snap.departments.items():
            if code in file_departments or not state.is_active:
                continue
            holders = [state.head_id, state.default_liaison_id, *snap.supervisors.get(state.id, [])]
            for person_id in {h for h in holders if h in leaving}:
                self.problem(
                    table,
                    leaving[person_id].row,
                    "active",
                    _("Still head, liaison or supervisor of %(departments)s: name someone else there first.")
                    % {"departments": f"{state.name} ({code})"},
                )

    def check_logins(self, table: Table) -> None:
        """New people get a login named after their employee number; that name must be
        free or belong to an account no other person uses."""
        snap = self.snap
        for person in self.plan.people:
            state = snap.people.get(person.employee_no)
            if state is not None and state.user_id:
                continue
            user_id = snap.users.get(person.employee_no)
            if user_id is None:
                continue
            owner = snap.user_person.get(user_id)
            if owner is not None and (state is None or owner != state.id):
                owner_no = snap.person_nos[owner]
                self.problem(
                    table,
                    person.row,
                    "employee_no",
                    _("The login name %(username)s already belongs to %(name)s (%(no)s).")
                    % {"username": person.employee_no, "name": snap.people[owner_no].name, "no": owner_no},
                )

    def run(self) -> tuple[Plan, ProblemList]:
        if self.departments is not None:
            self.check_departments(self.departments)
        if self.people is not None:
            self.check_people(self.people)
        self.check_references()
        self.progress("validating", self.total, self.total)
        order = {str(DEPARTMENTS.label): 0, str(PEOPLE.label): 1}
        self.problems.items.sort(key=lambda p: (order.get(p.table, -1), p.row or 0))
        return self.plan, self.problems


def validate(
    tables: dict[str, Table], snapshot: Snapshot, *, progress: Progress | None = None
) -> tuple[Plan, ProblemList]:
    """Check the tables against each other and the snapshot; return the plan and problems.

    The plan is only safe to write when there are no problems.
    """
    return _Validator(tables, snapshot, progress).run()
