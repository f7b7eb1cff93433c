"""Uploaded files: size-limited and typed by their content, never by their name alone."""

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> the content type the file's bytes must show
ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
TEXT_TYPES = {"text/csv", "text/plain"}
SNIFF_BYTES = 8192


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def validate_upload(upload) -> str:
    """Refuse oversized files and files whose content is not what their name says; return the type."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    extension = PurePath(upload.name).suffix.lower()
    expected = ALLOWED.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of type %(ext)s are not accepted. Accepted: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV, "
              "text.")
            % {"ext": extension or _("(none)")}, code="type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if expected in TEXT_TYPES:
        ok = _looks_like_text(head) and filetype.guess(head) is None
    else:
        kind = filetype.guess(head)
        ok = kind is not None and kind.mime == expected
    if not ok:
        raise ValidationError(
            _("The content of %(name)s is not a %(ext)s file. Upload the original document.")
            % {"name": upload.name, "ext": extension}, code="content_mismatch",
        )
    return expected
