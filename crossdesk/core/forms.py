"""What every form of every record page shares: Bootstrap classes, widgets, errors, the
base of action forms. Forms only collect input; the services decide and name the field
they refuse, which ``show_error`` puts next to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
TEXTAREA_ROWS = 3


def datetime_local(**attrs) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DATETIME_LOCAL)


def textarea(rows: int = TEXTAREA_ROWS, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def text_field(
    label, max_length: int | None = None, *, rows: int = 0, example=None, required: bool = False, **kwargs
) -> forms.CharField:
    """A text field, optional unless ``required``: one line, or a textarea of ``rows`` lines;
    ``example`` ("e.g. …") shows as its placeholder."""
    attrs = {"placeholder": example} if example else {}
    widget = textarea(rows, **attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, **kwargs)


def show_error(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's error next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields generically."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        if field and field in self.fields:
            widget = self.fields[field].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PickField(forms.TypedChoiceField):
    """A select of ids whose choices come from the page. Any whole number is accepted here:
    the service checks it (a liaison must belong to the department, an entry to this log),
    so the form needs no queries to validate. ``source`` names the entry of an action form's
    context that holds its choices (``(id, label)`` pairs, after a blank one)."""

    def __init__(self, *, source: str = "", **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)
        self.source = source

    def valid_value(self, value) -> bool:
        return True


class ActionForm(BootstrapMixin, forms.Form):
    """Base of the action forms. ``submit_label`` names the button; ``danger`` makes it red
    and ``confirm`` asks before sending (SPEC: ask before anything destructive)."""

    submit_label = _("Save")
    danger = False
    confirm: str | None = None

    def __init__(self, *args, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context or {}
        for field in self.fields.values():
            chosen = self.context.get(getattr(field, "source", ""))
            if chosen is not None:
                field.choices = [("", "—"), *chosen]
        self.setup(**self.context)

    def setup(self, **context) -> None:
        """Fill choices from what the page already loaded (no queries here)."""
