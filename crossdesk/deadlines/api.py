from django.shortcuts import get_object_or_404
from ninja import Router

from crossdesk.core.errors import PermissionDeniedError
from crossdesk.core.schemas import error_responses

from . import services
from .models import TimePolicy
from .schemas import TimePolicyOut, TimePolicyPatch

router = Router(tags=["time rules"])


@router.get("/policies", response={200: list[TimePolicyOut], **error_responses()})
def list_policies(request):
    """Every time rule of SPEC with its current values (readable by everyone logged in)."""
    return list(TimePolicy.objects.order_by("key", "variant"))


@router.patch("/policies/{policy_id}", response={200: TimePolicyOut, **error_responses(400, 403, 404)})
def update_policy(request, policy_id: int, payload: TimePolicyPatch):
    """An administrator changes a rule; running deadlines under it are recomputed and note why."""
    if not (request.auth.is_staff or request.auth.is_superuser):
        raise PermissionDeniedError("Only an administrator can change time rules.")
    policy = get_object_or_404(TimePolicy, pk=policy_id)
    changes = payload.dict(exclude_unset=True)
    if "escalation" in changes and changes["escalation"] is not None:
        changes["escalation"] = [dict(step) for step in changes["escalation"]]
    return services.policy_update(actor=request.auth, policy=policy, **changes)
