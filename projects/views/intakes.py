from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import domain, permissions
from projects.forms.base import MessageForm, ReasonForm, save_versioned
from projects.forms.intakes import IntakeAcceptForm, IntakeAttachmentForm, IntakeForm
from projects.lib.files import stored_file_response
from projects.lib.history import render_history
from projects.selectors.intakes import intake_actions_for_user, intake_completeness, intake_list_for_user
from projects.services import intakes

PAGE_SIZE = 25


@require_safe
def intake_list(request):
    if not permissions.can_list_intakes(request.user):
        raise PermissionDenied
    intake_filter = intake_list_for_user(request.user, request.GET)
    page = Paginator(intake_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/intake_list.html", {
        "filter": intake_filter, "page": page, "can_create": permissions.can_create_intake(request.user),
    })


@require_http_methods(["GET", "POST"])
def intake_create(request):
    if not permissions.can_create_intake(request.user):
        raise PermissionDenied
    form = IntakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        intake = intakes.intake_create(by=request.user, data=form.model_values())
        messages.success(request, _("Draft saved. Add the attachments, then submit when complete."))
        return redirect(intake)
    return render(request, "projects/intake_form.html", {"form": form})


# The intake form's values that the customer page carries when sales adds a customer without
# JavaScript (with it, a dialog adds the customer and the intake page never leaves).
INTAKE_CARRIED = [*IntakeForm._meta.fields, "version"]


def intake_values_carried(request) -> dict | None:
    """The intake's typed values on their way through the customer page: posted by the intake form
    itself (its "Add a customer" button), then by the customer page, prefixed `intake-`."""
    if request.method != "POST":
        return None
    if "add_customer" in request.POST:
        return {name: request.POST.get(name, "") for name in INTAKE_CARRIED}
    if "from_intake" in request.POST:
        return {name: request.POST.get(f"intake-{name}", "") for name in INTAKE_CARRIED}
    return None


def intake_form_resumed(request, carried: dict, *, customer=None):
    """The intake form again, as sales left it, with the customer just created chosen; it posts to
    the intake (`?intake=<pk>` says which) as if it had never been left."""
    pk = request.GET.get("intake", "")
    intake = None
    if pk:
        if not (pk.isascii() and pk.isdigit()):
            raise Http404
        intake = permissions.get_intake_for_user(request.user, int(pk))
        if not permissions.can_edit_intake(request.user, intake):
            raise PermissionDenied
    elif not permissions.can_create_intake(request.user):
        raise PermissionDenied
    initial = {**carried, **({"customer": customer.pk} if customer else {})}
    return render(request, "projects/intake_form.html", {
        "form": IntakeForm(initial=initial, instance=intake), "intake": intake})


@require_http_methods(["GET", "POST"])
def intake_edit(request, pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    if not permissions.can_edit_intake(request.user, intake):
        raise PermissionDenied
    form = IntakeForm(request.POST if request.method == "POST" else None, instance=intake)
    if save_versioned(request, form, lambda data, version: intakes.intake_update(
            intake_id=intake.pk, by=request.user, data=data, expected_version=version), _("Intake saved.")):
        return redirect(intake)
    return render(request, "projects/intake_form.html", {"form": form, "intake": intake})


def _render_intake(request, intake, *, attachment_form=None, status=200):
    user = request.user
    percent, missing = intake_completeness(intake)
    return render(request, "projects/intake_detail.html", status=status, context={
        "intake": intake, "percent": percent, "missing": missing,
        "attachments": intake.attachments.select_related("uploaded_by"),
        "thread": intake.messages.select_related("author"),
        "can_edit": permissions.can_edit_intake(user, intake), "actions": intake_actions_for_user(user, intake),
        "can_post": permissions.can_post_intake_message(user, intake),
        "attachment_form": attachment_form or IntakeAttachmentForm(), "message_form": MessageForm(),
    })


@require_safe
def intake_detail(request, pk):
    return _render_intake(request, permissions.get_intake_for_user(request.user, pk))


@require_POST
def intake_attachment_add(request, pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    form = IntakeAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            intakes.intake_attachment_add(intake_id=intake.pk, by=request.user, kind=form.cleaned_data["kind"],
                                           upload=upload, content_type=upload.checked_content_type)
        except domain.DomainError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("%(name)s attached.") % {"name": upload.name})
            return redirect(intake)
    # The error stands next to the file field, with the chosen kind kept.
    return _render_intake(request, intake, attachment_form=form, status=400)


@require_safe
def intake_attachment_download(request, pk, attachment_pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    return stored_file_response(get_object_or_404(intake.attachments, pk=attachment_pk))


@require_POST
def intake_attachment_delete(request, pk, attachment_pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    attachment = get_object_or_404(intake.attachments, pk=attachment_pk)
    try:
        intakes.intake_attachment_remove(attachment_id=attachment.pk, by=request.user)
    except domain.DomainError as error:
        messages.error(request, str(error))
    return redirect(intake)


@require_POST
def intake_submit(request, pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    try:
        intakes.intake_submit(intake_id=intake.pk, by=request.user)
    except domain.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Intake submitted to the PMO."))
    return redirect(intake)


@require_POST
def intake_message(request, pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            intakes.intake_message_post(intake_id=intake.pk, by=request.user, body=form.cleaned_data["body"])
        except domain.DomainError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Write a message first."))
    return redirect(intake)


def _decision_view(request, pk, *, form_class, template, decide, done_message, initial=None):
    """GET shows the decision form; POST calls the service; a refused decision is a message."""
    intake = permissions.get_intake_for_user(request.user, pk)
    if not permissions.can_review_intake(request.user, intake):  # who may open the form; the service decides
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = decide(intake, form.cleaned_data)
        except domain.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done_message(result))
            return redirect(result if hasattr(result, "get_absolute_url") else intake)
    return render(request, template, {"intake": intake, "form": form})


@require_http_methods(["GET", "POST"])
def intake_return(request, pk):
    return _decision_view(
        request, pk, form_class=MessageForm, template="projects/intake_return.html",
        decide=lambda intake, data: intakes.intake_return(intake_id=intake.pk, by=request.user,
                                                           question=data["body"]),
        done_message=lambda intake: _("Returned to sales with your question."),
    )


@require_http_methods(["GET", "POST"])
def intake_reject(request, pk):
    return _decision_view(
        request, pk, form_class=ReasonForm, template="projects/intake_reject.html",
        decide=lambda intake, data: intakes.intake_reject(intake_id=intake.pk, by=request.user,
                                                           reason=data["reason"]),
        done_message=lambda intake: _("Intake rejected; sales has been told why."),
    )


@require_http_methods(["GET", "POST"])
def intake_accept(request, pk):
    return _decision_view(
        request, pk, form_class=IntakeAcceptForm, template="projects/intake_accept.html",
        decide=lambda intake, data: intakes.intake_accept(intake_id=intake.pk, by=request.user, **data),
        done_message=lambda project: _("Project %(code)s created.") % {"code": project.code},
        initial={"support_officer": request.user},
    )


@require_safe
def intake_history(request, pk):
    intake = permissions.get_intake_for_user(request.user, pk)
    return render_history(request, records=intake.history.all(),
                          title=_("History of intake %(title)s") % {"title": intake.title},
                          back_url=intake.get_absolute_url())
