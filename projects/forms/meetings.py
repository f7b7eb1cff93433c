import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects import permissions
from projects.forms.base import DATE, VersionedForm
from projects.models import (
    AgendaItem,
    AgendaSection,
    ChangeRequest,
    CustomerContact,
    Meeting,
    MeetingAttendee,
    MinutesDelivery,
    Outcome,
)
from projects.models.base import NOTE_MAX_LENGTH

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def internal_people():
    """Who can be invited as an internal attendee: active users of the company's roles (not sales,
    who see no internal minutes)."""
    return (User.objects.filter(is_active=True, groups__name__in=permissions.INTERNALS_ROLES).distinct()
            .order_by("last_name", "first_name", "username"))


class MeetingForm(VersionedForm):
    users = forms.ModelMultipleChoiceField(label=_("Internal attendees"), required=False,
                                           queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    contacts = forms.ModelMultipleChoiceField(
        label=_("Customer contacts"), required=False, queryset=CustomerContact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other people are added by name and e-mail on the meeting's page."))

    class Meta:
        model = Meeting
        fields = ["kind", "title", "date", "start_time", "duration_minutes", "place", "online_link", "organiser",
                  "recurrence"]
        widgets = {"date": DATE, "start_time": TIME}
        error_messages = {"duration_minutes": {"min_value": _("A meeting lasts at least one minute: its end cannot be "
                                                              "before its start.")}}

    def __init__(self, *args, project, by, **kwargs):
        super().__init__(*args, **kwargs)
        organisers = {project.project_manager_id, project.deputy_manager_id, project.support_officer_id, by.pk}
        self.fields["organiser"].queryset = User.objects.filter(pk__in=organisers - {None}).order_by("last_name")
        self.fields["users"].queryset = internal_people()
        self.fields["contacts"].queryset = project.customer.contacts.order_by("name")
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} <{c.email}>" if c.email else c.name
        if self.instance.pk:
            self.fields["users"].initial = [a.user_id for a in self.instance.attendees.all() if a.user_id]
            self.fields["contacts"].initial = [a.contact_id for a in self.instance.attendees.all() if a.contact_id]

    def clean_duration_minutes(self):
        duration = self.cleaned_data["duration_minutes"]
        if duration is not None and duration < 1:
            raise forms.ValidationError(self._meta.error_messages["duration_minutes"]["min_value"])
        return duration

    def clean_contacts(self):
        contacts = self.cleaned_data["contacts"]
        missing = [c.name for c in contacts if not c.email]
        if missing:
            raise forms.ValidationError(_("No e-mail address for %(names)s: an attendee is invited by e-mail.")
                                        % {"names": ", ".join(missing)})
        return contacts

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_link") and "place" not in self.errors:
            self.add_error("place", _("Give a place or an online link."))
        date, start, duration = data.get("date"), data.get("start_time"), data.get("duration_minutes")
        if date and start and duration and duration > 0:
            if (dt.datetime.combine(date, start) + dt.timedelta(minutes=duration)).date() != date:
                self.add_error("duration_minutes", _("The meeting must end on the day it starts."))
        return data


class ExternalAttendeeForm(forms.ModelForm):
    class Meta:
        model = MeetingAttendee
        fields = ["name", "email", "language"]
        error_messages = {"email": {"required": _("An external attendee needs an e-mail address to be invited.")},
                          "name": {"required": _("Give the attendee's name.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = self.fields["email"].required = True


class SectionForm(forms.ModelForm):
    class Meta:
        model = AgendaSection
        fields = ["title"]
        labels = {"title": _("New section")}


class AgendaItemForm(VersionedForm):
    class Meta:
        model = AgendaItem
        fields = ["section", "title", "presenter", "minutes_planned", "notes", *AgendaItem.LINKS]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        project = meeting.project
        self.fields["section"].queryset = meeting.sections.order_by("position", "pk")
        if meeting.sections.exists():
            self.fields["section"].empty_label = None
        else:
            self.fields["section"].required = False
            self.fields["section"].empty_label = _("A first section, “Agenda”")
        self.fields["action"].queryset = project.actions.order_by("-number")
        self.fields["risk"].queryset = project.risks.order_by("-number")
        self.fields["change_request"].queryset = project.change_requests.exclude(
            status=ChangeRequest.Status.REJECTED).order_by("-number")
        self.fields["issue"].queryset = project.issues.order_by("-number")
        self.fields["milestone"].queryset = project.milestones.order_by("forecast_date")
        for name in AgendaItem.LINKS:
            self.fields[name].help_text = ""

    def clean(self):
        data = super().clean()
        links = [name for name in AgendaItem.LINKS if data.get(name)]
        if len(links) > 1:
            self.add_error(links[1], _("An agenda item is about one register entry at most."))
        return data


class OutcomeForm(VersionedForm):
    class Meta:
        model = Outcome
        fields = ["kind", "title", "details", "owner", "due_date", "internal"]
        widgets = {"due_date": DATE, "details": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"kind": _("A decision goes to the decision log, an action to the action items, a risk and an "
                                "issue to their registers, a change request to change control as a draft.")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=permissions.project_staff_ids(project))
        self.fields["owner"].help_text = _("Needed for an action, a risk, an issue and a change request (the "
                                           "project's staff).")
        if self.instance.pk and self.instance.entry is not None:
            self.fields["kind"].disabled = True  # it wrote its entry: the kind stays

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in Outcome.OWNED and not data.get("owner") and "owner" not in self.errors:
            self.add_error("owner", {Outcome.Kind.ACTION: _("An action needs an owner."),
                                     Outcome.Kind.RISK: _("A risk needs an owner."),
                                     Outcome.Kind.ISSUE: _("An issue needs an owner."),
                                     Outcome.Kind.CHANGE_REQUEST: _("A change request needs an owner.")}[kind])
        if kind == Outcome.Kind.ACTION and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", _("An action needs a due date."))
        return data


class AttendanceForm(forms.Form):
    """One choice per attendee: came, excused, absent."""

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        for attendee in self.attendees:
            self.fields[f"attendee_{attendee.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": attendee}, choices=MeetingAttendee.Attendance.choices,
                required=False, initial=attendee.attendance)

    def attendance(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"attendee_{a.pk}"] for a in self.attendees}



class MinutesAnswerForm(forms.Form):
    """The customer's answer to the minutes: they confirm them, or say what should change."""

    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        (MinutesDelivery.Answer.CONFIRMED, _("I confirm these minutes.")),
        (MinutesDelivery.Answer.REMARK, _("I have a remark."))])
    remark = forms.CharField(label=_("Remark"), required=False, max_length=NOTE_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("answer") == MinutesDelivery.Answer.REMARK and not data.get("remark", "").strip() \
                and "remark" not in self.errors:
            self.add_error("remark", _("Write your remark."))
        return data
