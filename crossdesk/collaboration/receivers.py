"""Keep a request's overdue flag and next deadline in step with what the sweep does."""

from django.dispatch import receiver

from crossdesk.deadlines.choices import EventKind
from crossdesk.deadlines.services import deadline_events

# The request services refresh these themselves; the sweep and recomputation do not know
# about requests, so they are caught here.
REFRESH_ON = {EventKind.BREACHED, EventKind.RECOMPUTED}


@receiver(deadline_events, dispatch_uid="collaboration.refresh_due")
def refresh_request_due(sender, events, **kwargs):
    from django.contrib.contenttypes.models import ContentType

    from .models import Request
    from .services import refresh_due_of_requests

    request_type = ContentType.objects.get_for_model(Request).pk
    request_ids = {
        clock.subject_id
        for clock, kind in events
        if kind in REFRESH_ON and clock.subject_type_id == request_type
    }
    if request_ids:
        refresh_due_of_requests(request_ids)
