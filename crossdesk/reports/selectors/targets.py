"""The scorecard's targets as the scorecard and the targets page read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import ScorecardTarget
from ..scorecard import FIGURES


def targets_for(department_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """Each department's target per figure (its own where it has one, else the target for
    every department), in one query."""
    wanted = set(department_ids)
    defaults: dict[str, float] = {}
    own: dict[int, dict[str, float]] = {pk: {} for pk in wanted}
    rows = ScorecardTarget.objects.filter(department_id__isnull=True) | ScorecardTarget.objects.filter(
        department_id__in=wanted
    )
    for figure, department_id, value in rows.values_list("figure", "department_id", "value"):
        if department_id is None:
            defaults[figure] = value
        else:
            own[department_id][figure] = value
    return {pk: {**defaults, **own[pk]} for pk in wanted}


@dataclass(frozen=True)
class TargetRow:
    key: str
    section: str
    label: str
    unit: str
    better: str
    default: float | None
    default_version: int | None
    own: float | None
    own_version: int | None

    @property
    def effective(self) -> float | None:
        return self.own if self.own is not None else self.default


def target_rows(department_id: int | None) -> list[TargetRow]:
    """Every figure with its target for all departments and, when ``department_id`` is
    given, that department's own (the targets page and the API)."""
    rows = ScorecardTarget.objects.filter(department_id__isnull=True)
    if department_id is not None:
        rows = rows | ScorecardTarget.objects.filter(department_id=department_id)
    found = {(t.figure, t.department_id): t for t in rows}
    result = []
    for figure in FIGURES:
        default = found.get((figure.key, None))
        own = found.get((figure.key, department_id)) if department_id is not None else None
        result.append(
            TargetRow(
                key=figure.key,
                section=str(figure.section),
                label=str(figure.label),
                unit=str(figure.unit),
                better=figure.better,
                default=default.value if default else None,
                default_version=default.version if default else None,
                own=own.value if own else None,
                own_version=own.version if own else None,
            )
        )
    return result
