from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from crossdesk.core.errors import ApplicationError

from . import services
from .models import Clock, ClockEvent, TimePolicy


class TimePolicyForm(forms.ModelForm):
    class Meta:
        model = TimePolicy
        fields = [
            "name",
            "description",
            "target_amount",
            "target_unit",
            "warn_fraction",
            "remind_before_amount",
            "remind_before_unit",
            "escalation",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        changes = {
            name: data.get(name) for name in self.changed_data if name in services.POLICY_EDITABLE_FIELDS
        }
        try:
            services.policy_validate_changes(self.instance, changes)
        except ApplicationError as exc:
            raise ValidationError(
                {exc.field: exc.message} if exc.field in self.fields else exc.message
            ) from exc
        return data


@admin.register(TimePolicy)
class TimePolicyAdmin(admin.ModelAdmin):
    form = TimePolicyForm
    list_display = [
        "name",
        "key",
        "variant",
        "kind",
        "target_amount",
        "target_unit",
        "warn_fraction",
        "version",
    ]
    list_filter = ["kind", "target_unit"]
    search_fields = ["name", "key"]
    readonly_fields = ["key", "variant", "kind", "version"]
    fields = ["key", "variant", "kind", "version", *TimePolicyForm.Meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so running clocks are recomputed and note the change.
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.POLICY_EDITABLE_FIELDS
        }
        services.policy_update(actor=request.user, policy=TimePolicy.objects.get(pk=obj.pk), **changes)


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "state",
        "due_at",
        "next_action",
        "next_action_at",
        "owner",
        "department",
        "estimated",
    ]
    list_filter = ["state", "policy__key", "estimated"]
    raw_id_fields = ["owner", "department"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClockEvent)
class ClockEventAdmin(admin.ModelAdmin):
    """Read-only: a clock's history is written by the services and kept (SPEC §6 audit)."""

    list_display = ["clock", "kind", "at", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
