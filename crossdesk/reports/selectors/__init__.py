"""Figures per department and period (issue 12 §1), read-only over the other apps.

``departments``: the tree and who may see which department's figures; ``requests``: the
collaboration requests' figures, the scorecards, the ranking and the trend; ``meetings``:
the coordination meetings' and action items' figures.
"""

from .departments import (
    DepartmentNode,
    department_for_viewer,
    department_nodes,
    may_see_reports,
    visible_department_ids,
)
from .projects import HEALTHS, portfolio
from .requests import (
    SIDES,
    URGENCIES,
    ranking,
    scorecard,
    scorecards,
    scorecards_with_trend,
    trend,
    trend_buckets,
    worst_overdue,
)
from .stats import median, p90, percent
from .targets import TargetRow, target_rows, targets_for

__all__ = [
    "HEALTHS",
    "portfolio",
    "SIDES",
    "URGENCIES",
    "DepartmentNode",
    "department_for_viewer",
    "department_nodes",
    "may_see_reports",
    "median",
    "p90",
    "percent",
    "ranking",
    "scorecard",
    "scorecards",
    "scorecards_with_trend",
    "trend",
    "trend_buckets",
    "worst_overdue",
    "visible_department_ids",
    "TargetRow",
    "target_rows",
    "targets_for",
]
