"""Who may do what on a collaboration request (SPEC §3), in one place: two rule tables of
``core.records``, one for the request and one for a department's part.

Services call ``require(...)`` before writing; pages and the API call
``request_actions`` / ``part_actions`` to show only the actions a person may take now.
Both read the same rules, so a button is never shown for a move the service would refuse.
Who may see a request is written once, as :func:`visible_q`; the selectors filter with it
and :func:`is_involved` evaluates it for one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossdesk.core.records import Rule, RuleTable
from crossdesk.org.selectors import Roles

from .choices import PartRole, PartStatus, RequestStatus
from .models import Request, RequestPart

S, P = RequestStatus, PartStatus


def visible_q(roles: Roles) -> Q:
    """The requests the viewer may see: own department's, involved departments', ones they
    take part in; heads and supervisors those of their departments and of every department
    below them (the general manager, head of the root, all); admins all. Drafts only to
    their initiator (and, when the policy says so, to the supervisors of the initiating
    department); confidential ones only to the people acting on them (SPEC §6). Staff of an
    informed department see it unless the administrator's policy says otherwise.
    """
    person_id = roles.person.pk if roles.person else None
    not_someone_elses_draft = ~Q(status=S.DRAFT) | Q(initiator_id=person_id)
    if roles.is_admin:
        return not_someone_elses_draft
    if person_id is None:
        return Q(pk__in=[])
    if roles.policy.supervisors_see_drafts and roles.supervises_over:
        not_someone_elses_draft |= Q(status=S.DRAFT, initiating_department_id__in=roles.supervises_over)
    overseen = roles.oversees
    departments = roles.sees_as_member
    if roles.policy.informed_staff_see:
        parts_seen = Q(department_id__in=departments)
    else:
        parts_seen = Q(department_id__in=roles.liaison_of | overseen) | Q(
            role=PartRole.RECEIVING, department_id__in=departments
        )
    involved_part = RequestPart.objects.filter(request=OuterRef("pk")).filter(
        parts_seen | Q(liaison_id=person_id)
    )
    visible = (
        Q(initiator_id=person_id) | Q(initiating_department_id__in=departments) | Q(Exists(involved_part))
    )
    acting_part = RequestPart.objects.filter(request=OuterRef("pk")).filter(
        Q(liaison_id=person_id) | Q(department_id__in=overseen | roles.liaison_of)
    )
    confidential_ok = (
        Q(confidential=False)
        | Q(initiator_id=person_id)
        | Q(initiating_department_id__in=overseen)
        | Q(Exists(acting_part))
    )
    return visible & confidential_ok & not_someone_elses_draft


def involved_annotation(roles: Roles) -> ExpressionWrapper:
    """:func:`visible_q` as a column, so the services read it with the row they lock."""
    return ExpressionWrapper(visible_q(roles), output_field=BooleanField())


def is_initiator(roles: Roles, request: Request) -> bool:
    return roles.person is not None and request.initiator_id == roles.person.pk


def is_initiating_head(roles: Roles, request: Request) -> bool:
    return request.initiating_department_id in roles.head_of


def can_handle_part(roles: Roles, part: RequestPart) -> bool:
    """The receiving side: the part's liaison, the department's default liaison or its head,
    or the head of a department above it, who answers for everything below (issue 16 §1);
    signing stays with the department's own head (SPEC §3)."""
    if part.role != PartRole.RECEIVING or roles.person is None:
        return False
    return (
        part.liaison_id == roles.person.pk
        or part.department_id in roles.liaison_of
        or part.department_id in roles.heads_over
    )


def _viewer(roles: Roles) -> tuple[int | None, bool]:
    return (roles.person.pk if roles.person else None, roles.is_admin)


def mark_involved(request: Request, roles: Roles, involved: bool | None = None) -> None:
    """Remember for ``roles`` what :func:`visible_q` says of ``request`` (the value of the
    ``viewer_involved`` column the row was loaded with, or ``involved`` when given)."""
    value = request.__dict__.pop("viewer_involved", None) if involved is None else involved
    if value is not None:
        request.__dict__.setdefault("_involved", {})[_viewer(roles)] = bool(value)


def is_involved(roles: Roles, request: Request, parts: list[RequestPart] | None = None) -> bool:
    """Whether ``roles`` sees the request (:func:`visible_q`): remembered when the row was
    loaded with it (``mark_involved``), else one query."""
    memo = request.__dict__.setdefault("_involved", {})
    if _viewer(roles) not in memo:
        memo[_viewer(roles)] = Request.objects.filter(visible_q(roles), pk=request.pk).exists()
    return memo[_viewer(roles)]


@dataclass
class Check:
    """What a rule looks at: the viewer's roles, the request, its parts and the part acted on."""

    roles: Roles
    request: Request
    parts: list[RequestPart]
    part: RequestPart | None = None


def _initiator(c: Check) -> bool:
    return is_initiator(c.roles, c.request)


def _handler(c: Check) -> bool:
    return c.part is not None and can_handle_part(c.roles, c.part)


def _open(c: Check) -> bool:
    return c.request.status in (S.SUBMITTED, S.IN_PROGRESS)


INITIATOR_ONLY = gettext_lazy("Only the initiator can do this.")
INVOLVED_ONLY = gettext_lazy("Only people involved in this request can do this.")
HANDLER_ONLY = gettext_lazy("Only the liaison or the head of the receiving department can do this.")
# Signed requests are closed for new entries; cancelled ones have nothing left to discuss.
DISCUSSABLE = (S.SUBMITTED, S.IN_PROGRESS, S.DECLINED, S.RESOLVED, S.CONFIRMED)


def _moment(c: Check, rule: Rule) -> str:
    if c.part is not None:
        return _("The part of %(dept)s is “%(status)s”: you cannot %(action)s it now.") % {
            "dept": c.part.department.name,
            "status": c.part.get_status_display(),
            "action": rule.label,
        }
    return _("This request is “%(status)s”: you cannot %(action)s it now.") % {
        "status": c.request.get_status_display(),
        "action": rule.label,
    }


REQUEST_RULES = RuleTable(
    [
        Rule("edit", _initiator, [S.DRAFT], label=gettext_lazy("edit"), wrong_person=INITIATOR_ONLY),
        Rule("submit", _initiator, [S.DRAFT], label=gettext_lazy("submit"), wrong_person=INITIATOR_ONLY),
        Rule(
            "cancel",
            _initiator,
            [S.DRAFT, S.SUBMITTED, S.IN_PROGRESS],
            label=gettext_lazy("cancel"),
            wrong_person=INITIATOR_ONLY,
        ),
        Rule(
            "log",
            lambda c: is_involved(c.roles, c.request),
            DISCUSSABLE,
            label=gettext_lazy("add to the communication log"),
            wrong_person=INVOLVED_ONLY,
        ),
        Rule(
            "attach",
            lambda c: _initiator(c) or is_involved(c.roles, c.request),
            (S.DRAFT, *DISCUSSABLE),
            when=lambda c: c.request.status != S.DRAFT or _initiator(c),
            label=gettext_lazy("attach files"),
            wrong_person=INVOLVED_ONLY,
        ),
        Rule("confirm", _initiator, [S.RESOLVED], label=gettext_lazy("confirm"), wrong_person=INITIATOR_ONLY),
        Rule("reopen", _initiator, [S.RESOLVED], label=gettext_lazy("reopen"), wrong_person=INITIATOR_ONLY),
        Rule(
            "sign_initiator",
            lambda c: is_initiating_head(c.roles, c.request),
            [S.CONFIRMED],
            when=lambda c: c.request.initiator_head_signed_at is None,
            label=gettext_lazy("sign"),
            wrong_person=gettext_lazy("Only the head of the initiating department can sign for it."),
        ),
        Rule(
            "archive",
            lambda c: _initiator(c) or c.roles.is_admin,
            [S.SIGNED, S.CANCELLED, S.DECLINED],
            label=gettext_lazy("archive"),
            wrong_person=gettext_lazy("Only the initiator or an administrator can archive a request."),
        ),
    ],
    status_of=lambda c: c.request.status,
    moment_message=_moment,
)


def _handler_rule(action: str, statuses, label, **kwargs) -> Rule:
    return Rule(action, _handler, statuses, when=_open, label=label, wrong_person=HANDLER_ONLY, **kwargs)


PART_RULES = RuleTable(
    [
        Rule(
            "name_liaison",
            lambda c: c.part is not None and c.part.department_id in c.roles.heads_over | c.roles.liaison_of,
            [P.PENDING],
            when=lambda c: _open(c) and _handler(c) and c.part.liaison_id is None,
            label=gettext_lazy("name the liaison"),
            wrong_person=gettext_lazy(
                "Only the head or the default liaison of the receiving department can do this."
            ),
        ),
        _handler_rule("accept", [P.PENDING, P.AWAITING_INFO], gettext_lazy("accept")),
        _handler_rule("decline", [P.PENDING, P.AWAITING_INFO], gettext_lazy("decline")),
        _handler_rule("request_info", [P.PENDING, P.ACCEPTED], gettext_lazy("ask for information")),
        Rule(
            "provide_info",
            _initiator,
            [P.AWAITING_INFO],
            when=_open,
            label=gettext_lazy("provide information"),
            wrong_person=INITIATOR_ONLY,
        ),
        _handler_rule("resolve", [P.ACCEPTED], gettext_lazy("resolve")),
        _handler_rule("change_commitment", [P.ACCEPTED], gettext_lazy("change the committed date")),
        Rule(
            "sign",
            lambda c: c.part is not None and c.part.department_id in c.roles.head_of,
            [P.RESOLVED],
            when=lambda c: c.request.status == S.CONFIRMED and c.part.head_signed_at is None,
            label=gettext_lazy("sign"),
            wrong_person=gettext_lazy("Only the head of this department can sign for it."),
        ),
        _handler_rule("delay_reason", [P.ACCEPTED], gettext_lazy("record a delay reason")),
        _handler_rule("revise_letter", [P.ACCEPTED], gettext_lazy("change the committed resources")),
        Rule(
            "sign_letter",
            lambda c: c.part is not None and c.part.department_id in c.roles.head_of,
            [P.ACCEPTED, P.DECLINED, P.RESOLVED],
            when=lambda c: (
                c.request.status != S.ARCHIVED and c.part.letter_version > 0 and not c.part.letter_signed
            ),
            label=gettext_lazy("sign the resource confirmation letter"),
            wrong_person=gettext_lazy("Only the head of this department can sign its letter."),
        ),
    ],
    status_of=lambda c: c.part.status,
    moment_message=_moment,
)
REQUEST_ACTIONS = tuple(REQUEST_RULES.rules)
PART_ACTIONS = tuple(PART_RULES.rules)
ACTION_LABELS = {**REQUEST_RULES.labels(), **PART_RULES.labels()}


def request_actions(roles: Roles, request: Request, parts: list[RequestPart]) -> set[str]:
    """The request-level actions ``roles`` may take now."""
    return REQUEST_RULES.allowed(Check(roles, request, parts))


def part_actions(roles: Roles, request: Request, part: RequestPart) -> set[str]:
    """The actions ``roles`` may take now on one department's part."""
    return PART_RULES.allowed(Check(roles, request, [], part))


def require(
    roles: Roles, request: Request, parts: list[RequestPart], action: str, part: RequestPart | None = None
) -> None:
    """Refuse the action unless allowed now: 403 for the wrong person, 409 for the wrong moment."""
    table = PART_RULES if part is not None else REQUEST_RULES
    table.require(Check(roles, request, parts, part), action)
