from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from .lib.admin import ReadOnlyAdmin
from .models import (
    Activity,
    AttachmentKind,
    Baseline,
    BillingMilestone,
    BudgetLine,
    BudgetSubmission,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Customer,
    CustomerContact,
    Intake,
    LevelThreshold,
    Project,
    ProjectDocument,
    ProjectType,
    ProjectTypeChecklist,
    Resource,
)
from .selectors.intakes import INTAKE_TEMPLATE_FIELDS


@admin.register(LevelThreshold)
class LevelThresholdAdmin(SimpleHistoryAdmin):
    list_display = ("level", "upper_limit")


class PhaseLinesField(forms.CharField):
    """A list of phase names, one per line (empty lines dropped)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ProjectTypeForm(forms.ModelForm):
    """The intake template as checkboxes, so only real intake fields and attachment kinds can be required;
    the phases one per line in each language (a language left empty shows the English ones)."""

    phases_en = PhaseLinesField(
        label=_("phases [en]"), required=False,
        help_text=_("The phases a new project of this type starts with, in order, one per line."))
    phases_nl = PhaseLinesField(label=_("phases [nl]"), required=False,
                                help_text=_("In the same order as the English ones."))
    phases_fr = PhaseLinesField(label=_("phases [fr]"), required=False,
                                help_text=_("In the same order as the English ones."))

    required_fields = forms.MultipleChoiceField(
        label=_("required intake fields"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, Intake._meta.get_field(name).verbose_name) for name in INTAKE_TEMPLATE_FIELDS],
    )
    required_attachments = forms.MultipleChoiceField(
        label=_("required attachment kinds"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=AttachmentKind.choices,
    )

    class Meta:
        model = ProjectType
        fields = ["name", "phases", "active", "required_fields", "required_attachments"]

    def clean(self):
        data = super().clean()
        for code in ("nl", "fr"):
            if data.get(f"phases_{code}") and len(data[f"phases_{code}"]) != len(data.get("phases_en") or []):
                self.add_error(f"phases_{code}", _("Give as many phases as in English, in the same order."))
        return data


# Stacked, not tabular: a tabular inline labels its fields only by the column header, which screen
# readers do not tie to the inputs (axe: label, select-name).
class ProjectTypeChecklistInline(TranslationStackedInline):
    model = ProjectTypeChecklist
    extra = 0


# Reference data: each text has a field per language (projects/translation.py); readers see theirs,
# or the English one where theirs is empty.
@admin.register(ProjectType)
class ProjectTypeAdmin(TranslationAdmin, SimpleHistoryAdmin):
    form = ProjectTypeForm
    list_display = ("name", "active")
    inlines = [ProjectTypeChecklistInline]


class ChecklistTemplateItemInline(TranslationStackedInline):
    model = ChecklistTemplateItem
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(TranslationAdmin, SimpleHistoryAdmin):
    """Edited here; each saved change raises the version. Runs already made keep their copy."""

    list_display = ("name", "standard", "version", "active")
    readonly_fields = ("version",)
    inlines = [ChecklistTemplateItemInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            template = form.instance
            template.version += 1
            template.save(update_fields=["version"])


class CustomerContactInline(admin.StackedInline):
    model = CustomerContact
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "vat_number", "language")
    search_fields = ("name", "vat_number")
    inlines = [CustomerContactInline]
    exclude = ("version", "created_by")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "customer", "status", "level", "project_manager")
    list_filter = ("status", "level", "project_type")
    list_select_related = ("customer", "project_manager")
    search_fields = ("code", "name", "customer__name")
    autocomplete_fields = ("customer",)
    raw_id_fields = ("project_manager", "deputy_manager", "support_officer", "sales_owner")


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ("title", "customer", "project_type", "status", "created_by", "submitted_at")
    list_filter = ("status", "project_type")
    list_select_related = ("customer", "project_type", "created_by")
    search_fields = ("title", "customer__name")


@admin.register(BudgetSubmission)
class BudgetSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("project", "total", "level", "status", "submitted_by", "decided_by")
    list_filter = ("status", "level")
    list_select_related = ("project", "submitted_by", "decided_by")


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ("project", "version", "budget", "approved_by", "created_at")
    list_select_related = ("project", "approved_by")


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "team_manager", "home_site", "weekly_capacity_hours", "active")
    list_filter = ("active",)
    search_fields = ("name", "skills")
    exclude = ("calendar_token",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "planned_start", "planned_end", "status")
    list_select_related = ("project",)
    search_fields = ("name", "project__code")


admin.site.register(BudgetLine, ReadOnlyAdmin)
admin.site.register(ProjectDocument, ReadOnlyAdmin)


@admin.register(BillingMilestone)
class BillingMilestoneAdmin(ReadOnlyAdmin):
    list_display = ("identifier", "name", "project", "amount", "planned_date", "status")
    list_select_related = ("project",)
    search_fields = ("name", "project__code", "invoice_number", "order_reference")
