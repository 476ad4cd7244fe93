"""The request form, laid out in the sections of the paper template 跨部门协作沟通与问题反馈表
[000]: basic information, description (背景 + 现状 + 期望), involved departments,
resources [004], expected completion, related matter. Nothing is required while it is a
draft; ``services.request_submit`` checks what submitting needs.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.collaboration.choices import RequestType, Urgency
from crossdesk.core.forms import BootstrapMixin, FilesField, datetime_local, text_field


class RequestForm(BootstrapMixin, forms.Form):
    """A draft's fields. Nothing is required while it is a draft; submitting checks the rest."""

    # 基本信息
    initiating_department = forms.TypedChoiceField(label=_("Initiating department"), coerce=int)
    initiator_phone = forms.CharField(label=_("Internal contact number"), max_length=32, required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    # 协作/问题描述
    type = forms.ChoiceField(
        label=_("Type"),
        choices=RequestType.choices,
        initial=RequestType.COLLABORATION,
        widget=forms.RadioSelect,
    )
    type_other = text_field(_("Other type"), 100, example=_("Say what kind of request this is"))
    title = text_field(_("Subject"), 200, example=_("e.g. Customer order delivered 3 days late"))
    background = text_field(
        _("Background"), 5000, rows=3, example=_("e.g. The project needs data from several departments.")
    )
    current_situation = text_field(
        _("Current situation or problem"),
        5000,
        rows=3,
        example=_("e.g. The data come in different formats and cannot be merged."),
    )
    expected_outcome = text_field(
        _("Expected outcome"),
        5000,
        rows=3,
        example=_("e.g. Every department provides its data in one agreed template."),
    )
    # 涉及部门
    receiving_departments = forms.TypedMultipleChoiceField(
        label=_("Departments that must act"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They accept or decline, name a liaison and commit to a date."),
    )
    informed_departments = forms.TypedMultipleChoiceField(
        label=_("Departments kept informed"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are told of every change but need not act."),
    )
    # 资源需求 [004]
    resources_people = text_field(_("People"), 500, example=_("e.g. 2 people from HR for 3 days"))
    resources_budget = text_field(_("Budget"), 200, example=_("e.g. ¥5,000"))
    resources_material = text_field(_("Material"), 500, example=_("e.g. a meeting room, 20 laptops"))
    # 期望完成时间, 关联项目/事项
    expected_completion_at = forms.DateTimeField(
        label=_("Expected completion"), required=False, widget=datetime_local()
    )
    related_matter = text_field(
        _("Related project or matter"), 200, example=_("e.g. 2024 customer satisfaction project")
    )
    cc_supervisor = forms.BooleanField(
        label=_("Copy the supervisor"),
        required=False,
        help_text=_("The supervisors of your department are told when you submit."),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the people acting on it, their heads and supervisors see it."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, own_departments: list[tuple[int, str]], departments: list[tuple[int, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["initiating_department"].choices = own_departments
        initiating = self._initiating_department(own_departments)
        others = [(pk, name) for pk, name in departments if pk != initiating]
        self.fields["receiving_departments"].choices = others
        self.fields["informed_departments"].choices = others

    def _initiating_department(self, own: list[tuple[int, str]]) -> int | None:
        raw = self.data.get(self.add_prefix("initiating_department")) if self.is_bound else None
        raw = raw or self.initial.get("initiating_department")
        try:
            return int(raw)
        except (TypeError, ValueError):
            return own[0][0] if own else None

    def clean(self):
        data = super().clean()
        both = set(data.get("receiving_departments") or []) & set(data.get("informed_departments") or [])
        if both:
            self.add_error(
                "informed_departments", _("A department either must act or is kept informed, not both.")
            )
        return data

    def service_data(self) -> dict:
        """What ``request_create_draft`` / ``request_update_draft`` take."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @staticmethod
    def initial_for(request) -> dict:
        """A draft's current values as the form's initial data."""
        parts = list(request.parts.all())
        departments = {"initiating_department", "receiving_departments", "informed_departments"}
        return {
            # Every other field is the request's column of the same name.
            **{name: getattr(request, name) for name in RequestForm.base_fields if name not in departments},
            "initiating_department": request.initiating_department_id,
            "receiving_departments": [p.department_id for p in parts if p.role == "receiving"],
            "informed_departments": [p.department_id for p in parts if p.role == "informed"],
        }


class NewRequestForm(RequestForm):
    """The first write of a request: its fields and, at once, its attachments."""

    uploads = FilesField(
        label=_("Attachments"), help_text=_("Documents or screenshots, at most 20 MB each; several at once.")
    )

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("uploads", None)
        return data
