"""A project's meetings: the list, a meeting's page (details, attendees, agenda, minutes), its edit
forms and its state changes. Thin: the permission module finds the objects, the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import posted, save_versioned
from projects.forms.meetings import (
    AgendaItemForm,
    AttendanceForm,
    ExternalAttendeeForm,
    MeetingForm,
    MinutesAnswerForm,
    OutcomeForm,
    SectionForm,
)
from projects.lib.files import pdf_response
from projects.lib.history import render_history
from projects.models import Meeting
from projects.selectors.meetings import (
    meeting_actions_for_user,
    meeting_agenda,
    meeting_list_for_project,
    meetings_across_projects,
)
from projects.services import invitations, meetings, minutes, minutes_publish
from projects.workflows import MEETING

PAGE_SIZE = 25

# The transition named in the URL -> its service.
SERVICES = {
    "plan": meetings.meeting_plan,
    "hold": meetings.meeting_hold,
    "publish": meetings.meeting_publish,
    "cancel": meetings.meeting_cancel,
}


def _organiser_only(request, project) -> None:
    if not permissions.can_organise_meetings(request.user, project):
        raise PermissionDenied


@require_safe
def meeting_list(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    page = Paginator(meeting_list_for_project(project), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/meeting_list.html", {
        "project": project, "page": page, "can_organise": permissions.can_organise_meetings(request.user, project)})


@require_safe
def meetings_overview(request):
    """Every project's meetings for the support officers, newest first, filtered by state, paginated:
    a constant number of queries."""
    if not permissions.can_view_meetings_overview(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in Meeting.Status.values else ""
    meetings_ = meetings_across_projects(permissions.projects_visible_to(request.user), status)
    page = Paginator(meetings_, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/meetings_overview.html", {
        "page": page, "status": status, "statuses": Meeting.Status.choices})


@require_http_methods(["GET", "POST"])
def meeting_edit(request, code, number=None):
    """A new meeting, or the details and internal attendees of one not yet held."""
    if number is None:
        project = permissions.get_project_internals_for_user(request.user, code)
        meeting = None
    else:
        meeting = permissions.get_meeting_for_user(request.user, code, number)
        project = meeting.project
    _organiser_only(request, project)
    initial = {} if meeting else {"organiser": request.user.pk, "duration_minutes": 60, "kind": Meeting.Kind.PROGRESS,
                                  "users": [request.user.pk]}
    form = MeetingForm(posted(request), instance=meeting, project=project, by=request.user, initial=initial)
    if meeting is not None and meeting.status not in Meeting.DETAILS_EDITABLE:
        messages.error(request, _("%(id)s is %(status)s: its details no longer change.")
                       % {"id": meeting.identifier, "status": meeting.get_status_display()})
        return redirect("projects:meeting_detail", project.code, meeting.number)

    def people():
        return {"users": list(form.cleaned_data["users"]), "contacts": list(form.cleaned_data["contacts"])}

    if meeting is None:
        if request.method == "POST" and form.is_valid():
            try:
                new = meetings.meeting_create(project_id=project.pk, by=request.user, data=form.model_values(),
                                              **people())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(id)s created.") % {"id": new.identifier})
                return redirect("projects:meeting_detail", project.code, new.number)
    elif save_versioned(request, form, lambda data, version: meetings.meeting_update(
            meeting_id=meeting.pk, by=request.user, data=data, expected_version=version, **people()),
            _("Meeting saved.")):
        return redirect("projects:meeting_detail", project.code, meeting.number)
    return render(request, "projects/meeting_form.html", {"project": project, "meeting": meeting, "form": form})


def _detail(request, meeting, *, status=200, **forms):
    project = meeting.project
    can_organise = permissions.can_organise_meetings(request.user, project)
    attendees = list(meeting.attendees.select_related("user"))
    agenda = meeting_agenda(meeting)
    editable = can_organise and meeting.status in Meeting.AGENDA_EDITABLE
    minutes_open = can_organise and meeting.status == Meeting.Status.HELD
    context = {
        "project": project, "meeting": meeting, "attendees": attendees, "agenda": agenda,
        "can_organise": can_organise, "agenda_editable": editable, "minutes_open": minutes_open,
        "details_editable": can_organise and meeting.status in Meeting.DETAILS_EDITABLE,
        "actions": meeting_actions_for_user(request.user, meeting) if can_organise else {},
        "following": meetings.next_in_series(meeting),
        "invitations": invitations.invitation_summary(meeting),
        "minutes_documents": list(meeting.minutes_documents.all()),
        "deliveries": list(meeting.minutes_deliveries.all()),
        "attendee_form": forms.get("attendee_form") or ExternalAttendeeForm(
            initial={"language": project.customer.language}),
        "section_form": forms.get("section_form") or SectionForm(),
        "attendance_form": forms.get("attendance_form") or (
            AttendanceForm(attendees=attendees) if minutes_open else None),
    }
    return render(request, "projects/meeting_detail.html", context, status=status)


@require_safe
def meeting_detail(request, code, number):
    return _detail(request, permissions.get_meeting_for_user(request.user, code, number))


@require_safe
def meeting_history(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    return render_history(request, records=meeting.history.all(),
                          title=_("History of %(risk)s") % {"risk": meeting.identifier},
                          back_url=meeting_url(meeting))


def meeting_url(meeting) -> str:
    return f"{meeting.project.get_absolute_url()}meetings/{meeting.number}/"


@require_http_methods(["GET", "POST"])
def meeting_transition(request, code, number, action):
    """GET asks to confirm; POST calls the service, whose refusal is a message on the page."""
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    if action not in SERVICES:
        raise Http404
    _organiser_only(request, meeting.project)
    label = MEETING[action].label
    if request.method == "POST":
        try:
            kwargs = {"reason": request.POST.get("reason", "")[:5000]} if action == "cancel" else {}
            if action == "publish":  # the customer's confirmation link starts with the site's address
                kwargs = {"base_url": request.build_absolute_uri("/")}
            meeting = SERVICES[action](meeting_id=meeting.pk, by=request.user, **kwargs)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(id)s is now %(status)s.")
                             % {"id": meeting.identifier, "status": meeting.get_status_display()})
            return redirect(meeting_url(meeting))
    refusal = MEETING.refusal(action, request.user, meeting)
    return render(request, "projects/meeting_transition.html", {
        "project": meeting.project, "meeting": meeting, "label": label, "action": action, "refusal": refusal})


def _post_service(request, meeting, call, done: str):
    """Call a service for a POST; its refusal becomes a message; back to the meeting's page either way."""
    try:
        result = call()
    except DomainError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, done)
    return result or True


@require_POST
def meeting_plan_next(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    following = _post_service(request, meeting, lambda: meetings.meeting_plan_next(
        meeting_id=meeting.pk, by=request.user), _("The next meeting of the series is drafted."))
    return redirect(meeting_url(following if isinstance(following, Meeting) else meeting))


@require_POST
def attendee_add(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    form = ExternalAttendeeForm(request.POST)
    if form.is_valid():
        try:
            meetings.attendee_add_external(meeting_id=meeting.pk, by=request.user, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s invited.") % {"name": form.cleaned_data["name"]})
            return redirect(meeting_url(meeting))
    return _detail(request, meeting, attendee_form=form)


@require_POST
def attendee_remove(request, code, number, pk):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    attendee = get_object_or_404(meeting.attendees, pk=pk)
    _post_service(request, meeting, lambda: meetings.attendee_remove(
        meeting_id=meeting.pk, attendee_id=attendee.pk, by=request.user),
        _("%(name)s is no longer invited.") % {"name": attendee})
    return redirect(meeting_url(meeting))


@require_POST
def invitations_resend(request, code, number):
    """The current invitation to whoever has not had it yet; never the same one twice to an address."""
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    try:
        queued = meetings.invitations_resend(meeting_id=meeting.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ngettext("%(count)s invitation queued.", "%(count)s invitations queued.", queued)
                         % {"count": queued} if queued else _("Everyone invited has the current invitation."))
    return redirect(meeting_url(meeting))


@require_POST
def attendance(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    form = AttendanceForm(request.POST, attendees=meeting.attendees.select_related("user"))
    if form.is_valid():
        _post_service(request, meeting, lambda: meetings.attendance_record(
            meeting_id=meeting.pk, by=request.user, attendance=form.attendance()), _("Attendance saved."))
        return redirect(meeting_url(meeting))
    return _detail(request, meeting, attendance_form=form)


@require_POST
def section_add(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    form = SectionForm(request.POST)
    if form.is_valid():
        _post_service(request, meeting, lambda: minutes.section_add(
            meeting_id=meeting.pk, by=request.user, title=form.cleaned_data["title"]), _("Section added."))
        return redirect(meeting_url(meeting) + "#agenda")
    return _detail(request, meeting, section_form=form)


@require_POST
def agenda_draft(request, code, number):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    try:
        added = minutes.agenda_draft_from_registers(meeting_id=meeting.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ngettext("%(count)s item added from the registers.",
                                           "%(count)s items added from the registers.", added) % {"count": added}
                         if added else _("The registers hold nothing that is not on the agenda already."))
    return redirect(meeting_url(meeting) + "#agenda")


@require_http_methods(["GET", "POST"])
def item_edit(request, code, number, pk=None):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    item = get_object_or_404(meeting.items, pk=pk) if pk else None
    form = AgendaItemForm(posted(request), instance=item, meeting=meeting)
    if item is None:
        if request.method == "POST" and form.is_valid():
            try:
                minutes.agenda_item_add(meeting_id=meeting.pk, by=request.user, data=form.model_values())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Agenda item added."))
                return redirect(meeting_url(meeting) + "#agenda")
    elif save_versioned(request, form, lambda data, version: minutes.agenda_item_update(
            item_id=item.pk, by=request.user, data=data, expected_version=version), _("Agenda item saved.")):
        return redirect(meeting_url(meeting) + "#agenda")
    return render(request, "projects/meeting_item_form.html", {
        "project": meeting.project, "meeting": meeting, "item": item, "form": form})


@require_POST
def item_move(request, code, number, pk):
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    item = get_object_or_404(meeting.items, pk=pk)
    up = request.POST.get("direction") != "down"
    _post_service(request, meeting, lambda: minutes.agenda_item_move(item_id=item.pk, by=request.user, up=up),
                  _("Moved up: %(title)s.") % {"title": item.title} if up
                  else _("Moved down: %(title)s.") % {"title": item.title})
    return redirect(meeting_url(meeting) + f"#item-{item.pk}")


@require_http_methods(["GET", "POST"])
def outcome_edit(request, code, number, item_pk, pk=None):
    """An outcome of an agenda item in the minutes; saving it writes (or updates) its register entry."""
    meeting = permissions.get_meeting_for_user(request.user, code, number)
    _organiser_only(request, meeting.project)
    item = get_object_or_404(meeting.items, pk=item_pk)
    outcome = get_object_or_404(item.outcomes, pk=pk) if pk else None
    form = OutcomeForm(posted(request), instance=outcome, project=meeting.project)
    if outcome is None:
        if request.method == "POST" and form.is_valid():
            try:
                new = minutes.outcome_record(item_id=item.pk, by=request.user, data=form.model_values())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                entry = new.entry
                messages.success(request, _("Outcome recorded: %(id)s written.") % {"id": entry.identifier}
                                 if entry else _("Outcome recorded."))
                return redirect(meeting_url(meeting) + f"#item-{item.pk}")
    elif save_versioned(request, form, lambda data, version: minutes.outcome_update(
            outcome_id=outcome.pk, by=request.user, data=data, expected_version=version), _("Outcome saved.")):
        return redirect(meeting_url(meeting) + f"#item-{item.pk}")
    return render(request, "projects/meeting_outcome_form.html", {
        "project": meeting.project, "meeting": meeting, "item": item, "outcome": outcome, "form": form})


@require_safe
def minutes_download(request, code, number, pk):
    """A PDF of the published minutes, through the permission module (the internal variant to who may
    read internal minutes only)."""
    document = permissions.get_minutes_document_for_user(request.user, code, number, pk)
    return pdf_response(document.pdf, document.download_name)


def _link_closed(request, error):
    """The refusal page in the language of the attendee the link names (the visitor's when it names none)."""
    language = error.language or translation.get_language()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return render(request, "projects/survey_closed.html", {"message": str(error),
                                                               "title": _("Minutes")}, status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
def minutes_confirm(request, token):
    """The external attendee's page: no login, their language, one answer per link."""
    try:
        delivery = minutes_publish.delivery_from_token(token)
    except minutes_publish.MinutesLinkError as error:
        return _link_closed(request, error)
    with translation.override(delivery.language):
        request.LANGUAGE_CODE = delivery.language
        form = MinutesAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                minutes_publish.minutes_answer(token=token, answer=form.cleaned_data["answer"],
                                               remark=form.cleaned_data["remark"])
            except minutes_publish.MinutesLinkError as error:
                return _link_closed(request, error)
            return render(request, "projects/survey_closed.html", {
                "message": _("Thank you: your answer is recorded with the minutes."), "thanks": True,
                "title": _("Minutes")})
        meeting = delivery.meeting
        return render(request, "projects/minutes_confirm.html", {
            "delivery": delivery, "meeting": meeting, "project": meeting.project, "form": form})
