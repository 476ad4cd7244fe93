"""Keep a request's overdue flag and next deadline in step with what the sweep does."""

from django.dispatch import receiver

from crossdesk.deadlines.choices import EventKind
from crossdesk.deadlines.services import deadline_event

# The request services refresh these themselves; the sweep and recomputation do not know
# about requests, so they are caught here.
REFRESH_ON = {EventKind.BREACHED, EventKind.RECOMPUTED}


@receiver(deadline_event, dispatch_uid="collaboration.refresh_due")
def refresh_request_due(sender, clock, kind: str, **kwargs):
    from django.contrib.contenttypes.models import ContentType

    from .models import Request
    from .services import _refresh_due

    if kind not in REFRESH_ON or clock.subject_type_id != ContentType.objects.get_for_model(Request).pk:
        return
    request = Request.objects.filter(pk=clock.subject_id).only("pk").first()
    if request is not None:
        _refresh_due(request)
