"""What the reports API answers: the figures of ``selectors.scorecards`` as they are."""

from __future__ import annotations

from ninja import Field, Schema


class PeriodIn(Schema):
    """Query parameters of a scorecard or the ranking; each is checked (400 naming it)."""

    date_from: str = Field("", alias="from", description="First day of the period, YYYY-MM-DD")
    date_to: str = Field(
        "", alias="to", description="Last day of the period, YYYY-MM-DD (at most 5 years on)"
    )


class UrgencyShareOut(Schema):
    measured: int = Field(description="Responses due in the period whose outcome is known")
    within_target: int
    pct: float | None = Field(description="Share within target, %; none when nothing was measured")


class EscalationsOut(Schema):
    head: int = Field(description="Escalations that reached the department head")
    supervisor: int = Field(description="Escalations that reached the supervisor")


class SatisfactionOut(Schema):
    rated: int
    average: float | None
    distribution: dict[str, int] = Field(description="How many ratings of 1, 2, 3, 4 and 5")
    share_4_5: float | None = Field(description="Share of ratings 4 or 5, %")
    comments: int = Field(description="Ratings that came with a comment")


class SideOut(Schema):
    """One side's figures: the requests raised (requesting) or the parts to act on (receiving)."""

    requests: int = Field(description="Requests raised in the period (requesting) or received (receiving)")
    declined: int
    cancelled: int
    open_now: int = Field(description="Not closed today, whatever the period")
    overdue_now: int
    overdue_by_urgency: dict[str, int]
    response_measured: int
    response_within_target: int
    response_within_target_pct: float | None
    response_by_urgency: dict[str, UrgencyShareOut]
    resolution_measured: int
    resolution_on_time: int
    resolution_on_time_pct: float | None = Field(description="Resolved on or before the committed date, %")
    respond_hours_median: float | None = Field(description="Working hours to accept or decline, less pauses")
    respond_hours_p90: float | None
    resolve_hours_median: float | None = Field(description="Working hours to resolve, less pauses")
    resolve_hours_p90: float | None
    paused_hours: float = Field(description="Working hours paused waiting on the initiator")
    resolved: int
    reopened: int
    reopen_rate_pct: float | None
    escalations: EscalationsOut
    satisfaction: SatisfactionOut


class MeetingsOut(Schema):
    """Meetings the department called that start in the period; objections it raised to
    their minutes; action items it owns falling due in the period."""

    meetings: int
    notices_sent: int
    notices_on_time: int
    notices_on_time_pct: float | None = Field(description="Notices at least 3 working days ahead, %")
    minutes_measured: int
    minutes_on_time: int
    minutes_on_time_pct: float | None = Field(description="Minutes circulated in time, %")
    objections: int
    action_items_measured: int
    action_items_on_time: int
    action_items_on_time_pct: float | None = Field(description="Action items done by their deadline, %")
    overdue_action_items: int = Field(description="Open action items past their deadline now")


class ProjectsOut(Schema):
    """Tasks it is responsible for in live projects by health (now); goal metrics of the
    projects it initiated (now); its deliverables accepted in the period."""

    tasks: int
    tasks_by_health: dict[str, int]
    goal_metrics_measured: int
    goal_progress_pct: float | None = Field(description="Average progress from baseline to target, %")
    deliverables_accepted: int
    deliverables_accepted_first_time: int
    deliverables_first_time_pct: float | None
    rework_rounds: int = Field(description="Submissions beyond the first of the deliverables accepted")


class DepartmentOut(Schema):
    code: str
    name: str
    depth: int = Field(description="0 for a top department, 1 below it, …")


class PeriodOut(Schema):
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")


class FigureTargetOut(Schema):
    """One scorecard figure against its target (the department's own, else the one for all)."""

    figure: str = Field(description="The figure's key, e.g. receiving.response_within_target_pct")
    value: float | None
    target: float | None
    met: str = Field(description="met, not_met, or empty when there is no target or no value")


class ScorecardOut(Schema):
    """A department's figures for the period, rolled up over its sub-departments, with the
    request list URL behind each count (``links[side][figure]``)."""

    department: DepartmentOut
    period: PeriodOut
    requesting: SideOut
    receiving: SideOut
    meetings: MeetingsOut
    projects: ProjectsOut
    links: dict[str, dict[str, str]]
    targets: list[FigureTargetOut] = Field(
        default_factory=list, description="Each figure against its target (the scorecard only)"
    )


class TargetsIn(Schema):
    """Query of the targets list: a department's code for its own targets beside the ones for all."""

    department: str = Field("", description="Department code; empty for the targets of every department")


class TargetOut(Schema):
    figure: str = Field(description="The figure's key")
    section: str
    label: str
    unit: str
    better: str = Field(description="up: met at or above the target; down: at or below")
    default: float | None = Field(description="The target for every department")
    default_version: int | None
    own: float | None = Field(description="The department's own target, replacing the default")
    own_version: int | None
    effective: float | None


class TargetIn(Schema):
    """Set one figure's target; ``value`` null removes it. ``version``: the version read
    (``default_version`` or ``own_version``), null when there was none; an old one is a 409."""

    department: str | None = Field(None, description="Department code; null for every department")
    value: float | str | None = None
    version: int | None = None
