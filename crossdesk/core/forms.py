"""What every form of every record page shares: Bootstrap classes, widgets, errors, the
base of action forms. Forms only collect input; the services decide and name the field
they refuse, which ``show_error`` puts next to it."""

from __future__ import annotations

import re

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
    """Put a service's error next to the field it names, or above the form; every field of
    an error that lists several (``error.problems``) next to its own."""
    for name, message in (error.problems or {error.field or "": error.message}).items():
        form.add_error(name if name in form.fields else None, message)


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
    context that holds its choices (``(id, label)`` pairs, after a ``blank`` one unless None)."""

    def __init__(self, *, source: str = "", blank="—", **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)
        self.source, self.blank = source, blank

    def valid_value(self, value) -> bool:
        return True


class ActionForm(BootstrapMixin, forms.Form):
    """Base of the action forms. ``submit_label`` names the button; ``danger`` makes it red
    and ``confirm`` asks before sending (SPEC: ask before anything destructive)."""

    submit_label = _("Save")
    heading = ""
    danger = False
    confirm: str | None = None

    def __init__(self, *args, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.use(context or {})

    def use(self, context: dict) -> None:
        """Take the page's ``context``: the choices of the fields that name a ``source``, then
        ``setup``. A refused form, bound to the POST, takes the page's context this way."""
        self.context = context
        for field in self.fields.values():
            chosen = self.context.get(getattr(field, "source", ""))
            if chosen is not None and isinstance(field, forms.ChoiceField):
                blank = getattr(field, "blank", "—")
                field.choices = [*([("", blank)] if blank is not None else []), *chosen]
        self.setup(**self.context)

    def setup(self, **context) -> None:
        """Fill choices from what the page already loaded (no queries here)."""

    def service_data(self) -> dict:
        """What the service is given (a form that reshapes its input says so here)."""
        return self.cleaned_data

    def show_error(self, error: ApplicationError) -> None:
        show_error(self, error)


def action_form(class_name: str, /, **attrs) -> type[ActionForm]:
    """An action form declared in one statement: its fields and its class attributes
    (``submit_label``, ``heading``, ``danger``, ``confirm``), as ``type()`` would."""
    return type(class_name, (ActionForm,), attrs)


def hidden_field() -> forms.CharField:
    """A value the page carries (an id, a version); None when empty, the service checks it."""
    return forms.CharField(required=False, widget=forms.HiddenInput, empty_value=None)


def date_field(label="") -> forms.CharField:
    """A date picker whose text the service parses (``core.records.inputs``)."""
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.CharField(label=label, required=False, widget=widget)


def moment_field(label="") -> forms.CharField:
    """A date and time picker whose text the service parses."""
    return forms.CharField(label=label, required=False, widget=datetime_local())


def time_field(label="") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}))


class MultiPickField(forms.TypedMultipleChoiceField):
    """Several ids whose choices come from the page (``source``, as :class:`PickField`);
    the service checks them."""

    blank = None

    def __init__(self, label="", *, source: str = "", widget=forms.SelectMultiple, **kwargs):
        super().__init__(label=label, coerce=int, required=False, widget=widget, **kwargs)
        self.source = source

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files; the service says how many and which kinds it takes."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=MultipleFileInput, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(f, initial) for f in files if f]


ROW_FIELD = re.compile(r"^\w+\[(\d+)\]\.(\w+)$")


class RowForm(ActionForm):
    """One row of a :class:`TableForm`: its fields are named ``<prefix>_<name>``. A row with
    none of its ``significant`` fields filled in is left out (every row counts if none)."""

    significant: tuple[str, ...] = ()

    def add_prefix(self, field_name):
        return f"{self.prefix}_{field_name}" if self.prefix else field_name

    def filled(self) -> bool:
        return not self.significant or any(self.cleaned_data.get(name) for name in self.significant)


class TableForm(ActionForm):
    """A form with a table of ``row_form`` rows named ``<row_prefix><n>_<field>``. The POST's
    ``rows_field`` says how many (at most ``max_rows``); else the rows written so far (the
    context's ``rows``: their initial values), ``empty_rows`` more, at least ``min_rows``.
    The service gets the filled rows; its refusal of ``<list>[n].<field>`` shows next to that
    field of that row, and above the form."""

    row_form: type[RowForm]
    row_prefix = "row"
    rows_field = "rows"
    min_rows = empty_rows = 0
    max_rows = 20

    def __init__(self, data=None, *args, context=None, **kwargs):
        super().__init__(data, *args, context=context, **kwargs)
        written = list(self.context.get("rows", ()))
        wanted = (data or {}).get(self.rows_field, "")
        n = len(written) + self.empty_rows
        n = min(int(wanted), self.max_rows) if wanted.isdigit() else max(n, self.min_rows)
        self.rows = [
            self.row_form(
                data,
                prefix=f"{self.row_prefix}{i}",
                initial=written[i] if i < len(written) else None,
                context=self.context,
            )
            for i in range(n)
        ]
        self.sent: list[RowForm] = []

    def is_valid(self) -> bool:
        valid = super().is_valid() and all(row.is_valid() for row in self.rows)
        self.sent = [row for row in self.rows if row.filled()] if valid else []
        return valid

    def show_error(self, error: ApplicationError) -> None:
        found = ROW_FIELD.match(error.field or "")
        if found and int(found[1]) < len(self.sent) and found[2] in self.sent[int(found[1])].fields:
            self.sent[int(found[1])].add_error(found[2], error.message)
            self.add_error(None, error.message)
        else:
            show_error(self, error)
