"""Django admin for editing departments and people; saves go through the services so
the tree stays acyclic and leavers lose their login, as with an import."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Department, ImportJob, Membership, Person, VisibilityPolicy


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("is_primary")
        ]
        if self.fk.name == "person" and len(primaries) > 1:
            raise ValidationError(_("A person has only one primary department."))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["person", "department"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "head",
        "default_liaison",
        "member_count",
        "sort_order",
        "is_active",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "head", "default_liaison", "supervisors"]
    list_select_related = ["parent", "head", "default_liaison"]
    inlines = [MembershipInline]
    ordering = ["sort_order", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("Members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    def save_model(self, request, obj, form, change):
        services.department_save(actor=request.user, department=obj)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "title", "phone", "email", "is_active"]
    list_display_links = ["employee_no", "name"]
    list_filter = ["is_active", ("departments", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["employee_no", "name", "email", "phone"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["employee_no", "name", "title", "user", "is_active"]}),
        (_("Contact"), {"fields": ["phone", "email", "dingtalk_id", "wecom_id", "feishu_id"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.person_save(actor=request.user, person=obj)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created by uploads and run by the worker."""

    list_display = [
        "id",
        "file_name",
        "status",
        "phase",
        "error_count",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status"]
    search_fields = ["file_name"]
    list_select_related = ["created_by"]
    exclude = ["errors"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VisibilityPolicy)
class VisibilityPolicyAdmin(admin.ModelAdmin):
    """The administrators' page for who sees what: one row, saved through the service."""

    fields = ["informed_staff_see", "supervisors_see_drafts"]

    def has_add_permission(self, request):
        return not VisibilityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.visibility_policy_update(
            actor=request.user, data={name: form.cleaned_data[name] for name in self.fields}
        )
        obj.pk, obj.version = saved.pk, saved.version
