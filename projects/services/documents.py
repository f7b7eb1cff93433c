"""Project documents: uploads become the next version of a document with the same title."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import lock_project, refuse_unless
from projects.models import ProjectDocument


@transaction.atomic
def document_upload(*, project_id: int, by: User, category: str, title: str, upload,
                    content_type: str) -> ProjectDocument:
    """A document with the title of an existing one becomes its next version."""
    project = lock_project(project_id)
    refuse_unless(permissions.can_upload_document(by, project), _("You may not add documents to this project."))
    last = project.documents.filter(category=category, title=title).order_by("-version").first()
    return ProjectDocument.objects.create(
        project=project, category=category, title=title, version=(last.version + 1) if last else 1, file=upload,
        original_name=upload.name[:255], content_type=content_type, size=upload.size, uploaded_by=by,
    )
