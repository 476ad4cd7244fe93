from django_tasks import task


@task()
def sweep_deadlines() -> dict:
    """Warn, mark breaches, escalate and follow up whatever is due (every minute)."""
    from .services import sweep

    return sweep()


@task()
def recompute_deadlines(reason: str, actor_id: int | None = None) -> int:
    """Recompute every running deadline after a calendar change; returns how many moved."""
    from django.contrib.auth import get_user_model

    from .services import clocks_recompute

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return clocks_recompute(reason=reason, actor=actor)
