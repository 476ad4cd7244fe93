from django import forms
from django.utils.translation import gettext_lazy as _

from crossdesk.core.errors import ApplicationError

from .choices import ROBOT_CHANNELS, Channel, DigestMode, EmailMode, EscalationMode, EventGroup
from .models import Notification

TIME_INPUT = forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M")
SELECT = {"class": "form-select form-select-sm"}


class PreferenceForm(forms.Form):
    """A person's or a department's notification settings; blank means 'inherit'."""

    email_mode = forms.ChoiceField(label=_("E-mail"), choices=EmailMode.choices, required=False)
    muted_event_groups = forms.MultipleChoiceField(
        label=_("No e-mail about"),
        choices=EventGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest_mode = forms.ChoiceField(label=_("How e-mail arrives"), choices=DigestMode.choices, required=False)
    digest_time = forms.TimeField(label=_("Daily digest at"), required=False, widget=TIME_INPUT)
    escalation_mode = forms.ChoiceField(
        label=_("Escalations"), choices=EscalationMode.choices, required=False
    )
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False, widget=TIME_INPUT)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False, widget=TIME_INPUT)
    language = forms.ChoiceField(
        label=_("E-mail language"),
        choices=[("", _("Simplified Chinese (default)")), ("zh-hans", "简体中文"), ("en", "English")],
        required=False,
    )

    def __init__(self, *args, for_person: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_person:
            del self.fields["language"]
            self.fields["email_mode"].choices = [("", _("Built-in default (important only)"))] + [
                c for c in EmailMode.choices if c[0]
            ]
            self.fields["digest_mode"].choices = [("", _("Built-in default (each message)"))] + [
                c for c in DigestMode.choices if c[0]
            ]
        for name in ("email_mode", "digest_mode", "escalation_mode", "language"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(SELECT)


class RobotForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(c.value, c.label) for c in Channel if c in ROBOT_CHANNELS],
        widget=forms.Select(attrs=SELECT),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        widget=forms.URLInput(attrs={"class": "form-control form-control-sm"}),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        help_text=_("DingTalk: the SEC… secret of 加签. Feishu: the secret of 签名校验. WeCom has none."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off"}),
    )
    event_groups = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of event."),
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels"),
        choices=Notification.Level.choices,
        required=False,
        initial=["action", "warning", "overdue"],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every level."),
    )


def place_error(exc: ApplicationError, *, form: forms.Form) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)
