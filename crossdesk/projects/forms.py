"""Forms of the project pages. They only say which fields a page shows, their widgets,
labels and initial values; the services parse the input (``core.records.inputs``) and name
the field they refuse, which the forms put next to it (``show_error``; a row's next to that
row). Field names are those the services and the API already use; the choices come from
what the page loaded, named by each field's ``source`` (see :func:`sources`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import (
    ActionForm,
    FilesField,
    MultiPickField,
    PickField,
    RowForm,
    TableForm,
    action_form,
    date_field,
    hidden_field,
    moment_field,
    textarea,
    time_field,
)

from . import choices


def sources(participations=(), people=(), **more) -> dict:
    """The choices the forms pick from, by source: the participating departments (by
    department, or by participation: ``parts``) and people."""
    return {
        "departments": [(p.department_id, p.department.name) for p in participations],
        "parts": [(p.pk, p.department.name) for p in participations],
        "people": [(p.pk, p.name) for p in people],
        **more,
    }


def text(label="", *, rows: int | None = None, **attrs) -> forms.CharField:
    """A text input (a textarea of ``rows``); the service says what is required."""
    widget = textarea(rows, **attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget)


def pick(label, source: str, blank=None) -> PickField:
    """One of the page's ``source`` (see :func:`sources`), after a ``blank`` choice if any."""
    return PickField(label=label, source=source, blank=blank, required=False)


def choice(label, kind) -> forms.ChoiceField:
    """One of ``kind`` (a ``TextChoices`` of ``choices``)."""
    return forms.ChoiceField(label=label, choices=kind.choices, required=False)


def reason_form(class_name: str, submit_label, label, *, rows: int | None = 2, **attrs) -> type[ActionForm]:
    """A move that asks why (its ``label``), sent with the version it was opened at."""
    reason = text(label, rows=rows)
    return action_form(class_name, submit_label=submit_label, version=hidden_field(), reason=reason, **attrs)


# --- the charter ------------------------------------------------------------------------------


class MetricForm(RowForm):
    """One SMART goal metric: what is measured, from what baseline, to what target, by when."""

    significant = ("metric", "baseline", "target", "target_date")
    id = hidden_field()
    metric = text(_("Metric"))
    unit = text(_("Unit"), style="width:5rem")
    baseline = text(_("Baseline"))
    target = text(_("Target"))
    target_date = date_field(_("Target date"))


class CharterForm(TableForm):
    """The charter, in the seed's sections: basic information, goal, expected outcomes, and
    the goal's metrics as rows ``m<n>_<field>``."""

    row_form, row_prefix, rows_field = MetricForm, "m", "metric_rows"
    min_rows, max_rows = 3, 20
    version = hidden_field()
    name = text(_("Project name"), maxlength=200)
    initiating_department = pick(_("Initiating department"), "all_departments")
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    planned_start = date_field(_("Planned start"))
    planned_finish = date_field(_("Planned finish"))
    background = text(_("Background"), rows=2)
    core_goal = text(_("Core goal"), rows=2)
    expected_outcomes = text(_("Expected outcomes"), rows=2)

    def setup(self, editing=False, **context):
        self.fields.pop("initiating_department" if editing else "version", None)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        metrics = [row.cleaned_data for row in self.sent]
        return {**data, "goal_metrics": [{k: v for k, v in m.items() if k != "id" or v} for m in metrics]}


ParticipantForm = action_form(
    "ParticipantForm",
    heading=_("Add or change"),
    submit_label=_("Add or change"),
    department=pick(_("Department"), "all_departments"),
    liaison=pick(_("Liaison"), "liaisons", blank=_("(the department's default liaison)")),
    duties=text(_("Duties")),
)
RemoveParticipantForm = action_form(
    "RemoveParticipantForm",
    submit_label=_("Remove"),
    danger=True,
    confirm=_("Remove this department?"),
    action=hidden_field(),
    remove=hidden_field(),
)


class SubGoalForm(ActionForm):
    """A department's quantified sub-goal, due once (a deadline) or again and again."""

    heading = _("Add a sub-goal")
    submit_label = _("Add")
    department = pick(_("Department"), "departments")
    description = text(_("Sub-goal"))
    metric = text(_("Measure"))
    target = text(_("Target"))
    unit = text(_("Unit"))
    recurrence = choice(_("Recurrence"), choices.Recurrence)
    deadline = date_field(_("Deadline"))
    at_time = time_field(_("By time of day"))
    weekday = PickField(label=_("Weekday"), choices=[("", "—"), *choices.Weekday.choices], required=False)
    within_hours = text(_("Within hours"))
    day_of_month = text(_("Day of the month"))

    def service_data(self) -> dict:
        data = self.cleaned_data.items()
        filled = {k: v for k, v in data if v not in ("", None) or k == "recurrence"}
        return {**filled, "higher_is_better": True}


SubGoalProgressForm = action_form(
    "SubGoalProgressForm",
    submit_label=_("Record"),
    sub_goal=hidden_field(),
    value=text(_("Value")),
    period_end=date_field(_("Period end")),
)
MeasureForm = action_form(
    "MeasureForm",
    submit_label=_("Record"),
    metric=hidden_field(),
    value=text(_("Measured value")),
    measured_on=date_field(_("Measured on")),
)
SubGoalDeleteForm = action_form("SubGoalDeleteForm", sub_goal=hidden_field())


class KickoffForm(ActionForm):
    submit_label = _("Call the kickoff meeting")
    version = hidden_field()
    starts_at = moment_field(_("Starts at"))
    ends_at = moment_field(_("Ends at"))
    place = text(_("Place"))
    late_reason = text(_("Reason for a short notice"))
    meeting = text(_("or link kickoff meeting no."))

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v and k != "version"}


ClosingForm = reason_form("ClosingForm", _("Move to closing"), _("Reason, if tasks are still open"))
ReopenForm = reason_form("ReopenForm", _("Reopen"), _("Why it reopens"))
CloseForm = action_form("CloseForm", submit_label=_("Close the project"))
ArchiveForm = action_form(
    "ArchiveForm", submit_label=_("Archive"), confirm=_("Archive? It becomes read-only.")
)


# --- tasks ------------------------------------------------------------------------------------


class TaskForm(ActionForm):
    """A row of the responsibility table: its ONE responsible department, owner, RACI, dates."""

    version = hidden_field()
    code = text(_("Task number"), placeholder="T01")
    title = text(_("Task"))
    description = text(_("Description"), rows=2)
    responsible = pick(_("Responsible department (exactly one)"), "departments")
    owner = pick(_("Owner"), "people", blank=_("(the department's liaison)"))
    accountable = pick(_("Accountable (A)"), "departments", blank="—")
    collaborators = MultiPickField(_("Collaborating departments (C)"), source="departments")
    informed = MultiPickField(_("Informed departments (I)"), source="departments")
    delivery_standard = text(_("Delivery standard"), rows=2)
    deliverable = text(_("Deliverable"))
    planned_start = date_field(_("Planned start"))
    planned_finish = date_field(_("Planned finish"))

    def service_data(self) -> dict:
        # Left empty, the code is numbered and the owner is the department's liaison.
        optional = ("owner", "accountable", "code")
        data = self.cleaned_data.items()
        return {k: v for k, v in data if k != "version" and not (k in optional and v in ("", None))}


ProgressForm = action_form(
    "ProgressForm",
    heading=_("Update progress"),
    version=hidden_field(),
    progress=forms.CharField(
        label=_("Progress (%)"), required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 100})
    ),
    actual_start=date_field(_("Actual start")),
    actual_finish=date_field(_("Actual finish")),
    note=text(_("What was done, what is next")),
)
ProblemForm = action_form(
    "ProblemForm",
    heading=_("Report a problem"),
    submit_label=_("Report"),
    danger=True,
    description=text(_("Problem"), rows=2),
    support_needed=text(_("Support needed")),
    blocking=forms.BooleanField(label=_("It blocks the task"), required=False),
)
ResolveForm = action_form(
    "ResolveForm",
    submit_label=_("Resolved"),
    problem=hidden_field(),
    resolution=text(_("How it was resolved")),
)


class CallMeetingForm(ActionForm):
    submit_label = _("Call the special coordination meeting")
    coordination = hidden_field()
    starts_at = moment_field(_("Starts at"))
    place = text(_("Place"))

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v}  # only what was filled in


CoordinationForm = action_form(
    "CoordinationForm",
    submit_label=_("Record measures"),
    coordination=hidden_field(),
    version=hidden_field(),
    meeting=pick(_("The special coordination meeting"), "meetings", blank="—"),
    measures=text(_("Measures"), rows=2),
    owner=pick(_("Owner"), "people"),
    new_deadline=date_field(_("New deadline")),
)
CancelTaskForm = reason_form("CancelTaskForm", _("Cancel the task"), _("Reason"), danger=True)


# --- the communication plan ---------------------------------------------------------------------


class CommEntryForm(ActionForm):
    """One row of the communication plan: scenario, channel, frequency, participants, output."""

    version = hidden_field()
    scenario = choice(_("Scenario"), choices.CommScenario)
    scenario_detail = text(_("detail"))
    channel = choice(_("Channel"), choices.CommChannel)
    place = text(_("place or online group"))
    frequency = choice(_("Frequency"), choices.CommFrequency)
    at_time = time_field(_("Time"))
    weekdays = MultiPickField(
        _("Weekdays"), choices=choices.Weekday.choices, widget=forms.CheckboxSelectMultiple
    )
    working_days_only = forms.BooleanField(
        label=_("Working days only (holidays skipped, 调休 days included)"), required=False
    )
    participants = MultiPickField(
        _("Participants"), source="parts", widget=forms.SelectMultiple(attrs={"size": 3})
    )
    output = choice(_("Output"), choices.CommOutput)
    owner = pick(_("Owner"), "people")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return {**data, "weekdays": [str(d) for d in data["weekdays"]]}


CommRemoveForm = action_form(
    "CommRemoveForm",
    submit_label=_("Remove"),
    danger=True,
    confirm=_("Remove this row? Its future meetings will be cancelled and invitees told."),
    version=hidden_field(),
)


ChatAdminForm = action_form(
    "ChatAdminForm",
    submit_label=_("Save"),
    version=hidden_field(),
    chat_admin=pick(_("Group chat administrator"), "people", blank="—"),
)

ChatRobotForm = action_form(
    "ChatRobotForm",
    submit_label=_("Connect the robot"),
    kind=forms.ChoiceField(
        label=_("Chat app"),
        choices=[("dingtalk", _("DingTalk")), ("wecom", _("WeCom")), ("feishu", _("Feishu"))],
    ),
    name=text(_("Name (the group chat's)")),
    webhook_url=text(_("Webhook address")),
    secret=text(_("Signing secret (DingTalk, Feishu)")),
)

ChatRobotRemoveForm = action_form(
    "ChatRobotRemoveForm",
    submit_label=_("Disconnect"),
    danger=True,
    confirm=_("Disconnect this robot? The group chat gets no more reminders."),
)


# --- change requests ------------------------------------------------------------------------------


class ChangeForm(ActionForm):
    """A change request: what changes and why, its impact, the proposed new dates and targets."""

    heading = _("Raise a change request")
    submit_label = _("Raise")

    title = text(_("Subject"))
    aspects = forms.MultipleChoiceField(
        label=_("What changes"),
        choices=choices.ChangeAspect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = text(_("The change"), rows=3)
    reason = text(_("Why"), rows=3)
    impact = text(_("Impact"), rows=3)
    task = pick(_("New dates of a task"), "tasks", blank="—")
    task_start = date_field(_("New planned start of the task"))
    task_finish = date_field(_("New planned finish of the task"))
    metric = pick(_("New target of a goal metric"), "metrics", blank="—")
    metric_target = text(_("target"))
    metric_date = date_field(_("New target date"))
    departments = MultiPickField(
        _("Also to be approved by"), source="departments", widget=forms.CheckboxSelectMultiple
    )
    planned_finish = date_field(_("New planned finish of the project"))

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


DecideForm = action_form(
    "DecideForm",
    department=hidden_field(),
    version=hidden_field(),
    decision=forms.CharField(required=False),  # the button pressed: approved or rejected
    comment=text(_("Comment (required to reject)"), rows=2),
)
WithdrawForm = reason_form(
    "WithdrawForm",
    _("Withdraw"),
    _("Reason"),
    rows=None,
    heading=_("Withdraw"),
    danger=True,
    confirm=_("Withdraw this change request?"),
)


# --- deliverables ---------------------------------------------------------------------------------


DeliverableForm = action_form(
    "DeliverableForm", submit_label=_("Record a deliverable"), name=text(_("Deliverable"))
)


class SubmitForm(ActionForm):
    submit_label = _("Submit for acceptance")
    version = hidden_field()
    files = FilesField(label=_("Evidence (reports, files, feedback)"))
    kind = choice(_("Kind"), choices.EvidenceKind)
    note = text(_("Note"), rows=2)

    def setup(self, again=False, **context):
        if again:
            self.submit_label = _("Resubmit")

    def service_data(self) -> dict:
        return {**self.cleaned_data, "kind": self.cleaned_data["kind"] or choices.EvidenceKind.FILE}


ReviewForm = action_form(
    "ReviewForm",
    version=hidden_field(),
    comment=text(_("Findings against the delivery standard (required to send back)"), rows=2),
)


# --- the retrospective ----------------------------------------------------------------------------


class LessonForm(RowForm):
    """A lesson for the knowledge base: title, the lesson, tags, the departments it concerns."""

    id = hidden_field()
    title = text(_("title"))
    body = text(_("the lesson"), rows=2)
    tags = text(_("tags"))
    departments = MultiPickField(_("Departments"), source="departments")


class RetrospectiveForm(TableForm):
    """What went well, what to improve, the summary, and the lessons as rows ``lesson<n>_``."""

    row_form, row_prefix, rows_field = LessonForm, "lesson", "lesson_rows"
    empty_rows, max_rows = 2, 50
    version = hidden_field()
    went_well = text(_("What went well"), rows=5)
    to_improve = text(_("What to improve"), rows=5)
    summary = text(_("Summary"), rows=5)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return {**data, "lessons": [row.cleaned_data for row in self.sent]}
