"""Hooks into other apps: the kickoff meeting's final minutes move the project to running."""

from __future__ import annotations

from django.dispatch import receiver

from crossdesk.meetings.signals import minutes_final


@receiver(minutes_final, dispatch_uid="projects.kickoff_minutes_final")
def kickoff_minutes_final(sender, meeting, author=None, **kwargs) -> None:
    from .services.charter import project_kickoff_minutes_final

    project_kickoff_minutes_final(meeting_id=meeting.pk, author=author)
