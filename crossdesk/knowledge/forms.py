"""The publish form: the entry as its source fills it, edited before publishing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.forms import BootstrapMixin, textarea
from crossdesk.org.selectors import department_choices


class EntryForm(BootstrapMixin, forms.Form):
    """What the person may change; the service checks every value (errors next to the field)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    problem = forms.CharField(label=_("Problem"), required=False, widget=textarea(4))
    solution = forms.CharField(label=_("Solution"), required=False, widget=textarea(6))
    departments = forms.MultipleChoiceField(
        label=_("Departments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. 物流, 仓库"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(str(pk), name) for pk, name in department_choices()]

    def sent(self) -> dict:
        """What was typed, for the service (it validates)."""
        data = self.data
        return {
            "title": data.get("title", ""),
            "problem": data.get("problem", ""),
            "solution": data.get("solution", ""),
            "departments": data.getlist("departments")
            if hasattr(data, "getlist")
            else data.get("departments", []),
            "tags": data.get("tags", ""),
        }
