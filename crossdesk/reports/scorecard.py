"""A department's scorecard for a performance review [004]: the figures that matter, each
against the same figure of the period before, as one table that the page, the Excel file
and the printed PDF all read. What counts as better says which way each figure should
move (a shorter time to respond is better, more overdue items worse)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from .periods import Period, preset_period

UP, DOWN = "up", "down"  # the direction in which a figure gets better


@dataclass(frozen=True)
class Figure:
    section: Any
    label: Any
    path: tuple[str, ...]
    unit: Any = ""
    better: str = UP

    @property
    def key(self) -> str:
        """The figure's name in targets, the API and the forms: its path, dot-separated."""
        return ".".join(self.path)


FIGURES = [
    Figure(_("Receiving side"), _("Requests received"), ("receiving", "requests")),
    Figure(
        _("Receiving side"), _("Responded within target"), ("receiving", "response_within_target_pct"), "%"
    ),
    Figure(
        _("Receiving side"), _("Resolved by the committed date"), ("receiving", "resolution_on_time_pct"), "%"
    ),
    Figure(
        _("Receiving side"), _("Time to respond, median"), ("receiving", "respond_hours_median"), _("h"), DOWN
    ),
    Figure(
        _("Receiving side"), _("Time to resolve, median"), ("receiving", "resolve_hours_median"), _("h"), DOWN
    ),
    Figure(_("Receiving side"), _("Time to resolve, p90"), ("receiving", "resolve_hours_p90"), _("h"), DOWN),
    Figure(_("Receiving side"), _("Reopen rate"), ("receiving", "reopen_rate_pct"), "%", DOWN),
    Figure(_("Receiving side"), _("Overdue now"), ("receiving", "overdue_now"), "", DOWN),
    Figure(_("Receiving side"), _("Escalated to the head"), ("receiving", "escalations", "head"), "", DOWN),
    Figure(
        _("Receiving side"),
        _("Escalated to the supervisor"),
        ("receiving", "escalations", "supervisor"),
        "",
        DOWN,
    ),
    Figure(_("Receiving side"), _("Satisfaction, average (1–5)"), ("receiving", "satisfaction", "average")),
    Figure(_("Receiving side"), _("Rated 4 or 5"), ("receiving", "satisfaction", "share_4_5"), "%"),
    Figure(_("Requesting side"), _("Requests raised"), ("requesting", "requests")),
    Figure(
        _("Requesting side"), _("Answered within target"), ("requesting", "response_within_target_pct"), "%"
    ),
    Figure(_("Meetings"), _("Notices on time"), ("meetings", "notices_on_time_pct"), "%"),
    Figure(_("Meetings"), _("Minutes circulated on time"), ("meetings", "minutes_on_time_pct"), "%"),
    Figure(_("Meetings"), _("Action items done on time"), ("meetings", "action_items_on_time_pct"), "%"),
    Figure(_("Meetings"), _("Overdue action items"), ("meetings", "overdue_action_items"), "", DOWN),
    Figure(
        _("Projects"), _("Deliverables accepted first time"), ("projects", "deliverables_first_time_pct"), "%"
    ),
]


FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}


def previous_period(period: Period) -> Period:
    """The period of the same length just before ``period`` (the month, quarter or year
    before for a preset; as many days before for typed dates)."""
    if period.preset in ("month", "quarter", "year", "week"):
        return preset_period(period.preset, period.start - timedelta(days=1))
    length = timedelta(days=period.days)
    return Period(period.start - length, period.end - length, "custom")


def value_at(card: dict, path: tuple[str, ...]) -> Any:
    value: Any = card
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    unit: str
    now: Any
    before: Any
    change: float | None
    verdict: str  # "better", "worse", "same" or "" (nothing to compare)
    key: str = ""
    target: float | None = None
    met: str = ""  # "met", "not_met" or "" (no target, or nothing measured)


def target_met(figure: Figure, value: Any, target: float | None) -> str:
    """Whether ``value`` reaches ``target`` in the direction that counts (at least the target
    for a figure that should rise, at most for one that should fall); "" when either is missing."""
    if target is None or not isinstance(value, int | float):
        return ""
    reached = value >= target if figure.better == UP else value <= target
    return "met" if reached else "not_met"


def scorecard_rows(current: dict, previous: dict, targets: dict[str, float] | None = None) -> list[Row]:
    """Each figure of ``current`` beside ``previous``, with the change and whether it is
    better, and against its target when one is set (``targets``: figure key → target)."""
    targets = targets or {}
    rows = []
    for figure in FIGURES:
        now, before = value_at(current, figure.path), value_at(previous, figure.path)
        change = None
        verdict = ""
        if isinstance(now, int | float) and isinstance(before, int | float):
            change = round(now - before, 2)
            if change == 0:
                verdict = "same"
            else:
                verdict = "better" if (change > 0) == (figure.better == UP) else "worse"
        target = targets.get(figure.key)
        rows.append(
            Row(
                str(figure.section),
                str(figure.label),
                str(figure.unit),
                now,
                before,
                change,
                verdict,
                key=figure.key,
                target=target,
                met=target_met(figure, now, target),
            )
        )
    return rows
