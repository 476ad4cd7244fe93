"""Forms of the project pages. They only say which fields a page shows, their widgets,
labels and initial values; the services parse the input (``core.records.inputs``) and name
the field they refuse, which the views put next to it (``show_error``, ``show_row_error``).
Field names are those the services and the API already use."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError
from crossdesk.core.forms import ActionForm, PickField, datetime_local, show_error, textarea

from .choices import (
    ChangeAspect,
    CommChannel,
    CommFrequency,
    CommOutput,
    CommScenario,
    EvidenceKind,
    Recurrence,
    Weekday,
)

DATE = {"type": "date"}
ROW_ERROR = re.compile(r"^\w+\[(\d+)\]\.(\w+)$")


def text(label="", *, rows: int | None = None, **attrs) -> forms.CharField:
    """A text input (a textarea of ``rows``); the service says what is required."""
    widget = textarea(rows, **attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget)


def day(label="") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def moment(label="") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=datetime_local())


def hidden() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.HiddenInput, empty_value=None)


def pick(label="", choices=(), blank=None, **kw) -> PickField:
    choices = [("", blank), *choices] if blank is not None else list(choices)
    return PickField(label=label, choices=choices, required=False, **kw)


class Picks(forms.TypedMultipleChoiceField):
    """Several ids whose choices come from the page; the service checks them."""

    def __init__(self, label="", widget=forms.CheckboxSelectMultiple, **kwargs):
        super().__init__(label=label, coerce=int, required=False, widget=widget, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class RowForm(ActionForm):
    """One row of a table inside a larger form: its fields are named ``<prefix>_<name>``."""

    def add_prefix(self, field_name):
        return f"{self.prefix}_{field_name}" if self.prefix else field_name

    significant: tuple[str, ...] = ()

    def filled(self) -> bool:
        """Whether the row was filled in (an empty row of the table is left out)."""
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.significant)


def rows(form_class, prefix: str, n: int, data=None, initial=(), **context) -> list:
    """``n`` rows of ``form_class`` named ``<prefix><i>_<field>``, the first ones filled."""
    initial = list(initial)
    return [
        form_class(
            data, prefix=f"{prefix}{i}", initial=initial[i] if i < len(initial) else None, context=context
        )
        for i in range(n)
    ]


def show_row_error(form: forms.Form, row_forms: list, exc: ApplicationError) -> None:
    """``goal_metrics[1].target``: next to that field of that row; else as ``show_error``."""
    found = ROW_ERROR.match(exc.field or "")
    if found and int(found[1]) < len(row_forms) and found[2] in row_forms[int(found[1])].fields:
        row_forms[int(found[1])].add_error(found[2], exc.message)
        form.add_error(None, exc.message)
    else:
        show_error(form, exc)


# --- the charter ------------------------------------------------------------------------------


class CharterForm(ActionForm):
    """The charter, in the seed's sections: basic information, goal, expected outcomes."""

    version = hidden()
    name = text(_("Project name"), maxlength=200)
    initiating_department = pick(_("Initiating department"))
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    planned_start = day(_("Planned start"))
    planned_finish = day(_("Planned finish"))
    background = text(_("Background"), rows=2)
    core_goal = text(_("Core goal"), rows=2)
    expected_outcomes = text(_("Expected outcomes"), rows=2)

    def setup(self, departments=None, editing=False, **context):
        if editing:
            del self.fields["initiating_department"]
        else:
            del self.fields["version"]
            self.fields["initiating_department"].choices = departments or []


class MetricForm(RowForm):
    """One SMART goal metric: what is measured, from what baseline, to what target, by when."""

    significant = ("metric", "baseline", "target", "target_date")
    id = hidden()
    metric = text(_("Metric"))
    unit = text(_("Unit"), style="width:5rem")
    baseline = text(_("Baseline"))
    target = text(_("Target"))
    target_date = day(_("Target date"))


class ParticipantForm(ActionForm):
    heading = _("Add or change")
    submit_label = _("Add or change")
    department = pick(_("Department"))
    liaison = pick(_("Liaison"), blank=_("(the department's default liaison)"))
    duties = text(_("Duties"))

    def setup(self, departments=(), people=(), **context):
        self.fields["department"].choices = list(departments)
        people = [(p.pk, f"{p.name} · {p.title}") for p in people]
        self.fields["liaison"].choices = [("", _("(the department's default liaison)")), *people]


class RemoveParticipantForm(ActionForm):
    submit_label = _("Remove")
    danger = True
    confirm = _("Remove this department?")
    remove = hidden()


class SubGoalForm(ActionForm):
    """A department's quantified sub-goal, due once (a deadline) or again and again."""

    heading = _("Add a sub-goal")
    submit_label = _("Add")
    action = hidden()
    department = pick(_("Department"))
    description = text(_("Sub-goal"))
    metric = text(_("Measure"))
    target = text(_("Target"))
    unit = text(_("Unit"))
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices, required=False)
    deadline = day(_("Deadline"))
    at_time = forms.CharField(
        label=_("By time of day"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    weekday = pick(_("Weekday"), Weekday.choices, blank="—")
    within_hours = text(_("Within hours"))
    day_of_month = text(_("Day of the month"))

    def setup(self, participations=(), **context):
        self.fields["department"].choices = [(p.department_id, p.department.name) for p in participations]


class SubGoalProgressForm(ActionForm):
    submit_label = _("Record")
    action = hidden()
    sub_goal = hidden()
    value = text(_("Value"))
    period_end = day(_("Period end"))


class MeasureForm(ActionForm):
    submit_label = _("Record")
    action = hidden()
    metric = hidden()
    value = text(_("Measured value"))
    measured_on = day(_("Measured on"))


class SubGoalDeleteForm(ActionForm):
    action = hidden()
    sub_goal = hidden()


class KickoffForm(ActionForm):
    submit_label = _("Call the kickoff meeting")
    version = hidden()
    starts_at = moment(_("Starts at"))
    ends_at = moment(_("Ends at"))
    place = text(_("Place"))
    late_reason = text(_("Reason for a short notice"))
    meeting = text(_("or link kickoff meeting no."))


class ClosingForm(ActionForm):
    submit_label = _("Move to closing")
    version = hidden()
    reason = text(_("Reason, if tasks are still open"), rows=2)


class ReopenForm(ActionForm):
    submit_label = _("Reopen")
    reason = text(_("Why it reopens"), rows=2)


class CloseForm(ActionForm):
    submit_label = _("Close the project")


class ArchiveForm(ActionForm):
    submit_label = _("Archive")
    confirm = _("Archive? It becomes read-only.")


# --- tasks ------------------------------------------------------------------------------------


class TaskForm(ActionForm):
    """A row of the responsibility table: its ONE responsible department, owner, RACI, dates."""

    version = hidden()
    code = text(_("Task number"), placeholder="T01")
    title = text(_("Task"))
    description = text(_("Description"), rows=2)
    responsible = pick(_("Responsible department (exactly one)"))
    owner = pick(_("Owner"), blank=_("(the department's liaison)"))
    accountable = pick(_("Accountable (A)"), blank="—")
    collaborators = Picks(_("Collaborating departments (C)"), widget=forms.SelectMultiple)
    informed = Picks(_("Informed departments (I)"), widget=forms.SelectMultiple)
    delivery_standard = text(_("Delivery standard"), rows=2)
    deliverable = text(_("Deliverable"))
    planned_start = day(_("Planned start"))
    planned_finish = day(_("Planned finish"))

    def setup(self, participations=(), people=(), **context):
        departments = [(p.department_id, p.department.name) for p in participations]
        for name in ("responsible", "collaborators", "informed"):
            self.fields[name].choices = departments
        self.fields["accountable"].choices = [("", "—"), *departments]
        self.fields["owner"].choices = [
            ("", _("(the department's liaison)")),
            *((p.pk, p.name) for p in people),
        ]


class ProgressForm(ActionForm):
    heading = _("Update progress")
    version = hidden()
    progress = forms.CharField(
        label=_("Progress (%)"), required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 100})
    )
    actual_start = day(_("Actual start"))
    actual_finish = day(_("Actual finish"))
    note = text(_("What was done, what is next"))


class ProblemForm(ActionForm):
    heading = _("Report a problem")
    submit_label = _("Report")
    danger = True
    description = text(_("Problem"), rows=2)
    support_needed = text(_("Support needed"))
    blocking = forms.BooleanField(label=_("It blocks the task"), required=False)


class ResolveForm(ActionForm):
    submit_label = _("Resolved")
    problem = hidden()
    resolution = text(_("How it was resolved"))


class CallMeetingForm(ActionForm):
    submit_label = _("Call the special coordination meeting")
    coordination = hidden()
    starts_at = moment(_("Starts at"))
    place = text(_("Place"))


class CoordinationForm(ActionForm):
    submit_label = _("Record measures")
    coordination = hidden()
    version = hidden()
    meeting = pick(_("The special coordination meeting"), blank="—")
    measures = text(_("Measures"), rows=2)
    owner = pick(_("Owner"))
    new_deadline = day(_("New deadline"))

    def setup(self, meetings=(), people=(), **context):
        self.fields["meeting"].choices = [("", "—"), *((m.pk, str(m)) for m in meetings)]
        self.fields["owner"].choices = [(p.pk, p.name) for p in people]


class CancelTaskForm(ActionForm):
    submit_label = _("Cancel the task")
    danger = True
    version = hidden()
    reason = text(_("Reason"), rows=2)


# --- the communication plan ---------------------------------------------------------------------


class CommEntryForm(ActionForm):
    """One row of the communication plan: scenario, channel, frequency, participants, output."""

    version = hidden()
    scenario = forms.ChoiceField(label=_("Scenario"), choices=CommScenario.choices, required=False)
    scenario_detail = text(_("detail"))
    channel = forms.ChoiceField(label=_("Channel"), choices=CommChannel.choices, required=False)
    place = text(_("place or online group"))
    frequency = forms.ChoiceField(label=_("Frequency"), choices=CommFrequency.choices, required=False)
    at_time = forms.CharField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    weekdays = Picks(_("Weekdays"), choices=Weekday.choices)
    working_days_only = forms.BooleanField(
        label=_("Working days only (holidays skipped, 调休 days included)"), required=False
    )
    participants = Picks(_("Participants"), widget=forms.SelectMultiple(attrs={"size": 3}))
    output = forms.ChoiceField(label=_("Output"), choices=CommOutput.choices, required=False)
    owner = pick(_("Owner"))

    def setup(self, participations=(), people=(), **context):
        self.fields["participants"].choices = [(p.pk, p.department.name) for p in participations]
        self.fields["owner"].choices = [(p.pk, p.name) for p in people]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["weekdays"] = [str(d) for d in data["weekdays"]]
        return data


class CommRemoveForm(ActionForm):
    submit_label = _("Remove")
    danger = True
    confirm = _("Remove this row? Its future meetings will be cancelled and invitees told.")
    version = hidden()


# --- change requests ------------------------------------------------------------------------------


class ChangeForm(ActionForm):
    """A change request: what changes and why, its impact, the proposed new dates and targets."""

    heading = _("Raise a change request")
    submit_label = _("Raise")

    title = text(_("Subject"))
    aspects = forms.MultipleChoiceField(
        label=_("What changes"),
        choices=ChangeAspect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = text(_("The change"), rows=3)
    reason = text(_("Why"), rows=3)
    impact = text(_("Impact"), rows=3)
    task = pick(_("New dates of a task"), blank="—")
    task_start = day(_("New planned start of the task"))
    task_finish = day(_("New planned finish of the task"))
    metric = pick(_("New target of a goal metric"), blank="—")
    metric_target = text(_("target"))
    metric_date = day(_("New target date"))
    departments = Picks(_("Also to be approved by"))
    planned_finish = day(_("New planned finish of the project"))

    def setup(self, tasks=(), metrics=(), participations=(), **context):
        self.fields["task"].choices = [
            ("", "—"),
            *((t.pk, f"{t.code} {t.title} ({t.planned_start}–{t.planned_finish})") for t in tasks),
        ]
        self.fields["metric"].choices = [
            ("", "—"),
            *((m.pk, f"{m.metric} ({m.target}{m.unit})") for m in metrics),
        ]
        self.fields["departments"].choices = [(p.department_id, p.department.name) for p in participations]

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {name: d[name] for name in ("title", "description", "reason", "impact", "aspects")}
        data["departments"] = [str(pk) for pk in d["departments"]]
        proposal: dict = {}
        if d["task"] and (d["task_start"] or d["task_finish"]):
            dates = {"planned_start": d["task_start"], "planned_finish": d["task_finish"]}
            proposal["tasks"] = [{"task": str(d["task"]), **dates}]
        if d["metric"] and (d["metric_target"] or d["metric_date"]):
            target = {"target": d["metric_target"], "target_date": d["metric_date"]}
            proposal["goal_metrics"] = [{"metric": str(d["metric"]), **target}]
        if d["planned_finish"]:
            proposal["planned_finish"] = d["planned_finish"]
        return {**data, "proposal": proposal}


class DecideForm(ActionForm):
    department = hidden()
    version = hidden()
    decision = forms.CharField(required=False)  # the button pressed: approved or rejected
    comment = text(_("Comment (required to reject)"), rows=2)


class WithdrawForm(ActionForm):
    heading = submit_label = _("Withdraw")
    danger = True
    confirm = _("Withdraw this change request?")
    version = hidden()
    reason = text(_("Reason"))


# --- deliverables ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class Files(forms.FileField):
    """Several files; the service says how many and which kinds it takes."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=MultipleFileInput, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(Files, self).clean(f, initial) for f in files if f]


class DeliverableForm(ActionForm):
    submit_label = _("Record a deliverable")
    name = text(_("Deliverable"))


class SubmitForm(ActionForm):
    submit_label = _("Submit for acceptance")
    version = hidden()
    files = Files(label=_("Evidence (reports, files, feedback)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices, required=False)
    note = text(_("Note"), rows=2)

    def setup(self, again=False, **context):
        if again:
            self.submit_label = _("Resubmit")


class ReviewForm(ActionForm):
    version = hidden()
    comment = text(_("Findings against the delivery standard (required to send back)"), rows=2)


# --- the retrospective ----------------------------------------------------------------------------


class RetrospectiveForm(ActionForm):
    version = hidden()
    went_well = text(_("What went well"), rows=5)
    to_improve = text(_("What to improve"), rows=5)
    summary = text(_("Summary"), rows=5)


class LessonForm(RowForm):
    """A lesson for the knowledge base: title, the lesson, tags, the departments it concerns."""

    significant = ("id", "title", "body")
    id = hidden()
    title = text(_("title"))
    body = text(_("the lesson"), rows=2)
    tags = text(_("tags"))
    departments = Picks(_("Departments"), widget=forms.SelectMultiple)

    def setup(self, participations=(), **context):
        self.fields["departments"].choices = [(p.department_id, p.department.name) for p in participations]
