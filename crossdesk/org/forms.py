from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportForm(forms.Form):
    """Two file inputs: a departments table and a people table. A workbook with sheets
    部门 and 人员 may go in either."""

    departments_file = forms.FileField(
        label=_("Departments (.xlsx or .csv)"),
        required=False,
        help_text=_("Or one Excel workbook with sheets 部门 and 人员."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )
    people_file = forms.FileField(
        label=_("People (.xlsx or .csv)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )
