"""Departments and people (SPEC §2). Roles are derived from these rows, never stored twice."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

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
    name = models.CharField(_("name"), max_length=50)
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

    def __str__(self) -> str:
        return self.name


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
    """One upload of departments or people, validated whole and applied all or nothing.

    Progress and the error list live here so the page can show them while a worker runs
    the import, and so nothing is lost if the page is closed.
    """

    class Kind(models.TextChoices):
        DEPARTMENTS = "departments", _("Departments")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Rejected")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL
    )
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
