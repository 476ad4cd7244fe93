"""Signals of the projects app.

``project_status_changed`` is sent inside the transaction that moves a project, after the
history row is written: ``flows`` (the first plan version at running, the
retrospective clock at closing, the archive list at archived) writes in the same
transaction, so a failure rolls the move back.
Arguments: ``project``, ``old``, ``new``, ``author`` (a Person or None).
"""

from django.dispatch import Signal

project_status_changed = Signal()
