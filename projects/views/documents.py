from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from projects import domain, permissions
from projects.forms.base import posted
from projects.forms.documents import DocumentForm
from projects.lib.files import stored_file_response
from projects.services import documents as documents_services


@require_http_methods(["GET", "POST"])
def project_documents(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    can_upload = permissions.can_upload_document(request.user, project)
    form = DocumentForm(posted(request), request.FILES if request.method == "POST" else None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = documents_services.document_upload(
                    project_id=project.pk, by=request.user, category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"], upload=upload, content_type=upload.checked_content_type)
            except domain.DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(title)s uploaded as version %(version)s.")
                                 % {"title": document.title, "version": document.version})
                return redirect("projects:documents", project.code)
    documents = project.documents.select_related("uploaded_by")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "projects/project_documents.html", {"project": project, "page": page, "form": form})


@require_safe
def project_document_download(request, code, pk):
    return stored_file_response(permissions.get_document_for_user(request.user, code, pk))
