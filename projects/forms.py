from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

from .models import (
    MAX_AMOUNT, Absence, ActionItem, Activity, AttachmentKind, BudgetLine, ChangeRequest, ChecklistAnswer,
    ChecklistTemplate, CostCategory, Customer, CustomerContact, Decision, DocumentCategory, Intake, Lesson, Milestone,
    Project, ProjectException, ProjectIssue, ProjectType, Resource, Risk, SafetyIncident, SatisfactionSurvey,
)
from . import permissions
from .amounts import TypedAmounts
from .uploads import validate_upload
from .vat import normalize_vat

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def save_versioned(request, form: VersionedForm, update, done_message: str) -> bool:
    """Call `update(data, expected_version)` for a valid form; a refusal (a stale edit, say)
    becomes a form error so the user keeps what they typed. Returns whether it was saved."""
    from django.contrib import messages

    from .services import DomainError

    if request.method != "POST" or not form.is_valid():
        return False
    try:
        update(form.model_values(), form.cleaned_data["version"])
    except DomainError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, done_message)
    return True


def clean_unique_vat(form: forms.ModelForm, duplicate_message: str) -> str:
    """Normalise the VAT number and refuse one that another record of the model already has,
    naming that record."""
    vat = normalize_vat(form.cleaned_data["vat_number"])
    model = form._meta.model
    existing = model.objects.filter(vat_number=vat).exclude(pk=form.instance.pk).first()
    if existing:
        raise ValidationError(duplicate_message % {"name": existing.name, "vat": vat}, code="duplicate")
    return vat


class CustomerForm(VersionedForm):
    class Meta:
        model = Customer
        fields = ["name", "vat_number", "address", "language"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_vat_number(self):
        return clean_unique_vat(self, _("Customer %(name)s already has VAT number %(vat)s."))


class CustomerContactForm(forms.ModelForm):
    class Meta:
        model = CustomerContact
        fields = ["name", "function", "email", "phone"]


class IntakeForm(TypedAmounts, VersionedForm):
    class Meta:
        model = Intake
        fields = [
            "project_type", "title", "customer", "scope", "deliverables", "d365_opportunity", "d365_quote",
            "sold_price", "estimated_cost", "target_start", "target_end", "sites", "safety_requirements",
            "security_clearance", "access_requirements",
        ]
        widgets = {
            "target_start": DATE, "target_end": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in [
                "scope", "deliverables", "sites", "safety_requirements", "security_clearance", "access_requirements"]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].queryset = ProjectType.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("target_start"), cleaned.get("target_end")
        if start and end and end < start:
            self.add_error("target_end", _("The target end cannot be before the target start."))
        return cleaned


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked_content_type = validate_upload(upload)
        return upload


class IntakeAttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = UploadField(label=_("File"))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


def _role_choices(role):
    return User.objects.filter(groups__name=role, is_active=True).order_by("last_name", "first_name")


class IntakeAcceptForm(forms.Form):
    project_manager = forms.ModelChoiceField(label=_("Project manager"), queryset=User.objects.none())
    deputy_manager = forms.ModelChoiceField(label=_("Deputy project manager"), queryset=User.objects.none(),
                                            required=False)
    support_officer = forms.ModelChoiceField(label=_("Support officer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managers = _role_choices(Role.PROJECT_MANAGER)
        self.fields["project_manager"].queryset = managers
        self.fields["deputy_manager"].queryset = managers
        self.fields["support_officer"].queryset = _role_choices(Role.SUPPORT_OFFICER)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_manager") and cleaned.get("deputy_manager") == cleaned.get("project_manager"):
            self.add_error("deputy_manager", _("The deputy must be someone other than the project manager."))
        return cleaned


class BudgetLineForm(TypedAmounts, forms.ModelForm):
    """One row of the budget grid: fields without labels, so the widgets carry Bootstrap's classes."""

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            "description": forms.TextInput(attrs={"class": "form-control"}),
            "amount": forms.TextInput(attrs={"class": "form-control text-end"}),
        }


BudgetLineFormSet = forms.modelformset_factory(BudgetLine, form=BudgetLineForm, extra=2, can_delete=True)


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)


class DocumentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("Use the title of an existing document to upload a new version of it."))
    file = UploadField(label=_("File"))


class ActivityForm(TypedAmounts, VersionedForm):
    class Meta:
        model = Activity
        fields = ["phase", "name", "kind", "planned_start", "planned_end", "effort_hours", "percent_complete",
                  "status"]
        widgets = {"planned_start": DATE, "planned_end": DATE}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end cannot be before the start."))
        return cleaned


class DependencyForm(forms.Form):
    predecessor = forms.ModelChoiceField(label=_("Predecessor"), queryset=Activity.objects.none())
    successor = forms.ModelChoiceField(label=_("Successor"), queryset=Activity.objects.none())
    lag_days = forms.IntegerField(label=_("Lag (days)"), initial=0, min_value=-30, max_value=365)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this project's activities: a crafted id of another project's activity is "not a valid choice".
        self.fields["predecessor"].queryset = self.fields["successor"].queryset = project.activities.all()


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["phase", "name", "baseline_date", "forecast_date"]
        widgets = {"baseline_date": DATE, "forecast_date": DATE}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()


class ResourceForm(TypedAmounts, forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "user", "team_manager", "skills", "home_site", "weekly_capacity_hours", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_manager"].queryset = _role_choices(Role.ENGINEERING_MANAGER)


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["start", "end", "reason"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return cleaned


class AssignmentForm(TypedAmounts, forms.Form):
    resource = forms.ModelChoiceField(label=_("Resource"), queryset=Resource.objects.filter(active=True))
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1,
                                        min_value=Decimal("0.5"), max_value=Decimal("60"))
    confirm_overbooking = forms.BooleanField(label=_("Book even if over-booked"), required=False)


class RegisterForm(VersionedForm):
    """A register entry of one project: owners (and actionees) are chosen from its staff."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(pk__in=permissions.project_staff_ids(project))
        for name in ("owner", "actionee"):
            if name in self.fields:
                self.fields[name].queryset = staff
        if "severity" in self.fields and not self._meta.model._meta.get_field("severity").choices:
            # A 1-5 scale (issues, change requests); incidents have their own named severities.
            self.fields["severity"].widget = forms.Select(choices=[(n, n) for n in range(1, 6)])


class RiskForm(TypedAmounts, RegisterForm):
    class Meta:
        model = Risk
        fields = ["kind", "category", "cause", "event", "effect", "inherent_probability", "inherent_impact",
                  "residual_probability", "residual_impact", "cost_impact", "proximity", "response_category",
                  "response", "owner", "actionee", "status", "review_date", "customer_visible"]
        widgets = {"review_date": DATE, **{name: forms.Textarea(attrs={"rows": 2})
                                           for name in ("cause", "event", "effect", "response")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("inherent_probability", "inherent_impact", "residual_probability", "residual_impact"):
            self.fields[name].widget = forms.Select(choices=[(n, n) for n in range(1, 6)])


class IssueForm(RegisterForm):
    class Meta:
        model = ProjectIssue
        fields = ["type", "title", "description", "priority", "severity", "owner", "status", "due_date",
                  "customer_visible"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ChangeRequestForm(RegisterForm):
    class Meta:
        model = ChangeRequest
        fields = ["title", "description", "priority", "severity", "owner", "due_date", "time_impact_days",
                  "milestones", "scope_impact", "quality_impact", "risk_impact", "options", "recommendation"]
        widgets = {"due_date": DATE, "milestones": forms.CheckboxSelectMultiple,
                   **{name: forms.Textarea(attrs={"rows": 2}) for name in (
                       "description", "scope_impact", "quality_impact", "risk_impact", "options", "recommendation")}}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.fields["milestones"].queryset = project.milestones.all()

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "milestones"}


class ChangeCostForm(TypedAmounts, forms.Form):
    """One cost impact: an existing budget line, or a new one (category and description)."""

    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False,
                                         empty_label=_("New budget line"),
                                         widget=forms.Select(attrs={"class": "form-select"}))
    category = forms.ChoiceField(label=_("Cost category"), choices=[("", "—"), *CostCategory.choices],
                                 required=False, widget=forms.Select(attrs={"class": "form-select"}))
    description = forms.CharField(label=_("Description"), max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    delta = forms.DecimalField(label=_("Change (EUR)"), max_digits=14, decimal_places=2,
                               min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT,
                               widget=forms.TextInput(attrs={"class": "form-control text-end"}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = project.budget_lines.all()

    def clean(self):
        data = super().clean()
        if not data.get("budget_line") and "delta" in data:
            if not data.get("category"):
                self.add_error("category", _("A new budget line needs a cost category."))
            if not data.get("description", "").strip():
                self.add_error("description", _("A new budget line needs a description."))
        if data.get("budget_line") and (data.get("category") or data.get("description", "").strip()):
            self.add_error("budget_line", _("Choose “New budget line” to give a category and description; "
                                            "an existing line keeps its own."))
        if data.get("delta") == 0:
            self.add_error("delta", _("Enter a change other than zero."))
        return data


ChangeCostFormSet = forms.formset_factory(ChangeCostForm, extra=3, can_delete=True, max_num=50, validate_max=True)


def change_costs_initial(change) -> list[dict]:
    return [{"budget_line": c.budget_line_id, "category": c.category, "description": c.description, "delta": c.delta}
            for c in change.costs.all()] if change else []


def change_costs(formset) -> list[dict]:
    """The filled rows of a valid cost formset; empty and deleted rows are dropped."""
    return [form.cleaned_data for form in formset.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")]


class ChangeDecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                              required=False,
                              max_length=5000, help_text=_("Required to reject or defer."))


class TolerancesForm(TypedAmounts, forms.ModelForm):
    """The values the PMO lead started from travel along, so a concurrent change is refused."""

    was_cost = forms.CharField(widget=forms.HiddenInput)
    was_time = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = ["cost_tolerance_percent", "time_tolerance_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["was_cost"].initial = self.instance.cost_tolerance_percent
        self.fields["was_time"].initial = self.instance.time_tolerance_days

    def clean_was_cost(self) -> Decimal:
        try:
            return Decimal(self.cleaned_data["was_cost"])
        except ArithmeticError:
            raise ValidationError(_("Reload the page.")) from None


class DecisionLogForm(RegisterForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "title", "rationale", "decided_by"]
        widgets = {"decided_on": DATE, "rationale": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(RegisterForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date", "status"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class LessonForm(RegisterForm):
    class Meta:
        model = Lesson
        fields = ["event", "effect", "cause", "recommendation"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("event", "effect", "cause", "recommendation")}


class ExceptionReportForm(VersionedForm):
    class Meta:
        model = ProjectException
        fields = ["cause", "consequences", "options", "recommendation"]
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("cause", "consequences", "options", "recommendation")}


class ChecklistItemForm(forms.Form):
    """One item of a checklist run: the answer, why (required for not OK and not applicable), the
    corrective action of a not OK, and optionally a piece of evidence."""

    answer = forms.ChoiceField(label=_("Answer"), choices=ChecklistAnswer.Answer.choices, required=False,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}))
    corrective_action = forms.CharField(label=_("Corrective action"), required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}))
    evidence = UploadField(label=_("Evidence"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        if data.get("answer") in (ChecklistAnswer.Answer.NOT_OK, ChecklistAnswer.Answer.NOT_APPLICABLE) \
                and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why: a comment is required for not OK and not applicable."))
        return data


class ChecklistStartForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Checklist"), queryset=ChecklistTemplate.objects.filter(active=True))
    phase = forms.CharField(label=_("Phase"), max_length=100, required=False)


class SafetyIncidentForm(RegisterForm):
    class Meta:
        model = SafetyIncident
        fields = ["occurred_on", "site", "kind", "severity", "description", "people_involved", "status"]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 3}),
                   "people_involved": forms.Textarea(attrs={"rows": 2})}


class SafetyActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=permissions.project_staff_ids(project))


class SatisfactionForm(forms.ModelForm):
    """The customer's answers (through the link) or the PM's record of a call."""

    class Meta:
        model = SatisfactionSurvey
        fields = ["quality", "communication", "timeliness", "site_conduct", "recommend", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quality", "communication", "timeliness", "site_conduct"):
            self.fields[name].required = True
            self.fields[name].widget = forms.RadioSelect(choices=[(n, n) for n in range(1, 6)])
        self.fields["recommend"].required = True
        self.fields["recommend"].widget = forms.RadioSelect(choices=[(n, n) for n in range(0, 11)])


class SurveySendForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Customer contact"), queryset=CustomerContact.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = project.customer.contacts.exclude(email="")
