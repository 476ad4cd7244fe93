"""Models of cross-department projects (SPEC §5), one module per area: charter, plan
(tasks, RACI, tracking), comms, changes, delivery, close."""

from .changes import ChangeApproval, ChangeRequest, PlanVersion
from .charter import (
    GoalMeasurement,
    GoalMetric,
    Project,
    ProjectDepartment,
    ProjectEvent,
    SubGoal,
    SubGoalProgress,
)
from .close import ArchiveList, Lesson, Retrospective
from .comms import CommunicationOccurrence, CommunicationPlanEntry
from .delivery import Deliverable, DeliverableEvidence, DeliverableReview
from .plan import Coordination, RaciCell, Task, TaskProblem, TaskUpdate, WeeklyReport

__all__ = [
    "ArchiveList",
    "ChangeApproval",
    "ChangeRequest",
    "CommunicationOccurrence",
    "CommunicationPlanEntry",
    "Coordination",
    "Deliverable",
    "DeliverableEvidence",
    "DeliverableReview",
    "GoalMeasurement",
    "GoalMetric",
    "Lesson",
    "PlanVersion",
    "Project",
    "ProjectDepartment",
    "ProjectEvent",
    "RaciCell",
    "Retrospective",
    "SubGoal",
    "SubGoalProgress",
    "Task",
    "TaskProblem",
    "TaskUpdate",
    "WeeklyReport",
]
