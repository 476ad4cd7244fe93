"""Importing departments and people from .xlsx and .csv, all or nothing (SPEC §2).

The pipeline is three steps, each testable on its own:

1. :func:`read_sources` turns the uploaded files into tables of text (no database);
2. :func:`validate` checks the tables as a whole against a :func:`load_snapshot` of the
   database and collects every problem, by table, row and column;
3. :func:`write` applies the plan with bulk statements; the caller runs it in one
   transaction and only when step 2 found nothing.

``crossdesk.org.services.import_job_run`` strings them together for an ImportJob.
"""

from .columns import DEPARTMENTS, PEOPLE, TABLES, TableSpec
from .problems import Problem, ProblemList, describe
from .reading import Source, Table, read_sources, too_big_message
from .snapshot import Snapshot, load_snapshot
from .validating import Plan, validate
from .writing import Counts, write

__all__ = [
    "DEPARTMENTS",
    "PEOPLE",
    "TABLES",
    "Counts",
    "Plan",
    "Problem",
    "ProblemList",
    "Snapshot",
    "Source",
    "Table",
    "TableSpec",
    "describe",
    "load_snapshot",
    "read_sources",
    "too_big_message",
    "validate",
    "write",
]
