from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crossdesk.org.models import Person

from . import selectors, services


def _person(request) -> Person | None:
    return Person.objects.filter(user=request.user).first()


@require_GET
def inbox(request):
    """My notifications, newest first; ``?unread=1`` for the unread ones."""
    person = _person(request)
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.inbox(person=person, unread_only=unread_only) if person else []
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "unread_only": unread_only})


@require_POST
def mark_read(request):
    person = _person(request)
    if person is not None:
        ids = request.POST.getlist("id")
        services.notifications_mark_read(person=person, ids=[int(i) for i in ids if i.isdigit()] or None)
    if request.htmx:
        return render(request, "notify/_badge.html", {"unread_count": selectors.unread_count(person=person)})
    return redirect(request.POST.get("next") or "notify:inbox")
