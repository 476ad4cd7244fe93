"""Signals of the meetings app.

``minutes_final`` is sent inside the transaction in which the last head signs, after the
meeting moved to signed: receivers (a project's kickoff) write in the same transaction.
Arguments: ``meeting``, ``author`` (the Person who signed last).
"""

from django.dispatch import Signal

minutes_final = Signal()
