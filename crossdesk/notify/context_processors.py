from .selectors import unread_count


def unread_notifications(request):
    """The unread count for the bell in the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return {"unread_count": unread_count(person=person)}
