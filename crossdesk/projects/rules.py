"""Pure rules of SPEC §5 — no database: the SMART check of a goal, a task's health, the
flags of the RACI grid, the week a progress list covers. Services and selectors call these
with plain values, so each rule is tested exhaustively on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import TaskHealth, TaskStatus

# A task is behind when its progress trails the share of its working days already spent
# by more than this many percentage points [002][003].
BEHIND_TOLERANCE = 10


# --- the SMART goal [002] -----------------------------------------------------------------


@dataclass(frozen=True)
class MetricValues:
    metric: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_date: date | None = None


def smart_missing(values: MetricValues) -> list[str]:
    """The parts a goal metric still lacks, as field names (metric, baseline, target, target_date)."""
    missing = []
    if not (values.metric or "").strip():
        missing.append("metric")
    if values.baseline is None:
        missing.append("baseline")
    if values.target is None:
        missing.append("target")
    if values.target_date is None:
        missing.append("target_date")
    return missing


def smart_problems(metrics: Sequence[MetricValues], *, today: date | None = None) -> list[str]:
    """What keeps the goal from being SMART, one sentence each; empty when it is."""
    labels = {
        "metric": _("the metric"),
        "baseline": _("the baseline"),
        "target": _("the target"),
        "target_date": _("the target date"),
    }
    if not metrics:
        return [_("The goal has no metric yet: add one with its baseline, target and date.")]
    problems = []
    for n, values in enumerate(metrics, start=1):
        missing = smart_missing(values)
        if missing:
            problems.append(
                _("Goal metric %(n)d is missing %(parts)s.")
                % {"n": n, "parts": pgettext("list separator", ", ").join(str(labels[m]) for m in missing)}
            )
            continue
        if values.baseline == values.target:
            problems.append(
                _("Goal metric %(n)d: the target equals the baseline, so nothing changes.") % {"n": n}
            )
        if today is not None and values.target_date is not None and values.target_date < today:
            problems.append(_("Goal metric %(n)d: the target date has passed.") % {"n": n})
    return problems


# --- task health [002][003][004] ----------------------------------------------------------


def working_days_between(is_working_day: Callable[[date], bool], first: date, last: date) -> int:
    """Working days in ``first`` … ``last`` inclusive (0 when last < first)."""
    count, day = 0, first
    while day <= last:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def expected_progress(
    *, planned_start: date, planned_finish: date, today: date, is_working_day: Callable[[date], bool]
) -> int:
    """The share (0–100) of the task's working days that lie before ``today``."""
    if today <= planned_start:
        return 0
    total = working_days_between(is_working_day, planned_start, planned_finish)
    if total == 0:  # planned entirely on days off: due at its finish
        return 0 if today <= planned_finish else 100
    spent = working_days_between(
        is_working_day, planned_start, min(today - timedelta(days=1), planned_finish)
    )
    return min(100, (spent * 100) // total)


def derive_health(
    *,
    status: str,
    planned_start: date,
    planned_finish: date,
    actual_finish: date | None,
    progress: int,
    blocked: bool,
    today: date,
    is_working_day: Callable[[date], bool],
) -> TaskHealth:
    """A task's health, never typed: from its status, dates, progress and open blocking problems.

    Finished tasks compare the actual and planned finish; an open task is overdue once its
    planned finish has passed, blocked while a blocking problem is open, behind when its
    progress trails the working days spent by more than ``BEHIND_TOLERANCE`` points.
    """
    if status == TaskStatus.CANCELLED:
        return TaskHealth.CANCELLED
    if status == TaskStatus.DONE:
        finished = actual_finish or today
        if finished < planned_finish:
            return TaskHealth.DONE_EARLY
        if finished == planned_finish:
            return TaskHealth.DONE_ON_TIME
        return TaskHealth.DONE_LATE
    if today > planned_finish:
        return TaskHealth.OVERDUE
    if blocked:
        return TaskHealth.BLOCKED
    expected = expected_progress(
        planned_start=planned_start, planned_finish=planned_finish, today=today, is_working_day=is_working_day
    )
    if progress + BEHIND_TOLERANCE < expected:
        return TaskHealth.BEHIND
    return TaskHealth.ON_TRACK


# --- the RACI grid [003] --------------------------------------------------------------------


@dataclass(frozen=True)
class RaciFlags:
    tasks_without_a: frozenset[int]
    departments_without_role: frozenset[int]


def raci_flags(
    *,
    task_ids: Iterable[int],
    responsible: dict[int, int],
    cells: Iterable[tuple[int, int, str]],
    participation_ids: Iterable[int],
) -> RaciFlags:
    """Tasks with no A, and participating departments with no role on any task.

    ``responsible`` maps task → its R participation; ``cells`` are (task, participation, role).
    """
    task_ids = list(task_ids)
    with_a: set[int] = set()
    with_role: set[int] = set(responsible.values())
    for task_id, participation_id, role in cells:
        with_role.add(participation_id)
        if role == "A":
            with_a.add(task_id)
    return RaciFlags(
        tasks_without_a=frozenset(t for t in task_ids if t not in with_a),
        departments_without_role=frozenset(p for p in participation_ids if p not in with_role),
    )


# --- the weekly progress list [002] -----------------------------------------------------------


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def last_working_day_of_week(day: date, is_working_day: Callable[[date], bool]) -> date | None:
    """The week's last working day (a make-up Saturday counts); None for a week entirely off."""
    monday, sunday = week_of(day)
    current = sunday
    while current >= monday:
        if is_working_day(current):
            return current
        current -= timedelta(days=1)
    return None
