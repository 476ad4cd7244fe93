"""Departments and people (SPEC §2). Roles are derived from these rows, never stored twice."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crossdesk.core.models import TimeStampedModel

DEPARTMENT_CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,9}$"
department_code_validator = RegexValidator(
    DEPARTMENT_CODE_PATTERN,
    _("A department code is 2 to 10 upper-case letters or digits, starting with a letter (e.g. MKT)."),
)


class Department(TimeStampedModel):
    """An organisational unit (部门). Departments form a tree through ``parent``.

    ``head`` signs for the department, ``default_liaison`` receives its requests and
    ``supervisors`` are the leaders (分管领导) escalations go to.
    """

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[department_code_validator])
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    default_liaison = models.ForeignKey(
        "Person",
        verbose_name=_("default liaison"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_departments",
    )
    supervisors = models.ManyToManyField(
        "Person", verbose_name=_("supervisors"), blank=True, related_name="supervised_departments"
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=DEPARTMENT_CODE_PATTERN),
                name="org_department_code_format",
                violation_error_message=_(
                    "A department code is 2 to 10 upper-case letters or digits, starting with a letter."
                ),
            ),
            models.UniqueConstraint(
                Upper("code"),
                name="org_department_code_unique_ci",
                violation_error_message=_("A department with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        """A department may not sit below itself."""
        super().clean()
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A department cannot be its own parent.")})
        if self.pk is None:
            return
        # Walk up from the new parent with one query for the whole tree.
        parents = dict(Department.objects.values_list("id", "parent_id"))
        seen, current = set(), self.parent_id
        while current is not None and current not in seen:
            if current == self.pk:
                raise ValidationError(
                    {"parent": _("This parent would put the department below itself (a cycle in the tree).")}
                )
            seen.add(current)
            current = parents.get(current)


class Person(TimeStampedModel):
    """A person in the company, linked to the login account they use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), through="Membership", related_name="members"
    )
    phone = models.CharField(_("internal contact number"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    dingtalk_id = models.CharField(_("DingTalk ID"), max_length=64, blank=True)
    wecom_id = models.CharField(_("WeCom ID"), max_length=64, blank=True)
    feishu_id = models.CharField(_("Feishu ID"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["employee_no"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(employee_no=""),
                name="org_person_employee_no_not_blank",
                violation_error_message=_("Every person needs an employee number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Someone who has left may not stay head, liaison or supervisor of a department:
        escalations and sign-offs would go to nobody (SPEC §3 escalation rules)."""
        super().clean()
        if self.is_active or self.pk is None:
            return
        held = (
            Department.objects.filter(is_active=True)
            .filter(models.Q(head=self) | models.Q(default_liaison=self) | models.Q(supervisors=self))
            .distinct()
            .order_by("code")
        )
        names = [str(d) for d in held[:5]]
        if names:
            raise ValidationError(
                {
                    "is_active": _(
                        "Still head, liaison or supervisor of %(departments)s: name someone else there first."
                    )
                    % {"departments": "、".join(names)}
                }
            )


class Membership(models.Model):
    """A person belongs to a department; one membership per person is the primary one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    is_primary = models.BooleanField(_("primary department"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "department"],
                name="org_membership_unique",
                violation_error_message=_("This person is already a member of this department."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(is_primary=True),
                name="org_membership_one_primary",
                violation_error_message=_("A person has only one primary department."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.department}"


class ImportJob(TimeStampedModel):
    """One upload of a departments table and/or a people table, validated whole and
    applied all or nothing.

    Progress and the error list live here so the page can show them while a worker runs
    the import, and so nothing is lost if the page is closed. The final write is one
    transaction that also marks the job as succeeded, so a worker killed mid-way leaves
    the organisation untouched and the job visibly stuck in ``running``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Rejected")

    class Phase(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READING = "reading", _("Reading the files")
        VALIDATING = "validating", _("Checking the rows")
        WRITING = "writing", _("Saving")
        DONE = "done", _("Finished")

    # A running job whose row has not moved for this long lost its worker.
    STALE_AFTER = timedelta(minutes=5)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.QUEUED)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    file_name = models.CharField(_("file name"), max_length=255)
    # The names the files had on the uploader's computer, by slot: the error list uses them.
    source_names = models.JSONField(_("original file names"), default=dict, blank=True)
    workbook = models.FileField(_("workbook"), upload_to="imports/%Y/%m/", blank=True)
    departments_file = models.FileField(_("departments file"), upload_to="imports/%Y/%m/", blank=True)
    people_file = models.FileField(_("people file"), upload_to="imports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    departments_created = models.PositiveIntegerField(_("departments created"), default=0)
    departments_updated = models.PositiveIntegerField(_("departments updated"), default=0)
    people_created = models.PositiveIntegerField(_("people created"), default=0)
    people_updated = models.PositiveIntegerField(_("people updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged rows"), default=0)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def is_interrupted(self) -> bool:
        """A running job nobody has touched for a while: its worker died. Nothing was
        written (the write is one transaction); the file has to be uploaded again."""
        return self.status == self.Status.RUNNING and self.updated_at < timezone.now() - self.STALE_AFTER

    @property
    def is_waiting_too_long(self) -> bool:
        """Still queued long after the upload: no background worker is running."""
        return self.status == self.Status.PENDING and self.created_at < timezone.now() - self.STALE_AFTER

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class VisibilityPolicy(TimeStampedModel):
    """The administrator's choices about who sees which records (SPEC §6 "administrators
    configure"), one row for the company. The defaults are the rules before the choice existed."""

    SINGLETON = 1

    informed_staff_see = models.BooleanField(
        _("staff of informed departments see the record"),
        default=True,
        help_text=_("Off: only the liaison, the head and the supervisors of an informed department see it."),
    )
    supervisors_see_drafts = models.BooleanField(
        _("supervisors see drafts"),
        default=False,
        help_text=_("On: supervisors also see the drafts of the departments they oversee."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("visibility policy")
        verbose_name_plural = _("visibility policies")

    def __str__(self) -> str:
        return str(_("Visibility policy"))
