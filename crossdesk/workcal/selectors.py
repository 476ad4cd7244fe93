def calendar_warnings() -> list[dict]:
    """Warnings an administrator must act on (e.g. a coming year with no official schedule)."""
    return []
