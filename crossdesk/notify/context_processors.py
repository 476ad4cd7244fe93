from .selectors import unread_records


def unread_notifications(request):
    """The bell in the top bar: how many records have unread news."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return {"unread_count": unread_records(person=person)}
