"""Reads of the organisation. Roles (SPEC §1) are derived here from department rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError, PermissionDeniedError
from crossdesk.core.records import Actor
from crossdesk.core.records.inputs import an_id

from .models import Department, ImportJob, Membership, Person, VisibilityPolicy


@dataclass(frozen=True)
class VisibilityRules:
    """What an administrator decided about who sees what (SPEC §6 "administrators
    configure"); the defaults are the rules as they were before there was a choice."""

    informed_staff_see: bool = True
    supervisors_see_drafts: bool = False


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
    department_codes: dict[int, str] = field(default_factory=dict)
    # The department tree counts (issue 16 §1): the departments this person heads, with
    # every department below them (the general manager, head of the root, heads them all),
    # and those they head or supervise with everything below (what they oversee and see).
    heads_over: frozenset[int] = field(default_factory=frozenset)
    supervises_over: frozenset[int] = field(default_factory=frozenset)
    policy: VisibilityRules = field(default_factory=lambda: VisibilityRules())

    def __post_init__(self) -> None:
        # Roles built by hand (tests, the system) without the tree see at least their own.
        if not self.heads_over and self.head_of:
            object.__setattr__(self, "heads_over", self.head_of)
        if not self.supervises_over and self.supervises:
            object.__setattr__(self, "supervises_over", self.supervises)

    @property
    def oversees(self) -> frozenset[int]:
        """The departments headed or supervised, with everything below them."""
        return self.heads_over | self.supervises_over

    @property
    def sees_as_member(self) -> frozenset[int]:
        """The departments whose records this person sees as one of their own: the ones they
        belong to, are the liaison of, head or supervise, and everything below the last two."""
        return self.member_of | self.liaison_of | self.oversees

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

    def codes(self, ids: frozenset[int]) -> list[str]:
        return sorted(self.department_codes[i] for i in ids if i in self.department_codes)

    def _links(self, ids: frozenset[int]) -> list[tuple[str, str]]:
        pairs = [
            (self.department_codes[i], self.department_names[i]) for i in ids if i in self.department_codes
        ]
        return sorted(pairs, key=lambda pair: pair[1])

    @property
    def described_links(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Like :attr:`described`, with (code, name) pairs so pages can link departments."""
        rows: list[tuple[str, list[tuple[str, str]]]] = []
        for label, ids in (
            (_("Staff"), self.member_of),
            (_("Liaison"), self.liaison_of),
            (_("Department head"), self.head_of),
            (_("Supervisor"), self.supervises),
        ):
            if ids:
                rows.append((str(label), self._links(ids)))
        if self.is_admin:
            rows.append((str(_("Administrator")), []))
        return rows

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


def is_org_admin(user) -> bool:
    """Administrators (SPEC §1) are the accounts allowed into the Django admin."""
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def require_org_admin(user, message: Any = None) -> None:
    """Administrators only (imports and full exports, unless ``message`` says what else)."""
    if not is_org_admin(user):
        raise PermissionDeniedError(
            str(message or _("Only administrators may import or export the whole organisation."))
        )


def person_required(actor: Actor) -> Person:
    """The active person behind a login, or 403 (an account not linked to anyone)."""
    person = (
        Person.objects.filter(user=actor, is_active=True).first()
        if actor is not None and actor.is_authenticated
        else None
    )
    if person is None:
        raise PermissionDeniedError(str(_("Your login is not linked to a person in the organisation.")))
    return person


ROLES_MEMO = "_crossdesk_roles"


def remember_roles_during_request(request) -> None:
    """Let :func:`roles_for` compute the signed-in user's roles once per HTTP request.

    A view and the service it calls both need them (four queries each time). The memo
    lives on the request's own user object, so it ends with the request; code outside a
    request (tests, tasks) always computes afresh.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        setattr(user, ROLES_MEMO, None)


def roles_for(user) -> Roles:
    """The roles of ``user``: staff, liaison, head, supervisor, administrator."""
    if user is None or not user.is_authenticated:
        return Roles(person=None)
    memo = getattr(user, ROLES_MEMO, False)
    if isinstance(memo, Roles):
        return memo
    roles = _roles_of_user(user)
    if memo is None:
        setattr(user, ROLES_MEMO, roles)
    return roles


def _roles_of_user(user) -> Roles:
    is_admin = is_org_admin(user)
    person = Person.objects.filter(user=user, is_active=True).first()
    if person is None:
        return Roles(person=None, is_admin=is_admin)
    return roles_for_person(person, is_admin=is_admin)


def roles_for_person(person: Person, *, is_admin: bool | None = None) -> Roles:
    """The roles of a person, e.g. for their profile page (one query).

    Someone who has left (inactive) holds no role. ``is_admin`` defaults to what the
    person's login account says.
    """
    if is_admin is None:
        is_admin = is_org_admin(person.user) if person.user_id else False
    if not person.is_active:
        return Roles(person=person, is_admin=is_admin)
    # One query (every page asks this): every active department, each marked with how the
    # person is related to it, and the visibility policy read alongside, so the tree below
    # the departments they head or supervise costs nothing more.
    member = Membership.objects.filter(person=person, department=OuterRef("pk"))
    supervised = Department.supervisors.through.objects.filter(person=person, department=OuterRef("pk"))
    policy = VisibilityPolicy.objects.filter(pk=VisibilityPolicy.SINGLETON)
    rows = (
        Department.objects.filter(is_active=True)
        .annotate(
            is_member=Exists(member),
            is_supervisor=Exists(supervised),
            informed_staff_see=Subquery(policy.values("informed_staff_see")[:1]),
            supervisors_see_drafts=Subquery(policy.values("supervisors_see_drafts")[:1]),
        )
        .values_list(
            "id",
            "code",
            "name",
            "parent_id",
            "head_id",
            "default_liaison_id",
            "is_member",
            "is_supervisor",
            "informed_staff_see",
            "supervisors_see_drafts",
        )
    )
    member_of, supervises, head_of, liaison_of, names, codes = set(), set(), set(), set(), {}, {}
    children: dict[int | None, list[int]] = defaultdict(list)
    rules = VisibilityRules()
    for row in rows:
        dept_id, code, name, parent_id, head_id, liaison_id, is_member, is_supervisor = row[:8]
        if row[8] is not None:
            rules = VisibilityRules(informed_staff_see=bool(row[8]), supervisors_see_drafts=bool(row[9]))
        children[parent_id].append(dept_id)
        related = False
        if is_member:
            member_of.add(dept_id)
            related = True
        if is_supervisor:
            supervises.add(dept_id)
            related = True
        if head_id == person.id:
            head_of.add(dept_id)
            related = True
        if liaison_id == person.id:
            liaison_of.add(dept_id)
            related = True
        if related:
            names[dept_id] = name
            codes[dept_id] = code
    heads_over, supervises_over = _below(head_of, children), _below(supervises, children)
    return Roles(
        person=person,
        is_admin=is_admin,
        member_of=frozenset(member_of),
        head_of=frozenset(head_of),
        liaison_of=frozenset(liaison_of),
        supervises=frozenset(supervises),
        department_names=names,
        department_codes=codes,
        heads_over=heads_over,
        supervises_over=supervises_over,
        policy=rules,
    )


def _below(roots: set[int], children: dict[int | None, list[int]]) -> frozenset[int]:
    """``roots`` and every department under them."""
    found: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return frozenset(found)


def visibility_policy_get() -> VisibilityPolicy:
    """The policy row for its page and API (unsaved defaults while there is none)."""
    return VisibilityPolicy.objects.filter(pk=VisibilityPolicy.SINGLETON).first() or VisibilityPolicy(
        pk=VisibilityPolicy.SINGLETON
    )


# --- departments ----------------------------------------------------------------------
def _active_member_count():
    return Count("memberships", filter=Q(memberships__person__is_active=True))


def department_list(*, include_inactive: bool = False) -> QuerySet[Department]:
    """Departments with parent, head, liaison, supervisors and member count (two queries)."""
    departments = Department.objects.all() if include_inactive else Department.objects.filter(is_active=True)
    return (
        departments.select_related("parent", "head", "default_liaison")
        .prefetch_related(Prefetch("supervisors", queryset=Person.objects.order_by("employee_no")))
        .annotate(member_count=_active_member_count())
        .order_by("sort_order", "code")
    )


def department_tree() -> list[dict]:
    """All active departments as a nested list, each with head, liaison and member count.

    Two queries whatever the size of the company. Each node is
    ``{"department", "children", "depth", "total_members"}``, where ``total_members``
    counts the sub-departments' members too.
    """
    departments = list(department_list())
    nodes: dict[int | None, dict[str, Any]] = {
        d.id: {"department": d, "children": [], "depth": 0, "total_members": 0} for d in departments
    }
    roots: list[dict[str, Any]] = []
    for d in departments:
        parent = nodes.get(d.parent_id)
        (parent["children"] if parent else roots).append(nodes[d.id])

    def settle(node: dict, depth: int) -> int:
        node["depth"] = depth
        node["total_members"] = node["department"].member_count + sum(
            settle(child, depth + 1) for child in node["children"]
        )
        return node["total_members"]

    for root in roots:
        settle(root, 0)
    return roots


def department_options() -> list[tuple[str, str]]:
    """(code, indented name) of every active department in tree order, for filters."""
    rows = list(Department.objects.filter(is_active=True).values_list("id", "code", "name", "parent_id"))
    children: dict[int | None, list] = {}
    ids = {r[0] for r in rows}
    for row in rows:
        children.setdefault(row[3] if row[3] in ids else None, []).append(row)
    options: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for dept_id, code, name, _parent in children.get(parent, []):
            options.append((code, f"{'　' * depth}{name} ({code})"))
            walk(dept_id, depth + 1)

    walk(None, 0)
    return options


def department_get(*, code: str) -> Department:
    """One department with what its page shows; 404 when the code is unknown."""
    queryset = Department.objects.select_related("parent", "head", "default_liaison").prefetch_related(
        Prefetch("supervisors", queryset=Person.objects.order_by("employee_no")),
        Prefetch(
            "children",
            queryset=Department.objects.filter(is_active=True)
            .select_related("head")
            .annotate(member_count=_active_member_count())
            .order_by("sort_order", "code"),
        ),
    )
    return get_object_or_404(queryset.annotate(member_count=_active_member_count()), code=code.upper())


def department_ancestors(department: Department) -> list[Department]:
    """The chain of parents, top first, in one query."""
    rows = {
        pk: (parent, code, name)
        for pk, parent, code, name in Department.objects.values_list("id", "parent_id", "code", "name")
    }
    chain, seen, current = [], {department.pk}, department.parent_id
    while current is not None and current not in seen:
        seen.add(current)
        parent, code, name = rows[current]
        chain.append(Department(pk=current, code=code, name=name, parent_id=parent))
        current = parent
    return list(reversed(chain))


def descendant_ids(code: str) -> list[int]:
    """The department with this code and everything below it (one query)."""
    return _descendants(lambda pk, dept_code: dept_code == code)


def descendant_ids_of(department_id: int) -> list[int]:
    """The department with this id and everything below it (one query)."""
    return _descendants(lambda pk, dept_code: pk == department_id)


def _descendants(is_root) -> list[int]:
    rows = list(Department.objects.values_list("id", "code", "parent_id"))
    children: dict[int, list[int]] = {}
    root = None
    for pk, dept_code, parent in rows:
        children.setdefault(parent, []).append(pk)
        if is_root(pk, dept_code):
            root = pk
    if root is None:
        return []
    found: set[int] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return sorted(found)


def department_members(*, department: Department) -> QuerySet[Person]:
    """Active people in the department, each with all their memberships (two queries)."""
    return (
        Person.objects.filter(memberships__department=department, is_active=True)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("department")))
        .order_by("employee_no")
    )


# --- people ---------------------------------------------------------------------------
def person_list(*, query: str = "", department_code: str = "", include_sub: bool = True) -> QuerySet[Person]:
    """The people directory: active people matching ``query`` (name, employee number,
    e-mail, phone, title) in ``department_code`` and, by default, its sub-departments.

    Each person comes with memberships and departments (one extra query per page).
    """
    people = Person.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("department").order_by(
                "-is_primary", "department__sort_order", "department__code"
            ),
        )
    )
    query = (query or "").strip()
    for word in query.split()[:5]:
        people = people.filter(
            Q(name__icontains=word)
            | Q(employee_no__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
            | Q(title__icontains=word)
        )
    if department_code:
        code = department_code.strip().upper()
        ids = (
            descendant_ids(code)
            if include_sub
            else list(Department.objects.filter(code=code).values_list("id", flat=True))
        )
        people = people.filter(id__in=Membership.objects.filter(department_id__in=ids).values("person_id"))
    return people.order_by("employee_no")


def person_get(*, pk: int) -> Person:
    """One person with their login and departments; 404 when unknown."""
    queryset = Person.objects.select_related("user").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("department").order_by(
                "-is_primary", "department__sort_order", "department__code"
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


# --- imports --------------------------------------------------------------------------
def import_job_get(*, viewer, pk: int) -> ImportJob:
    """An import job, for administrators only."""
    require_org_admin(viewer)
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


def import_job_list(*, viewer, limit: int = 10) -> list[ImportJob]:
    """The latest import jobs, without their (possibly long) error lists."""
    require_org_admin(viewer)
    return list(
        ImportJob.objects.select_related("created_by").defer("errors").order_by("-created_at", "-id")[:limit]
    )


# --- what forms, filters and services of every record app ask of the organisation ---


def department_choices() -> list[tuple[int, str]]:
    """Every active department, in the order of the organisation chart (one query)."""
    return [
        (pk, name)
        for pk, name in Department.objects.filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("pk", "name")
    ]


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


def department_id(value, *, field: str) -> int:
    """A department named by its id or its code (``CS``); 400 naming ``field`` when unknown."""
    text = str(value).strip()
    if isinstance(value, int) or text.isdigit():
        pk = Department.objects.filter(pk=int(text)).values_list("pk", flat=True).first()
    else:
        pk = Department.objects.filter(code=text.upper()).values_list("pk", flat=True).first()
    if pk is None:
        raise ApplicationError(gettext_now("Unknown department: %(value)s.") % {"value": text}, field=field)
    return pk


def department_ids(values: Iterable, *, field: str) -> list[int]:
    """Departments named by ids or codes, in one query; 400 naming ``field`` for any unknown one."""
    values = list(values or [])
    codes = {str(v).strip().upper() for v in values if not (isinstance(v, int) or str(v).strip().isdigit())}
    by_code = dict(Department.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    ids = []
    for value in values:
        text = str(value).strip()
        if isinstance(value, int) or text.isdigit():
            ids.append(int(text))
        elif text.upper() in by_code:
            ids.append(by_code[text.upper()])
        else:
            raise ApplicationError(
                gettext_now("Unknown department: %(value)s.") % {"value": text}, field=field
            )
    return ids


@overload
def active_person(value: Any, field: str, *, required: Literal[True] = True) -> Person: ...
@overload
def active_person(value: Any, field: str, *, required: bool) -> Person | None: ...
def active_person(value: Any, field: str, *, required: bool = True) -> Person | None:
    """An active person from an id, its text or a ``Person`` (re-read, so someone who left
    since is refused); a 400 naming ``field`` when empty (if ``required``) or unknown."""
    pk = an_id(value, field, _("Unknown person."))
    if pk is None:
        if required:
            raise ApplicationError(gettext_now("Choose a person."), field=field)
        return None
    person = Person.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise ApplicationError(gettext_now("Unknown person."), field=field)
    return person
