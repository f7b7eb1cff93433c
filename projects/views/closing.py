from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects import domain, permissions
from projects.forms.base import model_values
from projects.forms.closing import SatisfactionForm, SurveySendForm
from projects.forms.customers import FirstContactForm
from projects.selectors.closing import closing_conditions
from projects.services import closing as closing_services
from projects.services import customers


@require_http_methods(["GET", "POST"])
def closing(request, code):
    """What the closing gate still needs, each with a link; the support officer validates the closure."""
    project = permissions.get_project_internals_for_user(request.user, code)
    if request.method == "POST":
        if not permissions.can_validate_closure(request.user):
            raise PermissionDenied
        try:
            closing_services.project_close(project_id=project.pk, by=request.user)
        except domain.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(code)s is closed; the hand-over pack for SMO is being made.")
                             % {"code": project.code})
            return redirect(project)
    conditions = closing_conditions(project)
    return render(request, "projects/closing.html", {
        "project": project, "conditions": conditions, "all_ok": all(c.ok for c in conditions),
        "can_validate": permissions.can_validate_closure(request.user) and project.status == project.Status.CLOSING,
    })


@require_http_methods(["GET", "POST"])
def project_satisfaction(request, code):
    """Results, and the two ways to collect them: the survey link, or the PM's record of a call."""
    project = permissions.get_project_internals_for_user(request.user, code)
    can_manage = permissions.can_manage_reports(request.user, project)
    send_form = SurveySendForm(request.POST if "send" in request.POST else None, project=project)
    record_form = SatisfactionForm(request.POST if "record" in request.POST else None)
    contact_form = FirstContactForm(request.POST if "add_contact" in request.POST else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if "add_contact" in request.POST and contact_form.is_valid():
                contact = customers.customer_contact_add(customer_id=project.customer_id, by=request.user,
                                                         data=model_values(contact_form), for_project=project)
                messages.success(request, _("Contact %(name)s added; you can send the survey now.")
                                 % {"name": contact.name})
                return redirect("projects:satisfaction", project.code)
            if "send" in request.POST and send_form.is_valid():
                survey = closing_services.survey_send(project_id=project.pk, by=request.user,
                                                  contact_id=send_form.cleaned_data["contact"].pk,
                                                  base_url=request.build_absolute_uri("/"))
                messages.success(request, _("Survey sent to %(email)s.") % {"email": survey.sent_to})
                return redirect("projects:satisfaction", project.code)
            if "record" in request.POST and record_form.is_valid():
                closing_services.survey_record(project_id=project.pk, by=request.user, data=record_form.cleaned_data)
                messages.success(request, _("Answers recorded."))
                return redirect("projects:satisfaction", project.code)
        except domain.DomainError as error:
            messages.error(request, str(error))
    return render(request, "projects/satisfaction.html", {
        "project": project, "surveys": project.surveys.select_related("recorded_by"), "can_manage": can_manage,
        "send_form": send_form, "record_form": record_form, "contact_form": contact_form,
        "has_contact": send_form.fields["contact"].queryset.exists()})


def _survey_closed(request, error):
    """The refusal page in the language of the survey the link names (the visitor's when it names none)."""
    language = error.language or translation.get_language()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return render(request, "projects/survey_closed.html", {"message": str(error)}, status=410)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey(request, token):
    """The customer's page: no login, the customer's language, one answer per link."""
    try:
        entry = closing_services.survey_from_token(token)
    except closing_services.SurveyLinkError as error:
        return _survey_closed(request, error)
    with translation.override(entry.language):
        request.LANGUAGE_CODE = entry.language
        form = SatisfactionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                closing_services.survey_answer(token=token, data=form.cleaned_data)
            except closing_services.SurveyLinkError as error:
                return _survey_closed(request, error)
            return render(request, "projects/survey_closed.html", {"message": _("Thank you for your answers!"),
                                                                   "thanks": True})
        return render(request, "projects/survey.html", {"survey": entry, "project": entry.project, "form": form})
