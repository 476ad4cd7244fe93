"""Forms of the calendar pages. They only parse input; the rules live in services.py, and
an ``ApplicationError`` a service raises is put next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError

DATE_INPUT = forms.DateInput(
    attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
)
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M")


class OverrideForm(forms.Form):
    """A company day off or an extra working day, with the reason for it."""

    KIND_CHOICES = [("off", _("Company day off")), ("work", _("Extra working day"))]

    kind = forms.ChoiceField(
        label=_("This day becomes"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    name = forms.CharField(
        label=_("Label on the calendar"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("e.g. Annual meeting")}
        ),
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )

    @property
    def is_working(self) -> bool:
        return self.cleaned_data["kind"] == "work"


class HolidayRowForm(forms.Form):
    """One holiday of an official schedule: name, first and last day (weekends included)."""

    name = forms.CharField(
        label=_("Holiday"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    first_day = forms.DateField(label=_("First day off"), required=False, widget=DATE_INPUT)
    last_day = forms.DateField(label=_("Last day off"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("first_day") and not data.get("last_day"):
            data["last_day"] = data["first_day"]
        if data.get("last_day") and not data.get("first_day"):
            self.add_error("first_day", _("Enter the first day."))
        if data.get("first_day") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the holiday a name, e.g. 春节."))
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("first_day"))


class WorkdayRowForm(forms.Form):
    """One make-up working day (调休上班) of an official schedule."""

    day = forms.DateField(label=_("Make-up working day"), required=False, widget=DATE_INPUT)


HolidayFormSet = forms.formset_factory(HolidayRowForm, extra=0)
WorkdayFormSet = forms.formset_factory(WorkdayRowForm, extra=0)

# The seven statutory holidays, in the order the State Council's notice lists them.
HOLIDAY_NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]


class PeriodRowForm(forms.Form):
    """One working period of the day."""

    start = forms.TimeField(label=_("From"), required=False, widget=TIME_INPUT)
    end = forms.TimeField(label=_("To"), required=False, widget=TIME_INPUT)

    def clean(self):
        data = super().clean()
        if bool(data.get("start")) != bool(data.get("end")):
            self.add_error("end" if data.get("start") else "start", _("Enter both the start and the end."))
        return data


PeriodFormSet = forms.formset_factory(PeriodRowForm, extra=0)


class TimeZoneForm(forms.Form):
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "list": "cd-time-zones"}),
    )


def place_error(
    exc: ApplicationError, *, form: forms.Form | None = None, formsets: dict | None = None
) -> str:
    """Show a service's error next to the field it names (``note``, ``periods.1.end``…).

    ``formsets`` maps a prefix to (formset, row numbers), the row numbers translating the
    service's list index back to the form the value came from (empty rows are skipped).
    Returns the message when it belongs to no single field, for the page to show on top.
    """
    parts = (exc.field or "").split(".")
    if formsets and parts[0] in formsets:
        formset, rows = formsets[parts[0]]
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
            row_form = formset.forms[rows[int(parts[1])]]
            if len(parts) > 2 and parts[2] in row_form.fields:
                name: str | None = parts[2]
            else:
                name = next(iter(row_form.fields)) if len(row_form.fields) == 1 else None
            row_form.add_error(name, exc.message)
            return ""
        return exc.message
    if form is not None and parts[0] in form.fields:
        form.add_error(parts[0], exc.message)
        return ""
    return exc.message
