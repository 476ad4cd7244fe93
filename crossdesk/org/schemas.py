"""API shapes of the organisation: <Noun>Out for answers, <Noun>Filter for list queries."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class PersonRefOut(Schema):
    """A person named by another record (head, liaison, supervisor, member)."""

    id: int
    employee_no: str
    name: str


class DepartmentRefOut(Schema):
    code: str
    name: str


class DepartmentOut(Schema):
    code: str
    name: str
    parent_code: str | None
    head: PersonRefOut | None
    liaison: PersonRefOut | None
    supervisors: list[PersonRefOut]
    sort_order: int
    is_active: bool
    member_count: int

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_liaison(obj):
        return obj.default_liaison

    @staticmethod
    def resolve_supervisors(obj):
        return list(obj.supervisors.all())


class DepartmentDetailOut(DepartmentOut):
    children: list[DepartmentRefOut]
    members: list[PersonRefOut]

    @staticmethod
    def resolve_children(obj):
        return list(obj.children.all())

    @staticmethod
    def resolve_members(obj):
        return obj.member_list


class MembershipOut(Schema):
    code: str
    name: str
    is_primary: bool

    @staticmethod
    def resolve_code(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.department.name


class PersonOut(Schema):
    id: int
    employee_no: str
    name: str
    title: str
    phone: str = Field(description="Internal contact number (内部通讯号)")
    email: str
    dingtalk_id: str
    wecom_id: str
    feishu_id: str
    is_active: bool
    departments: list[MembershipOut]

    @staticmethod
    def resolve_departments(obj):
        return list(obj.memberships.all())


class PersonPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonFilter(Schema):
    q: str = Field("", description="Words matched against name, employee number, e-mail, phone and title")
    department: str = Field("", description="Department code; its sub-departments are included")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class RolesOut(Schema):
    """Roles are derived from the organisation (SPEC §1), never stored."""

    person: PersonRefOut | None
    is_admin: bool
    staff_of: list[str] = Field(description="Department codes")
    liaison_of: list[str]
    head_of: list[str]
    supervises: list[str]


class ImportErrorOut(Schema):
    table: str
    row: int | None
    column: str
    message: str


class ImportCountsOut(Schema):
    departments_created: int
    departments_updated: int
    people_created: int
    people_updated: int
    unchanged: int


class ImportJobOut(Schema):
    id: int
    status: str = Field(description="pending, running, succeeded or failed")
    phase: str = Field(description="queued, reading, validating, writing or done")
    interrupted: bool = Field(description="Running, but its worker stopped: nothing was saved; upload again")
    file_name: str
    rows_total: int
    rows_done: int
    percent: int
    counts: ImportCountsOut
    error_count: int
    errors: list[ImportErrorOut] = Field(
        description="The first 1,000 problems; errors_csv_url lists them all"
    )
    errors_csv_url: str | None
    created_at: datetime
    finished_at: datetime | None


class VisibilityPolicyOut(Schema):
    """Who sees what, as an administrator set it (SPEC §6)."""

    informed_staff_see: bool = Field(description="Staff of informed departments see a request")
    supervisors_see_drafts: bool = Field(
        description="Supervisors see the drafts of the departments they oversee"
    )
    version: int


class VisibilityPolicyIn(Schema):
    informed_staff_see: bool | None = None
    supervisors_see_drafts: bool | None = None
    version: int | None = Field(None, description="The version you read; a stale one is refused with 409")
