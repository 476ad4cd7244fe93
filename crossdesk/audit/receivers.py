"""Connected in ``AuditConfig.ready()``: every audit row takes who and via what from the
current :mod:`~crossdesk.audit.context`; a background task runs as the system, with the
task as its reason."""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

from crossdesk.core.records.actors import SYSTEM, is_system

from . import context
from .models import AuditEvent, Via


def stamp(event: AuditEvent, frame: context.Frame | None = None) -> AuditEvent:
    """Fill ``via``, the actor (a person, else the system's label) and ``reason`` from the
    context, leaving what the writer set itself."""
    frame = frame or context.current()
    if not event.via or event.via == Via.SYSTEM:
        event.via = frame.via
    if event.actor_id is None and not event.actor_label:
        actor = frame.actor
        if is_system(actor):
            event.actor_label = str(actor)[:200]
        elif actor is not None and getattr(actor, "is_authenticated", False):
            event.actor_id = actor.pk
            event.actor_email = getattr(actor, "email", None)
    if not event.reason:
        event.reason = frame.why()[:500]
    return event


@receiver(pre_save, sender=AuditEvent, dispatch_uid="audit.stamp")
def stamp_before_save(sender, instance: AuditEvent, **kwargs) -> None:
    if instance.pk is None:
        stamp(instance)


_task_tokens: dict[str, object] = {}


def task_reason(module_path: str) -> str:
    """``crossdesk.deadlines.tasks.sweep_deadlines`` → ``deadlines.sweep_deadlines``."""
    parts = module_path.split(".")
    return ".".join(p for p in parts if p not in {"crossdesk", "tasks"})


@receiver(task_started, dispatch_uid="audit.task_started")
def task_starts(sender, task_result, **kwargs) -> None:
    frame = context.Frame(via=Via.SYSTEM, actor=SYSTEM.for_reason(task_reason(task_result.task.module_path)))
    _task_tokens[str(task_result.id)] = context.push(frame)


@receiver(task_finished, dispatch_uid="audit.task_finished")
def task_ends(sender, task_result, **kwargs) -> None:
    token = _task_tokens.pop(str(task_result.id), None)
    if token is not None:
        context.pop(token)
